/** Conformance: SCAN returns every key present for the whole scan, under concurrent writes, and terminates. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { scanAll, useHarness, type StoreFactory } from './harness.js';

/** What happens between two SCAN calls. */
const stepArbitrary = fc.record({
  count: fc.integer({ min: 1, max: 40 }),
  deletes: fc.array(fc.nat(), { maxLength: 60 }),
  adds: fc.nat({ max: 20 }),
  readds: fc.array(fc.nat(), { maxLength: 10 }),
  flushHalf: fc.boolean(),
});

export function describeScan(factory: StoreFactory): void {
  describe('scan', () => {
    const setup = useHarness(factory);

    test('an empty database ends at once', () => {
      const { store } = setup();
      expect(store.db(0).scan(0, 10)).toEqual({ cursor: 0, keys: [] });
    });

    test('without writes, a scan returns every key', () => {
      const { store } = setup();
      const db = store.db(0);
      const keys = Array.from({ length: 1000 }, (_, index) => `key:${index}`);
      for (const key of keys) db.set(key, 'v');
      for (const count of [1, 10, 100, 5000]) {
        expect([...new Set(scanAll((cursor) => db.scan(cursor, count)))].sort()).toEqual([...keys].sort());
      }
    });

    test('a scan ends even when the database is flushed or swapped under it', () => {
      const { store } = setup(2);
      const db = store.db(0);
      for (let index = 0; index < 500; index++) {
        db.set(`a${index}`, 'v');
        store.db(1).set(`b${index}`, 'v');
      }
      let cursor = db.scan(0, 50).cursor;
      store.swap(0, 1);
      cursor = db.scan(cursor, 50).cursor;
      db.flush();
      for (let index = 0; index < 100; index++) db.set(`c${index}`, 'v');
      let calls = 0;
      while (cursor !== 0) {
        expect(++calls).toBeLessThan(1000);
        cursor = db.scan(cursor, 10).cursor;
      }
      for (const foreign of [Number.MAX_SAFE_INTEGER, 123_456_789, 1]) {
        let next = foreign;
        for (calls = 0; next !== 0; calls++) {
          expect(calls).toBeLessThan(1000);
          next = db.scan(next, 10).cursor;
        }
      }
    });

    test('keys present for the whole scan are all returned under random adds and deletes', () => {
      fc.assert(
        fc.property(
          fc.nat({ max: 600 }),
          fc.array(stepArbitrary, { minLength: 1, maxLength: 60 }),
          (initial, steps) => {
            // Arrange
            const { store } = setup(1);
            const db = store.db(0);
            const live = new Set<string>();
            for (let index = 0; index < initial; index++) {
              db.set(`k${index}`, 'v');
              live.add(`k${index}`);
            }
            const stable = new Set(live);
            const deleted: string[] = [];
            const returned = new Set<string>();
            let added = 0;
            // Act
            let cursor = 0;
            for (let calls = 0; ; calls++) {
              if (calls > 100_000) throw new Error('SCAN did not terminate');
              // Writes happen between the first steps.length calls; after that the scan must run to its end.
              const step = steps[Math.min(calls, steps.length - 1)]!;
              const result = db.scan(cursor, step.count);
              for (const key of result.keys) {
                expect(live.has(key)).toBe(true);
                returned.add(key);
              }
              cursor = result.cursor;
              if (cursor === 0) break;
              if (calls >= steps.length) continue;
              const remove = (key: string) => {
                db.delete(key);
                live.delete(key);
                stable.delete(key);
                deleted.push(key);
              };
              let candidates = [...live];
              if (step.flushHalf && calls < 3) candidates.filter((_, index) => index % 2 === 0).forEach(remove);
              candidates = [...live];
              for (const pick of step.deletes) {
                const key = candidates[pick % Math.max(1, candidates.length)];
                if (key !== undefined && live.has(key)) remove(key);
              }
              for (let index = 0; index < step.adds; index++) {
                const key = `new${added++}`;
                db.set(key, 'v');
                live.add(key);
              }
              for (const pick of step.readds) {
                const key = deleted[pick % Math.max(1, deleted.length)];
                if (key !== undefined && !live.has(key)) {
                  db.set(key, 'again');
                  live.add(key);
                }
              }
              if (live.has(`k${calls}`)) db.set(`k${calls}`, 'overwritten');
            }
            // Assert
            for (const key of stable) expect(returned.has(key)).toBe(true);
          },
        ),
        { numRuns: 60 },
      );
    });
  });
}
