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
import type { Bytes, Value, ValueOfType, ValueType } from './value-types.js';

export type * from './value-types.js';

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
