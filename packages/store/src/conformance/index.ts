/**
 * @mini-redis/store/conformance: the test suite every Store backend must pass. Call it from a vitest test file:
 *
 *   describeStoreConformance('MyStore', ({ clock, databases }) => new MyStore({ clock, databases }));
 *
 * It needs vitest and fast-check (optional peer dependencies of this package).
 */
import { describe } from 'vitest';
import { describeDataStructures } from './data-structures.js';
import { describeDatabases } from './databases.js';
import { describeExpiry } from './expiry.js';
import type { StoreFactory } from './harness.js';
import { describeKeyspace } from './keyspace.js';
import { describeModel } from './model.js';
import { describeScan } from './scan.js';
import { describeStreams } from './streams.js';

export type { StoreFactory } from './harness.js';

/**
 * Registers the conformance tests for a backend. `factory` must return a new, empty store using the given clock (a
 * `ManualClock` the tests move) and number of databases; the suite closes every store it creates.
 */
export function describeStoreConformance(name: string, factory: StoreFactory): void {
  describe(`Store conformance: ${name}`, () => {
    describeKeyspace(factory);
    describeExpiry(factory);
    describeDatabases(factory);
    describeScan(factory);
    describeDataStructures(factory);
    describeModel(factory);
    describeStreams(factory);
  });
}
