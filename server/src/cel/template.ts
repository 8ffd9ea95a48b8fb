import { isObject, type JsonObject, type JsonValue } from '../json';
import { CelCompileError, expressionCompiler, StepMeter, type CompiledExpression } from './compile';

/** Gatekeeper's engine name for CEL code in a ConstraintTemplate. */
export const CEL_ENGINE = 'K8sNativeValidation';

/** The variables Gatekeeper declares before the template's own: the object under review and the constraint's parameters. */
export const GATEKEEPER_VARIABLES = ['anyObject', 'params'] as const;

export interface CelValidation {
  expression: CompiledExpression;
  message?: string;
  messageExpression?: CompiledExpression;
}

export interface CelVariable {
  name: string;
  expression: CompiledExpression;
}

/** A ConstraintTemplate's K8sNativeValidation code, every expression parsed and planned. */
export interface CompiledCelTemplate {
  engine: typeof CEL_ENGINE;
  name: string;
  kind: string;
  variables: CelVariable[];
  matchConditions: CelVariable[];
  validations: CelValidation[];
  /** `Fail` (Gatekeeper's default): an expression that fails to evaluate is a violation; `Ignore`: it is not. */
  failurePolicy: 'Fail' | 'Ignore';
  meter: StepMeter;
}

function text(value: JsonValue | undefined, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new CelCompileError(`${where} must be a non-empty string`);
  return value;
}

function entries(source: JsonObject, key: string): JsonObject[] {
  const value = source[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isObject)) throw new CelCompileError(`${key} must be a list of objects`);
  return value;
}

/**
 * Compiles the `source` of a K8sNativeValidation code entry as Gatekeeper's CEL driver reads it: `variables`,
 * `matchCondition` (Gatekeeper's field name, singular), `validations` and `failurePolicy`.
 * A CelCompileError names the template and the expression that does not compile.
 */
export function compileCelTemplate(name: string, kind: string, source: JsonObject): CompiledCelTemplate {
  const where = (part: string) => `ConstraintTemplate ${name}: CEL ${part}`;
  try {
    const meter = new StepMeter();
    const compile = expressionCompiler(meter);
    const declared = new Set<string>(GATEKEEPER_VARIABLES);
    const checkReads = (expression: CompiledExpression, part: string) => {
      const undeclared = [...expression.variablesRead].find((variable) => !declared.has(variable));
      if (undeclared !== undefined) throw new CelCompileError(`${part} reads variables.${undeclared}, which is not declared before it`);
      return expression;
    };
    const variables = entries(source, 'variables').map((variable, index) => {
      const part = `variables[${index}]`;
      const variableName = text(variable.name, `${part}.name`);
      if (declared.has(variableName)) throw new CelCompileError(`${part}: the name ${variableName} is already taken`);
      const expression = checkReads(compile(text(variable.expression, `${part}.expression`), `${part} (${variableName})`), `${part} (${variableName})`);
      declared.add(variableName);
      return { name: variableName, expression };
    });
    // Gatekeeper ignores the plural (ValidatingAdmissionPolicy's name), so a template using it would match everything there.
    if (source.matchConditions !== undefined) throw new CelCompileError('Gatekeeper reads match conditions from matchCondition (singular), not matchConditions');
    const matchConditions = entries(source, 'matchCondition').map((condition, index) => {
      const part = `matchCondition[${index}]`;
      const conditionName = text(condition.name, `${part}.name`);
      return { name: conditionName, expression: checkReads(compile(text(condition.expression, `${part}.expression`), `${part} (${conditionName})`), part) };
    });
    const validations = entries(source, 'validations').map((validation, index) => {
      const part = `validations[${index}]`;
      const compiled: CelValidation = { expression: checkReads(compile(text(validation.expression, `${part}.expression`), `${part}.expression`), part) };
      if (typeof validation.message === 'string' && validation.message !== '') compiled.message = validation.message;
      if (typeof validation.messageExpression === 'string' && validation.messageExpression !== '') {
        compiled.messageExpression = checkReads(compile(validation.messageExpression, `${part}.messageExpression`), `${part}.messageExpression`);
      }
      return compiled;
    });
    const failurePolicy = source.failurePolicy ?? 'Fail';
    if (failurePolicy !== 'Fail' && failurePolicy !== 'Ignore') throw new CelCompileError(`failurePolicy must be Fail or Ignore, not ${JSON.stringify(failurePolicy)}`);
    return { engine: CEL_ENGINE, name, kind, variables, matchConditions, validations, failurePolicy, meter };
  } catch (error) {
    if (error instanceof CelCompileError) throw new CelCompileError(where(error.message));
    throw error;
  }
}
