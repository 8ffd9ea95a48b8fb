import type { JsonValue } from '../../../server/src/json';
import { compileModules } from '../../../server/src/rego/compiler';
import { evaluateRule } from '../../../server/src/rego/evaluator';
import { parseModule } from '../../../server/src/rego/parser';
import { RegoObject, fromJson, toJson } from '../../../server/src/rego/value';

export interface EvaluateOptions {
  input?: JsonValue;
  data?: JsonValue;
  stepBudget?: number;
  /** More modules (libraries) compiled with the first. */
  libraries?: string[];
}

/** Compiles the modules and returns the value of `rule` in the first module's package, as JSON (undefined stays undefined). */
export function evaluate(source: string, rule: string, options: EvaluateOptions = {}): JsonValue | undefined {
  const main = parseModule(source, 'test.rego');
  const libraries = (options.libraries ?? []).map((library, index) => parseModule(library, `lib${index}.rego`));
  const program = compileModules([main, ...libraries]);
  const data = options.data === undefined ? undefined : fromJson(options.data);
  const { value } = evaluateRule(program, [...main.packagePath, rule], {
    input: options.input === undefined ? undefined : fromJson(options.input),
    data: data instanceof RegoObject ? data : undefined,
    stepBudget: options.stepBudget,
  });
  return value === undefined ? undefined : toJson(value);
}
