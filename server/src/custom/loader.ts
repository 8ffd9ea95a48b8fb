/**
 * Custom Azure policy definitions from the workspace: `Microsoft.Kubernetes.Data` definitions whose
 * ConstraintTemplate (Base64Encoded, or a file in the workspace) is compiled with the Rego evaluator here.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { customDefinition, findPoliciesDir, withCustomDefinitions, type DetailsFile, type ParameterFile, type PolicyCatalog, type PolicyDefinition } from '../engine/catalog';
import { compileGatekeeperTemplate, isCelTemplate, type TemplateEngine } from '../gatekeeper/engines';
import { readConstraintTemplate, TemplateError, type ConstraintTemplateSource } from '../gatekeeper/template';
import { isObject, type JsonObject, type JsonValue } from '../json';
import { globToRegExp } from '../model/exclude';
import { RegoError } from '../rego/errors';
import { firstLineRange, jsonSyntaxErrors, jsonValueRange, templateProblems, type FileProblem, type JsonPath } from './problems';
import { celConstraintTemplate } from './celTemplate';
import { regoConstraintTemplate } from './regoTemplate';
import type { ConstraintTemplate } from '../templates/types';

/** What a loader finds under one folder. */
export interface CustomDefinitions {
  definitions: PolicyDefinition[];
  /** One line per problem, each naming its file; the definitions it is about are left out. */
  problems: string[];
  /** The same problems at their places: in the definition file, and in a template file it names. */
  fileProblems: FileProblem[];
  /** Every file read (definitions, templates, constraints), whose changes call for a reload. */
  sources: string[];
}

/** The one hidden folder that is searched: where the default `.aks-policy/**` pattern looks. */
const SEARCHED_HIDDEN_FOLDER = '.aks-policy';
const KUBERNETES_MODE = 'microsoft.kubernetes.data';
const PARAMETER_TYPES = new Set(['String', 'Array', 'Object', 'Boolean', 'Integer']);
/** Larger files are no hand-written policy; reading them would only slow the editor down. */
export const MAX_POLICY_FILE_BYTES = 2 * 1024 * 1024;

/** A problem of a definition file; `at` is the JSON path of the value it is about, when it is about one. */
class DefinitionError extends Error {
  constructor(
    message: string,
    readonly at?: JsonPath,
  ) {
    super(message);
  }
}

/** What a definition file's reading got to: its text, and the template it names once that was read. */
interface Reading {
  text?: string;
  template?: { yaml: string; jsonPath: JsonPath; file?: string; regoSources?: readonly string[] };
}

/** Loads every custom definition under `folder` whose path (relative to it) matches one of `patterns`. */
export function loadCustomDefinitions(folder: string, patterns: readonly string[], engine: TemplateEngine = 'auto'): CustomDefinitions {
  const problems: string[] = [];
  const fileProblems: FileProblem[] = [];
  const definitions: PolicyDefinition[] = [];
  const sources: string[] = [];
  for (const file of findCustomPolicyFiles(folder, patterns)) {
    sources.push(file);
    const reading: Reading = {};
    const catalogProblems: string[] = [];
    try {
      const definition = readDefinitionFile(folder, file, catalogProblems, reading, engine);
      if (definition) definitions.push(definition);
    } catch (error) {
      if (!(error instanceof DefinitionError || error instanceof TemplateError || error instanceof RegoError)) throw error;
      problems.push(`${file}: ${error.message}`);
      fileProblems.push(...placeDefinitionError(file, reading, error));
    }
    if (reading.template?.file) sources.push(reading.template.file);
    problems.push(...catalogProblems);
    // The catalog's own checks (parameters, expressions) name the file but no place in it: they go on its first line.
    if (reading.text !== undefined) {
      const firstLine = firstLineRange(reading.text);
      for (const problem of catalogProblems) fileProblems.push({ file, range: firstLine, message: problem.startsWith(`${file}: `) ? problem.slice(file.length + 2) : problem, severity: 'error' });
    }
  }
  return { definitions, problems, fileProblems, sources };
}

