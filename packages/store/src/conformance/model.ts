/**
 * Conformance: random operation sequences (including clock advances, active expiry, flush and swap) applied to the
 * backend and to a trivially correct model must agree at every step.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { WrongTypeError } from '../errors.js';
import { createList } from '../list.js';
import type { Store } from '../types.js';
import { scanAll, useHarness, type StoreFactory } from './harness.js';

interface ModelEntry {
  value: string | string[];
  /** Exact: a number near now, or a bigint far past 2^53 ms. */
  expireAt: number | bigint | undefined;
}

/** Two databases as plain Maps; an entry is live while `expireAt` is undefined or later than now. */
class Model {
  databases = [new Map<string, ModelEntry>(), new Map<string, ModelEntry>()];
  now: number;

  constructor(now: number) {
    this.now = now;
  }

  live(db: number, key: string): ModelEntry | undefined {
    const entry = this.databases[db]!.get(key);
    if (entry === undefined) return undefined;
    if (entry.expireAt !== undefined && entry.expireAt <= this.now) {
      this.databases[db]!.delete(key);
      return undefined;
    }
    return entry;
  }

  liveKeys(db: number): string[] {
    return [...this.databases[db]!.keys()].filter((key) => this.live(db, key) !== undefined).sort();
  }
}

const key = fc.constantFrom('a', 'b', 'c', 'd', '\x00', '\xff\xfe');
const db = fc.constantFrom(0, 1);
/** A relative time in ms near now, or (a bigint) an absolute time beyond 2^53 ms that must be kept exactly. */
const ttl = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -5, max: 50 }) },
  { weight: 1, arbitrary: fc.constantFrom(2n ** 53n, 2n ** 53n + 1n, 2n ** 53n + 3n, 2n ** 62n + 1n, 2n ** 63n - 1n) },
);

function absolute(model: Model, time: number | bigint): number | bigint {
  return typeof time === 'bigint' ? time : model.now + time;
}

const command = fc.oneof(
  fc.record({
    op: fc.constant('set' as const),
    db,
    key,
    value: fc.string({ maxLength: 2 }),
    ttl: fc.option(ttl),
    keepTtl: fc.boolean(),
  }),
  fc.record({ op: fc.constant('delete' as const), db, key }),
  fc.record({ op: fc.constant('read' as const), db, key }),
  fc.record({ op: fc.constant('expire' as const), db, key, ttl }),
  fc.record({ op: fc.constant('persist' as const), db, key }),
  fc.record({ op: fc.constant('push' as const), db, key, value: fc.constantFrom('x', 'y') }),
  fc.record({ op: fc.constant('pop' as const), db, key }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ op: fc.constant('cycle' as const) }),
  fc.record({ op: fc.constant('listing' as const), db }),
  fc.record({ op: fc.constant('flush' as const), db }),
  fc.record({ op: fc.constant('swap' as const) }),
);

type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

