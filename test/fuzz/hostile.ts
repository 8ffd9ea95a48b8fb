/**
 * Hostile inputs named by issue 4, shared by the engine and the server tests. Each is deterministic, so a failure
 * names one exact input.
 */

/** A Pod with one Baseline violation (`privileged: true` on line 9, 0-based) and nothing else. */
export const PRIVILEGED_POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: hostile',
  'spec:',
  '  containers:',
  '    - name: app',
  '      image: nginx',
  '      securityContext:',
  '        privileged: true',
  '',
].join('\n');
export const PRIVILEGED_LINE = 9;

/** A Pod with one violation of each Baseline rule that has a preferred fix. */
export const MANY_VIOLATIONS_POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: many',
  'spec:',
  '  hostPID: true',
  '  hostIPC: true',
  '  containers:',
  '    - name: app',
  '      image: nginx',
  '      ports:',
  '        - containerPort: 80',
  '          hostPort: 8080',
  '      securityContext:',
  '        privileged: true',
  '        capabilities:',
  '          add: ["NET_ADMIN", "CHOWN"]',
  '',
].join('\n');

/** "Billion laughs": nine levels of nine aliases each, 9^9 values once expanded, in a Pod. */
export function billionLaughs(levels = 9): string {
  const lines = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: laughs', 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let level = 1; level <= levels; level++) lines.push(`l${level}: &l${level} [${Array(9).fill(`*l${level - 1}`).join(', ')}]`);
  lines.push('spec:', '  containers:', '    - name: app', '      image: nginx', `      args: *l${levels}`, '');
  return lines.join('\n');
}

/** The same bomb (or a legal `levels`-deep one) in a Pod of ordinary size: `labels` entries before it, as a large real manifest has. */
export function billionLaughsInLargeDocument(labels = 1_000, levels = 9): string {
  const [head, ...rest] = billionLaughs(levels).split('  name: laughs\n');
  const labelLines = Array.from({ length: labels }, (_, index) => `    label-${index}: value-${index}\n`).join('');
  return `${head}  name: laughs\n  labels:\n${labelLines}${rest.join('')}`;
}

/** A Pod whose container args nest `depth` flow sequences deep: `[[[…]]]`. */
export function deepFlowSequence(depth = 20_000): string {
  return `{apiVersion: v1, kind: Pod, metadata: {name: deep}, spec: {containers: [{name: app, image: nginx, args: ${'['.repeat(depth)}x${']'.repeat(depth)}}]}}\n`;
}

/** A Pod with an annotation nesting `depth` flow mappings deep: `{a: {a: …}}`. */
export function deepFlowMapping(depth = 20_000): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\n  annotations: ${'{a: '.repeat(depth)}x${'}'.repeat(depth)}\nspec:\n  containers:\n    - name: app\n      image: nginx\n`;
}

/** A Pod whose container args nest `depth` block sequences deep, written compactly on one line: `- - - … x`. */
export function deepBlockSequence(depth = 20_000): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec:\n  containers:\n    - name: app\n      image: nginx\n      args:\n        ${'- '.repeat(depth)}x\n`;
}

/** A Pod with block mappings nested `depth` deep, one space of indentation per level (depth² / 2 characters). */
export function deepBlockMapping(depth = 2_000): string {
  const lines = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: deep', '  annotations:'];
  for (let level = 0; level < depth; level++) lines.push(`${' '.repeat(3 + level)}a:`);
  lines.push(`${' '.repeat(3 + depth)}x`, 'spec:', '  containers:', '    - name: app', '      image: nginx', '');
  return lines.join('\n');
}

/** mulberry32: the same "random" bytes on every machine. */
function seededBytes(length: number, seed: number): Buffer {
  let state = seed >>> 0;
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    bytes[index] = (t ^ (t >>> 14)) & 0xff;
  }
  return bytes;
}

