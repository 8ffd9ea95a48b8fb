/**
 * The engine on the hostile inputs named by issue 4. Each case checks what the user sees (findings on the right
 * line, or one notice saying why the document is not checked), that nothing throws, and that quick fixes and Fix
 * All stay correct or are not offered.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Alias, parseDocument, visit, type Document } from 'yaml';
import { MAX_JSON_NODES } from '../../../server/src/model/parse';
import { fuzzParameters, testTimeout } from '../../fuzz/config';
import {
  analyze,
  applyAction,
  fixAllAction,
  fixAllProblems,
  hasBareLineFeed,
  invariantProblems,
  placed,
  positionedFindings,
  PROFILES,
  quickFixProblems,
  type Analysis,
} from '../../fuzz/engine';
import {
  billionLaughs,
  billionLaughsInLargeDocument,
  binaryGarbage,
  deepBlockMapping,
  deepBlockSequence,
  deepFlowMapping,
  deepFlowSequence,
  INVALID_UTF8_PRIVILEGED_LINE,
  LONG_LINE_PRIVILEGED_LINE,
  manyEmptyDocumentsThenPod,
  MANY_VIOLATIONS_POD,
  ONLY_MARKERS,
  oneLinePod,
  POD_WITH_LONE_SURROGATES,
  podWithInvalidUtf8,
  podWithLongLine,
  PRIVILEGED_LINE,
  PRIVILEGED_POD,
  TAB_INDENTED_POD,
  TAB_SEPARATED_POD,
} from '../../fuzz/hostile';
import { toCrlf } from '../../fuzz/manifests';

/** Hostile inputs are large; a case that takes minutes has hung, and the runner stops it here. */
const HOSTILE_TIMEOUT = { timeout: 60_000 };
const PRIVILEGED = 'k8sazurev2noprivilege';

/** No throw, offsets in range, and every quick fix and Fix All sound (or not offered). */
function analyzeSoundly(text: string, profile = PROFILES.baselineAudit): Analysis {
  const analysis = analyze(text, profile);
  assert.deepEqual(invariantProblems(analysis), [], 'invariants');
  assert.deepEqual(quickFixProblems(analysis), [], 'quick fixes');
  assert.deepEqual(fixAllProblems(analysis), [], 'fix all');
  return analysis;
}

function findings(analysis: Analysis) {
  return placed(analysis).filter((item) => item.kind === 'finding');
}

function notices(analysis: Analysis) {
  return placed(analysis).filter((item) => item.kind === 'notice');
}

/** Exactly one notice, an Information that says the document is not checked, and no findings. */
function assertNotCheckedWithInformation(analysis: Analysis): void {
  assert.deepEqual(findings(analysis), [], 'no findings');
  const all = notices(analysis).map((notice) => `${notice.label}: ${notice.message}`);
  assert.equal(all.length, 1, `expected one notice, got ${JSON.stringify(all)}`);
  assert.match(all[0], /^information: AKS Policy: this document is not checked/, 'the notice is an Information saying the document is not checked');
}

/** The single privileged finding, on `line`. */
function assertPrivilegedOnLine(analysis: Analysis, line: number): void {
  const positioned = positionedFindings(analysis);
  assert.deepEqual(
    positioned.map((finding) => [finding.template, finding.line]),
    [[PRIVILEGED, line]],
  );
}

function countNodes(doc: Document): number {
  let count = 0;
  visit(doc, {
    Node: () => {
      count++;
    },
  });
  return count;
}

/**
 * Counts the YAML nodes that alias resolution walks. `Alias.resolve(doc)` without a cache visits the whole
 * document on every call, so a document with many aliases costs (aliases × nodes): work, not time, is measured.
 */
function nodesWalkedByAliasResolution(run: () => void): number {
  const original = Alias.prototype.resolve;
  const sizes = new WeakMap<Document, number>();
  let walked = 0;
  Alias.prototype.resolve = function resolveCounted(this: Alias, ...args: Parameters<Alias['resolve']>) {
    const [doc, context] = args;
    if (!context?.aliasResolveCache) {
      const size = sizes.get(doc) ?? countNodes(doc);
      sizes.set(doc, size);
      walked += size;
    }
    return original.apply(this, args);
  };
  try {
    run();
  } finally {
    Alias.prototype.resolve = original;
  }
  return walked;
}

