/**
 * Runs every template's YAML fixtures through the whole engine (parse, admission view, template,
 * location): `allowed/` must give no finding; `denied/` must give exactly the findings its caret
 * comments mark; every fix offered must parse, remove its finding and change nothing else; and
 * where `<name>.fixed.yaml` exists, fix-all must produce exactly that text.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assignDefinition, loadCatalog, resolvePolicy } from '../../../server/src/engine/catalog';
import { evaluateDocument, type Finding } from '../../../server/src/engine/evaluate';
import type { ActiveConstraint, ResolvedPolicy } from '../../../server/src/engine/types';
import { applyEdits, editsConflict, editsFor, type OffsetEdit } from '../../../server/src/fixes/edits';
import { isObject, type JsonObject, type JsonValue } from '../../../server/src/json';
import { FileAnalyzer, type AnalyzedDocument } from '../../../server/src/model/cache';
import { lineStartsOf, positionOf } from '../../../server/src/model/lines';
import { parseYamlDocument } from '../../../server/src/model/parse';
import { DEFAULT_SETTINGS } from '../../../server/src/settings';
import { builtinTemplates } from '../../../server/src/templates/index';
import { applyOperations } from './applyOperations';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'templates');
const OPTIONS = { defaultNamespace: 'default', allowSuppressions: true };
const catalog = loadCatalog();

/**
 * The template's constraint under Deny: as Baseline (or else Restricted, or a Pod Security Standards profile) assigns
 * it, or else its definition assigned on its own with its defaults; `parameters.json` replaces the constraint's parameters.
 */
function policyFor(template: string): ResolvedPolicy {
  const parametersFile = join(FIXTURES, template, 'parameters.json');
  const withParameters = (constraint: ActiveConstraint): ActiveConstraint => ({
    ...constraint,
    effect: 'deny',
    parameters: existsSync(parametersFile) ? (JSON.parse(readFileSync(parametersFile, 'utf8')) as JsonObject) : constraint.parameters,
  });
  for (const initiative of ['baseline', 'restricted', 'pss-baseline', 'pss-restricted']) {
    const policy = resolvePolicy(catalog, { ...DEFAULT_SETTINGS, initiative, effect: 'deny' });
    const constraint = policy.constraints.find((candidate) => candidate.template.name === template);
    if (constraint) return { ...policy, constraints: [withParameters(constraint)] };
  }
  const definition = catalog.definitions.find((candidate) => candidate.template.name === template);
  if (!definition) throw new Error(`no definition uses ${template}`);
  const { constraint } = assignDefinition(definition, {});
  return { initiative: { id: 'fixtures', displayName: 'fixtures', version: '0' }, effect: 'deny', constraints: [withParameters(constraint)], problems: [] };
}

interface Expected {
  line: number;
  start: number;
  end: number;
  template: string;
}

/** `#   ^^^^ template` under a line marks columns of that line. */
function caretMarks(text: string): Expected[] {
  const lines = text.split(/\r?\n/);
  const marks: Expected[] = [];
  let target = -1;
  lines.forEach((line, index) => {
    const caret = /^(\s*#\s*)(\^+)\s+(\S+)\s*$/.exec(line);
    if (!caret) {
      target = index;
      return;
    }
    marks.push({ line: target, start: caret[1].length, end: caret[1].length + caret[2].length, template: caret[3] });
  });
  return marks;
}

function located(text: string, documents: readonly AnalyzedDocument[]): (Expected & { finding: Finding; document: AnalyzedDocument })[] {
  const lineStarts = lineStartsOf(text);
  return documents.flatMap((document) =>
    document.verdict.findings.map((finding) => {
      const from = positionOf(lineStarts, document.start + finding.start);
      const to = positionOf(lineStarts, document.start + finding.end);
      return { line: from.line, start: from.character, end: to.line === from.line ? to.character : Number.POSITIVE_INFINITY, template: finding.template, finding, document };
    }),
  );
}

/** `key: {}` and `key: []` mean the same to the API server as no key. */
function pruneEmpty(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(pruneEmpty);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const pruned = pruneEmpty(child);
    if ((Array.isArray(pruned) && pruned.length === 0) || (isObject(pruned) && Object.keys(pruned).length === 0)) continue;
    out[key] = pruned;
  }
  return out;
}

