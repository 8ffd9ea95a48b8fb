import { celError, celMap, isCelError, type CelInput, type CelResult } from '@bufbuild/cel';
import type { JsonObject, JsonValue, Path } from '../json';
import { BUDGET_EXHAUSTED, DEFAULT_CEL_STEP_BUDGET, type CompiledExpression } from './compile';
import { ReadRecorder, recordingCelInputOf } from './reads';
import type { CompiledCelTemplate } from './template';
import { celInputOf } from './values';

/** What a K8sNativeValidation template sees of one admission request. */
export interface CelReviewInput {
  /** The AdmissionRequest (`input.review` for Rego); its `object` and `oldObject` become CEL's variables of those names. */
  request: JsonObject;
  /** The constraint, as `params`; `variables.params` is its `spec.parameters`. */
  constraint: JsonObject;
  /** The Namespace of a namespaced request, when known: `namespaceObject`. */
  namespaceObject?: JsonObject;
}

export interface CelVerdict {
  /** One message per failed validation, as Gatekeeper reports it. */
  messages: string[];
  /**
   * With `trackReads`: for each message (index for index), the paths of `request.object` that its expression read,
   * oldest first, with those of the variables it used.
   */
  reads?: Path[][];
  /** Comprehension steps used, out of the budget. */
  steps: number;
}

/** Kubernetes' `MaxEvaluatedMessageExpressionSizeBytes`: a longer messageExpression result is not used. */
const MAX_MESSAGE_BYTES = 5 * 1024;

/**
 * Evaluates a template as Gatekeeper's CEL driver (Kubernetes' ValidatingAdmissionPolicy validator) does: the match
 * conditions first (one false one means no violation), then each validation; a validation that is not true is a
 * violation whose message is the messageExpression's (a non-empty single line), else `message`, else
 * `failed expression: …`. An expression that fails to evaluate is a violation saying why, under failurePolicy Fail.
 * `variables.*` are evaluated lazily, at most once each. With `trackReads`, each message comes with what its
 * (failing) expression read of the reviewed object; without, the object is converted as before, with nothing recorded.
 */
export function evaluateCelTemplate(template: CompiledCelTemplate, input: CelReviewInput, stepBudget = DEFAULT_CEL_STEP_BUDGET, trackReads = false): CelVerdict {
  template.meter.start(stepBudget);
  const recorder = trackReads ? new ReadRecorder() : undefined;
  const bindings = bindingsFor(template, input, recorder);
  const messages: string[] = [];
  const readsOfMessages: Path[][] = [];
  const verdict = (): CelVerdict => ({ messages, ...(recorder ? { reads: readsOfMessages } : {}), steps: template.meter.used });
  const report = (message: string, reads: Path[]) => {
    messages.push(message);
    readsOfMessages.push(reads);
  };
  const evaluate = (expression: CompiledExpression) => (recorder ? recorder.collect(() => run(template, expression, bindings)) : { result: run(template, expression, bindings), reads: [] });
  const failed = (expression: CompiledExpression, { result, reads }: { result: CelResult; reads: Path[] }) => {
    if (template.failurePolicy === 'Fail') report(`expression '${expression.source.trim()}' resulted in error: ${describeError(result)}`, reads);
  };

  const conditionResults = template.matchConditions.map((condition) => ({ condition, evaluated: evaluate(condition.expression) }));
  if (conditionResults.some(({ evaluated }) => evaluated.result === false)) return verdict();
  const conditionError = conditionResults.find(({ evaluated }) => evaluated.result !== true);
  if (conditionError) {
    failed(conditionError.condition.expression, conditionError.evaluated);
    return verdict();
  }

  for (const validation of template.validations) {
    const evaluated = evaluate(validation.expression);
    const { result } = evaluated;
    if (result === true) continue;
    if (isCelError(result) || typeof result !== 'boolean') {
      failed(validation.expression, evaluated);
      continue;
    }
    const fromExpression = validation.messageExpression ? run(template, validation.messageExpression, bindings) : undefined;
    const expressed = typeof fromExpression === 'string' ? fromExpression.trim() : '';
    const usable = expressed !== '' && !expressed.includes('\n') && Buffer.byteLength(expressed) <= MAX_MESSAGE_BYTES;
    report(usable ? expressed : validation.message?.trim() || `failed expression: ${validation.expression.source.trim()}`, evaluated.reads);
  }
  return verdict();
}

