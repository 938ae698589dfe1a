/** Conformance: access data (OBJECT IDLETIME / FREQ), the memory estimate, and volatile key sampling. */
import { describe, expect, test } from 'vitest';
import { createList } from '../list.js';
import { useHarness, type StoreFactory } from './harness.js';

export function describeAccess(factory: StoreFactory): void {
  describe('access data and memory', () => {
    const setup = useHarness(factory);

    test('idle time counts whole seconds since the last get or set, and not while noTouch is on', () => {
      const { store, clock } = setup();
      const db = store.db(0);
      clock.set(10_000);
      db.set('key', 'value');
      clock.advance(2500);
      expect(db.idleTime('key')).toBe(2);
      expect(db.type('key')).toBe('string');
      expect(db.has('key')).toBe(true);
      expect(db.idleTime('key')).toBe(2);
      db.get('key');
      expect(db.idleTime('key')).toBe(0);
      clock.advance(4000);
      store.noTouch = true;
      db.get('key');
      store.noTouch = false;
      expect(db.idleTime('key')).toBe(4);
      db.set('key', 'other');
      expect(db.idleTime('key')).toBe(0);
      expect(db.idleTime('missing')).toBeUndefined();
    });

    test('idle time runs on the 24-bit LRU clock in seconds and counts across its wrap as Redis does', () => {
      const { store, clock } = setup();
      const db = store.db(0);
      // The LRU clock is seconds modulo 2^24: stamp the key at its last second, read after the wrap.
      clock.set((2 ** 24 - 1) * 1000);
      db.set('key', 'value');
      clock.advance(1000);
      expect(db.idleTime('key')).toBe(0);
      clock.advance(3000);
      // estimateObjectIdleTime: (clock + (LRU_CLOCK_MAX - lru)) seconds once the clock wrapped, one short of the time.
      expect(db.idleTime('key')).toBe(3);
      clock.set(2 ** 24 * 1000 * 5 + 7000);
      db.get('key');
      clock.advance(2000);
      expect(db.idleTime('key')).toBe(2);
    });

    test('LFU counters start at 5, count accesses logarithmically and decay per lfu-decay-time minutes', () => {
      const { store, clock } = setup();
      store.setAccessOptions({ mode: 'lfu', lfuLogFactor: 0, lfuDecayTime: 1 });
      const db = store.db(0);
      db.set('key', 'value');
      expect(db.frequency('key')).toBe(5);
      for (let i = 0; i < 10; i++) db.get('key');
      expect(db.frequency('key')).toBe(15);
      clock.advance(3 * 60_000);
      expect(db.frequency('key')).toBe(12);
      clock.advance(60 * 60_000);
      expect(db.frequency('key')).toBe(0);
      store.setAccessOptions({ mode: 'lfu', lfuLogFactor: 10, lfuDecayTime: 1 });
      db.set('other', 'value');
      for (let i = 0; i < 100; i++) db.get('other');
      expect(db.frequency('other')).toBeGreaterThan(5);
      expect(db.frequency('other')).toBeLessThan(30);
      expect(db.frequency('missing')).toBeUndefined();
    });

    test('the memory estimate follows writes, in-place changes reported by touch, deletes and flushes', () => {
      const { store } = setup();
      const db = store.db(1);
      expect(store.usedMemory()).toBe(0);
      db.set('key', 'x'.repeat(100));
      const one = db.usedMemory();
      expect(one).toBeGreaterThan(100);
      expect(store.usedMemory()).toBe(one);
      db.set('key', 'x'.repeat(1000));
      expect(db.usedMemory() - one).toBeGreaterThanOrEqual(880);
      const list = createList(['a']);
      db.set('list', list);
      const small = db.usedMemory();
      for (let i = 0; i < 100; i++) list.pushBack('item');
      db.touch('list', 'rpush');
      expect(db.usedMemory()).toBeGreaterThan(small);
      db.delete('list');
      db.set('key', 'x'.repeat(100));
      expect(db.usedMemory()).toBe(one);
      store.swap(0, 1);
      expect(store.db(0).usedMemory()).toBe(one);
      expect(store.db(1).usedMemory()).toBe(0);
      store.flushAll();
      expect(store.usedMemory()).toBe(0);
    });

    test('randomVolatileKey returns only live keys with a TTL', () => {
      const { store, clock } = setup();
      const db = store.db(0);
      expect(db.randomVolatileKey()).toBeUndefined();
      db.set('plain', 'value');
      expect(db.randomVolatileKey()).toBeUndefined();
      db.set('soon', 'value', { expireAt: clock.now() + 100 });
      db.set('later', 'value', { expireAt: clock.now() + 10_000 });
      const seen = new Set<string>();
      for (let i = 0; i < 200; i++) seen.add(db.randomVolatileKey()!);
      expect([...seen].sort()).toEqual(['later', 'soon']);
      clock.advance(100);
      for (let i = 0; i < 50; i++) expect(db.randomVolatileKey()).toBe('later');
    });
  });
}
