import { dirname, join, relative, resolve } from 'node:path';
import { compileGatekeeperTemplate, engineFor, reviewWithTemplate, TEMPLATE_ENGINES, type GatekeeperTemplate, type TemplateEngine } from './gatekeeper/engines';
import { readConstraint, type Violation } from './gatekeeper/evaluate';
import { MatchError } from './gatekeeper/match';
import { isAdmissionReview, reviewOfAdmissionReview, reviewOfObject, ReviewError } from './gatekeeper/review';
import { findSuites, readObjects, readSuite, SuiteError, type Assertion, type Suite, type SuiteCase, type SuiteTest } from './gatekeeper/suite';
import { readConstraintTemplate, TemplateError } from './gatekeeper/template';
import { BuiltinError, RegoError } from './rego/errors';
import { compileGoRegex } from './rego/goRegex';

/** `aks-policy verify`: Gatekeeper test suites in `gator verify` format, run with the TypeScript Rego and CEL evaluators. */
export const VERIFY_USAGE = `usage: aks-policy verify [--engine auto|rego|cel] <suite.yaml or folder>...

Runs Gatekeeper test suites (kind: Suite, as for gator verify): each case reviews an object, or an AdmissionReview,
against a constraint of a ConstraintTemplate and checks the violations and their messages. Folders are searched
for suite files.
  --engine auto   as Gatekeeper and gator: a template's CEL (K8sNativeValidation) code when it has some, else its Rego (default)
  --engine rego   only Rego code; CEL-only templates are skipped
  --engine cel    only CEL code; Rego-only templates are skipped
exit codes: 0 every case passed, 1 at least one failed, 2 bad usage or no suite found.`;

export type Outcome = { status: 'pass' } | { status: 'fail'; reason: string } | { status: 'skip'; reason: string };

/** One case of a suite and how it went; `line` is the 0-based line of the case in the suite file. */
export interface CaseResult {
  suitePath: string;
  test: string;
  name: string;
  line?: number;
  outcome: Outcome;
}

/** Why a test cannot run at all: every one of its cases fails (or is skipped) with this. */
type Unrunnable = Exclude<Outcome, { status: 'pass' }>;
type Preparation = { template: GatekeeperTemplate; constraintPath: string } | Unrunnable;

/** Errors that are the suite's or the policy's fault, reported on the case rather than crashing the run. */
function isReportable(error: unknown): error is Error {
  return error instanceof RegoError || error instanceof SuiteError || error instanceof TemplateError || error instanceof ReviewError || error instanceof MatchError || error instanceof BuiltinError;
}

function describeError(error: unknown): string {
  if (isReportable(error)) return error.message;
  if (error instanceof Error && 'code' in error && (error as NodeJS.ErrnoException).code === 'ENOENT') return `cannot read ${(error as NodeJS.ErrnoException).path}`;
  throw error;
}

/** Runs suites case by case; compiled templates are kept across suites. */
export class SuiteRunner {
  private readonly templates = new Map<string, GatekeeperTemplate | Unrunnable>();

  constructor(private readonly engine: TemplateEngine) {}

  /** The suite's cases and their outcomes; with `templatePath`, only the tests of that template file. */
  runSuite(suite: Suite, templatePath?: string): CaseResult[] {
    const suiteDir = dirname(suite.path);
    const results: CaseResult[] = [];
    for (const test of suite.tests) {
      if (templatePath !== undefined && resolve(suiteDir, test.template) !== resolve(templatePath)) continue;
      const preparation: Preparation = suite.skip || test.skip ? { status: 'skip', reason: 'skipped by the suite' } : this.prepare(suiteDir, test);
      for (const testCase of test.cases) {
        const outcome: Outcome =
          'template' in preparation ? (testCase.skip ? { status: 'skip', reason: 'skipped by the suite' } : this.runCase(suiteDir, preparation, testCase)) : preparation;
        results.push({ suitePath: suite.path, test: test.name, name: testCase.name, ...(testCase.line === undefined ? {} : { line: testCase.line }), outcome });
      }
    }
    return results;
  }

  private prepare(suiteDir: string, test: SuiteTest): Preparation {
    if (!test.template) return { status: 'fail', reason: 'the test names no template' };
    if (!test.constraint) return { status: 'fail', reason: 'the test names no constraint' };
    if (test.invalid) return { status: 'skip', reason: 'constraint schema validation (invalid: true) is not implemented' };
    const template = this.template(join(suiteDir, test.template));
    if ('status' in template) return template;
    return { template, constraintPath: join(suiteDir, test.constraint) };
  }

  private template(path: string): GatekeeperTemplate | Unrunnable {
    const cached = this.templates.get(path);
    if (cached) return cached;
    let result: GatekeeperTemplate | Unrunnable;
    try {
      const objects = readObjects(path);
      if (objects.length !== 1) throw new SuiteError(`${path} defines ${objects.length} objects, not one ConstraintTemplate`);
      const source = readConstraintTemplate(objects[0]);
      const selected = engineFor(source, this.engine);
      result = 'missing' in selected ? { status: 'skip', reason: `${selected.missing} (--engine ${this.engine})` } : compileGatekeeperTemplate(source, path, this.engine);
    } catch (error) {
      result = { status: 'fail', reason: `template: ${describeError(error)}` };
    }
    this.templates.set(path, result);
    return result;
  }

