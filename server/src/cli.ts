import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { loadCatalog, resolvePolicy } from './engine/catalog';
import type { Finding, Notice } from './engine/evaluate';
import type { ResolvedPolicy } from './engine/types';
import { analyzeFiles } from './model/cache';
import { withAssignmentFile } from './assignment';
import { workspaceCatalog } from './custom/workspace';
import { lineStartsOf, positionOf } from './model/lines';
import { findYamlFiles } from './model/workspaceFiles';
import { evaluationOptions, normalizeSettings, parseEffect, type Settings } from './settings';
import { runVerify } from './verify';
import { version as toolVersion } from '../../package.json';

/** `aks-policy check`: the editor's engine and settings, from a terminal or CI. */
const USAGE = `usage: aks-policy check <files or folders... | -> [options]
       aks-policy verify <suite.yaml or folder>...   Gatekeeper test suites (aks-policy verify --help)

Checks Kubernetes manifests against an Azure Policy for AKS initiative, as the cluster would.

options:
  --initiative NAME                         initiative to evaluate: baseline, restricted, cis, safeguards,
                                            pss-baseline, pss-restricted, a GUID, or the name of a custom
                                            initiative of the checked folder (default: settings, else baseline)
  --effect audit|deny|disabled              effect of the initiative (default: settings, else audit)
  --format text|json|sarif                  output format (default: text)
  --settings FILE                           read aksPolicy.* from this VS Code settings.json
                                            (default: the nearest .vscode/settings.json)
  --assignment FILE                         judge as this Azure assignment does (az policy assignment
                                            show -o json, or its parameters JSON)
  -h, --help                                show this help

'-' reads a stream of manifests from stdin (e.g. helm template . | aks-policy check -).
exit codes: 0 no violation with effect deny, 1 at least one, 2 bad usage or unreadable input.`;

class UsageError extends Error {}

interface Options {
  targets: string[];
  initiative?: string;
  effect?: string;
  format: 'text' | 'json' | 'sarif';
  settingsFile?: string;
  assignment?: string;
}

interface FileResult {
  path: string;
  text: string;
  findings: { finding: Finding; start: number }[];
  notices: { notice: Notice; start: number }[];
}

function parseArguments(args: string[]): Options | 'help' {
  const [command, ...rest] = args;
  if (command === '-h' || command === '--help' || command === 'help') return 'help';
  if (command !== 'check') throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  const options: Options = { targets: [], format: 'text' };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => {
      const next = rest[++i];
      if (next === undefined || (next.startsWith('--') && next !== '-')) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '-h' || arg === '--help') return 'help';
    else if (arg === '--initiative') options.initiative = value();
    else if (arg === '--effect') options.effect = value();
    else if (arg === '--settings') options.settingsFile = value();
    else if (arg === '--assignment') options.assignment = value();
    else if (arg === '--format') {
      const format = value();
      if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
      options.format = format;
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else options.targets.push(arg);
  }
  if (options.targets.length === 0) throw new UsageError('no files or folders to check');
  if (options.effect && !/^(audit|deny|disabled)$/i.test(options.effect)) throw new UsageError(`--effect must be audit, deny or disabled, not "${options.effect}"`);
  return options;
}

/** VS Code settings.json (JSONC, dotted keys) → the aksPolicy section. */
function readSettingsFile(path: string): Record<string, unknown> {
  const errors: ParseError[] = [];
  const content = parseJsonc(readFileSync(path, 'utf8'), errors, { allowTrailingComma: true }) as unknown;
  if (errors.length > 0 || typeof content !== 'object' || content === null) throw new UsageError(`${path} is not valid JSON with comments`);
  const section: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(content)) {
    if (key === 'aksPolicy' && typeof value === 'object' && value !== null) Object.assign(section, value);
    else if (key.startsWith('aksPolicy.')) section[key.slice('aksPolicy.'.length)] = value;
  }
  return section;
}

/** The folder a settings file configures: the parent of `.vscode/`, or the file's own folder. */
function workspaceRootOf(settingsPath: string): string {
  const folder = dirname(resolve(settingsPath));
  return basename(folder) === '.vscode' ? dirname(folder) : folder;
}

