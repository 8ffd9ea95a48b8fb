import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, parseDocument } from 'yaml';
import { isObject, type JsonObject, type JsonValue } from '../json';
import { lineOf, lineStartsOf } from '../model/lines';
import { parseYamlDocument } from '../model/parse';
import { splitDocuments } from '../model/split';

/** A Gatekeeper test suite in `gator verify` format (test.gatekeeper.sh/v1alpha1, kind Suite). */
export interface Suite {
  path: string;
  skip: boolean;
  tests: SuiteTest[];
}

export interface SuiteTest {
  name: string;
  /** Paths relative to the suite's folder. */
  template: string;
  constraint: string;
  skip: boolean;
  /** The constraint is expected to fail its template's parameter schema. */
  invalid: boolean;
  cases: SuiteCase[];
}

export interface SuiteCase {
  name: string;
  /** 0-based line of the case in the suite file, where a failure is shown. */
  line?: number;
  object: string;
  inventory: string[];
  assertions: Assertion[];
  skip: boolean;
}

/** `violations` is a count, "yes" (at least one) or "no" (none); `message` a regex the counted messages match. */
export interface Assertion {
  violations: number | 'yes' | 'no';
  message?: string;
}

export class SuiteError extends Error {}

function text(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** gator's intstr: a YAML boolean reads as yes or no, since `violations: yes` is what suites write. */
function violationsOf(value: JsonValue | undefined, where: string): Assertion['violations'] {
  if (value === undefined || value === null) return 'yes';
  if (value === true || value === 'yes') return 'yes';
  if (value === false || value === 'no') return 'no';
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw new SuiteError(`${where}: assertion.violations must be a nonnegative integer, "yes", or "no"`);
}

export function readSuite(path: string): Suite {
  const source = readFileSync(path, 'utf8');
  const parsed = parseDocument(source);
  const document = parsed.toJS() as JsonValue;
  if (!isObject(document) || document.kind !== 'Suite') throw new SuiteError(`${path} is not a Suite`);
  const lineStarts = lineStartsOf(source);
  /** The line where the node at `path` starts, when it is there. */
  const lineAt = (nodePath: (string | number)[]): number | undefined => {
    const node = parsed.getIn(nodePath, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineOf(lineStarts, node.range[0]) : undefined;
  };
  const tests = Array.isArray(document.tests) ? document.tests.map((test, index) => ({ test, index })).filter((entry): entry is { test: JsonObject; index: number } => isObject(entry.test)) : [];
  return {
    path,
    skip: document.skip === true,
    tests: tests.map(({ test, index: testIndex }) => {
      const name = text(test.name) || `test ${testIndex + 1}`;
      const cases = Array.isArray(test.cases) ? test.cases.map((entry, index) => ({ entry, index })).filter((item): item is { entry: JsonObject; index: number } => isObject(item.entry)) : [];
      return {
        name,
        template: text(test.template),
        constraint: text(test.constraint),
        skip: test.skip === true,
        invalid: test.invalid === true,
        cases: cases.map(({ entry, index: caseIndex }) => {
          const caseName = text(entry.name) || `case ${caseIndex + 1}`;
          const assertions = Array.isArray(entry.assertions) ? entry.assertions.filter(isObject) : [];
          const line = lineAt(['tests', testIndex, 'cases', caseIndex]);
          return {
            name: caseName,
            ...(line === undefined ? {} : { line }),
            object: text(entry.object),
            inventory: Array.isArray(entry.inventory) ? entry.inventory.filter((item): item is string => typeof item === 'string') : [],
            skip: entry.skip === true,
            assertions: assertions.map((assertion) => ({
              violations: violationsOf(assertion.violations, `${name}/${caseName}`),
              message: typeof assertion.message === 'string' ? assertion.message : undefined,
            })),
          };
        }),
      };
    }),
  };
}

/** A suite file, or every suite under a folder (YAML files of kind Suite), in name order. */
export function findSuites(target: string): string[] {
  if (!existsSync(target)) throw new SuiteError(`${target}: no such file or folder`);
  if (!statSync(target).isDirectory()) return [target];
  const suites: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules' && !name.startsWith('.')) walk(path);
      } else if (/\.ya?ml$/i.test(name) && /^kind:\s*["']?Suite["']?\s*$/m.test(readFileSync(path, 'utf8'))) suites.push(path);
    }
  };
  walk(target);
  return suites;
}

/** The Kubernetes objects of a YAML file, read as the API server (and gator) read YAML. */
export function readObjects(path: string): JsonObject[] {
  const objects: JsonObject[] = [];
  for (const chunk of splitDocuments(readFileSync(path, 'utf8'))) {
    const parsed = parseYamlDocument(chunk.text);
    if (parsed.status === 'empty') continue;
    if (parsed.status === 'syntax-error' || parsed.status === 'too-complex') throw new SuiteError(`${path}: ${parsed.reason ?? 'cannot be read'}`);
    // The editor's parser leaves Helm-like `{{` text alone; here it is data (Rego may contain it).
    const value = parsed.status === 'template' ? (parseYaml(chunk.text, { version: '1.1' }) as JsonValue) : parsed.value;
    if (value === null || value === undefined) continue;
    if (!isObject(value)) throw new SuiteError(`${path}: a document is not an object`);
    objects.push(value);
  }
  return objects;
}