  private runCase(suiteDir: string, { template, constraintPath }: { template: GatekeeperTemplate; constraintPath: string }, testCase: SuiteCase): Outcome {
    try {
      if (!testCase.object) return { status: 'fail', reason: 'the case names no object' };
      if (testCase.assertions.length === 0) return { status: 'fail', reason: 'assertions must be non-empty' };
      const constraintObjects = readObjects(constraintPath);
      if (constraintObjects.length !== 1) return { status: 'fail', reason: `${constraintPath} defines ${constraintObjects.length} objects, not one constraint` };
      const constraint = readConstraint(constraintObjects[0]);
      if (constraint.kind !== template.kind) return { status: 'fail', reason: `the constraint's kind ${constraint.kind} is not the template's ${template.kind}` };
      const objectPath = join(suiteDir, testCase.object);
      const objects = readObjects(objectPath);
      if (objects.length !== 1) return { status: 'fail', reason: `${testCase.object} defines ${objects.length} objects, not one` };
      const inventory = testCase.inventory.flatMap((path) => readObjects(join(suiteDir, path)));
      const review = isAdmissionReview(objects[0]) ? reviewOfAdmissionReview(objects[0]) : reviewOfObject(objects[0]);
      const verdict = reviewWithTemplate(template, constraint, review, inventory);
      const violations = verdict.matched ? verdict.violations : [];
      for (const assertion of testCase.assertions) {
        const problem = checkAssertion(assertion, violations);
        if (problem) return { status: 'fail', reason: problem };
      }
      return { status: 'pass' };
    } catch (error) {
      return { status: 'fail', reason: describeError(error) };
    }
  }
}

/** gator's assertion: how many violations (whose message matches, when a regex is given) there must be. */
function checkAssertion(assertion: Assertion, violations: readonly Violation[]): string | undefined {
  const pattern = assertion.message === undefined ? undefined : compileGoRegex(assertion.message);
  const matching = violations.filter((violation) => pattern === undefined || pattern.test(violation.msg)).length;
  const containing = assertion.message === undefined ? '' : ` containing ${JSON.stringify(assertion.message)}`;
  const messages = `; got messages ${JSON.stringify(violations.map((violation) => violation.msg))}`;
  const expected = assertion.violations;
  if (expected === 'yes' && matching === 0) return `got 0 violations${containing} but want at least 1${messages}`;
  if (expected === 'no' && matching > 0) return `got ${matching} violations${containing} but want none${messages}`;
  if (typeof expected === 'number' && matching !== expected) return `got ${matching} violations${containing} but want exactly ${expected}${messages}`;
  return undefined;
}

/** Runs the suites named by `args`; returns the exit code. Lines go to `write`, the summary last. */
export function runVerify(args: readonly string[], write: (line: string) => void, writeError: (line: string) => void): number {
  if (args.includes('-h') || args.includes('--help')) {
    write(VERIFY_USAGE);
    return 0;
  }
  const { engine, targets, usageError } = parseVerifyArgs(args);
  if (usageError) {
    writeError(`aks-policy: ${usageError}\n\n${VERIFY_USAGE}`);
    return 2;
  }
  const runner = new SuiteRunner(engine);
  let passed = 0;
  let failed = 0;
  try {
    const paths = targets.flatMap(findSuites);
    if (paths.length === 0) {
      writeError(`aks-policy: no suite (kind: Suite) found in ${targets.join(', ')}`);
      return 2;
    }
    for (const path of paths) {
      let suite: Suite;
      try {
        suite = readSuite(path);
      } catch (error) {
        writeError(`aks-policy: ${describeError(error)}`);
        return 2;
      }
      const label = relative(process.cwd(), suite.path) || suite.path;
      for (const { test, name, outcome } of runner.runSuite(suite)) {
        if (outcome.status === 'pass') passed++;
        if (outcome.status === 'fail') failed++;
        write(`${outcome.status.toUpperCase()}  ${label}  ${test}/${name}${outcome.status === 'pass' ? '' : `: ${outcome.reason}`}`);
      }
    }
  } catch (error) {
    writeError(`aks-policy: ${describeError(error)}`);
    return 2;
  }
  write(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

/** `--engine NAME` or `--engine=NAME` (default auto), and the suite files or folders. */
function parseVerifyArgs(args: readonly string[]): { engine: TemplateEngine; targets: string[]; usageError?: string } {
  let engine: TemplateEngine = 'auto';
  const targets: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--engine' || arg.startsWith('--engine=')) {
      const value = arg === '--engine' ? args[++index] : arg.slice('--engine='.length);
      const known = TEMPLATE_ENGINES.find((candidate) => candidate === value);
      if (!known) return { engine, targets, usageError: `--engine needs auto, rego or cel, got ${value === undefined ? 'nothing' : JSON.stringify(value)}` };
      engine = known;
    } else if (arg.startsWith('-')) return { engine, targets, usageError: `unknown option ${arg}` };
    else targets.push(arg);
  }
  return { engine, targets, usageError: targets.length === 0 ? 'no suite files or folders to verify' : undefined };
}
