/**
 * Property tests of the engine on generated and mutated manifests: analysis never throws and keeps its offsets in
 * range, every offered quick fix and Fix All is sound, CRLF and a BOM move nothing, and an analyzer reused across
 * edits agrees with a fresh one. Inputs are bounded (a few documents, a few mutations); each property stops at its
 * run count or time budget.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FileAnalyzer } from '../../../server/src/model/cache';
import { fuzzParameters, testTimeout } from '../../fuzz/config';
import {
  ALL_PROFILES,
  analyze,
  fixAllProblems,
  invariantProblems,
  placed,
  positionedFindings,
  PROFILES,
  quickFixProblems,
  type Profile,
} from '../../fuzz/engine';
import { applyMutation, crlfManifestText, manifestText, mutatedManifestText, mutation, toCrlf } from '../../fuzz/manifests';

const BUDGET_MS = 2_000;
const profile = fc.constantFrom<Profile>(...ALL_PROFILES);

/** Generated manifests in every spelling the fixes must keep: LF, CRLF, and with a byte order mark. */
const wellFormed = fc.oneof(manifestText(), crlfManifestText(), manifestText().map((text) => `\uFEFF${text}`));

function analysisProblems(text: string, under: Profile): string[] {
  let analysis;
  try {
    analysis = analyze(text, under);
  } catch (error) {
    return [`analyze threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`];
  }
  return invariantProblems(analysis);
}

describe('engine fuzzing: analysis', () => {
  it('never throws on generated manifests, and keeps every offset inside its document', testTimeout(BUDGET_MS), () => {
    fc.assert(
      fc.property(wellFormed, profile, (text, under) => assert.deepEqual(analysisProblems(text, under), [])),
      fuzzParameters(300, BUDGET_MS),
    );
  });

  it('never throws on mutated manifests (characters deleted, inserted, replaced; bytes spliced in)', testTimeout(BUDGET_MS), () => {
    fc.assert(
      fc.property(mutatedManifestText(), profile, (text, under) => assert.deepEqual(analysisProblems(text, under), [])),
      fuzzParameters(500, BUDGET_MS),
    );
  });

  it('finds something in a fair share of generated manifests (the generator reaches the rules)', () => {
    const samples = fc.sample(manifestText(), { numRuns: 100, seed: 4242 });
    const withFindings = samples.filter((text) => placed(analyze(text, PROFILES.restrictedDeny)).some((item) => item.kind === 'finding')).length;
    assert.ok(withFindings >= 30, `only ${withFindings} of 100 generated manifests have findings under Restricted`);
  });
});

describe('engine fuzzing: code actions', () => {
  it('every quick fix offered on a generated manifest applies, parses, and lowers its template\'s findings', testTimeout(BUDGET_MS), () => {
    fc.assert(
      fc.property(wellFormed, profile, (text, under) => assert.deepEqual(quickFixProblems(analyze(text, under)), [])),
      fuzzParameters(200, BUDGET_MS),
    );
  });

  it('every quick fix offered on a mutated manifest applies, parses, and lowers its template\'s findings', testTimeout(BUDGET_MS), () => {
    fc.assert(
      fc.property(mutatedManifestText(), profile, (text, under) => assert.deepEqual(quickFixProblems(analyze(text, under)), [])),
      fuzzParameters(200, BUDGET_MS),
    );
  });

  it('Fix All applies, keeps every document parsing, and lowers the findings without raising any template', testTimeout(BUDGET_MS), () => {
    fc.assert(
      fc.property(fc.oneof(wellFormed, mutatedManifestText()), profile, (text, under) => assert.deepEqual(fixAllProblems(analyze(text, under)), [])),
      fuzzParameters(200, BUDGET_MS),
    );
  });
});

describe('engine fuzzing: spellings and reuse', () => {
  it('CRLF line endings and a byte order mark leave every finding on its line and column', testTimeout(BUDGET_MS), () => {
    fc.assert(
      fc.property(manifestText(), profile, (text, under) => {
        const expected = positionedFindings(analyze(text, under));
        assert.deepEqual(positionedFindings(analyze(toCrlf(text), under)), expected, 'CRLF');
        // The BOM is one UTF-16 unit at the start of line 0; every other line is unchanged.
        const withBom = positionedFindings(analyze(`\uFEFF${text}`, under)).map((finding) => (finding.line === 0 ? { ...finding, character: finding.character - 1 } : finding));
        assert.deepEqual(withBom, expected, 'BOM');
      }),
      fuzzParameters(200, BUDGET_MS),
    );
  });

  it('an analyzer reused across a sequence of edits agrees with a fresh analysis of each text', testTimeout(BUDGET_MS), () => {
    fc.assert(
      fc.property(manifestText(), fc.array(mutation, { minLength: 1, maxLength: 8 }), profile, (start, mutations, under) => {
        const reused = new FileAnalyzer();
        let text = start;
        analyze(text, under, reused);
        for (const change of mutations) {
          text = applyMutation(text, change);
          assert.deepEqual(placed(analyze(text, under, reused)), placed(analyze(text, under)));
        }
      }),
      fuzzParameters(200, BUDGET_MS),
    );
  });
});