function fixAll(text: string, documents: readonly AnalyzedDocument[]): string {
  const taken: OffsetEdit[] = [];
  for (const document of documents) {
    for (const finding of document.verdict.findings) {
      const fix = finding.fixes.find((candidate) => candidate.preferred);
      const edits = fix && document.parsed.doc && editsFor(document.parsed.doc, document.parsed.text, fix.operations);
      if (!edits) continue;
      const absolute = edits.map((edit) => ({ ...edit, start: edit.start + document.start, end: edit.end + document.start }));
      if (absolute.some((edit) => taken.some((other) => editsConflict(edit, other)))) continue;
      taken.push(...absolute);
    }
  }
  return applyEdits(text, taken);
}

const templates = builtinTemplates.map((template) => template.name);

describe('template fixtures', () => {
  it('every built-in template has allowed and denied fixtures', () => {
    for (const template of templates) {
      for (const folder of ['allowed', 'denied']) {
        const dir = join(FIXTURES, template, folder);
        assert.ok(existsSync(dir) && readdirSync(dir).some((name) => name.endsWith('.yaml')), `missing ${template}/${folder} fixtures`);
      }
    }
  });

  for (const template of templates) {
    describe(template, () => {
      const policy = policyFor(template);
      const read = (folder: string) => {
        const dir = join(FIXTURES, template, folder);
        return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.yaml') && !name.endsWith('.fixed.yaml')).sort().map((name) => join(dir, name)) : [];
      };

      for (const file of read('allowed')) {
        it(`allows ${folder(file)}`, () => {
          const text = readFileSync(file, 'utf8');
          const documents = new FileAnalyzer().analyze(text, policy, OPTIONS);
          assert.deepEqual(documents.flatMap((d) => d.verdict.findings.map((f) => f.message)), []);
          assert.ok(documents.some((d) => d.parsed.status === 'ok'), 'fixture does not parse');
        });
      }

      for (const file of read('denied')) {
        it(`denies ${folder(file)} exactly where the carets point`, () => {
          const text = readFileSync(file, 'utf8');
          const documents = new FileAnalyzer().analyze(text, policy, OPTIONS);
          const expected = caretMarks(text);
          assert.ok(expected.length > 0, 'a denied fixture needs caret marks');
          const actual = located(text, documents).map(({ line, start, end, template: name }) => ({ line, start, end, template: name }));
          const order = (a: Expected, b: Expected) => a.line - b.line || a.start - b.start;
          assert.deepEqual([...actual].sort(order), [...expected].sort(order));
        });

        it(`offers only fixes that work for ${folder(file)}`, () => {
          const text = readFileSync(file, 'utf8');
          const documents = new FileAnalyzer().analyze(text, policy, OPTIONS);
          for (const { finding, document } of located(text, documents)) {
            for (const fix of finding.fixes) {
              const edits = document.parsed.doc && editsFor(document.parsed.doc, document.parsed.text, fix.operations);
              if (!edits) continue;
              const fixed = parseYamlDocument(applyEdits(document.parsed.text, edits));
              assert.equal(fixed.status, 'ok', `"${fix.title}" breaks the YAML`);
              assert.deepEqual(pruneEmpty(fixed.value!), pruneEmpty(applyOperations(document.parsed.value!, fix.operations)), `"${fix.title}" changed more than it says`);
              const before = document.verdict.findings.filter((f) => f.message === finding.message).length;
              const after = evaluateDocument(fixed, policy, OPTIONS).findings.filter((f) => f.message === finding.message).length;
              assert.ok(after < before, `"${fix.title}" does not remove "${finding.message}"`);
            }
          }
          const expectedFixed = file.replace(/\.yaml$/, '.fixed.yaml');
          if (existsSync(expectedFixed)) assert.equal(fixAll(text, documents), readFileSync(expectedFixed, 'utf8'));
        });
      }
    });
  }
});

function folder(file: string): string {
  return file.split('/').slice(-2).join('/');
}