describe('hostile input: alias bombs', () => {
  it('a billion laughs is not checked, with an Information that says why', HOSTILE_TIMEOUT, () => {
    const analysis = analyzeSoundly(billionLaughs());
    assertNotCheckedWithInformation(analysis);
    assert.match(notices(analysis)[0].message, /aliases/);
  });

  it('a billion laughs does not cost the file\'s other documents their findings', HOSTILE_TIMEOUT, () => {
    const analysis = analyzeSoundly(`${PRIVILEGED_POD}---\n${billionLaughs()}`);
    assertPrivilegedOnLine(analysis, PRIVILEGED_LINE);
    assert.equal(notices(analysis).length, 1);
  });

  it('expanding aliases costs work linear in the document, not aliases × document size (a bomb in a 1,000-label Pod)', HOSTILE_TIMEOUT, () => {
    // Measured on a smaller bomb (3 levels, 9 + 81 + 729 aliases: legal), which finishes quickly either way; the
    // budget allows every alias to be expanded and the document to be walked ten times over.
    const legal = billionLaughsInLargeDocument(1_000, 3);
    let analysis: Analysis | undefined;
    const walked = nodesWalkedByAliasResolution(() => {
      analysis = analyze(legal, PROFILES.baselineAudit);
    });
    const documentNodes = countNodes(parseDocument(legal));
    const budget = 10 * (documentNodes + 9 + 81 + 729);
    assert.ok(
      walked <= budget,
      `resolving the aliases of a ${legal.length}-character document walked ${walked.toLocaleString('en')} YAML nodes (budget ${budget.toLocaleString('en')}): ` +
        'each alias expansion walks the whole document (Alias.resolve without a cache in server/src/model/parse.ts toJson), ' +
        `so a billion laughs in this Pod (up to ${MAX_JSON_NODES.toLocaleString('en')} expansions) takes about a minute instead of being refused at once`,
    );
    assert.equal(analysis?.documents[0].parsed.status, 'ok');
  });
});

describe('hostile input: 20,000-deep nesting', () => {
  const cases: [string, () => string][] = [
    ['flow sequences', () => deepFlowSequence(20_000)],
    ['flow mappings', () => deepFlowMapping(20_000)],
    ['block sequences (compact, on one line)', () => deepBlockSequence(20_000)],
    ['block mappings (2,000 deep: one more space per level)', () => deepBlockMapping(2_000)],
    ['flow sequences just over the limit (300 deep)', () => deepFlowSequence(300)],
  ];
  for (const [name, build] of cases) {
    it(`${name}: not checked, with one Information that says why (as for 257 levels)`, HOSTILE_TIMEOUT, () => {
      assertNotCheckedWithInformation(analyzeSoundly(build()));
    });
  }

  it('a deep document does not cost the file\'s other documents their findings', HOSTILE_TIMEOUT, () => {
    const analysis = analyzeSoundly(`${PRIVILEGED_POD}---\n${deepBlockSequence(20_000)}`);
    assert.deepEqual(
      findings(analysis).map((finding) => finding.label),
      [PRIVILEGED],
    );
  });
});

describe('hostile input: binary and broken text', () => {
  for (const encoding of ['utf8', 'latin1'] as const) {
    it(`a megabyte of random bytes read as ${encoding}: no throw, no findings`, HOSTILE_TIMEOUT, () => {
      const analysis = analyzeSoundly(binaryGarbage(1 << 20, 0xbad, encoding));
      assert.deepEqual(findings(analysis), []);
    });
  }

  it('random bytes of any kind, read as UTF-8 or Latin-1, never make the engine throw', testTimeout(2_000), () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4_096 }), fc.constantFrom<BufferEncoding>('utf8', 'latin1'), (bytes, encoding) => {
        assert.deepEqual(invariantProblems(analyze(Buffer.from(bytes).toString(encoding), PROFILES.restrictedDeny)), []);
      }),
      fuzzParameters(300, 2_000),
    );
  });

  it('invalid UTF-8, decoded with replacement characters, leaves the finding on its line', HOSTILE_TIMEOUT, () => {
    const text = podWithInvalidUtf8();
    assert.ok(text.includes('\uFFFD'));
    assertPrivilegedOnLine(analyzeSoundly(text), INVALID_UTF8_PRIVILEGED_LINE);
  });

  it('lone UTF-16 surrogates and an emoji before the culprit: the column counts UTF-16 units, as LSP does', HOSTILE_TIMEOUT, () => {
    const analysis = analyzeSoundly(POD_WITH_LONE_SURROGATES);
    const [finding] = positionedFindings(analysis);
    const line = POD_WITH_LONE_SURROGATES.split('\n')[finding.line];
    assert.equal(finding.template, PRIVILEGED);
    assert.equal(finding.character, line.indexOf('privileged: true'));
  });
});

