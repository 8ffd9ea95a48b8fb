import { isObject, type JsonObject, type JsonValue } from '../json';
import { compileModules, findRuleGroup, type CompiledProgram } from '../rego/compiler';
import { RegoError } from '../rego/errors';
import { parseModule } from '../rego/parser';

/** What a ConstraintTemplate says, before its Rego is compiled. */
export interface ConstraintTemplateSource {
  name: string;
  /** The constraint kind it defines, `spec.crd.spec.names.kind`. */
  kind: string;
  /** The Rego of the admission target (the legacy `rego`/`libs` fields or a `code` entry with engine Rego). */
  rego?: { source: string; libs: string[] };
  /** It also has (or only has) CEL code under `K8sNativeValidation`. */
  hasCel: boolean;
  /** The `source` of that CEL code (server/src/cel). */
  cel?: JsonObject;
}

export interface CompiledTemplate {
  name: string;
  kind: string;
  program: CompiledProgram;
  /** Package path and rule name of the template's `violation` rule. */
  violationPath: string[];
}

export class TemplateError extends Error {}

const ADMISSION_TARGET = 'admission.k8s.gatekeeper.sh';

function stringAt(object: JsonValue | undefined, path: readonly string[]): string | undefined {
  let node = object;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return typeof node === 'string' ? node : undefined;
}

function stringList(value: JsonValue | undefined, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw new TemplateError(`${what} must be a list of strings`);
  return value as string[];
}

/** Reads a ConstraintTemplate object (templates.gatekeeper.sh/v1 or v1beta1). */
export function readConstraintTemplate(object: JsonObject): ConstraintTemplateSource {
  if (object.kind !== 'ConstraintTemplate') throw new TemplateError(`expected a ConstraintTemplate, found kind ${JSON.stringify(object.kind ?? null)}`);
  const name = stringAt(object, ['metadata', 'name']) ?? '';
  const kind = stringAt(object, ['spec', 'crd', 'spec', 'names', 'kind']);
  if (!kind) throw new TemplateError(`ConstraintTemplate ${name} has no spec.crd.spec.names.kind`);
  const spec = isObject(object.spec) ? object.spec : {};
  const targets = Array.isArray(spec.targets) ? spec.targets.filter(isObject) : [];
  const target = targets.find((candidate) => candidate.target === ADMISSION_TARGET) ?? targets[0];
  if (!target) throw new TemplateError(`ConstraintTemplate ${name} has no targets`);
  let rego: ConstraintTemplateSource['rego'];
  let hasCel = false;
  let cel: JsonObject | undefined;
  if (typeof target.rego === 'string') rego = { source: target.rego, libs: stringList(target.libs, 'libs') };
  for (const code of Array.isArray(target.code) ? target.code.filter(isObject) : []) {
    const source = isObject(code.source) ? code.source : {};
    if (code.engine === 'K8sNativeValidation') {
      hasCel = true;
      cel ??= source;
    } else if (code.engine === 'Rego' && !rego) {
      if (typeof source.rego !== 'string') throw new TemplateError(`ConstraintTemplate ${name}: the Rego code has no source.rego`);
      rego = { source: source.rego, libs: stringList(source.libs, 'source.libs') };
    }
  }
  return { name, kind, rego, hasCel, ...(cel ? { cel } : {}) };
}

/**
 * Compiles a template's Rego as Gatekeeper does: the main module must define `violation`, and each lib must be in
 * a package under `lib`, where the main module reaches it as `data.lib.…`. `file` names the source in errors.
 */
export function compileConstraintTemplate(template: ConstraintTemplateSource, file: string): CompiledTemplate {
  if (!template.rego) throw new TemplateError(`ConstraintTemplate ${template.name} has no Rego code`);
  const main = parseModule(template.rego.source, `${file} (rego)`);
  const libs = template.rego.libs.map((lib, index) => parseModule(lib, `${file} (libs[${index}])`));
  for (const lib of libs) {
    if (lib.packagePath[0] !== 'lib') throw new RegoError('rego_compile_error', `lib package ${lib.packagePath.join('.')} must begin with lib`, lib.location);
  }
  const program = compileModules([main, ...libs]);
  const violationPath = [...main.packagePath, 'violation'];
  if (!findRuleGroup(program.root, violationPath)) throw new RegoError('rego_compile_error', 'the template must define the rule violation', main.location);
  return { name: template.name, kind: template.kind, program, violationPath };
}
