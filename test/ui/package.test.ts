// The .vsix that the UI tests install: only what the extension runs and shows, and small.
import * as assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { suite, test } from 'mocha';
import { VSIX } from './workbench';

const MAX_BYTES = 1024 * 1024;
/** What vsce adds itself, and what .vscodeignore lets through. */
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/(package\.json|readme\.md|LICENSE\.txt|changelog\.md)$/i,
  /^extension\/dist\/(extension|server)\.js$/,
  /^extension\/policies\/.+\.json$/,
  /^extension\/policies\/README\.md$/,
  /^extension\/syntaxes\/[^/]+\.json$/,
  /^extension\/images\/icon\.png$/,
];

/** The names in a zip's central directory (a .vsix is a zip); no unzip tool needed. */
function zipEntries(zip: Buffer): string[] {
  const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
  const CENTRAL_FILE_HEADER = 0x02014b50;
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end--;
  if (end < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) throw new Error(`bad central directory entry ${i}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

suite('The packaged .vsix', () => {
  test('carries the bundles, package.json, README, LICENSE, CHANGELOG, policies, syntaxes and the icon, under 1 MB', () => {
    const { size } = statSync(VSIX);
    console.log(`    aks-policy-live.vsix: ${(size / 1024).toFixed(0)} KB`);
    assert.ok(size < MAX_BYTES, `${size} bytes`);
    const entries = zipEntries(readFileSync(VSIX));
    const unexpected = entries.filter((entry) => !ALLOWED.some((allowed) => allowed.test(entry)));
    assert.deepEqual(unexpected, [], 'nothing else: no node_modules, sources, tests or source maps');
    for (const needed of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/images/icon.png']) {
      assert.ok(entries.includes(needed), `${needed} is in the package`);
    }
    assert.ok(entries.some((entry) => entry.startsWith('extension/policies/initiatives/')), 'the initiatives are in the package');
  });
});
