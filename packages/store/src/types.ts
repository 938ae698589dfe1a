/**
 * The storage engine contract: a Redis keyspace of typed values with expiry, split into numbered databases.
 *
 * Byte strings (keys, string values, list items, hash fields, set members...) are JS strings in which each char is
 * one byte (latin1), so any binary key round-trips through a `Map` and two different byte strings never collide.
 * A string *value* may also be held as a `Buffer` (for example after SETRANGE/SETBIT); readers accept both.
 *
 * The interface is synchronous on purpose: a Redis command (and MULTI/EXEC, and a Lua script) is atomic because it
 * runs to completion without interleaving. See the package README for how a backend that needs I/O fits.
 */

/** A byte string: one char per byte (latin1). */
export type Bytes = string;

/** A string value: a latin1 byte string, or a Buffer holding the same bytes. */
export type StringValue = string | Buffer;

/** The Redis type names, as TYPE replies them. */
export type ValueType = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

/** A list: a deque of byte strings. push/pop at both ends O(1), index access O(1) or O(log n). */
export interface ListValue {
  readonly kind: 'list';
  readonly length: number;
  pushBack(item: Bytes): void;
  pushFront(item: Bytes): void;
  popBack(): Bytes | undefined;
  popFront(): Bytes | undefined;
  /** Item at a zero-based index from the front; negative indexes count from the back (-1 = last). */
  at(index: number): Bytes | undefined;
  /** Replaces the item at an index (negative from the back); false when out of range. */
  set(index: number, item: Bytes): boolean;
  /** Items from start to stop inclusive, already normalised to 0 <= start <= stop < length (else clamped). */
  slice(start: number, stop: number): Bytes[];
  /** Inserts before (or after) the first occurrence of pivot; returns the new length, or -1 if pivot is absent. */
  insert(pivot: Bytes, item: Bytes, after: boolean): number;
  /** LREM semantics: count > 0 from the front, < 0 from the back, 0 all. Returns how many were removed. */
  remove(item: Bytes, count: number): number;
  /** Keeps only start..stop inclusive (normalised as in slice, clamped; start > stop empties the list). */
  trim(start: number, stop: number): void;
  /** Iterates from the front. */
  [Symbol.iterator](): IterableIterator<Bytes>;
}

/** A hash: field -> value. A plain Map, O(1) average. */
export type HashValue = Map<Bytes, Bytes>;

/** A set of members. A plain Set, O(1) average. */
export type SetValue = Set<Bytes>;

/** Bound of a score range: a number and whether it is exclusive (ZRANGEBYSCORE's `(`). */
export interface ScoreBound {
  readonly value: number;
  readonly exclusive: boolean;
}

/** Bound of a lexicographic range: `-` / `+` are the infinities; otherwise a member, inclusive or not. */
export type LexBound = '-' | '+' | { readonly value: Bytes; readonly exclusive: boolean };

/** A member with its score. */
export interface ScoredMember {
  readonly member: Bytes;
  readonly score: number;
}

/**
 * A sorted set, ordered by (score, member bytes). add/remove/rank/score-range/lex-range O(log n);
 * score lookup O(1).
 */
export interface SortedSetValue {
  readonly kind: 'zset';
  readonly size: number;
  /** The member's score, or undefined. */
  score(member: Bytes): number | undefined;
  /** Adds or updates; returns true when the member is new. Throws RangeError for a NaN score (callers reject it). */
  add(member: Bytes, score: number): boolean;
  /** Removes; returns true when the member was there. */
  delete(member: Bytes): boolean;
  /** Zero-based rank in ascending order (or descending when reverse), or undefined. */
  rank(member: Bytes, reverse?: boolean): number | undefined;
  /**
   * Members by rank, start..stop inclusive, already normalised (0 <= start <= stop < size; out of range is clamped).
   * With reverse, ranks count from the highest member (ZREVRANGE) and members come in descending order.
   */
  rangeByRank(start: number, stop: number, reverse?: boolean): ScoredMember[];
  /**
   * Members with min <= score <= max (bounds may be exclusive), ascending or descending; offset/count as LIMIT
   * (omitted or negative count: no limit; negative offset: empty). O(log n + count). With reverse, min and max still
   * name the low and the high bound (the server swaps ZREVRANGEBYSCORE's arguments).
   */
  rangeByScore(min: ScoreBound, max: ScoreBound, reverse?: boolean, offset?: number, count?: number): ScoredMember[];
  /** Members in min..max by bytes (meaningful when all scores are equal, as in Redis); reverse/LIMIT as by score. */
  rangeByLex(min: LexBound, max: LexBound, reverse?: boolean, offset?: number, count?: number): ScoredMember[];
  /** How many members have a score in range, O(log n). */
  countByScore(min: ScoreBound, max: ScoreBound): number;
  /** How many members are in the lex range, O(log n). */
  countByLex(min: LexBound, max: LexBound): number;
  /** Iterates in ascending order. */
  [Symbol.iterator](): IterableIterator<ScoredMember>;
}

