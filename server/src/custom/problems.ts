/**
 * Where a problem of a policy file is, in that file: the JSON value a definition's problem is about, a Rego error's
 * line inside the YAML block scalar that holds the Rego, a YAML syntax error's place. Positions are 0-based lines and
 * UTF-16 characters, as the editor counts them.
 */
import { findNodeAtLocation, parse as parseJsonc, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { lineStartsOf, positionOf } from '../model/lines';
import { RegoError } from '../rego/errors';

export interface TextPosition {
  line: number;
  character: number;
}

export interface TextRange {
  start: TextPosition;
  end: TextPosition;
}

/** A problem of one file of the workspace, at its place in that file. */
export interface FileProblem {
  /** Absolute path. */
  file: string;
  range: TextRange;
  message: string;
  severity: 'error' | 'warning';
}

export type JsonPath = readonly (string | number)[];

/** Offsets `[start, end)` in `text` as a range. */
export function rangeOf(text: string, start: number, end: number = start): TextRange {
  const lineStarts = lineStartsOf(text);
  return { start: positionOf(lineStarts, start), end: positionOf(lineStarts, Math.max(start, end)) };
}

/** The first line of the file: where a problem of the file as a whole goes. */
export function firstLineRange(text: string): TextRange {
  const end = text.indexOf('\n');
  return rangeOf(text, 0, end < 0 ? text.length : end);
}

/** JSON syntax errors as strict JSON (no comments, no trailing commas) sees them, each at its place. */
export function jsonSyntaxErrors(text: string): { range: TextRange; message: string }[] {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return errors.map((error) => ({ range: rangeOf(text, error.offset, error.offset + error.length), message: describeJsonError(printParseErrorCode(error.error)) }));
}

function describeJsonError(code: string): string {
  // `PropertyNameExpected` reads as "property name expected".
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * The range of the value at `path` in a JSON text; when the path goes further than the file does, the deepest value
 * that exists (a missing `details` is reported on `then`). The whole file's first line when the text is no JSON.
 */
export function jsonValueRange(text: string, path: JsonPath): TextRange {
  const root = parseTree(text);
  if (!root) return firstLineRange(text);
  for (let length = path.length; length >= 0; length--) {
    const node = findNodeAtLocation(root, path.slice(0, length) as (string | number)[]);
    if (!node) continue;
    // An object or array is marked on its key (or first line), not over all its lines.
    const property = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    if (node.type === 'object' || node.type === 'array') return property ? rangeOf(text, property.offset, property.offset + property.length) : rangeOf(text, node.offset, node.offset + 1);
    return rangeOf(text, node.offset, node.offset + node.length);
  }
  return firstLineRange(text);
}

/** Where the module a RegoError names starts: `… (rego)` is the main module, `… (libs[N])` a lib. */
export function regoModuleOf(error: RegoError): { lib?: number } {
  const lib = /\(libs\[(\d+)\]\)$/.exec(error.location?.file ?? '');
  return lib ? { lib: Number(lib[1]) } : {};
}

/**
 * The place in a template YAML file of a Rego error: the scalar whose value is `regoSource` (the Rego that failed),
 * and in a block scalar (`rego: |`) the error's own line and column inside it. Undefined when no scalar of the file
 * holds that Rego.
 */
export function regoErrorRange(yamlText: string, regoSource: string, error: RegoError): TextRange | undefined {
  const scalar = findScalar(yamlText, regoSource);
  if (!scalar) return undefined;
  const [start, valueEnd] = scalar.range;
  const location = error.location;
  const header = yamlText.slice(start, yamlText.indexOf('\n', start) < 0 ? yamlText.length : yamlText.indexOf('\n', start));
  if (!location || !/^[|>]/.test(header) || scalar.folded) return rangeOf(yamlText, start, Math.min(valueEnd, start + header.length));
  // A literal block scalar keeps the Rego's lines: line N of the Rego is line N after the header, indented by the block's indentation.
  const lines = yamlText.split('\n');
  const headerLine = rangeOf(yamlText, start).start.line;
  const line = headerLine + location.line;
  const text = lines[line] ?? '';
  const indentation = blockIndentation(lines, headerLine, header);
  const character = Math.min(text.length, indentation + location.column - 1);
  const tokenEnd = /^[^\s]*/.exec(text.slice(character))?.[0].length ?? 0;
  return { start: { line, character }, end: { line, character: character + Math.max(1, tokenEnd) } };
}

/** The indentation of a block scalar's content: its indentation indicator, else the first non-blank line's. */
function blockIndentation(lines: readonly string[], headerLine: number, header: string): number {
  const explicit = /^[|>][-+]?([1-9])/.exec(header);
  const parentIndentation = /^ */.exec(lines[headerLine] ?? '')?.[0].length ?? 0;
  if (explicit) return parentIndentation + Number(explicit[1]);
  const first = lines.slice(headerLine + 1).find((line) => line.trim() !== '');
  return first === undefined ? parentIndentation : (/^ */.exec(first)?.[0].length ?? 0);
}

/** The scalar of the YAML file whose value is `value`, with its source range and whether it is folded (`>`). */
function findScalar(yamlText: string, value: string): { range: [number, number]; folded: boolean } | undefined {
  let documents;
  try {
    documents = parseAllDocuments(yamlText);
  } catch {
    return undefined;
  }
  const found: { range: [number, number]; folded: boolean }[] = [];
  const visit = (node: unknown): void => {
    if (found.length > 0 || node === null || node === undefined) return;
    if (isScalar(node)) {
      if (node.value === value && node.range) found.push({ range: [node.range[0], node.range[1]], folded: node.type === 'BLOCK_FOLDED' });
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) visit(item);
    } else if (isPair(node)) {
      visit(node.value);
    }
  };
  for (const document of Array.isArray(documents) ? documents : [documents]) visit(document.contents as YamlNode | null);
  return found[0];
}

/** The place of the first YAML syntax error of a file, undefined when it has none. */
export function yamlSyntaxErrorRange(yamlText: string): TextRange | undefined {
  const documents = parseAllDocuments(yamlText);
  const error = (Array.isArray(documents) ? documents : [documents]).flatMap((document) => document.errors)[0];
  if (!error) return undefined;
  const [start, end] = error.pos;
  return rangeOf(yamlText, start, Math.max(end, start + 1));
}

/**
 * A template file's problem at its place: a Rego error at its line of the block scalar that holds that Rego
 * (`regoSources` are the template's main module then its libs), a YAML error where it is, else the `kind` line.
 */
export function templateProblems(file: string, yamlText: string, regoSources: readonly string[], error: Error): FileProblem[] {
  let range: TextRange | undefined;
  let message = error.message;
  if (error instanceof RegoError) {
    const { lib } = regoModuleOf(error);
    const source = lib === undefined ? regoSources[0] : regoSources[1 + lib];
    range = source === undefined ? undefined : regoErrorRange(yamlText, source, error);
    // In the template file itself the place is the diagnostic's: the message keeps what OPA would say.
    message = `${lib === undefined ? '' : `libs[${lib}]: `}${error.code}: ${error.detail}`;
  }
  range ??= yamlSyntaxErrorRange(yamlText) ?? yamlKeyRange(yamlText, 0, 'kind');
  return [{ file, range, message, severity: 'error' }];
}

/** The line of a top-level key (`kind:`) of the YAML document starting at `documentOffset`; the document's first line otherwise. */
export function yamlKeyRange(yamlText: string, documentOffset: number, key: string): TextRange {
  const tail = yamlText.slice(documentOffset);
  const match = new RegExp(`^${key}[ \\t]*:`, 'm').exec(tail);
  const nextDocument = /^---/m.exec(tail.slice(1));
  const lineEndFrom = (offset: number) => (yamlText.indexOf('\n', offset) < 0 ? yamlText.length : yamlText.indexOf('\n', offset));
  if (!match || (nextDocument && match.index > nextDocument.index + 1)) return rangeOf(yamlText, documentOffset, lineEndFrom(documentOffset));
  const start = documentOffset + match.index;
  return rangeOf(yamlText, start, lineEndFrom(start));
}
