import type { EvaluationOptions } from './engine/evaluate';
import type { Effect } from './engine/types';
import { TEMPLATE_ENGINES, type TemplateEngine } from './gatekeeper/engines';
import { isObject, type JsonObject, type JsonValue } from './json';

/** Overrides for one member of the initiative, keyed in `aksPolicy.policies` by its `policyDefinitionReferenceId`. */
export interface PolicyOverride {
  effect?: Effect;
  /** Values for the definition's parameters; checked against the definition when the policy is resolved. */
  parameters: JsonObject;
}

/** The `aksPolicy.*` settings, every value checked and filled in. */
export interface Settings {
  /** `baseline`, `restricted` or an initiative GUID; whether it exists is checked against the catalog. */
  initiative: string;
  effect: Effect;
  excludedNamespaces: string[];
  namespaces: string[];
  /** Values for the initiative's other parameters; checked against the initiative when the policy is resolved. */
  parameters: JsonObject;
  policies: Record<string, PolicyOverride>;
  defaultNamespace: string;
  exclude: string[];
  allowSuppressions: boolean;
  /** Files larger than this many megabytes are not checked (one notice instead of a frozen editor). */
  maxFileSize: number;
  /** Check every YAML file of the workspace when the server starts, not only the open ones. */
  checkWorkspaceOnStartup: boolean;
  /** An assignment exported from Azure whose initiative, effect and parameters replace the settings above ('' for none). */
  assignmentFile: string;
  /** Globs, relative to the workspace folder, of custom Azure policy definitions (server/src/custom). */
  customPolicyPaths: string[];
  /** Which code of a custom ConstraintTemplate runs: `auto` (CEL when it has some, as Gatekeeper), `rego` or `cel`. */
  templateEngine: TemplateEngine;
  /** Globs, relative to the workspace folder, of policy set definitions that become selectable initiatives (server/src/custom/initiatives.ts). */
  initiativePaths: string[];
  /** Globs, relative to the workspace folder, of Gatekeeper ConstraintTemplate and constraint YAML (server/src/custom/constraints.ts). */
  constraintTemplatePaths: string[];
}

/** The defaults of package.json's `contributes.configuration`. Shared: copy before changing. */
export const DEFAULT_SETTINGS: Settings = {
  initiative: 'baseline',
  effect: 'audit',
  excludedNamespaces: ['kube-system', 'gatekeeper-system', 'azure-arc', 'azure-extensions-usage-system'],
  namespaces: [],
  parameters: {},
  policies: {},
  defaultNamespace: 'default',
  exclude: [],
  allowSuppressions: true,
  maxFileSize: 10,
  checkWorkspaceOnStartup: false,
  assignmentFile: '',
  customPolicyPaths: ['**/*.policy.json', '.aks-policy/**/*.json'],
  templateEngine: 'auto',
  initiativePaths: ['.aks-policy/initiatives/*.json', '**/*.initiative.json'],
  constraintTemplatePaths: ['.aks-policy/**/*.yaml', '.aks-policy/**/*.yml', '**/template.yaml', '**/constraint.yaml', '**/*.constrainttemplate.yaml', '**/*.constraint.yaml'],
};

/** `aksPolicy.initiative` value that assigns no initiative: only the definitions named in `aksPolicy.policies`. */
export const NO_INITIATIVE = 'none';

const EFFECTS: readonly Effect[] = ['audit', 'deny', 'disabled'];
/** Gatekeeper's pattern for `namespaces` and `excludedNamespaces` entries: a name with an optional `*` at either end. */
const NAMESPACE_PATTERN = /^(\*|\*-)?[a-z0-9]([-:a-z0-9]*[a-z0-9])?(\*|-\*)?$/;
/** A namespace name (RFC 1123 label). */
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const POLICY_OVERRIDE_KEYS = new Set(['effect', 'parameters']);

/** What judging a document needs of the settings; the editor and the CLI derive it the same way. */
export function evaluationOptions(settings: Settings): EvaluationOptions {
  return { defaultNamespace: settings.defaultNamespace, allowSuppressions: settings.allowSuppressions };
}

/** Parses an effect the way Azure does: any letter case. */
export function parseEffect(value: unknown): Effect | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return EFFECTS.find((effect) => effect === lower);
}

