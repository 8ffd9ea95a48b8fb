/**
 * Plain Gatekeeper policies in the workspace: ConstraintTemplate YAML (templates.gatekeeper.sh) and constraints of
 * its kind (constraints.gatekeeper.sh), found by `aksPolicy.constraintTemplatePaths`. Each constraint becomes one
 * custom definition, assignable like the workspace's Azure definitions; its `spec.match`, `spec.parameters` and
 * `spec.enforcementAction` are what an assignment of it starts from.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { customDefinition, type DetailsFile, type ParameterFile, type PolicyCatalog, type PolicyDefinition } from '../engine/catalog';
import { constraintMatches, MatchError, namespaceObjectOf } from '../gatekeeper/match';
import type { TemplateEngine } from '../gatekeeper/engines';
import { metadataString } from '../gatekeeper/review';
import { readConstraintTemplate, TemplateError } from '../gatekeeper/template';
import { isObject, type JsonObject, type JsonValue } from '../json';
import { RegoError } from '../rego/errors';
import type { ConstraintTemplate, Review } from '../templates/types';
import { catalogWithLoadedPolicies, constraintTemplateOf, findCustomPolicyFiles, MAX_POLICY_FILE_BYTES, type CatalogWithPolicies, type CustomDefinitions } from './loader';
import { templateProblems, yamlKeyRange, yamlSyntaxErrorRange } from './problems';

const TEMPLATE_API_GROUP = 'templates.gatekeeper.sh/';
const CONSTRAINT_API_GROUP = 'constraints.gatekeeper.sh/';
const EFFECTS = ['audit', 'Audit', 'deny', 'Deny', 'disabled', 'Disabled'];
const PARAMETER_TYPE_OF: Record<string, ParameterFile['type'] | undefined> = { string: 'String', boolean: 'Boolean', object: 'Object', array: 'Array' };

/** A Gatekeeper object of a file: where its document starts, for problems. */
interface Found {
  file: string;
  text: string;
  offset: number;
  object: JsonObject;
}

/** The Gatekeeper templates and constraints under `folder` in files matching `patterns`; other YAML is ignored quietly. */
export function loadGatekeeperPolicies(folder: string, patterns: readonly string[], engine: TemplateEngine = 'auto'): CustomDefinitions {
  const result: CustomDefinitions = { definitions: [], problems: [], fileProblems: [], sources: [] };
  const templates: Found[] = [];
  const constraints: Found[] = [];
  const report = (file: string, text: string, offset: number, message: string, key = 'kind') => {
    result.problems.push(`${file}: ${message}`);
    result.fileProblems.push({ file, range: yamlKeyRange(text, offset, key), message, severity: 'error' });
  };
  for (const file of findCustomPolicyFiles(folder, patterns)) {
    if (!/\.ya?ml$/i.test(file)) continue;
    const text = readSmallFile(file);
    // A cheap look first: most YAML of a workspace is no Gatekeeper policy and is not parsed here.
    if (text === undefined || !text.includes('gatekeeper.sh')) continue;
    const objects = gatekeeperObjects(file, text);
    if (objects.length === 0) continue;
    result.sources.push(file);
    const syntaxError = yamlSyntaxErrorRange(text);
    if (syntaxError) {
      result.problems.push(`${file}: not valid YAML`);
      result.fileProblems.push({ file, range: syntaxError, message: 'not valid YAML', severity: 'error' });
      continue;
    }
    for (const found of objects) (String(found.object.apiVersion).startsWith(TEMPLATE_API_GROUP) ? templates : constraints).push(found);
  }

  const templatesByKind = new Map<string, ConstraintTemplate>();
  for (const found of templates) {
    let regoSources: string[] = [];
    try {
      const source = readConstraintTemplate(found.object);
      if (source.rego) regoSources = [source.rego.source, ...source.rego.libs];
      templatesByKind.set(source.kind, constraintTemplateOf(source, found.file, engine));
    } catch (error) {
      if (!(error instanceof TemplateError || error instanceof RegoError)) throw error;
      result.problems.push(`${found.file}: ${error.message}`);
      const [placed] = templateProblems(found.file, found.text, regoSources, error);
      // A template error without a place of its own goes on this document's kind line, not the file's first one.
      result.fileProblems.push(error instanceof RegoError ? placed : { ...placed, range: yamlKeyRange(found.text, found.offset, 'kind') });
    }
  }

  for (const found of constraints) {
    const kind = String(found.object.kind ?? '');
    const name = metadataString(found.object, 'name');
    const template = templatesByKind.get(kind);
    if (name === '') report(found.file, found.text, found.offset, `the ${kind} constraint has no metadata.name`);
    // A template that failed has its own problem; a kind no template defines is one of the constraint.
    else if (!template) {
      if (!templates.some((candidate) => stringAt(candidate.object, ['spec', 'crd', 'spec', 'names', 'kind']) === kind)) {
        report(found.file, found.text, found.offset, `no ConstraintTemplate of kind ${kind} is in aksPolicy.constraintTemplatePaths; constraint ${name} is not loaded`);
      }
    } else {
      const problems: string[] = [];
      const definition = constraintDefinition(found, template, problems);
      if (definition) result.definitions.push(definition);
      for (const problem of problems) report(found.file, found.text, found.offset, problem.startsWith(`${found.file}: `) ? problem.slice(found.file.length + 2) : problem, 'spec');
    }
  }
  return result;
}

