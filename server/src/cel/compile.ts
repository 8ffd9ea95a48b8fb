import { celEnv, celFunc, CelScalar, isCelList, isCelMap, parse, plan, type CelInput, type CelResult, type CelValue } from '@bufbuild/cel';
import { create } from '@bufbuild/protobuf';
import { ExprSchema, type Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { KUBERNETES_FUNCTIONS } from './library';

/**
 * Kubernetes stops a CEL evaluation at a cost limit; here every comprehension (`all`, `exists`, `map`, `filter`, ...)
 * pays one step per element before it iterates, so nested loops over a large manifest end in an error, not a hang.
 */
export const DEFAULT_CEL_STEP_BUDGET = 1_000_000;

export const BUDGET_EXHAUSTED = 'evaluation stopped: the step budget (Kubernetes: the cost limit) is exhausted';

/** The budget of one evaluation, shared by the expressions of a template; reset by `start`. */
export class StepMeter {
  remaining = DEFAULT_CEL_STEP_BUDGET;
  exhausted = false;
  used = 0;

  start(budget: number): void {
    this.remaining = budget;
    this.exhausted = false;
    this.used = 0;
  }

  /** Charges the elements of a comprehension's range; an error (which CEL propagates) once the budget is spent. */
  charge(range: CelValue): CelValue {
    const steps = 1 + (isCelList(range) || isCelMap(range) ? range.size : 0);
    this.used += steps;
    this.remaining -= steps;
    if (this.remaining < 0) {
      this.exhausted = true;
      throw new Error(BUDGET_EXHAUSTED);
    }
    return range;
  }
}

/** Not a CEL identifier, so no expression can call it itself. */
const CHARGE_FUNCTION = '@charge';

export interface CompiledExpression {
  /** The expression as written in the template. */
  source: string;
  /** The names `variables.<name>` it reads. */
  variablesRead: ReadonlySet<string>;
  evaluate(bindings: Record<string, CelInput>): CelResult;
}

export class CelCompileError extends Error {}

/** The planned expressions of one template share an environment whose `@charge` bills `meter`. */
export function expressionCompiler(meter: StepMeter): (source: string, where: string) => CompiledExpression {
  const env = celEnv({
    funcs: [...KUBERNETES_FUNCTIONS, celFunc(CHARGE_FUNCTION, [CelScalar.DYN], CelScalar.DYN, (range) => meter.charge(range))],
  });
  return (source, where) => {
    let parsed;
    try {
      parsed = parse(source);
    } catch (error) {
      throw new CelCompileError(`${where} does not compile: ${firstLine(error)}`);
    }
    if (readsIdentifier(parsed.expr, 'authorizer')) throw new CelCompileError(`${where} does not compile: ${AUTHORIZER_UNAVAILABLE}`);
    const read = variablesRead(parsed.expr);
    chargeComprehensions(parsed.expr);
    try {
      const run = plan(env, parsed);
      return { source, variablesRead: read, evaluate: (bindings) => run(bindings) };
    } catch (error) {
      throw new CelCompileError(`${where} does not compile: ${firstLine(error)}`);
    }
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** Wraps the range of every comprehension in the expression in a call of `@charge`. */
function chargeComprehensions(expr: Expr): void {
  for (const child of children(expr)) chargeComprehensions(child);
  if (expr.exprKind.case === 'comprehensionExpr') {
    const comprehension = expr.exprKind.value;
    if (comprehension.iterRange) {
      comprehension.iterRange = create(ExprSchema, {
        id: comprehension.iterRange.id,
        exprKind: { case: 'callExpr', value: { function: CHARGE_FUNCTION, args: [comprehension.iterRange] } },
      });
    }
  }
}

function children(expr: Expr): Expr[] {
  const kind = expr.exprKind;
  const present = (candidates: (Expr | undefined)[]) => candidates.filter((candidate): candidate is Expr => candidate !== undefined);
  switch (kind.case) {
    case 'selectExpr':
      return present([kind.value.operand]);
    case 'callExpr':
      return present([kind.value.target, ...kind.value.args]);
    case 'listExpr':
      return kind.value.elements;
    case 'structExpr':
      return present(kind.value.entries.flatMap((entry) => [entry.keyKind.case === 'mapKey' ? entry.keyKind.value : undefined, entry.value]));
    case 'comprehensionExpr':
      return present([kind.value.iterRange, kind.value.accuInit, kind.value.loopCondition, kind.value.loopStep, kind.value.result]);
    default:
      return [];
  }
}

/** Kubernetes' authorizer library asks the API server whether a user may act; there is none to ask here. */
export const AUTHORIZER_UNAVAILABLE = 'the authorizer library needs a cluster (it asks the API server for permission checks) and is not available here';

function readsIdentifier(expr: Expr, name: string): boolean {
  if (expr.exprKind.case === 'identExpr' && expr.exprKind.value.name === name) return true;
  return children(expr).some((child) => readsIdentifier(child, name));
}

function variablesRead(root: Expr): Set<string> {
  const names = new Set<string>();
  const visit = (expr: Expr) => {
    if (expr.exprKind.case === 'selectExpr') {
      const operand = expr.exprKind.value.operand;
      if (operand?.exprKind.case === 'identExpr' && operand.exprKind.value.name === 'variables') names.add(expr.exprKind.value.field);
    }
    for (const child of children(expr)) visit(child);
  };
  visit(root);
  return names;
}