/** A stream entry ID: 64-bit ms and 64-bit sequence (see stream-id.ts). */
export type { StreamID } from './stream-id.js';
import type { StreamID } from './stream-id.js';
import type { IdMap } from './stream-id.js';

/** One stream entry: its ID and its fields, flat (field, value, field, value...). */
export interface StreamEntry {
  readonly id: StreamID;
  readonly fields: Bytes[];
}

/** A pending entry of a consumer group (streamNACK). */
export interface StreamNack {
  consumer: StreamConsumer;
  /** Last delivery time, ms. */
  deliveryTime: number;
  deliveryCount: number;
}

/** A consumer of a group: its name, when it was last seen, its own pending entries. */
export interface StreamConsumer {
  readonly name: Bytes;
  seenTime: number;
  readonly pel: IdMap<StreamNack>;
}

/** A consumer group (streamCG). */
export interface StreamGroup {
  readonly name: Bytes;
  lastId: StreamID;
  /** Logical read counter; -1n when unknown. */
  entriesRead: bigint;
  readonly pel: IdMap<StreamNack>;
  /** Consumers by name (replies list them sorted by name, as Redis's rax does). */
  readonly consumers: Map<Bytes, StreamConsumer>;
}

/** How XADD/XTRIM trims (streamTrim). limit 0 = no limit. */
export type StreamTrimOptions =
  | { readonly strategy: 'maxlen'; readonly maxlen: number; readonly approx: boolean; readonly limit: number }
  | { readonly strategy: 'minid'; readonly minid: StreamID; readonly approx: boolean; readonly limit: number };

/**
 * A stream: entries ordered by ID in macro nodes like Redis's (so that approximate trimming matches), with the
 * counters Redis 7.0 keeps and the consumer groups. `createStream()` builds one (stream.ts).
 */
export interface StreamValue {
  readonly kind: 'stream';
  readonly length: number;
  lastId: StreamID;
  /** The first entry's ID as recorded (0-0 when empty). */
  firstId: StreamID;
  maxDeletedId: StreamID;
  entriesAdded: bigint;
  readonly groups: Map<Bytes, StreamGroup>;
  /** Number of macro nodes. */
  readonly nodeCount: number;
  /** The master ID of every node, in order (the keys of Redis's rax). */
  nodeKeys(): StreamID[];
  append(id: StreamID, fields: Bytes[], limits: { readonly maxEntries: number; readonly maxBytes: number }): void;
  get(id: StreamID): Bytes[] | undefined;
  range(start: StreamID, end: StreamID, reverse?: boolean, count?: number): StreamEntry[];
  edgeId(last: boolean): StreamID | undefined;
  delete(id: StreamID): boolean;
  trim(options: StreamTrimOptions): number;
  clone(): StreamValue;
}

/** Any value the keyspace holds. Its type follows from what it is (see `typeOf`). */
export type Value = StringValue | ListValue | HashValue | SetValue | SortedSetValue | StreamValue;

/** Maps a Redis type name to the value type it holds. */
export interface ValueOfType {
  string: StringValue;
  list: ListValue;
  hash: HashValue;
  set: SetValue;
  zset: SortedSetValue;
  stream: StreamValue;
}

/** Milliseconds since the epoch, injectable so tests can move time without sleeping. */
export interface Clock {
  now(): number;
}

/** What happened to a key, as reported to change listeners. */
export type ChangeKind =
  /** A command modified the key's value in place or replaced it (the server reports these through `touch`). */
  | 'modified'
  /** The key was set to a new value through `set`. */
  | 'set'
  /** The key was removed by `delete` (or a rename's source). */
  | 'deleted'
  /** The key's time to live changed (including persist). */
  | 'expire'
  /** The key expired (lazily on access or by the active sweep). */
  | 'expired'
  /** The whole database was flushed: `key` is undefined. */
  | 'flushed'
  /** Two databases swapped contents (`db` and `other`): `key` is undefined. */
  | 'swapped';