function readSmallFile(file: string): string | undefined {
  try {
    return statSync(file).size > MAX_POLICY_FILE_BYTES ? undefined : readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The ConstraintTemplates and constraints of a YAML file; a file that cannot be parsed at all has none. */
function gatekeeperObjects(file: string, text: string): Found[] {
  let documents;
  try {
    documents = parseAllDocuments(text);
  } catch {
    return [];
  }
  const found: Found[] = [];
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    let object: unknown;
    try {
      object = document.toJS({ maxAliasCount: 100 });
    } catch {
      continue;
    }
    if (!isObject(object) || typeof object.apiVersion !== 'string') continue;
    const isTemplate = object.apiVersion.startsWith(TEMPLATE_API_GROUP) && object.kind === 'ConstraintTemplate';
    if (isTemplate || object.apiVersion.startsWith(CONSTRAINT_API_GROUP)) found.push({ file, text, offset: document.range[0], object });
  }
  return found;
}

function stringAt(object: JsonValue | undefined, path: readonly string[]): string | undefined {
  let node = object;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/**
 * Gatekeeper's enforcement actions as effects: `deny` (the default) denies; `dryrun` and `warn` only report, which
 * is what audit does here; `scoped` denies when any of its scoped actions does.
 */
export function effectOfEnforcementAction(spec: JsonObject): 'Deny' | 'Audit' {
  const action = typeof spec.enforcementAction === 'string' ? spec.enforcementAction.toLowerCase() : 'deny';
  if (action === 'deny') return 'Deny';
  if (action === 'scoped' && Array.isArray(spec.scopedEnforcementActions)) {
    return spec.scopedEnforcementActions.some((scoped) => isObject(scoped) && String(scoped.action).toLowerCase() === 'deny') ? 'Deny' : 'Audit';
  }
  return 'Audit';
}

/**
 * The constraint as a definition: an `effect` parameter (defaulting to its enforcement action), and each of its
 * `spec.parameters` as a parameter defaulting to the constraint's value, so that `aksPolicy.policies` may change them.
 */
function constraintDefinition(found: Found, template: ConstraintTemplate, problems: string[]): PolicyDefinition | undefined {
  const { object, file } = found;
  const kind = String(object.kind);
  const name = metadataString(object, 'name');
  const spec = isObject(object.spec) ? object.spec : {};
  const match = isObject(spec.match) ? spec.match : undefined;
  const constraintParameters = isObject(spec.parameters) ? spec.parameters : {};
  const parameters: Record<string, ParameterFile> = {
    effect: { type: 'String', metadata: { displayName: 'effect', description: '' }, allowedValues: EFFECTS, defaultValue: effectOfEnforcementAction(spec) },
  };
  const values: JsonObject = {};
  // Strings go through a parameter too: a literal `[…]` value would read as an Azure expression.
  for (const [key, value] of Object.entries(constraintParameters)) {
    const type = parameterTypeOf(value);
    // A value no parameter type holds (a fraction, null), or a key that is the effect's, is passed as it is.
    if (!type || key === 'effect') values[key] = value;
    else {
      parameters[key] = { type, metadata: { displayName: key, description: '' }, defaultValue: value };
      values[key] = `[parameters('${key}')]`;
    }
  }
  const kinds = Array.isArray(match?.kinds) ? match.kinds.filter(isObject) : [];
  const details: DetailsFile = {
    templateInfo: { sourceType: 'Base64Encoded', url: file },
    // The union of the kinds' groups and kinds picks what the engine reviews; the template checks the exact pairs.
    apiGroups: unique(kinds.flatMap((entry) => strings(entry.apiGroups))),
    kinds: unique(kinds.flatMap((entry) => strings(entry.kinds))),
    values,
  };
  if (match?.namespaces !== undefined) details.namespaces = strings(match.namespaces);
  if (match?.excludedNamespaces !== undefined) details.excludedNamespaces = strings(match.excludedNamespaces);
  if (isObject(match?.labelSelector)) details.labelSelector = match.labelSelector;
  return customDefinition(
    {
      file,
      name,
      // Names of constraints are unique per kind, as in the cluster.
      guid: `${kind}.${name}`.toLowerCase(),
      displayName: `${name} (${kind})`,
      version: '1.0.0',
      parameters,
      effect: "[parameters('effect')]",
      details,
      template: matchedTemplate(template, name, match),
    },
    problems,
  );
}

function parameterTypeOf(value: JsonValue): ParameterFile['type'] | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? 'Integer' : undefined;
  if (Array.isArray(value)) return 'Array';
  return value === null ? undefined : PARAMETER_TYPE_OF[typeof value];
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * The template, checking the constraint's whole `spec.match` first as Gatekeeper does (kind pairs, scope, name,
 * namespaceSelector), and prefixing messages with the constraint's name as Gatekeeper's denials do. A
 * namespaceSelector needs the Namespace applied with the object; without one the constraint is not applied.
 */
function matchedTemplate(template: ConstraintTemplate, constraintName: string, match: JsonObject | undefined): ConstraintTemplate {
  const needsNamespace = match?.namespaceSelector !== undefined && match.namespaceSelector !== null;
  return {
    name: template.name,
    kind: template.kind,
    storeUrl: template.storeUrl,
    messagePrefix: `[${constraintName}] `,
    ...(template.usesInventory || needsNamespace ? { usesInventory: true } : {}),
    check(review: Review, parameters: JsonObject) {
      const namespace = namespaceObjectOf(review.namespace, (review.inventory ?? []).map((entry) => entry.object));
      try {
        if (!constraintMatches(match, [review.object], namespace)) return [];
      } catch (error) {
        if (error instanceof MatchError) return [];
        throw error;
      }
      return template.check(review, parameters);
    },
  };
}

/** `base` with one definition per Gatekeeper constraint found under each of `folders`, and the problems of their files. */
export function catalogWithGatekeeperPolicies(base: PolicyCatalog, folders: readonly string[], patterns: readonly string[], engine: TemplateEngine = 'auto'): CatalogWithPolicies {
  return catalogWithLoadedPolicies(base, folders, (folder) => loadGatekeeperPolicies(folder, patterns, engine));
}
