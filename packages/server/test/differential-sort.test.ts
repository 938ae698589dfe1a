/**
 * SORT differential test: random SORT / SORT_RO calls over lists, sets and sorted sets of numbers and words, with
 * BY / GET patterns (strings, hash fields, missing keys), LIMIT, ALPHA, DESC and STORE, on top of the seeded keys of
 * every type, against Debian's redis-server 7.0.15, byte for byte in RESP2 and RESP3. Replies whose order Redis leaves
 * open are compared as multisets (differential/sort-generators.ts). SORT_RUNS=5000 runs it longer.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, test } from 'vitest';
import { checkSequence, runsFrom, seedOption, startHarness, type FamilyHarness } from './differential/family-runner.js';
import { sortNormaliser, sortSetup, sortStepCommand } from './differential/sort-generators.js';

const RUNS = runsFrom('SORT_RUNS', 80);
let harness: FamilyHarness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

test(`${RUNS} random SORT sequences reply the same bytes as redis-server`, async () => {
  const sequence = fc.record({
    resp3: fc.boolean(),
    setup: sortSetup,
    commands: fc.array(sortStepCommand, { minLength: 1, maxLength: 8 }),
  });
  await fc.assert(
    fc.asyncProperty(sequence, async ({ resp3, setup, commands }) => {
      await checkSequence(harness, resp3, setup, commands, sortNormaliser());
    }),
    { numRuns: RUNS, ...seedOption() },
  );
}, 600_000);
