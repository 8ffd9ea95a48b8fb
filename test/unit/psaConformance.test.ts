import { after, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../../server/src/engine/catalog';
import { findPsaTestdata, runPsaConformance } from '../../server/src/psaConformance';

const POD = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: fixture\nspec:\n${spec}`;
const BASE = '  containers:\n  - name: container1\n    image: registry.k8s.io/pause\n';
const PRIVILEGED = '  containers:\n  - name: container1\n    image: registry.k8s.io/pause\n    securityContext:\n      privileged: true\n';
const HOST_PATH = `${BASE}  volumes:\n  - name: host\n    hostPath:\n      path: /a\n`;

/** A corpus laid out as pod-security-admission's test/testdata, under `root`. */
function corpus(root: string, files: Record<string, string>): string {
  const testdata = join(root, 'pod-security-admission', 'test', 'testdata');
  for (const [path, text] of Object.entries(files)) {
    const file = join(testdata, path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  return testdata;
}

/** Runs the conformance and returns its exit code and printed lines. */
function run(testdata: string): { code: number; lines: string[] } {
  const lines: string[] = [];
  const log = mock.method(console, 'log', (line: string) => lines.push(line));
  try {
    return { code: runPsaConformance(testdata, loadCatalog(), 'corpus'), lines };
  } finally {
    log.mock.restore();
  }
}

describe('Pod Security Admission conformance runner', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'aks-policy-psa-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('finds test/testdata from the corpus folder, the folder above it, or testdata itself', () => {
    const testdata = corpus(join(scratch, 'layout'), { 'baseline/v1.37/pass/base.yaml': POD(BASE) });
    for (const folder of [join(scratch, 'layout'), join(scratch, 'layout', 'pod-security-admission'), testdata]) assert.equal(findPsaTestdata(folder), testdata, folder);
    assert.equal(findPsaTestdata(scratch), undefined);
  });

  it('expects the replacing check at the restricted level, and counts every fixture', () => {
    const testdata = corpus(join(scratch, 'agree'), {
      'baseline/v1.37/pass/base.yaml': POD(BASE),
      'baseline/v1.37/fail/privileged0.yaml': POD(PRIVILEGED),
      'baseline/v1.37/fail/hostpathvolumes0.yaml': POD(HOST_PATH),
      'restricted/v1.37/fail/hostpathvolumes0.yaml': POD(HOST_PATH),
    });
    const { code, lines } = run(testdata);
    assert.equal(code, 0);
    assert.ok(lines.includes('| hostPathVolumes | baseline | 0 | 2 | 100% |'), lines.join('\n'));
    assert.equal(lines.at(-1), '4 passed, 0 failed');
  });

  it('reports each disagreement and fails', () => {
    const testdata = corpus(join(scratch, 'disagree'), {
      'baseline/v1.37/pass/privileged0.yaml': POD(PRIVILEGED),
      'baseline/v1.37/fail/privileged1.yaml': POD(BASE),
      'baseline/v1.37/fail/unknowncheck0.yaml': POD(BASE),
      'baseline/v1.36/fail/privileged0.yaml': POD(BASE),
    });
    const { code, lines } = run(testdata);
    assert.equal(code, 1);
    assert.deepEqual(lines.filter((line) => line.startsWith('FAIL') || line.startsWith('Other')), [
      'Other policy versions (not judged, not counted): baseline/v1.36',
      'FAIL privileged: baseline/v1.37/pass/privileged0.yaml: expected allowed, got pss-privileged',
      'FAIL privileged: baseline/v1.37/fail/privileged1.yaml: expected pss-privileged, got no finding',
      'FAIL unknowncheck0.yaml: baseline/v1.37/fail/unknowncheck0.yaml: no check has this name',
    ]);
    assert.equal(lines.at(-1), '0 passed, 3 failed');
  });
});