/**
 * Checks the raw `aksPolicy` settings section and fills in defaults.
 * Every bad value becomes one problem that names the setting and what is used instead; it never throws.
 */
export function normalizeSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  let section: Record<string, unknown> = {};
  if (isPlainObject(raw)) section = raw;
  else if (raw !== undefined && raw !== null) problems.push(`aksPolicy: expected an object of settings, got ${describe(raw)}; using the defaults.`);

  const read = (key: string): unknown => (Object.hasOwn(section, key) && section[key] !== null ? section[key] : undefined);
  const report = (key: string, problem: string, fallback: unknown) =>
    problems.push(`aksPolicy.${key}: ${problem}; using ${describe(fallback)}.`);

  const settings: Settings = {
    initiative: readInitiative(read('initiative'), report),
    effect: readEffect(read('effect'), report),
    excludedNamespaces: readStringList('excludedNamespaces', read('excludedNamespaces'), DEFAULT_SETTINGS.excludedNamespaces, isNamespacePattern, 'namespace names', report),
    namespaces: readStringList('namespaces', read('namespaces'), DEFAULT_SETTINGS.namespaces, isNamespacePattern, 'namespace names', report),
    parameters: readObject('parameters', read('parameters'), report),
    policies: readPolicies(read('policies'), report, problems),
    defaultNamespace: readDefaultNamespace(read('defaultNamespace'), report),
    exclude: readStringList('exclude', read('exclude'), DEFAULT_SETTINGS.exclude, (entry) => entry.trim() !== '', 'glob patterns', report),
    allowSuppressions: readBoolean('allowSuppressions', read('allowSuppressions'), DEFAULT_SETTINGS.allowSuppressions, report),
    maxFileSize: readPositiveNumber('maxFileSize', read('maxFileSize'), DEFAULT_SETTINGS.maxFileSize, report),
    checkWorkspaceOnStartup: readBoolean('checkWorkspaceOnStartup', read('checkWorkspaceOnStartup'), DEFAULT_SETTINGS.checkWorkspaceOnStartup, report),
    assignmentFile: readString('assignmentFile', read('assignmentFile'), DEFAULT_SETTINGS.assignmentFile, report),
    customPolicyPaths: readStringList('customPolicyPaths', read('customPolicyPaths'), DEFAULT_SETTINGS.customPolicyPaths, (entry) => entry.trim() !== '', 'glob patterns', report),
    templateEngine: readTemplateEngine(read('templateEngine'), report),
    initiativePaths: readStringList('initiativePaths', read('initiativePaths'), DEFAULT_SETTINGS.initiativePaths, (entry) => entry.trim() !== '', 'glob patterns', report),
    constraintTemplatePaths: readStringList('constraintTemplatePaths', read('constraintTemplatePaths'), DEFAULT_SETTINGS.constraintTemplatePaths, (entry) => entry.trim() !== '', 'glob patterns', report),
  };
  return { settings, problems };
}

type Report = (key: string, problem: string, fallback: unknown) => void;

function readInitiative(value: unknown, report: Report): string {
  if (value === undefined) return DEFAULT_SETTINGS.initiative;
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  report('initiative', `expected an initiative's short name (e.g. "baseline", "restricted", "pss-restricted") or its GUID, got ${describe(value)}`, DEFAULT_SETTINGS.initiative);
  return DEFAULT_SETTINGS.initiative;
}

function readEffect(value: unknown, report: Report): Effect {
  if (value === undefined) return DEFAULT_SETTINGS.effect;
  const effect = parseEffect(value);
  if (effect) return effect;
  report('effect', `${describe(value)} is not audit, deny or disabled`, DEFAULT_SETTINGS.effect);
  return DEFAULT_SETTINGS.effect;
}

function readDefaultNamespace(value: unknown, report: Report): string {
  if (value === undefined) return DEFAULT_SETTINGS.defaultNamespace;
  if (typeof value === 'string' && value.length <= 63 && NAMESPACE_NAME.test(value)) return value;
  report('defaultNamespace', `${describe(value)} is not a namespace name`, DEFAULT_SETTINGS.defaultNamespace);
  return DEFAULT_SETTINGS.defaultNamespace;
}

