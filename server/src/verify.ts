import { dirname, join, relative } from 'node:path';
import { readConstraint, reviewWithConstraint, type Violation } from './gatekeeper/evaluate';
import { MatchError } from './gatekeeper/match';
import { isAdmissionReview, reviewOfAdmissionReview, reviewOfObject, ReviewError } from './gatekeeper/review';
import { findSuites, readObjects, readSuite, SuiteError, type Assertion, type Suite, type SuiteCase, type SuiteTest } from './gatekeeper/suite';
import { compileConstraintTemplate, readConstraintTemplate, TemplateError, type CompiledTemplate } from './gatekeeper/template';
import { BuiltinError, RegoError } from './rego/errors';
import { compileGoRegex } from './rego/goRegex';

/** `aks-policy verify`: Gatekeeper test suites in `gator verify` format, run with the TypeScript Rego evaluator. */
export const VERIFY_USAGE = `usage: aks-policy verify <suite.yaml or folder>...

Runs Gatekeeper test suites (kind: Suite, as for gator verify): each case reviews an object, or an AdmissionReview,
against a constraint of a ConstraintTemplate and checks the violations and their messages. Folders are searched
for suite files. Templates with only CEL (K8sNativeValidation) code are skipped; with Rego and CEL, Rego is used.
exit codes: 0 every case passed, 1 at least one failed, 2 bad usage or no suite found.`;

type Outcome = { status: 'pass' } | { status: 'fail'; reason: string } | { status: 'skip'; reason: string };

/** Why a test cannot run at all: every one of its cases fails (or is skipped) with this. */
type Preparation = { template: CompiledTemplate; constraintPath: string } | Exclude<Outcome, { status: 'pass' }>;

/** Errors that are the suite's or the policy's fault, reported on the case rather than crashing the run. */
function isReportable(error: unknown): error is Error {
  return error instanceof RegoError || error instanceof SuiteError || error instanceof TemplateError || error instanceof ReviewError || error instanceof MatchError || error instanceof BuiltinError;
}

function describeError(error: unknown): string {
  if (isReportable(error)) return error.message;
  if (error instanceof Error && 'code' in error && (error as NodeJS.ErrnoException).code === 'ENOENT') return `cannot read ${(error as NodeJS.ErrnoException).path}`;
  throw error;
}

class SuiteRunner {
  private readonly templates = new Map<string, CompiledTemplate | Preparation>();
  passed = 0;
  failed = 0;

  constructor(private readonly write: (line: string) => void) {}

  runSuite(suite: Suite): void {
    const label = relative(process.cwd(), suite.path) || suite.path;
    const suiteDir = dirname(suite.path);
    for (const test of suite.tests) {
      const preparation: Preparation = suite.skip || test.skip ? { status: 'skip', reason: 'skipped by the suite' } : this.prepare(suiteDir, test);
      for (const testCase of test.cases) {
        const outcome: Outcome =
          'template' in preparation ? (testCase.skip ? { status: 'skip', reason: 'skipped by the suite' } : this.runCase(suiteDir, preparation, testCase)) : preparation;
        this.report(`${label}  ${test.name}/${testCase.name}`, outcome);
      }
    }
  }

  private report(name: string, outcome: Outcome): void {
    if (outcome.status === 'pass') {
      this.passed++;
      this.write(`PASS  ${name}`);
    } else if (outcome.status === 'fail') {
      this.failed++;
      this.write(`FAIL  ${name}: ${outcome.reason}`);
    } else this.write(`SKIP  ${name}: ${outcome.reason}`);
  }

  private prepare(suiteDir: string, test: SuiteTest): Preparation {
    if (!test.template) return { status: 'fail', reason: 'the test names no template' };
    if (!test.constraint) return { status: 'fail', reason: 'the test names no constraint' };
    if (test.invalid) return { status: 'skip', reason: 'constraint schema validation (invalid: true) is not implemented' };
    const template = this.template(join(suiteDir, test.template));
    if (!('program' in template)) return template;
    return { template, constraintPath: join(suiteDir, test.constraint) };
  }

  private template(path: string): CompiledTemplate | Preparation {
    const cached = this.templates.get(path);
    if (cached) return cached;
    let result: CompiledTemplate | Preparation;
    try {
      const objects = readObjects(path);
      if (objects.length !== 1) throw new SuiteError(`${path} defines ${objects.length} objects, not one ConstraintTemplate`);
      const source = readConstraintTemplate(objects[0]);
      result = source.rego
        ? compileConstraintTemplate(source, path)
        : { status: 'skip', reason: `${source.name} has only CEL (K8sNativeValidation) code, which is not supported yet` };
    } catch (error) {
      result = { status: 'fail', reason: `template: ${describeError(error)}` };
    }
    this.templates.set(path, result);
    return result;
  }

  private runCase(suiteDir: string, { template, constraintPath }: { template: CompiledTemplate; constraintPath: string }, testCase: SuiteCase): Outcome {
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
      const verdict = reviewWithConstraint(template, constraint, review, inventory);
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
  const unknownOption = args.find((arg) => arg.startsWith('-'));
  const usageError = unknownOption ? `unknown option ${unknownOption}` : args.length === 0 ? 'no suite files or folders to verify' : undefined;
  if (usageError) {
    writeError(`aks-policy: ${usageError}\n\n${VERIFY_USAGE}`);
    return 2;
  }
  const runner = new SuiteRunner(write);
  try {
    const paths = args.flatMap(findSuites);
    if (paths.length === 0) {
      writeError(`aks-policy: no suite (kind: Suite) found in ${args.join(', ')}`);
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
      runner.runSuite(suite);
    }
  } catch (error) {
    writeError(`aks-policy: ${describeError(error)}`);
    return 2;
  }
  write(`${runner.passed} passed, ${runner.failed} failed`);
  return runner.failed > 0 ? 1 : 0;
}
