/** Conformance: TTLs on a manual clock, lazy expiry invisibility, active expiry. */
import { describe, expect, test } from 'vitest';
import { createList } from '../list.js';
import { scanAll, useHarness, type StoreFactory } from './harness.js';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

export function describeExpiry(factory: StoreFactory): void {
  describe('expiry', () => {
    const setup = useHarness(factory);

    test('set with expireAt, getExpire, persist', () => {
      const { store, clock } = setup();
      const db = store.db(0);
      const at = clock.now() + 1000;
      db.set('k', 'v', { expireAt: at });
      expect(db.getExpire('k')).toBe(at);
      expect(db.expiringCount()).toBe(1);
      expect(db.persist('k')).toBe(true);
      expect(db.persist('k')).toBe(false);
      expect(db.getExpire('k')).toBeUndefined();
      expect(db.expiringCount()).toBe(0);
      clock.advance(2000);
      expect(db.get('k')).toBe('v');
      expect(db.getExpire('missing')).toBeUndefined();
      expect(db.persist('missing')).toBe(false);
    });

    test('a key expires exactly at its time', () => {
      const { store, clock } = setup();
      const db = store.db(0);
      db.set('k', 'v', { expireAt: clock.now() + 100 });
      clock.advance(99);
      expect(db.get('k')).toBe('v');
      clock.advance(1);
      expect(db.get('k')).toBeUndefined();
    });

    test('set clears the TTL unless keepTtl; setExpire replaces it', () => {
      const { store, clock } = setup();
      const db = store.db(0);
      const at = clock.now() + 1000;
      db.set('k', 'v', { expireAt: at });
      db.set('k', 'w', { keepTtl: true });
      expect(db.getExpire('k')).toBe(at);
      db.set('k', 'x');
      expect(db.getExpire('k')).toBeUndefined();
      expect(db.setExpire('k', at + 5)).toBe(true);
      expect(db.getExpire('k')).toBe(at + 5);
      expect(db.setExpire('missing', at)).toBe(false);
      expect(db.has('missing')).toBe(false);
    });

    test('a past or present time deletes the key at once', () => {
      const { store, clock, changes } = setup();
      const db = store.db(0);
      db.set('k', 'v');
      changes.length = 0;
      expect(db.setExpire('k', clock.now())).toBe(true);
      expect(db.has('k')).toBe(false);
      expect(changes).toEqual([{ kind: 'deleted', db: 0, key: 'k' }]);
      db.set('k', 'v');
      db.set('k', 'w', { expireAt: clock.now() - 1 });
      expect(db.has('k')).toBe(false);
      expect(db.size()).toBe(0);
      db.set('fresh', 'v', { expireAt: clock.now() - 1 });
      expect(db.has('fresh')).toBe(false);
    });

    test('expired keys are invisible everywhere before anything reclaims them', () => {
      const { store, clock } = setup();
      const db = store.db(0);
      for (let index = 0; index < 20; index++) {
        db.set(`short${index}`, 'v', { expireAt: clock.now() + 10 });
        db.set(`long${index}`, createList(['x']), { expireAt: clock.now() + 10_000 });
        db.set(`forever${index}`, 'v');
      }
      clock.advance(10);
      const live = [...Array.from({ length: 20 }, (_, index) => [`long${index}`, `forever${index}`])].flat().sort();
      expect(db.size()).toBe(40);
      expect(db.expiringCount()).toBe(20);
      expect([...db.keys()].sort()).toEqual(live);
      expect([...new Set(scanAll((cursor) => db.scan(cursor, 7)))].sort()).toEqual(live);
      for (let draw = 0; draw < 50; draw++) expect(live).toContain(db.randomKey());
      expect(db.get('short0')).toBeUndefined();
      expect(db.has('short1')).toBe(false);
      expect(db.type('short2')).toBeUndefined();
      expect(db.getExpire('short3')).toBeUndefined();
      expect(db.getTyped('short4', 'list')).toBeUndefined();
      expect(db.delete('short5')).toBe(false);
      expect(db.setExpire('short6', clock.now() + 100)).toBe(false);
      expect(db.persist('short7')).toBe(false);
    });

    test('each accessor expires lazily and reports expired once', () => {
      const { store, clock, changes } = setup();
      const db = store.db(2);
      const accessors = [
        (key: string) => db.get(key),
        (key: string) => db.has(key),
        (key: string) => db.type(key),
        (key: string) => db.getExpire(key),
        (key: string) => db.getTyped(key, 'string'),
        (key: string) => db.delete(key),
      ];
      accessors.forEach((_, index) => db.set(`k${index}`, 'v', { expireAt: clock.now() + 5 }));
      clock.advance(5);
      changes.length = 0;
      accessors.forEach((access, index) => {
        access(`k${index}`);
        access(`k${index}`);
      });
      expect(changes).toEqual(accessors.map((_, index) => ({ kind: 'expired', db: 2, key: `k${index}` })));
    });

    test('a new value on an expired key starts without the old TTL', () => {
      const { store, clock } = setup();
      const db = store.db(0);
      db.set('k', 'v', { expireAt: clock.now() + 5 });
      clock.advance(10);
      db.set('k', 'w', { keepTtl: true });
      expect(db.get('k')).toBe('w');
      expect(db.getExpire('k')).toBeUndefined();
    });

    test('expireCycle reclaims expired keys nobody reads', () => {
      const { store, clock, changes } = setup();
      for (let index = 0; index < 300; index++) {
        store.db(index % 2).set(`k${index}`, 'v', { expireAt: clock.now() + 1 + (index % 3) });
      }
      store.db(0).set('kept', 'v', { expireAt: clock.now() + 10_000 });
      clock.advance(3);
      changes.length = 0;
      let reclaimed = 0;
      for (let cycles = 0; cycles < 10_000; cycles++) {
        const step = store.expireCycle();
        if (step === 0) break;
        reclaimed += step;
      }
      expect(reclaimed).toBe(300);
      expect(changes.length).toBe(300);
      expect(changes.every((change) => change.kind === 'expired')).toBe(true);
      expect(new Set(changes.map((change) => change.key)).size).toBe(300);
      expect(store.expireCycle()).toBe(0);
      expect(store.db(0).size() + store.db(1).size()).toBe(1);
    });

    test('times past 2^53 ms are kept exactly (getExpireExact), as Redis keeps int64 times', () => {
      const { store, clock, changes } = setup();
      const db = store.db(0);
      expect(typeof db.getExpireExact).toBe('function');
      const exact = (key: string) => db.getExpireExact!(key);
      const unsafe = 2n ** 53n + 1n;
      db.set('k', 'v', { expireAt: unsafe });
      expect(exact('k')).toBe(unsafe);
      expect(db.getExpire('k')).toBe(Number(unsafe));
      expect(db.expiringCount()).toBe(1);
      for (const at of [2n ** 53n + 3n, 2n ** 62n + 1n, INT64_MAX, 2n ** 53n, 2n ** 53n - 1n]) {
        expect(db.setExpire('k', at)).toBe(true);
        expect(exact('k')).toBe(at);
        expect(db.getExpire('k')).toBe(Number(at));
      }
      // A number replaces an exact time; a safe bigint is the same as the number.
      db.setExpire('k', INT64_MAX);
      db.setExpire('k', clock.now() + 1000);
      expect(exact('k')).toBe(BigInt(clock.now() + 1000));
      expect(db.getExpire('k')).toBe(clock.now() + 1000);
      db.setExpire('k', BigInt(clock.now() + 2000));
      expect(db.getExpire('k')).toBe(clock.now() + 2000);
      expect(exact('k')).toBe(BigInt(clock.now() + 2000));
      // keepTtl keeps the exact time; a plain set, persist and delete drop it.
      db.set('k', 'w', { expireAt: INT64_MAX - 2n });
      db.set('k', 'x', { keepTtl: true });
      expect(exact('k')).toBe(INT64_MAX - 2n);
      db.set('k', 'y');
      expect(exact('k')).toBeUndefined();
      expect(db.getExpire('k')).toBeUndefined();
      db.setExpire('k', unsafe);
      changes.length = 0;
      expect(db.persist('k')).toBe(true);
      expect(changes).toEqual([{ kind: 'expire', db: 0, key: 'k' }]);
      expect(exact('k')).toBeUndefined();
      db.setExpire('k', unsafe);
      db.delete('k');
      db.set('k', 'again');
      expect(exact('k')).toBeUndefined();
      expect(exact('missing')).toBeUndefined();
      // Far times never come due.
      db.set('far', 'v', { expireAt: INT64_MAX });
      clock.advance(10 ** 9);
      expect(store.expireCycle()).toBe(0);
      expect(db.get('far')).toBe('v');
      expect(exact('far')).toBe(INT64_MAX);
    });

    test('negative and far-past bigint times delete the key at once', () => {
      const { store, changes } = setup();
      const db = store.db(0);
      db.set('k', 'v');
      changes.length = 0;
      expect(db.setExpire('k', INT64_MIN)).toBe(true);
      expect(db.has('k')).toBe(false);
      expect(changes).toEqual([{ kind: 'deleted', db: 0, key: 'k' }]);
      db.set('k', 'v', { expireAt: -(2n ** 53n) - 1n });
      expect(db.has('k')).toBe(false);
      expect(db.setExpire('missing', INT64_MAX)).toBe(false);
    });

    test('exact times move with the key: swap, flush, other databases', () => {
      const { store } = setup();
      const zero = store.db(0);
      const one = store.db(1);
      zero.set('a', 'v', { expireAt: 2n ** 60n + 7n });
      one.set('a', 'w', { expireAt: 2n ** 61n + 9n });
      expect(zero.getExpireExact!('a')).toBe(2n ** 60n + 7n);
      expect(one.getExpireExact!('a')).toBe(2n ** 61n + 9n);
      store.swap(0, 1);
      expect(zero.getExpireExact!('a')).toBe(2n ** 61n + 9n);
      expect(one.getExpireExact!('a')).toBe(2n ** 60n + 7n);
      zero.flush();
      expect(zero.getExpireExact!('a')).toBeUndefined();
      zero.set('a', 'v');
      zero.setExpire('a', 2n ** 53n + 5n);
      expect(zero.getExpireExact!('a')).toBe(2n ** 53n + 5n);
      expect(one.getExpireExact!('a')).toBe(2n ** 60n + 7n);
    });

    test('expireCycle leaves keys that are not due yet', () => {
      const { store, clock } = setup();
      store.db(0).set('k', 'v', { expireAt: clock.now() + 100 });
      clock.advance(99);
      expect(store.expireCycle()).toBe(0);
      expect(store.db(0).has('k')).toBe(true);
    });
  });
}
