import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isObject, type JsonObject, type JsonValue } from './json';
import { describe, NO_INITIATIVE, parseEffect, type Settings } from './settings';

/**
 * `aksPolicy.assignmentFile`: an assignment exported from Azure (`az policy assignment show -o json`, the ARM
 * resource, or only its parameters JSON) drives what is judged, so the editor and CI judge as that cluster does.
 */

/** Initiative parameters that have their own setting. */
const OWN_SETTINGS = new Set(['effect', 'excludednamespaces', 'namespaces']);

export function applyAssignment(base: Settings, raw: unknown, source: string): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const settings: Settings = { ...base, parameters: { ...base.parameters }, policies: { ...base.policies } };
  if (!isObject(raw as JsonValue)) {
    problems.push(`${source}: expected the JSON of a policy assignment, got ${describe(raw)}; ignored.`);
    return { settings: base, problems };
  }
  const json = raw as JsonObject;
  const body = isObject(json.properties) ? json.properties : json;
  const definitionId = typeof body.policyDefinitionId === 'string' ? body.policyDefinitionId : undefined;
  // Without a definition id, the file is the assignment's parameters alone, for the configured initiative.
  const parameters = readParameters(definitionId === undefined ? json : body.parameters, source, problems);
  const doNotEnforce = typeof body.enforcementMode === 'string' && body.enforcementMode.toLowerCase() === 'donotenforce';

  if (definitionId && /\/policyDefinitions\//i.test(definitionId)) {
    const guid = definitionId.slice(definitionId.lastIndexOf('/') + 1);
    const { effect, ...definitionParameters } = lowerKeyed(parameters, 'effect');
    const override: Settings['policies'][string] = { parameters: definitionParameters };
    const parsed = effect === undefined ? undefined : parseEffect(effect);
    if (effect !== undefined && !parsed) problems.push(`${source}: effect ${describe(effect)} is not audit, deny or disabled; using the definition's default.`);
    if (parsed) override.effect = doNotEnforce && parsed === 'deny' ? 'audit' : parsed;
    settings.initiative = NO_INITIATIVE;
    settings.policies = { [guid]: override };
    return { settings, problems };
  }
  if (definitionId) {
    if (!/\/policySetDefinitions\//i.test(definitionId)) {
      problems.push(`${source}: policyDefinitionId ${describe(definitionId)} names neither a policy definition nor a policy set; ignored.`);
      return { settings: base, problems };
    }
    settings.initiative = definitionId.slice(definitionId.lastIndexOf('/') + 1);
  }
  for (const [name, value] of Object.entries(parameters)) {
    const key = name.toLowerCase();
    if (key === 'effect') {
      const effect = parseEffect(value);
      if (effect) settings.effect = effect;
      else problems.push(`${source}: effect ${describe(value)} is not audit, deny or disabled; using ${settings.effect}.`);
    } else if (key === 'excludednamespaces' || key === 'namespaces') {
      const list = Array.isArray(value) && value.every((entry) => typeof entry === 'string') ? (value as string[]) : undefined;
      if (!list) problems.push(`${source}: ${name} should be a list of namespaces, got ${describe(value)}; ignored.`);
      else if (key === 'namespaces') settings.namespaces = list;
      else settings.excludedNamespaces = list;
    } else if (!OWN_SETTINGS.has(key)) settings.parameters[name] = value;
  }
  // Azure's DoNotEnforce: deny effects are not enforced at admission, audit results are still reported.
  if (doNotEnforce && settings.effect === 'deny') settings.effect = 'audit';
  return { settings, problems };
}

/** `{"name": {"value": v}}` → `{"name": v}`. */
function readParameters(raw: JsonValue | undefined, source: string, problems: string[]): JsonObject {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) {
    problems.push(`${source}: parameters should be an object of {"value": …} entries, got ${describe(raw)}; ignored.`);
    return {};
  }
  const values: JsonObject = {};
  for (const [name, entry] of Object.entries(raw)) {
    if (isObject(entry) && Object.hasOwn(entry, 'value')) values[name] = entry.value;
    else problems.push(`${source}: parameter ${name} has no "value"; ignored.`);
  }
  return values;
}

/** Splits off `key` in any letter case. */
function lowerKeyed(values: JsonObject, key: string): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(values)) out[name.toLowerCase() === key ? key : name] = value;
  return out;
}

/**
 * Settings with `assignmentFile` applied: the path is relative to `baseDir` (the workspace folder). An unreadable
 * or invalid file is one problem and leaves the settings as they are.
 */
export function withAssignmentFile(settings: Settings, baseDir: string | undefined): { settings: Settings; problems: string[] } {
  const file = settings.assignmentFile;
  if (!file) return { settings, problems: [] };
  const path = isAbsolute(file) || !baseDir ? file : join(baseDir, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { settings, problems: [`aksPolicy.assignmentFile: cannot read ${path} (${error instanceof Error ? error.message : String(error)}); using the other settings.`] };
  }
  return applyAssignment(settings, raw, `aksPolicy.assignmentFile ${file}`);
}
