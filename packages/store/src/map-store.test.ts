import { afterEach, describe, expect, test, vi } from 'vitest';
import { ManualClock } from './clock.js';
import { MapStore } from './map-store.js';

describe('MapStore internals', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('exact expiry times live in a side map only while a key has a time past 2^53 ms', () => {
    const clock = new ManualClock();
    const store = new MapStore({ clock, activeExpire: false });
    const db = store.db(0);
    const exact = () => (db as unknown as { exactExpires: Map<string, bigint> }).exactExpires;
    // Ordinary times (numbers, or bigints in the safe range) never reach it.
    db.set('a', 'v', { expireAt: clock.now() + 10 });
    db.setExpire('a', BigInt(clock.now() + 20));
    expect(exact().size).toBe(0);
    // Every way a time past 2^53 ms goes away empties it: a safe time, persist, plain set, delete, flush.
    const far = 2n ** 53n + 1n;
    for (const drop of [
      () => db.setExpire('k', clock.now() + 10),
      () => db.persist('k'),
      () => db.set('k', 'w'),
      () => db.delete('k'),
      () => db.flush(),
    ]) {
      db.set('k', 'v', { expireAt: far });
      expect(exact().size).toBe(1);
      drop();
      expect(exact().size).toBe(0);
    }
    db.set('k', 'v', { expireAt: far });
    db.setExpire('k', -(2n ** 63n));
    expect(exact().size).toBe(0);
    store.close();
  });

  test('the timer runs active expiry hz times a second until close()', () => {
    // Arrange
    vi.useFakeTimers();
    const clock = new ManualClock();
    const store = new MapStore({ clock, hz: 10 });
    const expired: string[] = [];
    store.onChange((change) => {
      if (change.kind === 'expired' && change.key !== undefined) expired.push(change.key);
    });
    store.db(3).set('a', 'v', { expireAt: clock.now() + 50 });
    store.db(3).set('b', 'v', { expireAt: clock.now() + 500 });
    // Act
    clock.advance(100);
    vi.advanceTimersByTime(100);
    // Assert
    expect(expired).toEqual(['a']);
    store.close();
    clock.advance(1000);
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual(['a']);
  });

  test('setActiveExpire switches the timer off and on (DEBUG SET-ACTIVE-EXPIRE)', () => {
    // Arrange
    vi.useFakeTimers();
    const clock = new ManualClock();
    const store = new MapStore({ clock, hz: 10 });
    const expired: string[] = [];
    store.onChange((change) => {
      if (change.kind === 'expired' && change.key !== undefined) expired.push(change.key);
    });
    store.db(0).set('a', 'v', { expireAt: clock.now() + 50 });
    // Act: off, time passes, nothing is reclaimed until a read or the timer is back
    store.setActiveExpire(false);
    clock.advance(1000);
    vi.advanceTimersByTime(1000);
    expect(store.activeExpire).toBe(false);
    expect(expired).toEqual([]);
    store.setActiveExpire(true);
    vi.advanceTimersByTime(100);
    // Assert
    expect(expired).toEqual(['a']);
    store.close();
    expect(store.activeExpire).toBe(false);
    store.setActiveExpire(true);
    expect(store.activeExpire).toBe(false);
  });

  test('a scan survives compactions of its log without missing keys, with few duplicates', () => {
    // Arrange
    const store = new MapStore({ activeExpire: false });
    const db = store.db(0);
    for (let index = 0; index < 10_000; index++) db.set(`k${index}`, 'v');
    const stable = new Set<string>();
    for (let index = 0; index < 10_000; index += 10) stable.add(`k${index}`);
    // Act: between calls, delete most keys that are not stable (forces several compactions) and add new ones
    const returned: string[] = [];
    let cursor = 0;
    let round = 0;
    do {
      const step = db.scan(cursor, 100);
      returned.push(...step.keys);
      cursor = step.cursor;
      for (let index = round * 500; index < (round + 1) * 500 && index < 10_000; index++) {
        if (!stable.has(`k${index}`)) db.delete(`k${index}`);
      }
      db.set(`new${round}`, 'v');
      round++;
    } while (cursor !== 0);
    // Assert
    const seen = new Set(returned);
    for (const key of stable) expect(seen.has(key)).toBe(true);
    expect(returned.length - seen.size).toBeLessThan(2000);
  });

  test('a cursor from too many compactions ago restarts the scan instead of skipping', () => {
    const store = new MapStore({ activeExpire: false });
    const db = store.db(0);
    for (let index = 0; index < 1000; index++) db.set(`keep${index}`, 'v');
    const first = db.scan(0, 10);
    for (let round = 0; round < 20; round++) {
      for (let index = 0; index < 2000; index++) db.set(`tmp${round}:${index}`, 'v');
      for (let index = 0; index < 2000; index++) db.delete(`tmp${round}:${index}`);
    }
    const rest = [...first.keys];
    let cursor = first.cursor;
    while (cursor !== 0) {
      const step = db.scan(cursor, 100);
      rest.push(...step.keys);
      cursor = step.cursor;
    }
    expect(new Set(rest).size).toBe(1000);
  });

  test('the SCAN log and the expiry heap stay bounded under churn', () => {
    const clock = new ManualClock();
    const store = new MapStore({ clock, activeExpire: false });
    const db = store.db(0);
    for (let round = 0; round < 100_000; round++) {
      db.set(`k${round % 7}`, 'v');
      db.setExpire(`k${round % 7}`, clock.now() + 1000 + round);
      db.delete(`k${(round + 3) % 7}`);
    }
    const internals = db as unknown as { order: string[]; heap: { length: number } };
    expect(internals.order.length).toBeLessThan(200);
    expect(internals.heap.length).toBeLessThan(200);
  });

  test('randomKey is roughly uniform after many deletions', () => {
    const store = new MapStore({ activeExpire: false });
    const db = store.db(0);
    for (let index = 0; index < 2000; index++) db.set(`k${index}`, 'v');
    for (let index = 0; index < 2000; index++) if (index % 100 !== 0) db.delete(`k${index}`);
    const counts = new Map<string, number>();
    for (let draw = 0; draw < 20_000; draw++) {
      const key = db.randomKey()!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(20);
    for (const count of counts.values()) expect(count).toBeGreaterThan(500);
  });

  test('no Change object is built when nobody listens', () => {
    const store = new MapStore({ activeExpire: false });
    const hub = (store as unknown as { hub: { emit: (...args: unknown[]) => void } }).hub;
    const emit = vi.spyOn(hub, 'emit');
    store.db(0).set('k', 'v');
    store.db(0).touch('k', 'append');
    store.db(0).delete('k');
    expect(emit).not.toHaveBeenCalled();
    const unsubscribe = store.onChange(() => {});
    store.db(0).set('k', 'v');
    expect(emit).toHaveBeenCalledTimes(1);
    unsubscribe();
  });

  test('constructor validates its options', () => {
    expect(() => new MapStore({ databases: 0 })).toThrow(RangeError);
    expect(() => new MapStore({ hz: 0 })).toThrow(RangeError);
    const store = new MapStore({ databases: 2, activeExpire: false });
    expect(store.databaseCount).toBe(2);
    expect(() => store.db(2)).toThrow(RangeError);
  });
});
