/**
 * The policy catalog: Azure's initiatives and definitions kept in policies/, checked when loaded, and
 * resolved against the settings into the Gatekeeper constraints that an Azure Policy assignment would create.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isObject, type JsonObject, type JsonValue } from '../json';
import type { CatalogResult } from '../protocol';
import { mutatorByUrl } from '../mutations/index';
import type { Mutator } from '../mutations/types';
import { DEFAULT_SETTINGS, describe, NO_INITIATIVE, parseEffect, type PolicyOverride, type Settings } from '../settings';
import { templateByStoreUrl } from '../templates/index';
import type { ConstraintTemplate } from '../templates/types';
import type { ActiveConstraint, ActiveMutation, ConstraintMatch, LabelSelector, LabelSelectorRequirement, ResolvedPolicy } from './types';

// ---- The files, as the schemas in policies/schema describe them ----

const PARAMETER_TYPES = ['String', 'Array', 'Object', 'Boolean', 'Integer'] as const;
type ParameterType = (typeof PARAMETER_TYPES)[number];

export interface ParameterFile {
  type: ParameterType;
  metadata: { displayName: string; description: string };
  defaultValue?: JsonValue;
  allowedValues?: JsonValue[];
  schema?: JsonObject;
}

export interface DetailsFile {
  source?: JsonValue;
  warn?: JsonValue;
  /**
   * `PublicURL`: a template in Azure's store, run by the Azure Policy add-on. `PodSecurityAdmission`: a PSA check, run by the API server.
   * `Base64Encoded`: a custom definition's own template (server/src/custom), run by the add-on; `url` then names the definition file.
   */
  templateInfo: { sourceType: 'PublicURL' | 'PodSecurityAdmission' | 'Base64Encoded'; url: string };
  apiGroups: JsonValue;
  kinds: JsonValue;
  namespaces?: JsonValue;
  excludedNamespaces?: JsonValue;
  labelSelector?: JsonValue;
  values?: JsonObject;
}

/** A mutation policy's details: the Gatekeeper mutator to install and its namespaces (no kinds, labels or values). */
interface MutationDetailsFile {
  source?: JsonValue;
  mutationInfo: { sourceType: 'PublicURL'; url: string };
  namespaces?: JsonValue;
  excludedNamespaces?: JsonValue;
}

interface DefinitionFile {
  id: string;
  name: string;
  properties: {
    displayName: string;
    metadata: { version: string; aksPolicyDocsUrl?: string };
    version: string;
    versions?: string[];
    parameters: Record<string, ParameterFile>;
    policyRule: { then: { effect: string; details: DetailsFile | MutationDetailsFile } };
  };
}

interface MemberFile {
  policyDefinitionReferenceId: string;
  policyDefinitionId: string;
  definitionVersion: string;
  /** Not Azure's: the exact stored version to evaluate instead of the newest the pin accepts (see policies/README.md). */
  aksPolicyDefinitionVersion?: string;
  parameters: Record<string, { value: JsonValue }>;
}

interface InitiativeFile {
  id: string;
  name: string;
  properties: {
    displayName: string;
    metadata: { version: string; aksPolicyAlias?: string };
    version: string;
    versions?: string[];
    parameters: Record<string, ParameterFile>;
    policyDefinitions: MemberFile[];
  };
}

// ---- The loaded catalog ----

export interface PolicyParameter {
  name: string;
  type: ParameterType;
  /** Absent for a parameter that every assignment must give a value (e.g. an allowed-images pattern). */
  defaultValue?: JsonValue;
  allowedValues?: JsonValue[];
  /** The parameter's own JSON schema, compiled: Azure checks assigned values against it. */
  matchesSchema?: ValidateFunction;
}

/** What every stored definition has, whatever it installs in the cluster. */
interface DefinitionCommon {
  guid: string;
  file: string;
  /** The file name without `@<version>` and `.json`: the same for every version of a definition. */
  name: string;
  displayName: string;
  version: string;
  parameters: Map<string, PolicyParameter>;
  /** `policyRule.then.effect`: usually `[parameters('effect')]`. */
  effect: string;
  /** The page findings link to: the Azure portal's, or `metadata.aksPolicyDocsUrl` for a definition that is not Azure's. */
  docsUrl: string;
}

/** A validation definition: it installs a constraint of a template, which judges objects. */
export interface PolicyDefinition extends DefinitionCommon {
  details: DetailsFile;
  template: ConstraintTemplate;
}

/** A mutation definition (effect Mutate): it installs a Gatekeeper mutator, which changes objects before they are judged. */
export interface MutationDefinition extends DefinitionCommon {
  details: MutationDetailsFile;
  mutator: Mutator;
}

/** Any definition stored in policies/definitions. */
export type StoredDefinition = PolicyDefinition | MutationDefinition;

export function isMutation(definition: StoredDefinition): definition is MutationDefinition {
  return 'mutator' in definition;
}

/** The template or mutator that a definition installs, by the name the catalog answer shows. */
function implementationName(definition: StoredDefinition): string {
  return isMutation(definition) ? definition.mutator.name : definition.template.name;
}

export interface InitiativeMember {
  referenceId: string;
  definition: StoredDefinition;
  /** The version range the initiative pins, e.g. `6.*.*`. */
  definitionVersion: string;
  /** What the initiative passes to the definition's parameters: literals, or expressions over its own parameters. */
  values: { parameter: PolicyParameter; value: JsonValue }[];
}

export interface Initiative {
  guid: string;
  alias?: string;
  displayName: string;
  version: string;
  parameters: Map<string, PolicyParameter>;
  members: InitiativeMember[];
}

export interface PolicyCatalog {
  initiatives: Initiative[];
  definitions: PolicyDefinition[];
  mutations: MutationDefinition[];
}

