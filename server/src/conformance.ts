import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { assignDefinition, loadCatalog, type PolicyDefinition } from './engine/catalog';
import type { ResolvedPolicy } from './engine/types';
import type { JsonValue } from './json';
import { FileAnalyzer } from './model/cache';
import { findPsaTestdata, runPsaConformance } from './psaConformance';

/**
 * Conformance against Microsoft's example pods: for every versioned template in an azure-policy
 * reference folder, each scenario's `good/` manifests must be allowed and its `violations/` denied,
 * with the scenario's `policy_parameters.json` assigned to the definition that uses the template.
 * A pod-security-admission corpus is judged by psaConformance.ts instead.
 * usage: node dist/conformance.js <reference folder containing templates/ | pod-security-admission corpus folder>
 */
const STORE = 'https://store.policy.core.windows.net/kubernetes';

interface TemplateRow {
  template: string;
  store: string;
  passed: number;
  failed: number;
  failures: string[];
  implemented: boolean;
}

function listDirs(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory()).sort() : [];
}

function listYaml(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => join(dir, name)) : [];
}

function readParameters(scenario: string): Record<string, JsonValue> {
  const file = join(scenario, 'policy_parameters.json');
  if (!existsSync(file)) return {};
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { value: JsonValue }>;
  return Object.fromEntries(Object.entries(raw).map(([name, entry]) => [name, entry.value]));
}

function countFindings(file: string, policy: ResolvedPolicy): number {
  const documents = new FileAnalyzer().analyze(readFileSync(file, 'utf8'), policy, { defaultNamespace: 'default', allowSuppressions: true });
  return documents.reduce((sum, document) => sum + document.verdict.findings.length, 0);
}

function checkTemplate(root: string, store: string, version: string, definition: PolicyDefinition): TemplateRow {
  const row: TemplateRow = { template: definition.template.name, store: `${store}/${version}`, passed: 0, failed: 0, failures: [], implemented: true };
  for (const scenarioName of listDirs(join(root, store, version, 'examples'))) {
    const scenario = join(root, store, version, 'examples', scenarioName);
    const { constraint, problems } = assignDefinition(definition, readParameters(scenario));
    for (const problem of problems) {
      row.failed++;
      row.failures.push(`${scenarioName}: parameters: ${problem}`);
    }
    const policy: ResolvedPolicy = {
      initiative: { id: 'conformance', displayName: 'conformance', version: '0' },
      effect: 'deny',
      constraints: [{ ...constraint, effect: 'deny' }],
      problems: [],
    };
    for (const [folder, expectDenied] of [['good', false], ['violations', true]] as const) {
      for (const file of listYaml(join(scenario, folder))) {
        const findings = countFindings(file, policy);
        if (findings > 0 === expectDenied) row.passed++;
        else {
          row.failed++;
          row.failures.push(`${relative(root, file)}: expected ${expectDenied ? 'denied' : 'allowed'}, got ${findings} finding(s)`);
        }
      }
    }
  }
  return row;
}

function main(args: string[]): number {
  const folder = args[0];
  if (!folder) {
    process.stderr.write('usage: conformance <azure-policy reference folder (containing templates/) | pod-security-admission corpus folder>\n');
    return 2;
  }
  const root = existsSync(join(folder, 'templates')) ? join(folder, 'templates') : folder;
  if (!existsSync(root)) {
    process.stderr.write(`conformance: ${folder}: no such folder\n`);
    return 2;
  }
  const catalog = loadCatalog();
  const psaTestdata = findPsaTestdata(folder);
  if (psaTestdata) return runPsaConformance(psaTestdata, catalog, basename(folder));
  const rows: TemplateRow[] = [];
  for (const store of listDirs(root)) {
    for (const version of listDirs(join(root, store))) {
      const url = `${STORE}/${store}/${version}/template.yaml`;
      const definition = catalog.definitions.find((candidate) => candidate.details.templateInfo.url.toLowerCase() === url.toLowerCase());
      if (definition) rows.push(checkTemplate(root, store, version, definition));
      else rows.push({ template: '—', store: `${store}/${version}`, passed: 0, failed: 0, failures: [], implemented: false });
    }
  }
  const implemented = rows.filter((row) => row.implemented);
  console.log(`Conformance with Microsoft's example pods in ${basename(folder)}`);
  console.log('');
  console.log('| template | store path | examples | agree |');
  console.log('|---|---|---|---|');
  for (const row of implemented) console.log(`| ${row.template} | ${row.store} | ${row.passed + row.failed} | ${row.failed === 0 ? '100%' : `${row.passed}/${row.passed + row.failed}`} |`);
  const missing = rows.filter((row) => !row.implemented).map((row) => row.store);
  if (missing.length > 0) console.log(`\nNot implemented yet (not counted): ${missing.join(', ')}`);
  for (const row of implemented) for (const failure of row.failures) console.log(`FAIL ${row.template}: ${failure}`);
  const passed = implemented.reduce((sum, row) => sum + row.passed, 0);
  const failed = implemented.reduce((sum, row) => sum + row.failed, 0);
  console.log('');
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
