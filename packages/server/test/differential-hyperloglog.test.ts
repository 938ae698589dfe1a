/**
 * HyperLogLog differential test: random PFADD/PFCOUNT/PFMERGE/PFDEBUG sequences (sparse and dense values, corrupt
 * values, WRONGTYPE keys, sparse-limit changes) against Debian's redis-server 7.0.15, byte for byte in RESP2 and
 * RESP3, GET of the values included. HLL_RUNS=2000 runs it longer (DIFF_SEED picks the seed).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, test } from 'vitest';
import { checkSequence, runsFrom, seedOption, sequenceOf, startHarness, type FamilyHarness } from './differential/family-runner.js';
import { HLL_SETUP, hllCommand } from './differential/hll-generators.js';

const RUNS = runsFrom('HLL_RUNS', 60);
let harness: FamilyHarness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

test(`${RUNS} random HyperLogLog sequences reply the same bytes as redis-server`, async () => {
  await fc.assert(
    fc.asyncProperty(sequenceOf(hllCommand, 12), async ({ resp3, commands }) => {
      await checkSequence(harness, resp3, HLL_SETUP, commands);
    }),
    { numRuns: RUNS, ...seedOption() },
  );
}, 600_000);
