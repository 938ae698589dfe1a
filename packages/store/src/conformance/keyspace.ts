/** Conformance: values of every type round-trip, typed access, delete/has/type, touch. */
import { describe, expect, test } from 'vitest';
import { WrongTypeError } from '../errors.js';
import { createList } from '../list.js';
import { createSortedSet } from '../btree-sorted-set.js';
import { createStream } from '../stream.js';
import type { StreamValue, Value, ValueType } from '../types.js';
import { useHarness, type StoreFactory } from './harness.js';

function sampleValues(): [ValueType, Value][] {
  const sortedSet = createSortedSet();
  sortedSet.add('member', 1.5);
  const stream: StreamValue = createStream();
  return [
    ['string', 'plain \x00\xff bytes'],
    ['string', Buffer.from([0, 1, 255])],
    ['list', createList(['a', 'b'])],
    ['hash', new Map([['field', 'value']])],
    ['set', new Set(['member'])],
    ['zset', sortedSet],
    ['stream', stream],
  ];
}

export function describeKeyspace(factory: StoreFactory): void {
  describe('keyspace', () => {
    const setup = useHarness(factory);

    test('every value type round-trips through set/get with its type', () => {
      const { store } = setup();
      const db = store.db(0);
      for (const [type, value] of sampleValues()) {
        db.set('key', value);
        expect(db.get('key')).toBe(value);
        expect(db.type('key')).toBe(type);
        expect(db.getTyped('key', type)).toBe(value);
      }
    });

    test('binary keys are distinct and round-trip', () => {
      const { store } = setup();
      const db = store.db(0);
      const keys = ['', '\x00', '\xff', '\x00\x00', 'a\x00b', '\xc3\xa9'];
      keys.forEach((key, index) => db.set(key, String(index)));
      keys.forEach((key, index) => expect(db.get(key)).toBe(String(index)));
      expect(db.size()).toBe(keys.length);
      expect([...db.keys()].sort()).toEqual([...keys].sort());
    });

    test('getTyped throws WrongTypeError for another type and returns undefined when absent', () => {
      const { store } = setup();
      const db = store.db(0);
      expect(db.getTyped('missing', 'list')).toBeUndefined();
      for (const [type, value] of sampleValues()) {
        db.set('key', value);
        for (const other of ['string', 'list', 'hash', 'set', 'zset', 'stream'] as const) {
          if (other === type) continue;
          let caught: unknown;
          try {
            db.getTyped('key', other);
          } catch (error) {
            caught = error;
          }
          expect(WrongTypeError.isInstance(caught)).toBe(true);
          expect((caught as Error).message).toBe('WRONGTYPE Operation against a key holding the wrong kind of value');
        }
      }
    });

    test('delete, has and type', () => {
      const { store } = setup();
      const db = store.db(0);
      expect(db.has('k')).toBe(false);
      expect(db.type('k')).toBeUndefined();
      expect(db.delete('k')).toBe(false);
      db.set('k', 'v');
      expect(db.has('k')).toBe(true);
      expect(db.type('k')).toBe('string');
      expect(db.size()).toBe(1);
      expect(db.delete('k')).toBe(true);
      expect(db.has('k')).toBe(false);
      expect(db.get('k')).toBeUndefined();
      expect(db.delete('k')).toBe(false);
      expect(db.size()).toBe(0);
    });

    test('set replaces a value of another type', () => {
      const { store } = setup();
      const db = store.db(0);
      db.set('k', createList(['x']));
      db.set('k', 'now a string');
      expect(db.type('k')).toBe('string');
      expect(db.size()).toBe(1);
    });

    test('keys and randomKey see exactly the live keys', () => {
      const { store } = setup();
      const db = store.db(0);
      expect(db.randomKey()).toBeUndefined();
      for (let index = 0; index < 50; index++) db.set(`k${index}`, 'v');
      for (let index = 0; index < 50; index += 2) db.delete(`k${index}`);
      const live = [...db.keys()].sort();
      expect(live).toEqual(Array.from({ length: 25 }, (_, index) => `k${index * 2 + 1}`).sort());
      for (let draw = 0; draw < 100; draw++) expect(live).toContain(db.randomKey());
    });

    test('touch reports modified and deletes empty containers', () => {
      const { store, changes } = setup();
      const db = store.db(1);
      const list = createList(['only']);
      const hash = new Map([['f', 'v']]);
      const set = new Set(['m']);
      const sortedSet = createSortedSet();
      sortedSet.add('m', 1);
      db.set('list', list);
      db.set('hash', hash);
      db.set('set', set);
      db.set('zset', sortedSet);
      db.set('string', '');
      changes.length = 0;

      db.touch('string', 'append');
      expect(db.has('string')).toBe(true);
      list.popBack();
      db.touch('list', 'rpop');
      hash.delete('f');
      db.touch('hash', 'hdel');
      set.delete('m');
      db.touch('set', 'srem');
      sortedSet.delete('m');
      db.touch('zset', 'zrem');

      expect(db.size()).toBe(1);
      expect(changes).toEqual([
        { kind: 'modified', db: 1, key: 'string', event: 'append' },
        { kind: 'modified', db: 1, key: 'list', event: 'rpop' },
        { kind: 'deleted', db: 1, key: 'list' },
        { kind: 'modified', db: 1, key: 'hash', event: 'hdel' },
        { kind: 'deleted', db: 1, key: 'hash' },
        { kind: 'modified', db: 1, key: 'set', event: 'srem' },
        { kind: 'deleted', db: 1, key: 'set' },
        { kind: 'modified', db: 1, key: 'zset', event: 'zrem' },
        { kind: 'deleted', db: 1, key: 'zset' },
      ]);
    });

    test('touch keeps non-empty containers and ignores absent keys', () => {
      const { store, changes } = setup();
      const db = store.db(0);
      db.set('list', createList(['a']));
      db.touch('list', 'rpush');
      db.touch('missing', 'rpush');
      expect(db.has('list')).toBe(true);
      expect(changes.filter((change) => change.kind === 'deleted')).toEqual([]);
      expect(db.has('missing')).toBe(false);
    });
  });
}