/** One change notification. */
export interface Change {
  readonly kind: ChangeKind;
  /** Database index. */
  readonly db: number;
  /** The key, except for 'flushed' and 'swapped'. */
  readonly key: Bytes | undefined;
  /** For 'swapped', the other database index. */
  readonly other?: number;
  /** For 'modified', a free-form event name from the command (e.g. 'lpush', 'hset'), as keyspace events use it. */
  readonly event?: string;
  /** For 'set', true when the key did not exist before (Redis's dbAdd: the 'new' keyspace event). */
  readonly created?: boolean;
}

/** Receives changes synchronously, right after they happen. */
export type ChangeListener = (change: Change) => void;

/**
 * An absolute expiry time in integer ms since the epoch. Redis keeps it as a signed 64-bit integer, so PEXPIREAT
 * accepts any time up to 2^63-1 ms and PEXPIRETIME reads it back exactly. A number is exact only while it is a safe
 * integer (|t| < 2^53): callers pass a bigint for any time beyond that, and a backend must keep that time exactly
 * (see `Database.getExpireExact`). A bigint inside the safe range means the same as the number.
 */
export type ExpireTime = number | bigint;

/** Options when writing a key with `set`. */
export interface SetOptions {
  /**
   * Absolute expiry time in ms (an `ExpireTime`: a bigint past 2^53 ms is kept exactly); omit for no expiry (or to
   * keep the current one with keepTtl). A time at or before now stores nothing and removes the key (reporting
   * 'deleted' if it existed), as SET EXAT with a past time does.
   */
  readonly expireAt?: ExpireTime;
  /** Keep the key's current TTL (SET KEEPTTL); default is to clear it. */
  readonly keepTtl?: boolean;
}

/** One step of a SCAN. */
export interface ScanResult {
  /** Next cursor: an opaque non-negative safe integer; 0 when the scan is complete. */
  readonly cursor: number;
  readonly keys: Bytes[];
}

/**
 * One numbered database: a keyspace. Expired keys are invisible to every method.
 *
 * A key with an expiry time `at` is expired once `at <= clock.now()`. Any method (including size, keys, scan and
 * randomKey) may reclaim expired keys it comes across, reporting 'expired' for each.
 */
