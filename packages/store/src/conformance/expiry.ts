/** Conformance: TTLs on a manual clock, lazy expiry invisibility, active expiry. */
import { describe, expect, test } from 'vitest';
import { createList } from '../list.js';
import { scanAll, useHarness, type StoreFactory } from './harness.js';

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

    test('expireCycle leaves keys that are not due yet', () => {
      const { store, clock } = setup();
      store.db(0).set('k', 'v', { expireAt: clock.now() + 100 });
      clock.advance(99);
      expect(store.expireCycle()).toBe(0);
      expect(store.db(0).has('k')).toBe(true);
    });
  });
}
