/**
 * How long and how hard the fuzz tests run. Each property stops after its run count or its time budget, whichever
 * comes first (a budget cut is not a failure), so `npm test` stays short; the inputs are bounded in size, so one
 * run is bounded too. FUZZ_RUNS_SCALE and FUZZ_TIME_SCALE turn it up for a long local session; FUZZ_SEED replays a failure
 * (fast-check prints the seed and path of every counterexample).
 */
import fc from 'fast-check';

const runsScale = Number(process.env.FUZZ_RUNS_SCALE ?? '1');
const timeScale = Number(process.env.FUZZ_TIME_SCALE ?? '1');
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

export function fuzzParameters(runs: number, budgetMs: number): fc.Parameters<unknown> {
  return {
    numRuns: Math.max(1, Math.round(runs * runsScale)),
    plugins: [fc.interruptAfterTimeLimit(budgetMs * timeScale)],
    ...(seed === undefined || Number.isNaN(seed) ? {} : { seed }),
  };
}

/** The node:test timeout of a property test: its budget plus room for shrinking a counterexample. */
export function testTimeout(budgetMs: number): { timeout: number } {
  return { timeout: budgetMs * timeScale * 4 + 30_000 };
}