export interface Database {
  readonly index: number;
  /** Number of live keys: keys whose time has passed are never counted. */
  size(): number;
  /** Number of live keys that have an expiry (INFO keyspace's `expires=`). */
  expiringCount(): number;
  /** The value under key, or undefined (expired keys are deleted on access). */
  get(key: Bytes): Value | undefined;
  /**
   * The value under key if it has the given type; undefined when absent.
   * Throws `WrongTypeError` when the key holds another type.
   */
  getTyped<T extends ValueType>(key: Bytes, type: T): ValueOfType[T] | undefined;
  /**
   * Writes a value (any type), replacing whatever was there, and reports one 'set' change (a listener that needs the
   * TTL reads `getExpire`). Without options the key's TTL is cleared.
   */
  set(key: Bytes, value: Value, options?: SetOptions): void;
  /** Removes a key; true when it existed. Reports 'deleted'. */
  delete(key: Bytes): boolean;
  /** True when the key exists (and is not expired). */
  has(key: Bytes): boolean;
  /** The Redis type name of the key, or undefined. */
  type(key: Bytes): ValueType | undefined;
  /**
   * Absolute expiry in ms, or undefined when the key has none (or does not exist). A time past 2^53 ms comes back as
   * the nearest double (still right for ordering and for "is it due", since such times are ages away): it is exact
   * exactly when it is a safe integer, and `getExpireExact` has the exact value otherwise.
   */
  getExpire(key: Bytes): number | undefined;
  /**
   * The exact absolute expiry in ms as a bigint, or undefined when the key has none (or does not exist): the time as it
   * was set, over the whole signed 64-bit range (PEXPIREAT k 9007199254740993 reads back 9007199254740993). Callers
   * need it only when `getExpire` returns a number that is not a safe integer.
   *
   * Optional in the type so that backends written before it still compile (they are taken to hold only safe
   * times); the conformance suite requires it, and every backend should keep exact times.
   */
  getExpireExact?(key: Bytes): bigint | undefined;
  /**
   * Sets the absolute expiry in ms (an `ExpireTime`: a bigint past 2^53 ms is kept exactly) and reports 'expire'. A
   * time at or before now deletes the key at once and reports 'deleted' (as Redis's EXPIRE with a past time does).
   * False when the key does not exist.
   */
  setExpire(key: Bytes, at: ExpireTime): boolean;
  /** Removes the TTL; true when the key had one (then reports 'expire'). */
  persist(key: Bytes): boolean;
  /**
   * Reports that a command changed the key in place (list push, hash set...): a 'modified' change carrying `event`.
   * An empty container (list, hash, set or sorted set) is then deleted, reporting 'deleted'. No-op for an absent key.
   */
  touch(key: Bytes, event?: string): void;
  /** A random live key, or undefined when empty. */
  randomKey(): Bytes | undefined;
  /**
   * SCAN: returns every key that exists for the whole scan at least once, even when keys are added and removed
   * between calls (a key may be returned more than once). Cursor 0 starts a scan and a returned 0 ends it; any other
   * cursor is an integer the client may hold indefinitely; an unknown one restarts the scan. `count` is a hint of how
   * many keys to return per call (at least 1).
   */
  scan(cursor: number, count: number): ScanResult;
  /** All live keys. Callers must not modify the database while iterating (take a copy first if they need to). */
  keys(): IterableIterator<Bytes>;
  /** Removes every key. Reports 'flushed' (also when already empty). */
  flush(): void;
  /**
   * OBJECT IDLETIME: whole seconds since the key was last read or written (Redis's 1000 ms LRU clock resolution), or
   * undefined when absent. Meaningful while the store records access times (`accessMode` 'lru').
   */
  idleTime(key: Bytes): number | undefined;
  /**
   * OBJECT FREQ: the key's logarithmic access counter after decay (Redis's LFU), or undefined when absent.
   * Meaningful while the store records LFU counters (`accessMode` 'lfu').
   */
  frequency(key: Bytes): number | undefined;
  /** Estimated bytes taken by the keys and values of this database (INFO used_memory, maxmemory). */
  usedMemory(): number;
  /** A random live key that has a TTL, or undefined when none (volatile-* eviction sampling). */
  randomVolatileKey(): Bytes | undefined;
}

/** How reads and writes record access data (set by the server from maxmemory-policy, lfu-log-factor...). */
export interface AccessOptions {
  /** 'lru' records access times, 'lfu' Redis's logarithmic counters. */
  mode: 'lru' | 'lfu';
  lfuLogFactor: number;
  /** Minutes. */
  lfuDecayTime: number;
}

/** A keyspace of numbered databases with expiry and change notification. */
export interface Store {
  /** How many databases (default 16). */
  readonly databaseCount: number;
  /** The clock used for expiry. */
  readonly clock: Clock;
  /** Database by index (0 <= index < databaseCount), the same object every time; throws RangeError otherwise. */
  db(index: number): Database;
  /** Empties every database: one 'flushed' change per database. */
  flushAll(): void;
  /**
   * SWAPDB: exchanges the contents of two databases (the Database objects keep their index, their contents move).
   * Reports one 'swapped' change with `db: a, other: b`.
   */
  swap(a: number, b: number): void;
  /** Subscribes to changes; returns a function that unsubscribes. A listener that throws aborts the caller. */
  onChange(listener: ChangeListener): () => void;
  /**
   * Runs a bounded step of active expiry: reclaims expired keys nobody reads. Backends also run it on a timer they
   * own (started by the constructor's option, stopped by close()). Returns how many keys it reclaimed.
   */
  expireCycle(): number;
  /** Optional: pauses or resumes the backend's own active-expiry timer (DEBUG SET-ACTIVE-EXPIRE). */
  setActiveExpire?(enabled: boolean): void;
  /** Optional: how many keys expired since the store was created (INFO expired_keys); absent when not counted. */
  readonly expiredKeys?: number;
  /** Estimated bytes taken by every database's keys and values. */
  usedMemory(): number;
  /** Sets how accesses are recorded from now on (existing data is read under the new meaning, as in Redis). */
  setAccessOptions(options: AccessOptions): void;
  /**
   * While true, reads do not record an access (CLIENT NO-TOUCH, and commands Redis runs with LOOKUP_NOTOUCH); the
   * server sets it around each command.
   */
  noTouch: boolean;
  /** Stops timers and releases resources. */
  close(): void | Promise<void>;
}