/** Where a definition's problem goes: on the JSON value it is about, or in the template, and then also on `templateInfo`. */
function placeDefinitionError(file: string, reading: Reading, error: Error): FileProblem[] {
  const text = reading.text;
  if (text === undefined) return [];
  const inDefinition = (range: FileProblem['range'], message = error.message): FileProblem => ({ file, range, message, severity: 'error' });
  if (error instanceof DefinitionError && error.message.startsWith('not valid JSON')) {
    // The first error only: the ones after it mostly follow from it.
    const [syntax] = jsonSyntaxErrors(text);
    return [syntax ? inDefinition(syntax.range, `not valid JSON: ${syntax.message}`) : inDefinition(firstLineRange(text))];
  }
  if (error instanceof DefinitionError && error.at) return [inDefinition(jsonValueRange(text, error.at))];
  const template = reading.template;
  if (!template) return [inDefinition(firstLineRange(text))];
  const onTemplateInfo = inDefinition(jsonValueRange(text, template.jsonPath));
  if (!template.file) return [onTemplateInfo];
  return [onTemplateInfo, ...templateProblems(template.file, template.yaml, template.regoSources ?? [], error)];
}

/** The files matching `patterns`, sorted; no dependency or hidden folders (but `.aks-policy`), never the extension's own policies/. */
export function findCustomPolicyFiles(folder: string, patterns: readonly string[]): string[] {
  const matchers = patterns.map(globToRegExp);
  const ownPolicies = ownPoliciesDir();
  const files: string[] = [];
  const walk = (dir: string, relativeDir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const relativePath = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        const hidden = entry.name.startsWith('.') && entry.name !== SEARCHED_HIDDEN_FOLDER;
        if (!hidden && entry.name !== 'node_modules' && resolve(path) !== ownPolicies) walk(path, relativePath);
      } else if (entry.isFile() && matchers.some((matcher) => matcher.test(relativePath))) files.push(path);
    }
  };
  walk(folder, '');
  return files;
}

function ownPoliciesDir(): string | undefined {
  try {
    return resolve(findPoliciesDir());
  } catch {
    return undefined;
  }
}

