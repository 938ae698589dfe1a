/** Shared setup of the conformance suite: a store on a manual clock, closed after each test, with recorded changes. */
import { afterEach } from 'vitest';
import { ManualClock } from '../clock.js';
import type { Change, Clock, Store } from '../types.js';

/** Builds the backend under test. */
export type StoreFactory = (options: { clock: Clock; databases: number }) => Store;

/** A store under test with its clock and the changes it reported. */
export interface Harness {
  readonly store: Store;
  readonly clock: ManualClock;
  readonly changes: Change[];
}

/** Returns a function creating a fresh harness per call; every store it made is closed after each test. */
export function useHarness(factory: StoreFactory): (databases?: number) => Harness {
  const open: Store[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });
  return (databases = 4) => {
    const clock = new ManualClock();
    const store = factory({ clock, databases });
    open.push(store);
    const changes: Change[] = [];
    store.onChange((change) => changes.push(change));
    return { store, clock, changes };
  };
}

/** Runs a full SCAN, returning every key it yielded (with duplicates) and failing if it does not end. */
export function scanAll(scan: (cursor: number) => { cursor: number; keys: string[] }, maxCalls = 100_000): string[] {
  const keys: string[] = [];
  let cursor = 0;
  for (let calls = 0; calls < maxCalls; calls++) {
    const step = scan(cursor);
    keys.push(...step.keys);
    cursor = step.cursor;
    if (cursor === 0) return keys;
  }
  throw new Error(`SCAN did not terminate within ${maxCalls} calls`);
}