describe('hostile input: BOM, CRLF, tabs', () => {
  it('a byte order mark: findings on the same lines, and fixes keep the BOM', HOSTILE_TIMEOUT, () => {
    for (const prefix of ['\uFEFF', '\uFEFF---\n']) {
      const analysis = analyzeSoundly(prefix + MANY_VIOLATIONS_POD);
      const shift = prefix.includes('---') ? 1 : 0;
      const expected = positionedFindings(analyze(MANY_VIOLATIONS_POD, PROFILES.baselineAudit)).map((finding) => [finding.template, finding.line + shift]);
      assert.deepEqual(
        positionedFindings(analysis).map((finding) => [finding.template, finding.line]),
        expected,
      );
      const fixed = applyAction(analysis.text, fixAllAction(analysis)!);
      assert.ok(fixed.startsWith(prefix), 'Fix All keeps the BOM');
    }
  });

  it('a BOM and a finding on the first line: the suppression comment goes after the BOM, not before it', HOSTILE_TIMEOUT, () => {
    // Found by the property test: a one-line flow Pod after a BOM. Inserting `# aks-policy-ignore …` at offset 0
    // pushes the BOM to the start of line 1, where it is an invisible U+FEFF inside the document.
    const text = '\uFEFF{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: app, image: nginx, securityContext: {privileged: true}}]}}\n';
    const analysis = analyze(text, PROFILES.baselineAudit);
    assertPrivilegedOnLine(analysis, 0);
    assert.deepEqual(quickFixProblems(analysis), []);
  });

  it('CRLF: quick fixes and Fix All keep CRLF, and Fix All makes exactly the LF file\'s edits', HOSTILE_TIMEOUT, () => {
    const crlf = toCrlf(MANY_VIOLATIONS_POD);
    const analysis = analyzeSoundly(crlf);
    assert.deepEqual(positionedFindings(analysis), positionedFindings(analyze(MANY_VIOLATIONS_POD, PROFILES.baselineAudit)));
    const fixedCrlf = applyAction(crlf, fixAllAction(analysis)!);
    const lfAnalysis = analyze(MANY_VIOLATIONS_POD, PROFILES.baselineAudit);
    const fixedLf = applyAction(MANY_VIOLATIONS_POD, fixAllAction(lfAnalysis)!);
    assert.ok(!hasBareLineFeed(fixedCrlf), JSON.stringify(fixedCrlf));
    assert.equal(fixedCrlf, toCrlf(fixedLf));
  });

  it('tab indentation (which YAML forbids): no findings, one Hint that the document is not checked until it parses', HOSTILE_TIMEOUT, () => {
    const analysis = analyzeSoundly(TAB_INDENTED_POD);
    assert.deepEqual(findings(analysis), []);
    assert.deepEqual(
      notices(analysis).map((notice) => notice.label),
      ['hint'],
    );
    assert.match(notices(analysis)[0].message, /not checked until it parses/);
  });

  it('tabs where YAML allows them (after a colon, before a comment): checked as usual', HOSTILE_TIMEOUT, () => {
    assertPrivilegedOnLine(analyzeSoundly(TAB_SEPARATED_POD), PRIVILEGED_LINE);
  });
});

describe('hostile input: size and shape', () => {
  it('a one-megabyte line above the culprit: the finding is on the next line, the fix removes it', HOSTILE_TIMEOUT, () => {
    const analysis = analyzeSoundly(podWithLongLine());
    assertPrivilegedOnLine(analysis, LONG_LINE_PRIVILEGED_LINE);
  });

  it('a whole Pod on one megabyte-long line: the finding is at its column, the fix edits that line', HOSTILE_TIMEOUT, () => {
    const text = oneLinePod();
    const analysis = analyzeSoundly(text);
    const [finding] = positionedFindings(analysis);
    assert.deepEqual([finding.template, finding.line, finding.character], [PRIVILEGED, 0, text.indexOf('privileged: true')]);
  });

  for (const text of ONLY_MARKERS) {
    it(`a document that is only ${JSON.stringify(text)}: nothing reported, nothing offered`, HOSTILE_TIMEOUT, () => {
      const analysis = analyzeSoundly(text);
      assert.deepEqual(placed(analysis), []);
      assert.equal(fixAllAction(analysis), undefined);
    });
  }

  it('10,000 empty documents, then a Pod: its finding is 10,000 lines down', HOSTILE_TIMEOUT, () => {
    const analysis = analyzeSoundly(manyEmptyDocumentsThenPod(10_000));
    assertPrivilegedOnLine(analysis, 10_000 + PRIVILEGED_LINE);
    assert.deepEqual(notices(analysis), []);
  });
});
