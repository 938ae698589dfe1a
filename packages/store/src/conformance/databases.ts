/** Conformance: database isolation, flush, flushAll, swap, and the change events of every operation. */
import { describe, expect, test } from 'vitest';
import { createList } from '../list.js';
import { useHarness, type StoreFactory } from './harness.js';

export function describeDatabases(factory: StoreFactory): void {
  describe('databases', () => {
    const setup = useHarness(factory);

    test('db(index) gives each index its own keyspace and rejects out-of-range indexes', () => {
      const { store } = setup(3);
      expect(store.databaseCount).toBe(3);
      expect(store.db(1).index).toBe(1);
      store.db(0).set('k', 'zero');
      store.db(1).set('k', 'one');
      expect(store.db(0).get('k')).toBe('zero');
      expect(store.db(1).get('k')).toBe('one');
      expect(store.db(2).has('k')).toBe(false);
      expect(() => store.db(3)).toThrow(RangeError);
      expect(() => store.db(-1)).toThrow(RangeError);
      expect(() => store.db(0.5)).toThrow(RangeError);
    });

    test('flush empties one database, flushAll every database', () => {
      const { store, clock } = setup(3);
      store.db(0).set('a', 'v', { expireAt: clock.now() + 100 });
      store.db(1).set('b', 'v');
      store.db(2).set('c', 'v');
      store.db(0).flush();
      expect(store.db(0).size()).toBe(0);
      expect(store.db(0).expiringCount()).toBe(0);
      expect(store.db(1).size()).toBe(1);
      store.flushAll();
      expect([0, 1, 2].map((index) => store.db(index).size())).toEqual([0, 0, 0]);
      store.db(0).set('a', 'again');
      expect(store.db(0).getExpire('a')).toBeUndefined();
    });

    test('swap exchanges contents, TTLs included; indexes stay', () => {
      const { store, clock } = setup(3);
      const zero = store.db(0);
      const two = store.db(2);
      zero.set('a', 'from zero', { expireAt: clock.now() + 100 });
      two.set('b', 'from two');
      store.swap(0, 2);
      expect(store.db(0)).toBe(zero);
      expect(zero.index).toBe(0);
      expect(zero.get('b')).toBe('from two');
      expect(zero.has('a')).toBe(false);
      expect(two.get('a')).toBe('from zero');
      expect(two.getExpire('a')).toBe(clock.now() + 100);
      clock.advance(100);
      expect(two.size()).toBe(0);
      store.swap(1, 1);
      expect(() => store.swap(0, 3)).toThrow(RangeError);
    });

    test('change events carry kind, db, key, event, other and created (a set that adds the key)', () => {
      const { store, clock, changes } = setup(3);
      const db = store.db(1);
      db.set('k', createList(['a']));
      db.setExpire('k', clock.now() + 10);
      db.persist('k');
      db.touch('k', 'rpush');
      db.delete('k');
      db.delete('k');
      db.set('t', 'v', { expireAt: clock.now() + 5 });
      db.set('t', 'w', { keepTtl: true });
      clock.advance(5);
      db.get('t');
      db.flush();
      store.swap(1, 2);
      expect(changes).toEqual([
        { kind: 'set', db: 1, key: 'k', created: true },
        { kind: 'expire', db: 1, key: 'k' },
        { kind: 'expire', db: 1, key: 'k' },
        { kind: 'modified', db: 1, key: 'k', event: 'rpush' },
        { kind: 'deleted', db: 1, key: 'k' },
        { kind: 'set', db: 1, key: 't', created: true },
        { kind: 'set', db: 1, key: 't' },
        { kind: 'expired', db: 1, key: 't' },
        { kind: 'flushed', db: 1, key: undefined },
        { kind: 'swapped', db: 1, key: undefined, other: 2 },
      ]);
      changes.length = 0;
      store.flushAll();
      expect(changes).toEqual([0, 1, 2].map((index) => ({ kind: 'flushed', db: index, key: undefined })));
    });

    test('onChange returns an unsubscribe; listeners run synchronously in order', () => {
      const { store } = setup();
      const seen: string[] = [];
      const stopFirst = store.onChange((change) => seen.push(`first ${change.kind}`));
      const stopSecond = store.onChange((change) => {
        seen.push(`second ${change.kind}`);
        stopSecond();
      });
      store.db(0).set('k', 'v');
      expect(seen).toEqual(['first set', 'second set']);
      stopFirst();
      stopFirst();
      store.db(0).delete('k');
      expect(seen).toEqual(['first set', 'second set']);
    });

    test('reads report nothing', () => {
      const { store, changes } = setup();
      const db = store.db(0);
      db.set('k', 'v');
      changes.length = 0;
      db.get('k');
      db.has('k');
      db.type('k');
      db.getExpire('k');
      db.size();
      Array.from(db.keys());
      db.scan(0, 10);
      db.randomKey();
      db.persist('k');
      expect(changes).toEqual([]);
    });
  });
}