/** The bundled policy files are wrong; `problems` lists every mistake found, each naming its file. */
export class CatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(`The policy catalog is invalid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'CatalogError';
  }
}

// Azure keeps these out of every constraint, whatever the assignment says.
const ALWAYS_EXCLUDED_NAMESPACES = ['kube-system', 'gatekeeper-system', 'azure-arc'];
const DEFINITION_ID_PREFIX = '/providers/Microsoft.Authorization/policyDefinitions/';
const SET_DEFINITION_ID_PREFIX = '/providers/Microsoft.Authorization/policySetDefinitions/';
const PORTAL_DEFINITION_URL =
  'https://portal.azure.com/#blade/Microsoft_Azure_Policy/PolicyDetailBlade/definitionId/%2Fproviders%2FMicrosoft.Authorization%2FpolicyDefinitions%2F';
const DEFINITION_SCHEMA = 'policy-definition.schema.json';
const SET_DEFINITION_SCHEMA = 'policy-set-definition.schema.json';
/** Initiative parameters that have their own setting rather than an entry in `aksPolicy.parameters`. */
const PARAMETERS_WITH_OWN_SETTING = new Map([
  ['effect', 'aksPolicy.effect'],
  ['excludednamespaces', 'aksPolicy.excludedNamespaces'],
  ['namespaces', 'aksPolicy.namespaces'],
]);

export function docsUrl(definitionGuid: string): string {
  return PORTAL_DEFINITION_URL + definitionGuid;
}

/** The nearest `policies/` folder holding initiatives, from the code's own folder up (dist/ when bundled, server/src/engine/ under tsx). */
export function findPoliciesDir(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'policies');
    if (existsSync(join(candidate, 'initiatives'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`No policies/initiatives folder found above ${start}.`);
  }
}

export interface PolicySchemas {
  ajv: Ajv;
  validateDefinition: ValidateFunction<DefinitionFile>;
  validateInitiative: ValidateFunction<InitiativeFile>;
}

/** Compiles the two JSON schemas of policies/schema (the editor validates the same files with them). */
export function compilePolicySchemas(policiesDir: string = findPoliciesDir()): PolicySchemas {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const readSchema = (name: string): JsonObject => readJson(join(policiesDir, 'schema', name)) as JsonObject;
  // Registered under their file names, so the set schema's relative $refs resolve here as they do in the editor.
  ajv.addSchema(readSchema(DEFINITION_SCHEMA), DEFINITION_SCHEMA);
  ajv.addSchema(readSchema(SET_DEFINITION_SCHEMA), SET_DEFINITION_SCHEMA);
  const validateDefinition = ajv.getSchema<DefinitionFile>(DEFINITION_SCHEMA);
  const validateInitiative = ajv.getSchema<InitiativeFile>(SET_DEFINITION_SCHEMA);
  if (!validateDefinition || !validateInitiative) throw new Error(`The policy schemas in ${policiesDir} did not compile.`);
  return { ajv, validateDefinition, validateInitiative };
}

/** One line per schema error, e.g. `/properties/parameters/effect/defaultValue must be equal to one of the allowed values`. */
function formatSchemaErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`);
}

/**
 * Loads and checks every file of `policiesDir`: the schemas, then the cross references (members name known
 * definitions at a version their pin accepts, templates are registered, expressions name declared parameters,
 * defaults and fixed values are valid). Throws a CatalogError listing every problem.
 */
export function loadCatalog(policiesDir: string = findPoliciesDir()): PolicyCatalog {
  const schemas = compilePolicySchemas(policiesDir);
  const problems: string[] = [];
  const definitions: StoredDefinition[] = [];
  for (const file of jsonFiles(join(policiesDir, 'definitions'))) {
    const json = readJsonFile(file, problems);
    if (json === undefined) continue;
    if (!schemas.validateDefinition(json)) {
      problems.push(...formatSchemaErrors(schemas.validateDefinition.errors).map((error) => `${file}: ${error}`));
      continue;
    }
    const definition = loadDefinition(file, json, schemas.ajv, problems);
    if (!definition) continue;
    const clash = findVersionClash(definitions, definition);
    if (clash) problems.push(`${file}: ${clash}`);
    else definitions.push(definition);
  }

  const initiatives: Initiative[] = [];
  for (const file of jsonFiles(join(policiesDir, 'initiatives'))) {
    const json = readJsonFile(file, problems);
    if (json === undefined) continue;
    if (!schemas.validateInitiative(json)) {
      problems.push(...formatSchemaErrors(schemas.validateInitiative.errors).map((error) => `${file}: ${error}`));
      continue;
    }
    if (json.id !== SET_DEFINITION_ID_PREFIX + json.name) problems.push(`${file}: id ${json.id} does not end with the name ${json.name}.`);
    const initiative = loadInitiative(file, json.name, json.properties, definitions, schemas.ajv, problems);
    const clash = initiatives.find(
      (other) => other.guid === initiative.guid || (initiative.alias !== undefined && other.alias?.toLowerCase() === initiative.alias.toLowerCase()),
    );
    if (clash) problems.push(`${file}: initiative ${initiative.guid} (${initiative.alias ?? 'no alias'}) clashes with ${clash.guid} (${clash.alias ?? 'no alias'}).`);
    else initiatives.push(initiative);
  }
  if (initiatives.length === 0) problems.push(`${policiesDir}: no initiative.`);
  if (problems.length > 0) throw new CatalogError(problems);
  return {
    initiatives,
    definitions: definitions.filter((definition): definition is PolicyDefinition => !isMutation(definition)),
    mutations: definitions.filter(isMutation),
  };
}