/** Runs one expression; once the step budget is spent its result is that error, whatever CEL made of it. */
function run(template: CompiledCelTemplate, expression: CompiledExpression, bindings: Record<string, CelInput>): CelResult {
  const result = expression.evaluate(bindings);
  return template.meter.exhausted ? celError(BUDGET_EXHAUSTED) : result;
}

function describeError(result: CelResult): string {
  if (isCelError(result)) return result.message;
  return `expected a bool, got ${typeof result}`;
}

/**
 * CEL's top-level names: `object` (null on DELETE, as the driver clears it), `oldObject`, `request` (without the
 * objects), `params`, `namespaceObject` and the `variables`. A `variables.<name>` is resolved through its qualified
 * name, which CEL looks up before selecting a field of `variables`, so each is computed only when read.
 * With a `recorder`, the reviewed object is recorded as read wherever it is bound (`object`, and `oldObject` and
 * `variables.anyObject` when they are the same object).
 */
function bindingsFor(template: CompiledCelTemplate, input: CelReviewInput, recorder: ReadRecorder | undefined): Record<string, CelInput> {
  const { object, oldObject, ...request } = input.request;
  const celInputOfBinding = (value: JsonValue) => (recorder && value !== null && value === object ? recordingCelInputOf(value, [], recorder.record) : celInputOf(value));
  const isDelete = request.operation === 'DELETE';
  const objectValue = isDelete || object === undefined ? null : object;
  const oldObjectValue = oldObject ?? null;
  const spec = input.constraint.spec;
  const parameters = typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? spec.parameters : undefined;
  const bindings: Record<string, CelInput> = Object.create(null);
  Object.assign(bindings, {
    object: celInputOfBinding(objectValue),
    oldObject: celInputOfBinding(oldObjectValue),
    request: celInputOf(request),
    params: celInputOf(input.constraint),
    namespaceObject: celInputOf(input.namespaceObject ?? null),
  });
  const variables = new LazyVariables(bindings, recorder);
  variables.define('anyObject', () => celInputOfBinding(isDelete && objectValue === null ? oldObjectValue : objectValue));
  variables.define('params', () => celInputOf(parameters ?? null));
  for (const variable of template.variables) variables.define(variable.name, () => run(template, variable.expression, bindings) as CelInput);
  bindings.variables = celMap(variables);
  return bindings;
}

/**
 * `variables`, whose entries are computed on first read and kept. Each is also bound under its qualified name
 * `variables.<name>`, which CEL resolves before selecting a field of `variables`, so that an entry that fails
 * carries its error (a map entry cannot); `has(variables.x)` asks the map, without computing the entry.
 * With a `recorder`, every read of an entry counts what its computation read of the reviewed object as read.
 */
class LazyVariables implements ReadonlyMap<string, CelInput> {
  private readonly computed = new Map<string, { result: CelInput; reads: readonly Path[] }>();
  private readonly computations = new Map<string, () => CelInput>();

  constructor(
    private readonly bindings: Record<string, CelInput>,
    private readonly recorder: ReadRecorder | undefined,
  ) {}

  define(name: string, compute: () => CelInput): void {
    this.computations.set(name, compute);
    Object.defineProperty(this.bindings, `variables.${name}`, { enumerable: true, get: () => this.get(name) });
  }

  get(name: string): CelInput | undefined {
    let computed = this.computed.get(name);
    if (!computed) {
      const compute = this.computations.get(name);
      if (!compute) return undefined;
      computed = this.recorder ? this.recorder.collect(compute) : { result: compute(), reads: [] };
      this.computed.set(name, computed);
    }
    this.recorder?.replay(computed.reads);
    return computed.result;
  }

  has(name: string): boolean {
    return this.computations.has(name);
  }

  get size(): number {
    return this.computations.size;
  }

  *keys(): MapIterator<string> {
    yield* this.computations.keys();
  }

  *values(): MapIterator<CelInput> {
    for (const name of this.computations.keys()) yield this.get(name) as CelInput;
  }

  *entries(): MapIterator<[string, CelInput]> {
    for (const name of this.computations.keys()) yield [name, this.get(name) as CelInput];
  }

  [Symbol.iterator](): MapIterator<[string, CelInput]> {
    return this.entries();
  }

  forEach(callback: (value: CelInput, key: string, map: ReadonlyMap<string, CelInput>) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }
}