function apply(store: Store, model: Model, step: Command): void {
  switch (step.op) {
    case 'set': {
      const expireAt = step.ttl === null ? undefined : absolute(model, step.ttl);
      const previous = model.live(step.db, step.key);
      store
        .db(step.db)
        .set(
          step.key,
          step.value,
          expireAt !== undefined ? { expireAt } : step.keepTtl ? { keepTtl: true } : undefined,
        );
      if (expireAt !== undefined && expireAt <= model.now) model.databases[step.db]!.delete(step.key);
      else {
        const kept = expireAt === undefined && step.keepTtl ? previous?.expireAt : expireAt;
        model.databases[step.db]!.set(step.key, { value: step.value, expireAt: kept });
      }
      break;
    }
    case 'delete': {
      const existed = model.live(step.db, step.key) !== undefined;
      model.databases[step.db]!.delete(step.key);
      expect(store.db(step.db).delete(step.key)).toBe(existed);
      break;
    }
    case 'read': {
      const entry = model.live(step.db, step.key);
      const database = store.db(step.db);
      expect(database.has(step.key)).toBe(entry !== undefined);
      expect(database.type(step.key)).toBe(
        entry === undefined ? undefined : typeof entry.value === 'string' ? 'string' : 'list',
      );
      const at = entry?.expireAt;
      expect(database.getExpire(step.key)).toBe(at === undefined ? undefined : Number(at));
      expect(database.getExpireExact?.(step.key)).toBe(at === undefined ? undefined : BigInt(at));
      const value = database.get(step.key);
      if (entry === undefined || typeof entry.value === 'string') expect(value).toBe(entry?.value);
      else expect([...(value as Iterable<string>)]).toEqual(entry.value);
      break;
    }
    case 'expire': {
      const entry = model.live(step.db, step.key);
      const at = absolute(model, step.ttl);
      expect(store.db(step.db).setExpire(step.key, at)).toBe(entry !== undefined);
      if (entry !== undefined && at <= model.now) model.databases[step.db]!.delete(step.key);
      else if (entry !== undefined) entry.expireAt = at;
      break;
    }
    case 'persist': {
      const entry = model.live(step.db, step.key);
      expect(store.db(step.db).persist(step.key)).toBe(entry?.expireAt !== undefined);
      if (entry !== undefined) entry.expireAt = undefined;
      break;
    }
    case 'push': {
      const entry = model.live(step.db, step.key);
      const database = store.db(step.db);
      if (entry !== undefined && typeof entry.value === 'string') {
        expect(() => database.getTyped(step.key, 'list')).toThrow(WrongTypeError);
        break;
      }
      let list = database.getTyped(step.key, 'list');
      if (list === undefined) {
        list = createList();
        database.set(step.key, list);
      }
      list.pushBack(step.value);
      database.touch(step.key, 'rpush');
      if (entry === undefined) model.databases[step.db]!.set(step.key, { value: [step.value], expireAt: undefined });
      else (entry.value as string[]).push(step.value);
      break;
    }
    case 'pop': {
      const entry = model.live(step.db, step.key);
      const database = store.db(step.db);
      if (entry !== undefined && typeof entry.value === 'string') {
        expect(() => database.getTyped(step.key, 'list')).toThrow(WrongTypeError);
        break;
      }
      const list = database.getTyped(step.key, 'list');
      expect(list === undefined).toBe(entry === undefined);
      if (list === undefined || entry === undefined) break;
      expect(list.popFront()).toBe((entry.value as string[]).shift());
      database.touch(step.key, 'lpop');
      if ((entry.value as string[]).length === 0) model.databases[step.db]!.delete(step.key);
      break;
    }
    case 'advance':
      model.now += step.ms;
      break;
    case 'cycle':
      store.expireCycle();
      break;
    case 'listing': {
      const database = store.db(step.db);
      const keys = model.liveKeys(step.db);
      expect(database.size()).toBe(keys.length);
      expect([...database.keys()].sort()).toEqual(keys);
      expect([...new Set(scanAll((cursor) => database.scan(cursor, 2)))].sort()).toEqual(keys);
      const random = database.randomKey();
      if (keys.length === 0) expect(random).toBeUndefined();
      else expect(keys).toContain(random);
      expect(database.expiringCount()).toBe(
        keys.filter((name) => model.live(step.db, name)?.expireAt !== undefined).length,
      );
      break;
    }
    case 'flush':
      store.db(step.db).flush();
      model.databases[step.db] = new Map();
      break;
    case 'swap':
      store.swap(0, 1);
      model.databases.reverse();
      break;
  }
}

export function describeModel(factory: StoreFactory): void {
  describe('model-based', () => {
    const setup = useHarness(factory);

    test('random operation sequences agree with a plain Map model', () => {
      fc.assert(
        fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
          const { store, clock } = setup(2);
          const model = new Model(clock.now());
          for (const step of commands) {
            apply(store, model, step);
            clock.set(model.now);
          }
          for (const index of [0, 1] as const) apply(store, model, { op: 'listing', db: index });
        }),
        { numRuns: 150 },
      );
    });
  });
}