/**
 * Random bytes as an editor would decode them: UTF-8 (with replacement characters) or Latin-1. Without `{`, so
 * that the text is not taken for a Helm template (`{{`) and skipped before the YAML parser sees it.
 */
export function binaryGarbage(length: number, seed: number, encoding: 'utf8' | 'latin1'): string {
  const bytes = seededBytes(length, seed).map((byte) => (byte === 0x7b ? 0x28 : byte));
  return Buffer.from(bytes).toString(encoding);
}

/** Byte sequences that are not UTF-8: a lone continuation byte, an overlong `/`, an encoded surrogate, 0xFF, a cut sequence. */
export const INVALID_UTF8_SEQUENCES = [Buffer.from([0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff, 0xfe]), Buffer.from([0xe2, 0x82])];

/**
 * The privileged Pod with invalid UTF-8 in a comment, in a label value and before `privileged` on its line,
 * decoded as an editor does (each bad sequence becomes U+FFFD), with `privileged: true` still on line 10.
 */
export function podWithInvalidUtf8(): string {
  const bad = Buffer.concat(INVALID_UTF8_SEQUENCES);
  const bytes = Buffer.concat([
    Buffer.from('# broken bytes: '),
    bad,
    Buffer.from('\napiVersion: v1\nkind: Pod\nmetadata:\n  name: hostile\n  labels: {note: "'),
    bad,
    Buffer.from('"}\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext: {x: "'),
    bad,
    Buffer.from('", privileged: true}\n'),
  ]);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
export const INVALID_UTF8_PRIVILEGED_LINE = 10;

/** The privileged Pod with lone UTF-16 surrogates (what a string decoded from broken UTF-16 holds) and an emoji before the culprit. */
export const POD_WITH_LONE_SURROGATES = PRIVILEGED_POD.replace('  name: hostile', '  name: hostile\n  annotations: {a: "\uD800", b: "x\uDC00y"}').replace(
  '      securityContext:\n        privileged: true',
  '      securityContext: {note: "😀\uD83D", privileged: true}',
);

/** The privileged Pod indented with tabs, which YAML forbids. */
export const TAB_INDENTED_POD = PRIVILEGED_POD.replace(/^( +)/gm, (spaces) => '\t'.repeat(spaces.length / 2));

/** Tabs where YAML allows them: after a colon and before a comment. */
export const TAB_SEPARATED_POD = PRIVILEGED_POD.replace('privileged: true', 'privileged:\ttrue\t# tab-separated').replace('name: app', 'name:\tapp');

/** The privileged Pod with a one-megabyte annotation on one line above the culprit. */
export function podWithLongLine(length = 1 << 20): string {
  return PRIVILEGED_POD.replace('  name: hostile\n', `  name: hostile\n  annotations: {blob: "${'x'.repeat(length)}"}\n`);
}
export const LONG_LINE_PRIVILEGED_LINE = PRIVILEGED_LINE + 1;

/** A whole privileged Pod on one line of about a megabyte, `privileged: true` at its very end. */
export function oneLinePod(length = 1 << 20): string {
  return `{apiVersion: v1, kind: Pod, metadata: {name: hostile, annotations: {blob: "${'y'.repeat(length)}"}}, spec: {containers: [{name: app, image: nginx, securityContext: {privileged: true}}]}}\n`;
}

export const ONLY_MARKERS = ['---', '---\n', '--- \n', '---\r\n', '---\n...\n', '--- # only a marker\n'];

/** `count` empty documents, then the privileged Pod: its finding is `count` lines further down. */
export function manyEmptyDocumentsThenPod(count = 10_000): string {
  return '---\n'.repeat(count) + PRIVILEGED_POD;
}

/** Roughly `megabytes` MB of real manifests: the privileged Pod over and over, as separate documents. */
export function largeFile(megabytes: number): string {
  const document = `---\n${PRIVILEGED_POD}`;
  return document.repeat(Math.ceil((megabytes * 1024 * 1024) / document.length));
}
