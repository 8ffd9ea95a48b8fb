import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { resolvePolicy, type PolicyCatalog } from './engine/catalog';
import type { ResolvedPolicy } from './engine/types';
import { FileAnalyzer } from './model/cache';
import { DEFAULT_SETTINGS } from './settings';
import { pssChecks, type PssCheck, type PssLevel } from './templates/pss/index';

/**
 * Conformance with Pod Security Admission's own fixtures, `test/testdata/<level>/<version>/{pass,fail}/*.yaml` of
 * kubernetes/pod-security-admission: under the pss-<level> initiative, a `pass/` pod must give no finding and a
 * `fail/` pod a finding of the check its file name names (`fail/privileged0.yaml` → privileged). At the restricted
 * level a baseline check that a restricted check replaces is reported by that one, as PSA reports it
 * (`restricted/.../fail/hostpathvolumes0.yaml` → restrictedVolumes).
 */

/** The policy version the checks implement; fixtures of other versions are listed, not judged. */
export const PSA_POLICY_VERSION = 'v1.37';
const LEVELS: readonly PssLevel[] = ['baseline', 'restricted'];
/** `base.yaml`, `base_linux.yaml`, `base_windows.yaml`: the minimal valid pod, which every level allows. */
const MINIMAL_POD = 'base';

interface CheckRow {
  /** A PSA check id, or `base`. */
  fixtureCheck: string;
  level: PssLevel | '—';
  passFixtures: number;
  failFixtures: number;
  agreed: number;
  failures: string[];
}

/** The `test/testdata` folder of a pod-security-admission corpus: the folder itself, its `test/testdata`, or that of its `pod-security-admission/`. */
export function findPsaTestdata(folder: string): string | undefined {
  const candidates = [folder, join(folder, 'test', 'testdata'), join(folder, 'pod-security-admission', 'test', 'testdata')];
  return candidates.find((candidate) => LEVELS.some((level) => existsSync(join(candidate, level, PSA_POLICY_VERSION))));
}

/** What a fixture is named after: a check, the minimal pod, or nothing we know. */
type FixtureCheck = PssCheck | typeof MINIMAL_POD | undefined;

/** `capabilities_baseline3.yaml` → capabilities_baseline: PSA names fixtures after the lower-cased check id. */
function fixtureCheck(file: string): FixtureCheck {
  const stem = basename(file).replace(/\.ya?ml$/, '').replace(/\d+$/, '');
  if (stem === MINIMAL_POD || stem.startsWith(`${MINIMAL_POD}_`)) return MINIMAL_POD;
  return pssChecks.find((check) => check.checkId.toLowerCase() === stem);
}

/** The check PSA runs for `check` at `level`: the restricted check that replaces it there, if any. */
function reportingCheck(check: PssCheck, level: PssLevel): PssCheck {
  if (level === 'baseline') return check;
  return pssChecks.find((candidate) => candidate.level === 'restricted' && candidate.overrides.includes(check.checkId)) ?? check;
}

function yamlFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => join(dir, name)) : [];
}

function findingTemplates(file: string, policy: ResolvedPolicy): string[] {
  const documents = new FileAnalyzer().analyze(readFileSync(file, 'utf8'), policy, { defaultNamespace: 'default', allowSuppressions: true });
  return documents.flatMap((document) => document.verdict.findings.map((finding) => finding.template));
}

/** Why our verdict on a fixture differs from PSA's; undefined when they agree. `found` holds the templates of our findings. */
function disagreement(check: FixtureCheck, expectation: 'pass' | 'fail', level: PssLevel, policy: ResolvedPolicy, found: readonly string[]): string | undefined {
  const got = found.length > 0 ? [...new Set(found)].join(', ') : 'no finding';
  if (check === undefined) return 'no check has this name';
  if (expectation === 'pass') return found.length === 0 ? undefined : `expected allowed, got ${got}`;
  if (check === MINIMAL_POD) return 'the minimal pod cannot be a fail fixture';
  const expected = reportingCheck(check, level).name;
  if (!policy.constraints.some((constraint) => constraint.template.name === expected)) return `${expected} is not a member of pss-${level}`;
  return found.includes(expected) ? undefined : `expected ${expected}, got ${got}`;
}

/** Judges every fixture of `testdata`; prints a table per check, the disagreements and `N passed, N failed`. Returns the exit code. */
export function runPsaConformance(testdata: string, catalog: PolicyCatalog, label: string): number {
  const rows = new Map<string, CheckRow>();
  const rowFor = (name: string, level: CheckRow['level']): CheckRow => {
    const row = rows.get(name) ?? { fixtureCheck: name, level, passFixtures: 0, failFixtures: 0, agreed: 0, failures: [] };
    rows.set(name, row);
    return row;
  };
  for (const level of LEVELS) {
    const policy = resolvePolicy(catalog, { ...DEFAULT_SETTINGS, initiative: `pss-${level}`, effect: 'deny' });
    for (const expectation of ['pass', 'fail'] as const) {
      for (const file of yamlFiles(join(testdata, level, PSA_POLICY_VERSION, expectation))) {
        const where = relative(testdata, file);
        const check = fixtureCheck(file);
        const row = check === undefined ? rowFor(basename(file), '—') : check === MINIMAL_POD ? rowFor(MINIMAL_POD, '—') : rowFor(check.checkId, check.level);
        if (expectation === 'pass') row.passFixtures++;
        else row.failFixtures++;
        const why = disagreement(check, expectation, level, policy, findingTemplates(file, policy));
        if (why === undefined) row.agreed++;
        else row.failures.push(`${where}: ${why}`);
      }
    }
  }

  // The minimal pod first, then the checks in PSA's order; file names that name no check last.
  const order = (row: CheckRow): number => {
    if (row.fixtureCheck === MINIMAL_POD) return -1;
    const index = pssChecks.findIndex((check) => check.checkId === row.fixtureCheck);
    return index < 0 ? pssChecks.length : index;
  };
  const judged = [...rows.values()].sort((a, b) => order(a) - order(b));
  console.log(`Conformance with Pod Security Admission's fixtures in ${label} (policy version ${PSA_POLICY_VERSION})`);
  console.log('');
  console.log('| check | level | pass fixtures | fail fixtures | agree |');
  console.log('|---|---|---|---|---|');
  for (const row of judged) {
    const total = row.passFixtures + row.failFixtures;
    const name = row.fixtureCheck === MINIMAL_POD ? `${MINIMAL_POD} (minimal valid pod)` : row.fixtureCheck;
    console.log(`| ${name} | ${row.level} | ${row.passFixtures} | ${row.failFixtures} | ${row.agreed === total ? '100%' : `${row.agreed}/${total}`} |`);
  }
  const replaced = pssChecks.flatMap((check) => check.overrides.map((baseline) => `${baseline} → ${check.checkId}`));
  console.log(`\nAt the restricted level, fail fixtures of a replaced baseline check must be reported by its replacement, as PSA does: ${replaced.join(', ')}.`);
  const otherVersions = LEVELS.flatMap((level) =>
    existsSync(join(testdata, level)) ? readdirSync(join(testdata, level)).filter((version) => version !== PSA_POLICY_VERSION).map((version) => `${level}/${version}`) : [],
  );
  if (otherVersions.length > 0) console.log(`Other policy versions (not judged, not counted): ${otherVersions.join(', ')}`);
  for (const row of judged) for (const failure of row.failures) console.log(`FAIL ${row.fixtureCheck}: ${failure}`);
  const passed = judged.reduce((sum, row) => sum + row.agreed, 0);
  const failed = judged.reduce((sum, row) => sum + row.failures.length, 0);
  console.log('');
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}
