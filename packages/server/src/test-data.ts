/**
 * Typed data access for tests: seed the keyspace from plain JS values and snapshot it back, as UTF-8 strings (or
 * Buffers), whatever the store's internal encoding (latin1 byte strings).
 */
import { createList, createSortedSet, type Database, type Store, type Value } from '@mini-redis/store';

/** A value as tests write it: string or Buffer (string), string[] (list), Set (set), object (hash), [score, member][] (zset). */
export type SeedValue =
  | string
  | Buffer
  | readonly string[]
  | ReadonlySet<string>
  | Readonly<Record<string, string>>
  | ReadonlyArray<readonly [number, string]>;

export interface SeedOptions {
  /** Database index (default 0). */
  readonly db?: number;
  /** Time to live in seconds, for every key seeded. */
  readonly ttl?: number;
  /** Time to live in milliseconds (wins over ttl). */
  readonly pttl?: number;
}

/** A value as snapshots give it back (strings are UTF-8, or Buffers with `buffers: true`). */
export type SnapshotValue =
  | string
  | Buffer
  | Array<string | Buffer>
  | Set<string | Buffer>
  | Record<string, string | Buffer>
  | Array<[number, string | Buffer]>
  | { readonly type: 'stream'; readonly length: number };

export interface SnapshotOptions {
  readonly db?: number;
  /** Values as Buffers instead of UTF-8 strings. */
  readonly buffers?: boolean;
}

/** A UTF-8 (or binary) value as the store's byte string. */
export function toBytes(value: string | Buffer): string {
  return typeof value === 'string' ? Buffer.from(value, 'utf8').toString('latin1') : value.toString('latin1');
}

/** A store byte string (or Buffer) as UTF-8 text, or as a Buffer. */
export function fromBytes(value: string | Buffer, buffers = false): string | Buffer {
  const buffer = typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from(value);
  return buffers ? buffer : buffer.toString('utf8');
}

function toValue(value: SeedValue): Value {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return toBytes(value);
  if (value instanceof Set) return new Set([...value].map((member) => toBytes(member)));
  if (Array.isArray(value)) {
    if (value.length > 0 && Array.isArray(value[0])) {
      const zset = createSortedSet();
      for (const [score, member] of value as ReadonlyArray<readonly [number, string]>) zset.add(toBytes(member), score);
      return zset;
    }
    const list = createList();
    for (const item of value as readonly string[]) list.pushBack(toBytes(item));
    return list;
  }
  const hash = new Map<string, string>();
  for (const [field, item] of Object.entries(value as Record<string, string>)) hash.set(toBytes(field), toBytes(item));
  return hash;
}

/** Writes every key of `data` (replacing what was there). */
export function seed(store: Store, data: Readonly<Record<string, SeedValue>>, options: SeedOptions = {}): void {
  const db = store.db(options.db ?? 0);
  const ttl = options.pttl ?? (options.ttl === undefined ? undefined : options.ttl * 1000);
  const expireAt = ttl === undefined ? undefined : store.clock.now() + ttl;
  for (const [key, value] of Object.entries(data)) {
    const bytes = toBytes(key);
    db.set(bytes, toValue(value), expireAt === undefined ? undefined : { expireAt });
  }
}

function snapshotValue(value: Value, buffers: boolean): SnapshotValue {
  const out = (item: string | Buffer) => fromBytes(item, buffers);
  if (typeof value === 'string' || Buffer.isBuffer(value)) return out(value);
  if (value instanceof Map) {
    const hash: Record<string, string | Buffer> = {};
    for (const [field, item] of value) hash[fromBytes(field) as string] = out(item);
    return hash;
  }
  if (value instanceof Set) return new Set([...value].map(out));
  if (value.kind === 'list') return [...value].map(out);
  if (value.kind === 'zset') return [...value].map(({ member, score }): [number, string | Buffer] => [score, out(member)]);
  return { type: 'stream', length: value.length };
}

/** Every live key of a database as plain JS values (keys as UTF-8 text). */
export function snapshot(store: Store, options: SnapshotOptions = {}): Record<string, SnapshotValue> {
  const db: Database = store.db(options.db ?? 0);
  const result: Record<string, SnapshotValue> = {};
  for (const key of [...db.keys()]) {
    const value = db.get(key);
    if (value !== undefined) result[fromBytes(key) as string] = snapshotValue(value, options.buffers ?? false);
  }
  return result;
}