/** The definition in `file`; undefined for a file that is no Kubernetes policy definition (quietly) or has problems (reported). */
function readDefinitionFile(folder: string, file: string, problems: string[], reading: Reading, engine: TemplateEngine): PolicyDefinition | undefined {
  if (statSync(file).size > MAX_POLICY_FILE_BYTES) throw new DefinitionError(`larger than ${MAX_POLICY_FILE_BYTES / 1024 / 1024} MB; not read`);
  let json: JsonValue;
  try {
    reading.text = readFileSync(file, 'utf8');
    json = JSON.parse(reading.text) as JsonValue;
  } catch (error) {
    throw new DefinitionError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(json)) return undefined;
  // Policy-as-code repositories keep either the whole resource or just its `properties`.
  const properties = isObject(json.properties) ? json.properties : json;
  const propertiesPath = isObject(json.properties) ? ['properties'] : [];
  if (typeof properties.mode !== 'string' || properties.mode.toLowerCase() !== KUBERNETES_MODE) return undefined;
  const thenPath = [...propertiesPath, 'policyRule', 'then'];
  const then = objectAt(properties, ['policyRule', 'then']);
  if (!then) throw new DefinitionError('policyRule.then is missing', thenPath);
  if (typeof then.effect !== 'string') throw new DefinitionError('policyRule.then.effect must be a string', [...thenPath, 'effect']);
  const details = objectAt(then, ['details']);
  if (!details) throw new DefinitionError('policyRule.then.details is missing', [...thenPath, 'details']);
  const templateInfo = objectAt(details, ['templateInfo']);
  const templateInfoPath = [...thenPath, 'details', 'templateInfo'];
  if (!templateInfo) throw new DefinitionError('policyRule.then.details.templateInfo is missing', templateInfoPath);

  const { templateYaml, origin, templateFile } = readTemplateSource(folder, file, templateInfo, templateInfoPath);
  reading.template = { yaml: templateYaml, jsonPath: [...templateInfoPath, templateFile ? 'url' : 'content'], file: templateFile };
  let templateObject: unknown;
  try {
    templateObject = parseYaml(templateYaml);
  } catch (error) {
    throw new DefinitionError(`the template (${origin}) is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(templateObject)) throw new DefinitionError(`the template (${origin}) is not a YAML object`);
  const templateSource = readConstraintTemplate(templateObject);
  if (templateSource.rego) reading.template.regoSources = [templateSource.rego.source, ...templateSource.rego.libs];
  const template = constraintTemplateOf(templateSource, origin, engine);

  const name = basename(file).replace(/(\.policy)?\.json$/i, '');
  const metadata = isObject(properties.metadata) ? properties.metadata : {};
  const version = [properties.version, metadata.version].find((value): value is string => typeof value === 'string') ?? '1.0.0';
  return customDefinition(
    {
      file,
      name,
      guid: typeof json.name === 'string' && json.name !== '' ? json.name : name,
      displayName: typeof properties.displayName === 'string' ? properties.displayName : name,
      version,
      parameters: readParameters(properties.parameters, [...propertiesPath, 'parameters']),
      effect: then.effect,
      details: readDetails(details, file, [...thenPath, 'details']),
      template,
    },
    problems,
  );
}

/** The engine's ConstraintTemplate for a template's source, run with the code `engine` picks; `origin` names it in problems and as its store URL. */
export function constraintTemplateOf(templateSource: ConstraintTemplateSource, origin: string, engine: TemplateEngine = 'auto'): ConstraintTemplate {
  const compiled = compileGatekeeperTemplate(templateSource, origin, engine);
  if (isCelTemplate(compiled)) return celConstraintTemplate(compiled, origin);
  return regoConstraintTemplate(compiled, origin, templateSource.rego ? [templateSource.rego.source, ...templateSource.rego.libs] : []);
}

function objectAt(root: JsonObject, path: readonly string[]): JsonObject | undefined {
  let node: JsonValue | undefined = root;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return isObject(node) ? node : undefined;
}

/** The template's YAML and how problems name it: `templateInfo` for Base64Encoded content, else the workspace path. */
/**
 * The template's YAML and how problems name it: `templateInfo` for Base64Encoded content, else the workspace path,
 * and then `templateFile`, its absolute path.
 */
function readTemplateSource(folder: string, file: string, templateInfo: JsonObject, at: JsonPath): { templateYaml: string; origin: string; templateFile?: string } {
  const { sourceType } = templateInfo;
  if (sourceType === 'Base64Encoded') {
    if (typeof templateInfo.content !== 'string' || templateInfo.content === '') throw new DefinitionError('templateInfo.content (the base64 of a ConstraintTemplate) is missing', [...at, 'content']);
    return { templateYaml: Buffer.from(templateInfo.content, 'base64').toString('utf8'), origin: 'templateInfo.content' };
  }
  const urlPath = [...at, 'url'];
  if (typeof templateInfo.url !== 'string' || templateInfo.url === '') throw new DefinitionError(`templateInfo: sourceType ${String(sourceType)} needs a url (or use Base64Encoded with content)`, urlPath);
  const { url } = templateInfo;
  // Nothing is fetched: the template must be a file of the workspace, named relative to the definition.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) throw new DefinitionError(`templateInfo.url ${url} is on the network, which is not fetched; put the template in the workspace and give its relative path`, urlPath);
  const templatePath = resolve(dirname(file), url);
  const inside = relative(realpathOrSelf(folder), realpathOrSelf(templatePath));
  if (inside.startsWith('..') || isAbsolute(inside)) throw new DefinitionError(`templateInfo.url ${url} is outside the workspace folder`, urlPath);
  try {
    return { templateYaml: readFileSync(templatePath, 'utf8'), origin: relative(folder, templatePath), templateFile: templatePath };
  } catch {
    throw new DefinitionError(`the template ${url} (templateInfo.url) cannot be read`, urlPath);
  }
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The declared parameters, as the catalog reads them; a malformed one is a problem of the file. */
function readParameters(value: JsonValue | undefined, at: JsonPath): Record<string, ParameterFile> {
  if (value === undefined) return {};
  if (!isObject(value)) throw new DefinitionError('parameters must be an object', at);
  const parameters: Record<string, ParameterFile> = {};
  for (const [name, declared] of Object.entries(value)) {
    if (!isObject(declared) || typeof declared.type !== 'string' || !PARAMETER_TYPES.has(declared.type)) {
      throw new DefinitionError(`parameter ${name} needs a type (String, Array, Object, Boolean or Integer)`, [...at, name, 'type']);
    }
    const parameter: ParameterFile = { type: declared.type as ParameterFile['type'], metadata: { displayName: name, description: '' } };
    if (declared.defaultValue !== undefined) parameter.defaultValue = declared.defaultValue;
    if (Array.isArray(declared.allowedValues)) parameter.allowedValues = declared.allowedValues;
    if (isObject(declared.schema)) parameter.schema = declared.schema;
    parameters[name] = parameter;
  }
  return parameters;
}

/** What the catalog reads of `details`; the template is the definition's own, named by its file. */
function readDetails(details: JsonObject, file: string, at: JsonPath): DetailsFile {
  const read: DetailsFile = { templateInfo: { sourceType: 'Base64Encoded', url: file }, apiGroups: details.apiGroups ?? [], kinds: details.kinds ?? [] };
  if (details.namespaces !== undefined) read.namespaces = details.namespaces;
  if (details.excludedNamespaces !== undefined) read.excludedNamespaces = details.excludedNamespaces;
  if (details.labelSelector !== undefined) read.labelSelector = details.labelSelector;
  if (details.source !== undefined) read.source = details.source;
  if (details.values !== undefined) {
    if (!isObject(details.values)) throw new DefinitionError('policyRule.then.details.values must be an object', [...at, 'values']);
    read.values = details.values;
  }
  return read;
}

/** `base` with the custom definitions found under each of `folders`, and the problems of their files. */
export function catalogWithCustomDefinitions(base: PolicyCatalog, folders: readonly string[], patterns: readonly string[], engine: TemplateEngine = 'auto'): CatalogWithPolicies {
  return catalogWithLoadedPolicies(base, folders, (folder) => loadCustomDefinitions(folder, patterns, engine));
}

export interface CatalogWithPolicies {
  catalog: PolicyCatalog;
  problems: string[];
  fileProblems: FileProblem[];
  sources: string[];
}

/**
 * `base` with the definitions `load` finds under each of `folders`, and the problems of their files. Nested workspace
 * folders find the same files: each definition (a file may hold several constraints) and each problem is taken once.
 */
export function catalogWithLoadedPolicies(base: PolicyCatalog, folders: readonly string[], load: (folder: string) => CustomDefinitions): CatalogWithPolicies {
  const definitions: PolicyDefinition[] = [];
  const problems: string[] = [];
  const fileProblems: FileProblem[] = [];
  const sources = new Set<string>();
  for (const folder of folders) {
    const loaded = load(folder);
    definitions.push(...loaded.definitions.filter((definition) => !definitions.some((known) => known.file === definition.file && known.guid === definition.guid)));
    problems.push(...loaded.problems.filter((problem) => !problems.includes(problem)));
    fileProblems.push(...loaded.fileProblems.filter((problem) => !fileProblems.some((known) => known.file === problem.file && known.message === problem.message)));
    for (const source of loaded.sources) sources.add(source);
  }
  const extended = withCustomDefinitions(base, definitions);
  return { catalog: extended.catalog, problems: [...problems, ...extended.problems], fileProblems: [...fileProblems, ...clashProblems(extended.problems, definitions)], sources: [...sources] };
}

/** The catalog's clash problems (`<file>: definition … clashes …`) at the start of the file they name. */
function clashProblems(problems: readonly string[], definitions: readonly PolicyDefinition[]): FileProblem[] {
  return problems.flatMap((problem) => {
    const definition = definitions.find((candidate) => problem.startsWith(`${candidate.file}: `));
    const start = { line: 0, character: 0 };
    return definition ? [{ file: definition.file, range: { start, end: start }, message: problem.slice(definition.file.length + 2), severity: 'warning' as const }] : [];
  });
}
