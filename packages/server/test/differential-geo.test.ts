/**
 * Geo differential test: random GEOADD / GEODIST / GEOHASH / GEOPOS / GEOSEARCH[STORE] / GEORADIUS[BYMEMBER][_RO]
 * sequences around several centres (equator, poles, antimeridian) against Debian's redis-server 7.0.15, byte for
 * byte in RESP2 and RESP3: the cells searched, distances, coordinates, hashes, order and errors. GEO_RUNS=5000 runs
 * it longer (DIFF_SEED picks the seed).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, test } from 'vitest';
import { checkSequence, runsFrom, seedOption, sequenceOf, startHarness, type FamilyHarness } from './differential/family-runner.js';
import { geoCommand } from './differential/geo-generators.js';

const RUNS = runsFrom('GEO_RUNS', 100);
let harness: FamilyHarness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

test(`${RUNS} random geo sequences reply the same bytes as redis-server`, async () => {
  await fc.assert(
    fc.asyncProperty(sequenceOf(geoCommand, 15), async ({ resp3, commands }) => {
      await checkSequence(harness, resp3, [], commands);
    }),
    { numRuns: RUNS, ...seedOption() },
  );
}, 600_000);