function readTemplateEngine(value: unknown, report: Report): TemplateEngine {
  if (value === undefined) return DEFAULT_SETTINGS.templateEngine;
  const engine = TEMPLATE_ENGINES.find((candidate) => candidate === value);
  if (engine) return engine;
  report('templateEngine', `${describe(value)} is not auto, rego or cel`, DEFAULT_SETTINGS.templateEngine);
  return DEFAULT_SETTINGS.templateEngine;
}

function readBoolean(key: string, value: unknown, fallback: boolean, report: Report): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  report(key, `expected true or false, got ${describe(value)}`, fallback);
  return fallback;
}

function readString(key: string, value: unknown, fallback: string, report: Report): string {
  if (value === undefined) return fallback;
  if (typeof value === 'string') return value.trim();
  report(key, `expected a path, got ${describe(value)}`, fallback);
  return fallback;
}

function readPositiveNumber(key: string, value: unknown, fallback: number, report: Report): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  report(key, `expected a number above 0, got ${describe(value)}`, fallback);
  return fallback;
}

/** Keeps the good entries of a list, so that one typo does not throw the rest away. */
function readStringList(
  key: string,
  value: unknown,
  fallback: readonly string[],
  isValid: (entry: string) => boolean,
  what: string,
  report: Report,
): string[] {
  if (value === undefined) return [...fallback];
  if (!Array.isArray(value)) {
    report(key, `expected a list of ${what}, got ${describe(value)}`, fallback);
    return [...fallback];
  }
  const kept = value.filter((entry): entry is string => typeof entry === 'string' && isValid(entry));
  if (kept.length < value.length) {
    const dropped = value.filter((entry) => !kept.includes(entry));
    report(key, `ignored entries that are not ${what}: ${dropped.map(describe).join(', ')}`, kept);
  }
  return kept;
}

function readObject(key: string, value: unknown, report: Report): JsonObject {
  if (value === undefined) return {};
  if (isJsonObject(value)) return value;
  report(key, `expected an object, got ${describe(value)}`, {});
  return {};
}

function readPolicies(value: unknown, report: Report, problems: string[]): Record<string, PolicyOverride> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    report('policies', `expected an object keyed by policy reference id, got ${describe(value)}`, {});
    return {};
  }
  const policies: [string, PolicyOverride][] = [];
  for (const [referenceId, entry] of Object.entries(value)) {
    const key = `aksPolicy.policies.${referenceId}`;
    if (!isPlainObject(entry)) {
      problems.push(`${key}: expected an object with "effect" and/or "parameters", got ${describe(entry)}; ignored.`);
      continue;
    }
    const override: PolicyOverride = { parameters: {} };
    for (const [name, setting] of Object.entries(entry)) {
      if (POLICY_OVERRIDE_KEYS.has(name) || setting === undefined || setting === null) continue;
      problems.push(`${key}.${name}: only "effect" and "parameters" can be set here; ignored.`);
    }
    if (entry.effect !== undefined && entry.effect !== null) {
      const effect = parseEffect(entry.effect);
      if (effect) override.effect = effect;
      else problems.push(`${key}.effect: ${describe(entry.effect)} is not audit, deny or disabled; using the initiative's effect.`);
    }
    if (entry.parameters !== undefined && entry.parameters !== null) {
      if (isJsonObject(entry.parameters)) override.parameters = entry.parameters;
      else problems.push(`${key}.parameters: expected an object, got ${describe(entry.parameters)}; ignored.`);
    }
    policies.push([referenceId, override]);
  }
  // fromEntries defines own properties, so even a "__proto__" key stays plain data.
  return Object.fromEntries(policies);
}

function isNamespacePattern(entry: string): boolean {
  return NAMESPACE_PATTERN.test(entry);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Settings arrive as JSON, but a caller may still pass functions, NaN or cycles inside; those are not values. */
function isJsonValue(value: unknown, ancestors: object[] = []): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || ancestors.includes(value)) return false;
  const items = Array.isArray(value) ? value : isPlainObject(value) ? Object.values(value) : undefined;
  return items !== undefined && items.every((item) => isJsonValue(item, [...ancestors, value]));
}

function isJsonObject(value: unknown): value is JsonObject {
  return isJsonValue(value) && isObject(value);
}

/** A value as a user would write it in settings.json, shortened for a message. */
export function describe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Cycles and bigints cannot be written as JSON.
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
