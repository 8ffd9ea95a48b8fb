/**
 * "Test This Template": the gator suites (kind Suite) that test a ConstraintTemplate file, found beside it or in a
 * folder above it (up to the workspace folder), and run with `aks-policy verify`'s runner.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { findNodeAtLocation, parse as parseJsonc, parseTree } from 'jsonc-parser';
import { readSuite, SuiteError, type Suite } from '../gatekeeper/suite';
import { isObject, type JsonValue } from '../json';
import { SuiteRunner, type CaseResult } from '../verify';
import type { TemplateEngine } from '../gatekeeper/engines';
import type { TestTemplateResult } from '../protocol';
import { rangeOf } from './problems';

const TEMPLATE_KIND = /^kind:[ \t]*["']?ConstraintTemplate["']?[ \t]*$/m;
const SUITE_KIND = /^kind:[ \t]*["']?Suite["']?[ \t]*$/m;
const NETWORK_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A file whose template can be tested: the template's path, and the line for the code lens. */
export interface TestableTemplate {
  templatePath: string;
  line: number;
}

/**
 * The template a file stands for: a ConstraintTemplate YAML is its own, a custom definition JSON names one with
 * `templateInfo.url` (a path relative to it, inside `folder`). Undefined for any other file.
 */
export function testableTemplateOf(path: string, text: string, folder: string): TestableTemplate | undefined {
  if (/\.ya?ml$/i.test(path)) {
    const kind = TEMPLATE_KIND.exec(text);
    return kind ? { templatePath: resolve(path), line: rangeOf(text, kind.index).start.line } : undefined;
  }
  if (!/\.json$/i.test(path)) return undefined;
  const json = parseJsonc(text) as JsonValue;
  if (!isObject(json)) return undefined;
  const base = isObject(json.properties) ? ['properties'] : [];
  const urlPath = [...base, 'policyRule', 'then', 'details', 'templateInfo', 'url'];
  const root = parseTree(text);
  const url = root ? findNodeAtLocation(root, urlPath) : undefined;
  if (!url || typeof url.value !== 'string' || NETWORK_URL.test(url.value)) return undefined;
  const templatePath = resolve(dirname(path), url.value);
  const inside = relative(resolve(folder), templatePath);
  if (inside.startsWith('..') || isAbsolute(inside)) return undefined;
  return { templatePath, line: rangeOf(text, url.offset).start.line };
}

/** The suites with a test of `templatePath`, in its folder and each folder above it up to `folder`, nearest first. */
export function suitesOfTemplate(templatePath: string, folder: string): Suite[] {
  const suites: Suite[] = [];
  const top = resolve(folder);
  for (let dir = dirname(resolve(templatePath)); ; dir = dirname(dir)) {
    const inside = relative(top, dir);
    if (inside.startsWith('..') || isAbsolute(inside)) break;
    for (const path of suiteFilesIn(dir)) {
      const suite = readSuiteOrNothing(path);
      if (suite?.tests.some((test) => test.template !== '' && resolve(dirname(path), test.template) === resolve(templatePath))) suites.push(suite);
    }
    if (dir === top || dirname(dir) === dir) break;
  }
  return suites;
}

function suiteFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /\.ya?ml$/i.test(name)).sort();
  } catch {
    return [];
  }
  return names.map((name) => join(dir, name)).filter((path) => {
    try {
      return SUITE_KIND.test(readFileSync(path, 'utf8'));
    } catch {
      return false;
    }
  });
}

function readSuiteOrNothing(path: string): Suite | undefined {
  try {
    return readSuite(path);
  } catch (error) {
    // A suite file that does not parse tests nothing; `aks-policy verify` reports it.
    if (error instanceof SuiteError || (error instanceof Error && error.name === 'YAMLParseError')) return undefined;
    throw error;
  }
}

export interface TemplateTestRun {
  suites: string[];
  cases: CaseResult[];
}

/** Runs the tests of `templatePath` of every suite that has some. */
export function testTemplate(templatePath: string, folder: string, engine: TemplateEngine): TemplateTestRun {
  const suites = suitesOfTemplate(templatePath, folder);
  const runner = new SuiteRunner(engine);
  return { suites: suites.map((suite) => suite.path), cases: suites.flatMap((suite) => runner.runSuite(suite, templatePath)) };
}

/** A failed case where it stands in its suite file. */
export interface FailedCase {
  line: number;
  message: string;
}

/**
 * A run as the client shows it: every case with its suite's URI, the counts, and per suite URI the failed cases
 * that have a line (every suite run is listed, so that a suite that passes now is cleared).
 */
export function reportOf(run: TemplateTestRun, templatePath: string, uriOf: (path: string) => string): { result: TestTemplateResult; failures: Map<string, FailedCase[]> } {
  const suites = run.suites.map(uriOf);
  const result: TestTemplateResult = { template: uriOf(templatePath), suites, cases: [], passed: 0, failed: 0, skipped: 0 };
  if (suites.length === 0) result.problem = 'no gator suite (kind: Suite) beside the template or in a folder above it names it';
  const failures = new Map<string, FailedCase[]>(suites.map((suite) => [suite, []]));
  for (const { suitePath, test, name, line, outcome } of run.cases) {
    const suite = uriOf(suitePath);
    if (outcome.status === 'pass') result.passed++;
    else if (outcome.status === 'fail') result.failed++;
    else result.skipped++;
    result.cases.push({ suite, test, name, status: outcome.status, ...(outcome.status === 'pass' ? {} : { reason: outcome.reason }), ...(line === undefined ? {} : { line }) });
    if (outcome.status === 'fail' && line !== undefined) failures.get(suite)?.push({ line, message: `${test}/${name} failed: ${outcome.reason}` });
  }
  return { result, failures };
}