function findSettingsFile(target: string): string | undefined {
  let dir = resolve(target);
  if (existsSync(dir) && !statSync(dir).isDirectory()) dir = dirname(dir);
  for (;;) {
    const candidate = join(dir, '.vscode', 'settings.json');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isDirectory(target: string): boolean {
  return existsSync(target) && statSync(target).isDirectory();
}

function collectFiles(target: string, exclude: readonly string[]): string[] {
  if (!existsSync(target)) throw new UsageError(`${target}: no such file or folder`);
  return statSync(target).isDirectory() ? findYamlFiles(target, exclude) : [target];
}

/** Checks the files as one apply: templates that compare objects (e.g. unique Service selectors) see every file. */
function checkFiles(files: readonly { path: string; text: string }[], policy: ResolvedPolicy, settings: Settings): FileResult[] {
  const options = evaluationOptions(settings);
  const analyzed = analyzeFiles(files.map((file) => file.text), policy, options);
  return files.map(({ path, text }, index) => {
    const documents = analyzed[index] ?? [];
    return {
      path,
      text,
      findings: documents.flatMap((document) => document.verdict.findings.map((finding) => ({ finding, start: document.start }))),
      notices: documents.flatMap((document) => document.verdict.notices.map((notice) => ({ notice, start: document.start }))),
    };
  });
}

/** A finding or notice with 1-based line and column (UTF-16), as editors, SARIF and humans count them. */
interface Placed<T> {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  item: T;
}

function place<T extends { start: number; end: number }>(result: FileResult, lineStarts: readonly number[], base: number, item: T): Placed<T> {
  const from = positionOf(lineStarts, base + item.start);
  const to = positionOf(lineStarts, base + item.end);
  return { path: result.path, line: from.line + 1, column: from.character + 1, endLine: to.line + 1, endColumn: to.character + 1, item };
}

function placeAll(results: FileResult[]): { findings: Placed<Finding>[]; notices: Placed<Notice>[] } {
  const findings: Placed<Finding>[] = [];
  const notices: Placed<Notice>[] = [];
  for (const result of results) {
    const lineStarts = lineStartsOf(result.text);
    for (const { finding, start } of result.findings) findings.push(place(result, lineStarts, start, finding));
    for (const { notice, start } of result.notices) notices.push(place(result, lineStarts, start, notice));
  }
  return { findings, notices };
}

const severityOf = (finding: Finding) => (finding.effect === 'deny' ? 'error' : 'warning');

function renderText(results: FileResult[], policy: ResolvedPolicy): string {
  const { findings, notices } = placeAll(results);
  const lines = [
    ...findings.map((f) => `${f.path}:${f.line}:${f.column}  ${severityOf(f.item)}  ${f.item.template}  ${f.item.message}`),
    ...notices.map((n) => `${n.path}:${n.line}:${n.column}  note  aks-policy  ${n.item.message}`),
  ];
  const errors = findings.filter((f) => f.item.effect === 'deny').length;
  const initiative = `${policy.initiative.displayName} v${policy.initiative.version}`;
  lines.push(`${errors} error(s), ${findings.length - errors} warning(s) in ${results.length} file(s) — ${initiative}, effect ${policy.effect}`);
  return lines.join('\n');
}

function renderJson(results: FileResult[], policy: ResolvedPolicy): string {
  const findings = placeAll(results).findings.map(({ path, line, column, endLine, endColumn, item }) => ({
    file: path,
    line,
    column,
    endLine,
    endColumn,
    severity: severityOf(item),
    template: item.template,
    referenceId: item.referenceId,
    message: item.message,
  }));
  return JSON.stringify({ initiative: policy.initiative, effect: policy.effect, findings }, null, 2);
}

function renderSarif(results: FileResult[], policy: ResolvedPolicy): string {
  const rules = policy.constraints.map((constraint) => ({
    id: constraint.template.name,
    name: constraint.referenceId,
    shortDescription: { text: constraint.displayName },
    helpUri: constraint.docsUrl,
  }));
  const sarifResults = placeAll(results).findings.map(({ path, line, column, endLine, endColumn, item }) => ({
    ruleId: item.template,
    level: severityOf(item),
    message: { text: item.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: path === '-' ? 'stdin' : relative(process.cwd(), path).split('\\').join('/'), uriBaseId: '%SRCROOT%' },
          region: { startLine: line, startColumn: column, endLine, endColumn },
        },
      },
    ],
  }));
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'AKS Policy Live', version: toolVersion, informationUri: 'https://github.com/aks-policy-live/aks-policy-live', rules } },
          columnKind: 'utf16CodeUnits',
          results: sarifResults,
        },
      ],
    },
    null,
    2,
  );
}

function main(args: string[]): number {
  if (args[0] === 'verify') {
    return runVerify(args.slice(1), (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`));
  }
  let options: Options | 'help';
  try {
    options = parseArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`aks-policy: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const settingsPath = options.settingsFile ?? findSettingsFile(options.targets.find((target) => target !== '-') ?? '.');
    const raw = settingsPath ? readSettingsFile(settingsPath) : {};
    if (options.assignment) raw.assignmentFile = resolve(options.assignment);
    const normalized = normalizeSettings(raw);
    // The assignment file replaces initiative and effect; --initiative and --effect still win over both.
    const assigned = withAssignmentFile(normalized.settings, settingsPath ? workspaceRootOf(settingsPath) : process.cwd());
    const settings = { ...assigned.settings };
    if (options.initiative) settings.initiative = options.initiative;
    if (options.effect) settings.effect = parseEffect(options.effect) ?? settings.effect;
    // Custom definitions and initiatives come from the configured workspace and from every folder checked.
    const customFolders = [...(settingsPath ? [workspaceRootOf(settingsPath)] : []), ...options.targets.filter((target) => target !== '-' && isDirectory(target))].map((folder) => resolve(folder));
    const workspace = workspaceCatalog(loadCatalog(), customFolders, settings);
    const policy = resolvePolicy(workspace.catalog, settings);
    const problems = [...normalized.problems, ...assigned.problems, ...workspace.problems, ...policy.problems];
    for (const problem of problems) process.stderr.write(`aks-policy: ${problem}\n`);
    const files: { path: string; text: string }[] = [];
    for (const target of options.targets) {
      if (target === '-') {
        files.push({ path: '-', text: readFileSync(0, 'utf8') });
        continue;
      }
      for (const file of collectFiles(target, settings.exclude)) files.push({ path: file, text: readFileSync(file, 'utf8') });
    }
    const results = checkFiles(files, policy, settings);
    const render = options.format === 'json' ? renderJson : options.format === 'sarif' ? renderSarif : renderText;
    process.stdout.write(`${render(results, policy)}\n`);
    return results.some((result) => result.findings.some(({ finding }) => finding.effect === 'deny')) ? 1 : 0;
  } catch (error) {
    const message = error instanceof UsageError ? error.message : `cannot check: ${(error as Error).message}`;
    process.stderr.write(`aks-policy: ${message}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