/** The JSON files of `dir` and of its subfolders (e.g. definitions/pss/), sorted by name. */
function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      if (entry.isDirectory()) return jsonFiles(join(dir, entry.name));
      return entry.name.endsWith('.json') ? [join(dir, entry.name)] : [];
    });
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function readJsonFile(file: string, problems: string[]): unknown {
  try {
    return readJson(file);
  } catch (error) {
    problems.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function loadParameters(file: string, owner: string, parameters: Record<string, ParameterFile>, ajv: Ajv, problems: string[]): Map<string, PolicyParameter> {
  const loaded = new Map<string, PolicyParameter>();
  for (const [name, declared] of Object.entries(parameters)) {
    const parameter: PolicyParameter = { name, type: declared.type };
    if (declared.defaultValue !== undefined) parameter.defaultValue = declared.defaultValue;
    if (declared.allowedValues) parameter.allowedValues = declared.allowedValues;
    if (declared.schema) {
      try {
        parameter.matchesSchema = ajv.compile(declared.schema);
      } catch (error) {
        problems.push(`${file}: ${owner} parameter ${name} has an invalid schema: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
    }
    const checked = declared.defaultValue === undefined ? undefined : checkParameterValue(parameter, declared.defaultValue);
    if (checked && !checked.ok) problems.push(`${file}: ${owner} parameter ${name} has an invalid default: ${checked.reason}.`);
    loaded.set(name, parameter);
  }
  return loaded;
}

function loadDefinition(file: string, json: DefinitionFile, ajv: Ajv, problems: string[]): StoredDefinition | undefined {
  const { properties } = json;
  const guid = json.name;
  const count = problems.length;
  if (json.id !== DEFINITION_ID_PREFIX + guid) problems.push(`${file}: id ${json.id} does not end with the name ${guid}.`);
  checkVersions(file, properties.version, properties.metadata.version, properties.versions, problems);
  const parameters = loadParameters(file, 'definition', properties.parameters, ajv, problems);
  const { effect, details } = properties.policyRule.then;
  checkReferences(file, 'policyRule.then', { effect, details: detailsAsJson(details) }, parameters, problems);
  const common: DefinitionCommon = {
    guid,
    file,
    name: basename(file, '.json').split('@')[0],
    displayName: properties.displayName,
    version: properties.version,
    parameters,
    effect,
    docsUrl: properties.metadata.aksPolicyDocsUrl ?? docsUrl(guid),
  };
  let definition: StoredDefinition | undefined;
  if ('mutationInfo' in details) {
    const mutator = mutatorByUrl(details.mutationInfo.url);
    if (!mutator) problems.push(`${file}: no registered mutator has the store URL ${details.mutationInfo.url}.`);
    else definition = { ...common, details, mutator };
  } else {
    const template = templateByStoreUrl(details.templateInfo.url);
    if (!template) problems.push(`${file}: no registered constraint template has the store URL ${details.templateInfo.url}.`);
    else definition = { ...common, details, template };
  }
  if (!definition || problems.length > count) return undefined;
  // Azure would not accept an assignment whose effect is not an effect of its kind, so neither do we.
  const defaultEffect = evaluate(effect, defaultsOf(parameters));
  const knownEffect = isMutation(definition) ? parseMutationEffect(defaultEffect) : parseEffect(defaultEffect);
  if (knownEffect === undefined) problems.push(`${file}: policyRule.then.effect gives ${describe(defaultEffect)}, not ${isMutation(definition) ? 'Mutate or Disabled' : 'an effect'}.`);
  return definition;
}

/** A mutation's effect, in any letter case as Azure compares effects. */
function parseMutationEffect(value: JsonValue): ActiveMutation['effect'] | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return lower === 'mutate' || lower === 'disabled' ? lower : undefined;
}

function loadInitiative(file: string, name: string, properties: InitiativeFile['properties'], definitions: readonly StoredDefinition[], ajv: Ajv, problems: string[]): Initiative {
  const count = problems.length;
  checkVersions(file, properties.version, properties.metadata.version, properties.versions, problems);
  const parameters = loadParameters(file, 'initiative', properties.parameters, ajv, problems);
  const members: InitiativeMember[] = [];
  for (const member of properties.policyDefinitions) {
    const referenceId = member.policyDefinitionReferenceId;
    const where = `${file}: member ${referenceId}`;
    if (members.some((other) => other.referenceId === referenceId)) problems.push(`${where} appears twice.`);
    const guid = member.policyDefinitionId.slice(DEFINITION_ID_PREFIX.length);
    const versions = definitions.filter((candidate) => candidate.guid === guid);
    if (versions.length === 0) {
      problems.push(`${where} names definition ${guid}, which is not in policies/definitions.`);
      continue;
    }
    // As in Azure, a pin resolves to the newest version it accepts.
    const accepted = versions.filter((candidate) => versionSatisfies(candidate.version, member.definitionVersion));
    const definition = member.aksPolicyDefinitionVersion ? accepted.find((candidate) => candidate.version === member.aksPolicyDefinitionVersion) : newestOf(accepted);
    if (!definition) {
      const stored = versions.map((candidate) => `${basename(candidate.file)} is version ${candidate.version}`).join(', ');
      problems.push(`${where} pins ${member.definitionVersion}, but ${stored}.`);
      continue;
    }
    const values: InitiativeMember['values'] = [];
    for (const [name, { value }] of Object.entries(member.parameters)) {
      const parameter = definition.parameters.get(name);
      if (!parameter) {
        problems.push(`${where} passes ${name}, which ${definition.file} does not declare.`);
        continue;
      }
      checkReferences(file, `member ${referenceId} parameter ${name}`, value, parameters, problems);
      values.push({ parameter, value });
    }
    for (const required of requiredParameters(definition)) {
      if (!values.some(({ parameter }) => parameter === required)) problems.push(`${where} passes no ${required.name}, which ${definition.file} requires (it has no default).`);
    }
    members.push({ referenceId, definition, definitionVersion: member.definitionVersion, values });
  }
  const initiative: Initiative = { guid: name, displayName: properties.displayName, version: properties.version, parameters, members };
  if (properties.metadata.aksPolicyAlias) initiative.alias = properties.metadata.aksPolicyAlias;
  // Fixed values and defaults must suit the definitions; with settings, the same check happens at resolution.
  if (problems.length === count) {
    const defaults = defaultsOf(parameters);
    for (const member of members) {
      for (const { parameter, value } of member.values) {
        // A parameter without a default has a value only once an assignment gives one.
        if (referencedParameters(value).some((name) => !defaults.has(name))) continue;
        const checked = checkParameterValue(parameter, evaluate(value, defaults));
        if (!checked.ok) problems.push(`${file}: member ${member.referenceId} passes ${parameter.name} an invalid value: ${checked.reason}.`);
      }
    }
  }
  return initiative;
}

function checkVersions(file: string, version: string, metadataVersion: string, versions: string[] | undefined, problems: string[]): void {
  if (metadataVersion !== version) problems.push(`${file}: metadata.version ${metadataVersion} differs from version ${version}.`);
  if (versions && !versions.includes(version)) problems.push(`${file}: versions does not list version ${version}.`);
}

/** Azure's pins: each of major.minor.patch is a number or `*`. A pre-release suffix (`1.*.*-preview`) does not count, on either side. */
function versionSatisfies(version: string, pin: string): boolean {
  const actual = releaseParts(version);
  return releaseParts(pin).every((part, index) => part === '*' || part === actual[index]);
}

function releaseParts(version: string): string[] {
  return version.split('-')[0].split('.');
}

/** Semantic version order: major, minor, patch as numbers, then a pre-release below its release. */
function compareVersions(a: string, b: string): number {
  const left = releaseParts(a).map(Number);
  const right = releaseParts(b).map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const order = (left[index] ?? 0) - (right[index] ?? 0);
    if (order !== 0) return Math.sign(order);
  }
  return Number(!a.includes('-')) - Number(!b.includes('-'));
}

function newestOf<Definition extends StoredDefinition>(definitions: readonly Definition[]): Definition | undefined {
  return definitions.reduce<Definition | undefined>((newest, candidate) => (newest && compareVersions(newest.version, candidate.version) >= 0 ? newest : candidate), undefined);
}

/**
 * Several versions of one definition may be stored, one file each: `<Name>.json` and `<Name>@<version>.json`.
 * Says what is wrong when `definition` repeats a stored version, breaks that naming, or takes another definition's name.
 */
function findVersionClash(stored: readonly StoredDefinition[], definition: StoredDefinition): string | undefined {
  const suffix = basename(definition.file, '.json').slice(definition.name.length + 1);
  if (suffix !== '' && suffix !== definition.version) return `the file name says version ${suffix}, but the definition is version ${definition.version}.`;
  for (const other of stored) {
    if (other.guid === definition.guid && other.version === definition.version) return `definition ${definition.guid} ${definition.version} is also defined in ${other.file}.`;
    if (other.guid === definition.guid && other.name !== definition.name) return `definition ${definition.guid} is stored as ${other.name} in ${other.file}; name every version of it ${other.name}@<version>.json.`;
    if (other.guid !== definition.guid && other.name.toLowerCase() === definition.name.toLowerCase()) return `${other.file} has the same name but is definition ${other.guid}.`;
  }
  return undefined;
}

function detailsAsJson(details: DetailsFile | MutationDetailsFile): JsonObject {
  return Object.fromEntries(Object.entries(details).filter((entry): entry is [string, JsonValue] => entry[1] !== undefined));
}

// ---- Azure template expressions ----

interface ParameterReference {
  parameter: string;
  properties: string[];
}

const PARAMETER_EXPRESSION = /^\[parameters\('([A-Za-z][A-Za-z0-9_-]*)'\)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\]$/;

/**
 * The part of Azure's template language that built-in policies use: `[parameters('x')]` and
 * `[parameters('x').property]`. A string starting with `[[` is a literal starting with `[`.
 * Returns the literal text, the reference, or undefined for an expression we do not evaluate.
 */
function parseString(text: string): { literal: string } | ParameterReference | undefined {
  if (text.startsWith('[[')) return { literal: text.slice(1) };
  if (!text.startsWith('[') || !text.endsWith(']')) return { literal: text };
  const match = PARAMETER_EXPRESSION.exec(text);
  if (!match) return undefined;
  return { parameter: match[1], properties: match[2].split('.').slice(1) };
}

/** Reports expressions in `value` that we cannot evaluate or that name undeclared parameters. */
function checkReferences(file: string, where: string, value: JsonValue, parameters: Map<string, PolicyParameter>, problems: string[]): void {
  if (typeof value === 'string') {
    const parsed = parseString(value);
    if (!parsed) problems.push(`${file}: ${where}: ${value} is not an expression we evaluate (only [parameters('name')] and [parameters('name').property]).`);
    else if ('parameter' in parsed && !parameters.has(parsed.parameter)) problems.push(`${file}: ${where}: ${value} names an undeclared parameter.`);
  } else if (Array.isArray(value)) {
    for (const item of value) checkReferences(file, where, item, parameters, problems);
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) checkReferences(file, `${where}.${key}`, item, parameters, problems);
  }
}

/** The parameters that `value` reads. Only called on values that checkReferences accepted. */
function referencedParameters(value: JsonValue): string[] {
  if (typeof value === 'string') {
    const parsed = parseString(value);
    return parsed && 'parameter' in parsed ? [parsed.parameter] : [];
  }
  if (Array.isArray(value)) return value.flatMap(referencedParameters);
  if (isObject(value)) return Object.values(value).flatMap(referencedParameters);
  return [];
}

/** Substitutes parameter values into `value`. Only called on values that checkReferences accepted. */
function evaluate(value: JsonValue, scope: ReadonlyMap<string, JsonValue>): JsonValue {
  if (typeof value === 'string') {
    const parsed = parseString(value);
    if (!parsed) throw new Error(`Unchecked expression ${value}`);
    if ('literal' in parsed) return parsed.literal;
    let result = scope.get(parsed.parameter) ?? null;
    // Parameter schemas guarantee the properties our files read; a missing one gives null rather than a crash.
    for (const property of parsed.properties) result = isObject(result) && Object.hasOwn(result, property) ? result[property] : null;
    return result;
  }
  if (Array.isArray(value)) return value.map((item) => evaluate(item, scope));
  if (isObject(value)) return evaluateObject(value, scope);
  return value;
}

function evaluateObject(value: JsonObject, scope: ReadonlyMap<string, JsonValue>): JsonObject {
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, evaluate(item, scope)]));
}

// ---- Parameter values ----

type CheckedValue = { ok: true; value: JsonValue } | { ok: false; reason: string };

const TYPE_CHECKS: Record<ParameterType, { test: (value: JsonValue) => boolean; expected: string }> = {
  String: { test: (value) => typeof value === 'string', expected: 'a string' },
  Array: { test: (value) => Array.isArray(value), expected: 'an array' },
  Object: { test: (value) => isObject(value), expected: 'an object' },
  Boolean: { test: (value) => typeof value === 'boolean', expected: 'true or false' },
  Integer: { test: (value) => Number.isInteger(value), expected: 'a whole number' },
};

/**
 * Checks a value as Azure checks an assignment's: type, allowed values, the parameter's schema.
 * Strings are matched to allowed values in any letter case and come back in the listed spelling,
 * which is what the Rego compares against.
 */
function checkParameterValue(parameter: PolicyParameter, value: JsonValue): CheckedValue {
  const typeCheck = TYPE_CHECKS[parameter.type];
  if (!typeCheck.test(value)) return { ok: false, reason: `expected ${typeCheck.expected}, got ${describe(value)}` };
  let checked = value;
  const { allowedValues } = parameter;
  if (allowedValues) {
    const refused: JsonValue[] = [];
    const pick = (candidate: JsonValue): JsonValue => {
      const allowed = findAllowedValue(allowedValues, candidate);
      if (allowed === undefined) refused.push(candidate);
      return allowed ?? candidate;
    };
    // For an array parameter, allowedValues lists what each item may be.
    checked = parameter.type === 'Array' && Array.isArray(value) ? value.map(pick) : pick(value);
    if (refused.length > 0) {
      return { ok: false, reason: `${refused.map(describe).join(', ')} is not one of ${distinctIgnoringCase(allowedValues).map(describe).join(', ')}` };
    }
  }
  if (parameter.matchesSchema && !parameter.matchesSchema(checked)) {
    return { ok: false, reason: `${describe(value)} does not fit the parameter's schema (${formatSchemaErrors(parameter.matchesSchema.errors).join('; ')})` };
  }
  return { ok: true, value: checked };
}

function findAllowedValue(allowedValues: JsonValue[], candidate: JsonValue): JsonValue | undefined {
  const exact = allowedValues.find((allowed) => JSON.stringify(allowed) === JSON.stringify(candidate));
  if (exact !== undefined || typeof candidate !== 'string') return exact;
  return allowedValues.find((allowed) => typeof allowed === 'string' && allowed.toLowerCase() === candidate.toLowerCase());
}

/** Effects are listed as audit, Audit, deny, ...; a message needs each only once. */
function distinctIgnoringCase(values: JsonValue[]): JsonValue[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = typeof value === 'string' ? value.toLowerCase() : JSON.stringify(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function defaultsOf(parameters: Map<string, PolicyParameter>): Map<string, JsonValue> {
  const defaults = new Map<string, JsonValue>();
  for (const [name, { defaultValue }] of parameters) if (defaultValue !== undefined) defaults.set(name, defaultValue);
  return defaults;
}

/** The parameters without a default, which an assignment must give a value. */
function requiredParameters(definition: StoredDefinition): PolicyParameter[] {
  return Array.from(definition.parameters.values()).filter((parameter) => parameter.defaultValue === undefined);
}

/** Azure's parameter names are case-insensitive; settings are typed by hand. */
function findParameter(parameters: Map<string, PolicyParameter>, name: string): PolicyParameter | undefined {
  return parameters.get(name) ?? Array.from(parameters.values()).find((parameter) => parameter.name.toLowerCase() === name.toLowerCase());
}

// ---- Resolution ----

/** Finds an initiative by alias, GUID (or a custom set's name), or full resource id, in any case, as Azure compares them. */
export function findInitiative(catalog: PolicyCatalog, nameOrId: string): Initiative | undefined {
  const key = nameOrId.trim().toLowerCase();
  const guid = key.includes('/policysetdefinitions/') ? key.slice(key.lastIndexOf('/') + 1) : key;
  return catalog.initiatives.find((initiative) => initiative.alias?.toLowerCase() === key || initiative.guid.toLowerCase() === guid);
}

/** No initiative: the definitions assigned on their own through `aksPolicy.policies` are all there is. */
const NO_INITIATIVE_SET: Initiative = { guid: NO_INITIATIVE, displayName: 'No initiative (single definitions only)', version: '-', parameters: new Map(), members: [] };

/**
 * What an assignment of the chosen initiative would put in the cluster, given the settings: the initiative's
 * parameters (defaults, then settings), passed into each member as the initiative says, then the member's own
 * overrides from `aksPolicy.policies`. Bad settings become problems and fall back; this never throws.
 */
export function resolvePolicy(catalog: PolicyCatalog, settings: Settings): ResolvedPolicy {
  const problems: string[] = [];
  let initiative = settings.initiative.toLowerCase() === NO_INITIATIVE ? NO_INITIATIVE_SET : findInitiative(catalog, settings.initiative);
  if (!initiative) {
    initiative = findInitiative(catalog, DEFAULT_SETTINGS.initiative) ?? catalog.initiatives[0];
    const known = catalog.initiatives.map((candidate) => candidate.alias ?? candidate.guid).join(', ');
    problems.push(`aksPolicy.initiative: no initiative is called ${describe(settings.initiative)} (known: ${known}, or a GUID); using "${initiative.alias ?? initiative.guid}".`);
  }
  const scope = assignInitiativeParameters(initiative, settings, problems);
  const constraints: ActiveConstraint[] = [];
  const mutations: ActiveMutation[] = [];
  const assign = (resolved: ResolvedMember) => {
    if ('constraint' in resolved) constraints.push(resolved.constraint);
    else mutations.push(resolved.mutation);
  };
  // Members that read an initiative parameter without a value get their definition's default, or are left out without one.
  const leftOut: string[] = [];
  for (const member of initiative.members) {
    const resolved = resolveMember(member, scope, Object.hasOwn(settings.policies, member.referenceId) ? settings.policies[member.referenceId] : undefined, problems);
    if (resolved.unassigned.length === 0) assign(resolved);
    else leftOut.push(member.referenceId);
  }
  const unset = Array.from(initiative.parameters.keys()).filter((name) => !scope.has(name));
  if (unset.length > 0) {
    const them = unset.length === 1 ? 'it' : 'them';
    const notAssigned = leftOut.length === 0 ? '' : `, and ${leftOut.join(', ')} ${leftOut.length === 1 ? 'is' : 'are'} not assigned`;
    problems.push(
      `aksPolicy.parameters: set ${unset.map((name) => `"${name}"`).join(', ')}; the ${initiative.displayName} initiative has no default for ${them}, and Azure asks for ${them} when it is assigned. Until then, its members use their definitions' own defaults${notAssigned}.`,
    );
  }
  // A key that names no member but a built-in definition assigns that definition on its own, beside the initiative.
  for (const [key, override] of Object.entries(settings.policies)) {
    if (initiative.members.some((member) => member.referenceId === key)) continue;
    const definition = findDefinition(catalog, key);
    if (!definition) {
      const known = initiative.members.map((member) => member.referenceId).join(', ');
      problems.push(`aksPolicy.policies.${key}: neither a member of the ${initiative.displayName} initiative (${known}) nor a built-in definition's name or GUID; ignored.`);
      continue;
    }
    const member: InitiativeMember = { referenceId: key, definition, definitionVersion: definition.version, values: [] };
    const resolved = resolveMember(member, new Map(), override, problems);
    const { unassigned } = resolved;
    // Azure refuses an assignment without a value for a parameter that has no default: so does this one, until it is set.
    if (unassigned.length === 0) assign(resolved);
    else {
      const settings = unassigned.map((parameter) => `aksPolicy.policies.${key}.parameters.${parameter.name}`).join(' and ');
      problems.push(`aksPolicy.policies.${key}: set ${settings}; ${definition.displayName} has no default for ${unassigned.length === 1 ? 'it' : 'them'}, so it is not assigned until then.`);
    }
  }
  const effect = initiative.parameters.has('effect') ? parseEffect(scope.get('effect')) : undefined;
  const info: ResolvedPolicy['initiative'] = { id: initiative.guid, displayName: initiative.displayName, version: initiative.version };
  if (initiative.alias) info.alias = initiative.alias;
  const policy: ResolvedPolicy = { initiative: info, effect: effect ?? settings.effect, constraints, problems };
  if (mutations.length > 0) policy.mutations = mutations;
  return policy;
}

/**
 * A definition by its name (`HostNetworkPorts`), its GUID or its full id, in any case: the newest version stored,
 * as an assignment without a version gets. `<name or GUID>@<version>` picks that version.
 */
export function findDefinition(catalog: PolicyCatalog, key: string): StoredDefinition | undefined {
  const [wanted = '', version] = key.trim().toLowerCase().split('@');
  const guid = wanted.slice(wanted.lastIndexOf('/') + 1);
  const versions = storedDefinitions(catalog).filter((definition) => definition.guid === guid || definition.name.toLowerCase() === wanted);
  return version === undefined ? newestOf(versions) : versions.find((definition) => definition.version.toLowerCase() === version);
}

/**
 * A definition assigned on its own, as an assignment with these parameter values (by name) would make it:
 * what the conformance runner needs for Microsoft's examples and their `policy_parameters.json`. A parameter
 * without a default that gets no value is a problem, and the constraint's parameters leave out what it feeds.
 */
export function assignDefinition(definition: PolicyDefinition, values: Record<string, JsonValue>): { constraint: ActiveConstraint; problems: string[] } {
  const problems: string[] = [];
  const member: InitiativeMember = { referenceId: definition.displayName, definition, definitionVersion: definition.version, values: [] };
  for (const [name, value] of Object.entries(values)) {
    const parameter = findParameter(definition.parameters, name);
    if (parameter) member.values.push({ parameter, value });
    else problems.push(`${definition.displayName} has no parameter "${name}"; ignored.`);
  }
  const { scope, unassigned } = memberScope(member, new Map(), undefined, problems);
  const constraint = constraintOf(member, definition, scope, unassigned, problems);
  for (const parameter of unassigned) problems.push(`${definition.displayName} needs a value for "${parameter.name}", which has no default.`);
  return { constraint, problems };
}

/** Validation and mutation definitions together, as `aksPolicy.policies` and custom initiatives name them. */
function storedDefinitions(catalog: PolicyCatalog): StoredDefinition[] {
  return [...catalog.definitions, ...catalog.mutations];
}

/** The initiative's parameter values: defaults, overridden by the settings that feed them. */
function assignInitiativeParameters(initiative: Initiative, settings: Settings, problems: string[]): Map<string, JsonValue> {
  const scope = defaultsOf(initiative.parameters);
  const assign = (parameter: PolicyParameter, value: JsonValue, setting: string) => {
    const checked = checkParameterValue(parameter, value);
    if (checked.ok) scope.set(parameter.name, checked.value);
    else problems.push(`${setting}: ${checked.reason}; using ${describe(parameter.defaultValue)}.`);
  };
  // An initiative without one of these parameters simply has nothing for that setting to feed.
  const feed = (name: string, value: JsonValue, setting: string) => {
    const parameter = initiative.parameters.get(name);
    if (parameter) assign(parameter, value, setting);
  };
  feed('effect', settings.effect, 'aksPolicy.effect');
  // The setting's default is Baseline's list; an initiative with a list of its own (Safeguards) keeps it unless the setting says otherwise.
  if (!sameList(settings.excludedNamespaces, DEFAULT_SETTINGS.excludedNamespaces)) feed('excludedNamespaces', settings.excludedNamespaces, 'aksPolicy.excludedNamespaces');
  feed('namespaces', settings.namespaces, 'aksPolicy.namespaces');
  for (const [name, value] of Object.entries(settings.parameters)) {
    const setting = `aksPolicy.parameters.${name}`;
    const ownSetting = PARAMETERS_WITH_OWN_SETTING.get(name.toLowerCase());
    if (ownSetting) {
      problems.push(`${setting}: set it with ${ownSetting} instead; ignored.`);
      continue;
    }
    const parameter = findParameter(initiative.parameters, name);
    if (!parameter) {
      const others = Array.from(initiative.parameters.keys()).filter((known) => !PARAMETERS_WITH_OWN_SETTING.has(known.toLowerCase()));
      problems.push(`${setting}: the ${initiative.displayName} initiative has no parameter "${name}" (it has ${others.join(', ') || 'no other parameters'}); ignored.`);
      continue;
    }
    assign(parameter, value, setting);
  }
  return scope;
}

/** What an assignment of a member puts in the cluster: a constraint or a mutator, and what it lacks to be assigned. */
type ResolvedMember = ({ constraint: ActiveConstraint } | { mutation: ActiveMutation }) & { unassigned: PolicyParameter[] };

/**
 * The constraint or mutator an assignment of `member` makes, and the parameters without a default that got no
 * value (Azure would refuse the assignment; the caller decides what to do with the member).
 */
function resolveMember(member: InitiativeMember, initiativeScope: Map<string, JsonValue>, override: PolicyOverride | undefined, problems: string[]): ResolvedMember {
  const { definition } = member;
  const { scope, unassigned } = memberScope(member, initiativeScope, override, problems);
  if (isMutation(definition)) return { mutation: mutationOf(member, definition, scope, problems), unassigned };
  return { constraint: constraintOf(member, definition, scope, unassigned, problems), unassigned };
}

/** The definition's parameter values: its defaults, what the initiative passes, then the member's overrides. */
function memberScope(
  member: InitiativeMember,
  initiativeScope: Map<string, JsonValue>,
  override: PolicyOverride | undefined,
  problems: string[],
): { scope: Map<string, JsonValue>; unassigned: PolicyParameter[] } {
  const { definition } = member;
  const scope = defaultsOf(definition.parameters);
  const effectParameter = definition.parameters.get('effect');
  for (const { parameter, value } of member.values) {
    // Reading an initiative parameter that has no value passes nothing: the definition's own default stands.
    if (referencedParameters(value).some((name) => !initiativeScope.has(name))) continue;
    const passed = evaluate(value, initiativeScope);
    let checked = checkParameterValue(parameter, passed);
    // Deployment Safeguards passes its Deny to the audit-only PrintMutationsAnnotations: such a member audits. That is
    // the initiative's own wiring, which no setting can change, so it is no settings problem.
    if (!checked.ok && parameter === effectParameter && parseEffect(passed) === 'deny') {
      const audit = checkParameterValue(parameter, 'Audit');
      if (audit.ok) checked = audit;
    }
    if (checked.ok) scope.set(parameter.name, checked.value);
    else problems.push(`${member.referenceId}: the initiative passes ${parameter.name} a value that ${definition.displayName} refuses (${checked.reason}); using ${describe(parameter.defaultValue)}.`);
  }
  if (override) applyOverride(member, override, scope, problems);
  return { scope, unassigned: requiredParameters(definition).filter((parameter) => !scope.has(parameter.name)) };
}

function constraintOf(member: InitiativeMember, definition: PolicyDefinition, scope: Map<string, JsonValue>, unassigned: readonly PolicyParameter[], problems: string[]): ActiveConstraint {
  const { details } = definition;
  const read = (value: JsonValue | undefined): JsonValue | undefined => (value === undefined ? undefined : evaluate(value, scope));
  const effect = parseEffect(evaluate(definition.effect, scope));
  if (!effect) problems.push(`${member.referenceId}: its effect is not audit, deny or disabled; using audit.`);
  const excludedNamespaces = stringsOf(read(details.excludedNamespaces));
  const match: ConstraintMatch = {
    kinds: [{ apiGroups: stringsOf(read(details.apiGroups)), kinds: stringsOf(read(details.kinds)) }],
    namespaces: stringsOf(read(details.namespaces)),
    // The system namespaces are the Azure Policy add-on's own exclusion; Pod Security Admission exempts none by itself.
    excludedNamespaces: details.templateInfo.sourceType === 'PodSecurityAdmission' ? excludedNamespaces : withAlwaysExcluded(excludedNamespaces),
    labelSelector: toLabelSelector(read(details.labelSelector)),
  };
  const source = read(details.source);
  return {
    referenceId: member.referenceId,
    definitionId: definition.guid,
    displayName: definition.displayName,
    version: definition.version,
    docsUrl: definition.docsUrl,
    template: definition.template,
    effect: effect ?? 'audit',
    parameters: details.values ? evaluateObject(withoutUnassigned(details.values, unassigned), scope) : {},
    match,
    source: source === 'Generated' || source === 'All' ? source : 'Original',
  };
}

function mutationOf(member: InitiativeMember, definition: MutationDefinition, scope: Map<string, JsonValue>, problems: string[]): ActiveMutation {
  const { details } = definition;
  const read = (value: JsonValue | undefined): JsonValue | undefined => (value === undefined ? undefined : evaluate(value, scope));
  const effect = parseMutationEffect(evaluate(definition.effect, scope));
  if (!effect) problems.push(`${member.referenceId}: its effect is not Mutate or Disabled; using Disabled.`);
  return {
    referenceId: member.referenceId,
    definitionId: definition.guid,
    definitionName: definition.name,
    displayName: definition.displayName,
    version: definition.version,
    docsUrl: definition.docsUrl,
    mutator: definition.mutator,
    effect: effect ?? 'disabled',
    match: {
      kinds: definition.mutator.kinds,
      namespaces: stringsOf(read(details.namespaces)),
      excludedNamespaces: withAlwaysExcluded(stringsOf(read(details.excludedNamespaces))),
      labelSelector: {},
    },
  };
}

/** `values` minus the entries that are just a reference to a parameter without a value: Gatekeeper would see no such key. */
function withoutUnassigned(values: JsonObject, unassigned: readonly PolicyParameter[]): JsonObject {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => {
      const parsed = typeof value === 'string' ? parseString(value) : undefined;
      return !(parsed && 'parameter' in parsed && unassigned.some((parameter) => parameter.name === parsed.parameter));
    }),
  );
}

/** `aksPolicy.policies[referenceId]`: the member's effect and any of its definition's parameters, checked like an assignment's. */
function applyOverride(member: InitiativeMember, override: PolicyOverride, scope: Map<string, JsonValue>, problems: string[]): void {
  const { definition } = member;
  const setting = `aksPolicy.policies.${member.referenceId}`;
  const assign = (parameter: PolicyParameter, value: JsonValue, where: string) => {
    const checked = checkParameterValue(parameter, value);
    if (checked.ok) scope.set(parameter.name, checked.value);
    else problems.push(`${where}: ${checked.reason}; ${scope.has(parameter.name) ? `using ${describe(scope.get(parameter.name))}` : 'ignored'}.`);
  };
  const effectParameter = definition.parameters.get('effect');
  // Settings speak the validation effects: for a mutation, any of them but disabled means that it mutates.
  const effect = isMutation(definition) && override.effect !== undefined && override.effect !== 'disabled' ? 'Mutate' : override.effect;
  if (effect !== undefined && effectParameter) assign(effectParameter, effect, `${setting}.effect`);
  for (const [name, value] of Object.entries(override.parameters)) {
    const where = `${setting}.parameters.${name}`;
    const parameter = findParameter(definition.parameters, name);
    if (parameter === effectParameter) problems.push(`${where}: set it with ${setting}.effect instead; ignored.`);
    else if (!parameter) {
      const known = Array.from(definition.parameters.keys()).filter((key) => key !== 'effect');
      problems.push(`${where}: ${definition.displayName} has no parameter "${name}" (it has ${known.join(', ')}); ignored.`);
    } else assign(parameter, value, where);
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function stringsOf(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function withAlwaysExcluded(namespaces: string[]): string[] {
  return [...namespaces, ...ALWAYS_EXCLUDED_NAMESPACES.filter((namespace) => !namespaces.includes(namespace))];
}

const OPERATORS: readonly LabelSelectorRequirement['operator'][] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** The label selector as typed; the definitions' labelSelector schema has already refused anything else. */
function toLabelSelector(value: JsonValue | undefined): LabelSelector {
  const selector: LabelSelector = {};
  if (!isObject(value)) return selector;
  const { matchLabels, matchExpressions } = value;
  if (isObject(matchLabels)) {
    selector.matchLabels = Object.fromEntries(Object.entries(matchLabels).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  }
  if (Array.isArray(matchExpressions)) {
    selector.matchExpressions = matchExpressions.flatMap((expression): LabelSelectorRequirement[] => {
      if (!isObject(expression) || typeof expression.key !== 'string') return [];
      const operator = OPERATORS.find((candidate) => candidate === expression.operator);
      if (!operator) return [];
      const requirement: LabelSelectorRequirement = { key: expression.key, operator };
      if (Array.isArray(expression.values)) requirement.values = stringsOf(expression.values);
      return [requirement];
    });
  }
  return selector;
}

// ---- Custom definitions (server/src/custom reads their files) ----

/** A custom definition as its file states it, its ConstraintTemplate already compiled. */
export interface CustomDefinitionSource {
  file: string;
  /** The file name without `.policy.json` or `.json`: what `aksPolicy.policies` may name it by, besides its GUID. */
  name: string;
  guid: string;
  displayName: string;
  version: string;
  parameters: Record<string, ParameterFile>;
  effect: string;
  details: DetailsFile;
  template: ConstraintTemplate;
}

/** Checks a custom definition's parameters and expressions as a built-in's are; undefined (with problems) when it cannot be assigned. */
export function customDefinition(source: CustomDefinitionSource, problems: string[]): PolicyDefinition | undefined {
  const count = problems.length;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const parameters = loadParameters(source.file, 'definition', source.parameters, ajv, problems);
  checkReferences(source.file, 'policyRule.then', { effect: source.effect, details: detailsAsJson(source.details) }, parameters, problems);
  if (problems.length > count) return undefined;
  const defaultEffect = evaluate(source.effect, defaultsOf(parameters));
  if (parseEffect(defaultEffect) === undefined) {
    problems.push(`${source.file}: policyRule.then.effect gives ${describe(defaultEffect)}, not an effect.`);
    return undefined;
  }
  const { file, name, guid, displayName, version, effect, details, template } = source;
  return { guid, file, name, displayName, version, parameters, effect, docsUrl: pathToFileURL(file).href, details, template };
}

/** The catalog with the workspace's custom definitions beside the built-ins; one that takes a built-in's name or GUID is left out. */
export function withCustomDefinitions(catalog: PolicyCatalog, custom: readonly PolicyDefinition[]): { catalog: PolicyCatalog; problems: string[] } {
  const problems: string[] = [];
  const definitions = [...catalog.definitions];
  for (const definition of custom) {
    const clash = storedDefinitions({ ...catalog, definitions }).find(
      (other) => other.guid === definition.guid || other.name.toLowerCase() === definition.name.toLowerCase(),
    );
    if (clash) problems.push(`${definition.file}: definition ${definition.name} (${definition.guid}) clashes with ${clash.file}; ignored.`);
    else definitions.push(definition);
  }
  return { catalog: { ...catalog, definitions }, problems };
}

// ---- Initiatives of the workspace ----

/** A JSON file that may hold a policy set definition, with the name problems give it (e.g. its path in the workspace). */
export interface InitiativeSource {
  file: string;
  text: string;
}

const DEFINITION_ID = /\/policydefinitions\/([^/]+)$/i;
const VERSION_PIN = /^\d+\.(\d+|\*)\.(\d+|\*)(-[0-9A-Za-z.]+)?$/;
/** An initiative's `aksPolicy.initiative` name, from its file name: `team.initiative.json` and `team.json` are `team`. */
const INITIATIVE_FILE_SUFFIX = /(\.initiative)?\.json$/i;

/**
 * The catalog with the workspace's own policy sets beside the built-in initiatives, each selectable by its `name`
 * or its file name. A set is read leniently, as Azure exports a custom one (the resource or its `properties`,
 * built-in definitions named by id, `[parameters('x')]` references, an optional `definitionVersion`), and then
 * checked as the built-ins are. A file that is not JSON, or a set with problems, is reported; what can be
 * assigned of it still is. A file that is not a policy set is left alone quietly.
 */
export function withWorkspaceInitiatives(catalog: PolicyCatalog, sources: readonly InitiativeSource[]): { catalog: PolicyCatalog; problems: string[] } {
  const problems: string[] = [];
  const initiatives = [...catalog.initiatives];
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const { file, text } of sources) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      problems.push(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)}); ignored.`);
      continue;
    }
    const set = readWorkspaceSet(file, json, catalog, problems);
    if (!set) continue;
    const initiative = loadInitiative(file, set.name, set.properties, storedDefinitions(catalog), ajv, problems);
    const alias = basename(file).replace(INITIATIVE_FILE_SUFFIX, '');
    initiative.alias = alias;
    // Either of its names may be what aksPolicy.initiative says, so neither may be another initiative's.
    const names = [alias.toLowerCase(), initiative.guid.toLowerCase()];
    const clash = initiatives.find((other) => [other.alias, other.guid].some((taken) => taken !== undefined && names.includes(taken.toLowerCase())));
    if (clash) problems.push(`${file}: initiative ${initiative.guid} (file name ${alias}) takes the name of ${clash.displayName}; ignored.`);
    else if (initiative.members.length === 0) problems.push(`${file}: no member of initiative ${initiative.guid} can be assigned; ignored.`);
    else initiatives.push(initiative);
  }
  return { catalog: { ...catalog, initiatives }, problems };
}

/**
 * A policy set as Azure exports it, in the shape of our initiative files; undefined for JSON that is no policy set
 * (quietly). What cannot be read is reported and left out: a member naming an unknown definition, a parameter
 * of a type we do not evaluate.
 */
function readWorkspaceSet(file: string, json: unknown, catalog: PolicyCatalog, problems: string[]): { name: string; properties: InitiativeFile['properties'] } | undefined {
  if (!isObject(json)) return undefined;
  const body = isObject(json.properties) ? json.properties : json;
  if (!Array.isArray(body.policyDefinitions)) return undefined;
  const stem = basename(file).replace(INITIATIVE_FILE_SUFFIX, '');
  const name = typeof json.name === 'string' && json.name.trim() !== '' ? json.name.trim() : stem;
  const metadata = isObject(body.metadata) ? body.metadata : {};
  const version = [body.version, metadata.version].find((value): value is string => typeof value === 'string') ?? '1.0.0';
  const parameters: Record<string, ParameterFile> = {};
  for (const [parameterName, declared] of Object.entries(isObject(body.parameters) ? body.parameters : {})) {
    const type = isObject(declared) && typeof declared.type === 'string' ? PARAMETER_TYPES.find((known) => known.toLowerCase() === String(declared.type).toLowerCase()) : undefined;
    if (!isObject(declared) || !type) {
      problems.push(`${file}: parameter ${parameterName} has type ${describe(isObject(declared) ? declared.type : declared)}, not one of ${PARAMETER_TYPES.join(', ')}; ignored.`);
      continue;
    }
    const parameter: ParameterFile = { type, metadata: { displayName: parameterName, description: parameterName } };
    if (declared.defaultValue !== undefined) parameter.defaultValue = declared.defaultValue;
    if (Array.isArray(declared.allowedValues)) parameter.allowedValues = declared.allowedValues;
    if (isObject(declared.schema)) parameter.schema = declared.schema;
    parameters[parameterName] = parameter;
  }
  const members: MemberFile[] = [];
  body.policyDefinitions.forEach((entry, index) => {
    const where = `${file}: policyDefinitions[${index}]`;
    const id = isObject(entry) && typeof entry.policyDefinitionId === 'string' ? DEFINITION_ID.exec(entry.policyDefinitionId) : null;
    if (!isObject(entry) || !id) {
      problems.push(`${where} names no policy definition (policyDefinitionId ".../policyDefinitions/<id>"); left out.`);
      return;
    }
    const definition = findDefinition(catalog, id[1]);
    const referenceId = typeof entry.policyDefinitionReferenceId === 'string' && entry.policyDefinitionReferenceId !== '' ? entry.policyDefinitionReferenceId : (definition?.name ?? id[1]);
    if (!definition) {
      problems.push(`${file}: member ${referenceId} names definition ${id[1]}, which is neither a built-in definition nor one of the workspace; left out.`);
      return;
    }
    // Without a pin, Azure assigns the newest version.
    let definitionVersion = '*.*.*';
    if (typeof entry.definitionVersion === 'string' && VERSION_PIN.test(entry.definitionVersion)) definitionVersion = entry.definitionVersion;
    else if (entry.definitionVersion !== undefined && entry.definitionVersion !== null) {
      problems.push(`${file}: member ${referenceId} pins ${describe(entry.definitionVersion)}, not a version such as 1.*.*; using the newest version.`);
    }
    const values: MemberFile['parameters'] = {};
    for (const [parameterName, passed] of Object.entries(isObject(entry.parameters) ? entry.parameters : {})) {
      if (isObject(passed) && Object.hasOwn(passed, 'value')) values[parameterName] = { value: passed.value };
      else problems.push(`${file}: member ${referenceId} passes ${parameterName} without a "value"; ignored.`);
    }
    members.push({ policyDefinitionReferenceId: referenceId, policyDefinitionId: DEFINITION_ID_PREFIX + definition.guid, definitionVersion, parameters: values });
  });
  return {
    name,
    properties: {
      displayName: typeof body.displayName === 'string' && body.displayName !== '' ? body.displayName : name,
      metadata: { version },
      version,
      parameters,
      policyDefinitions: members,
    },
  };
}

// ---- Protocol ----

/** The `aksPolicy/catalog` answer: every initiative with its members. */
export function catalogResult(catalog: PolicyCatalog): CatalogResult {
  return {
    initiatives: catalog.initiatives.map((initiative) => ({
      id: initiative.guid,
      ...(initiative.alias ? { alias: initiative.alias } : {}),
      displayName: initiative.displayName,
      version: initiative.version,
      members: initiative.members.map(({ referenceId, definition }) => ({
        referenceId,
        definitionId: definition.guid,
        displayName: definition.displayName,
        version: definition.version,
        template: implementationName(definition),
        docsUrl: definition.docsUrl,
      })),
    })),
    definitions: newestDefinitions(catalog).map((definition) => ({
      name: definition.name,
      definitionId: definition.guid,
      displayName: definition.displayName,
      version: definition.version,
      template: implementationName(definition),
      docsUrl: definition.docsUrl,
    })),
  };
}

/** One definition per GUID, the newest stored version, as Azure serves a definition assigned on its own. */
function newestDefinitions(catalog: PolicyCatalog): StoredDefinition[] {
  const all = storedDefinitions(catalog);
  const guids = [...new Set(all.map((definition) => definition.guid))];
  return guids.flatMap((guid) => newestOf(all.filter((definition) => definition.guid === guid)) ?? []);
}
