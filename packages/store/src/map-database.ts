/**
 * One database of the Map backend.
 *
 * - Values live in a `Map<key, value>`; expiry times in a second Map holding only keys with a TTL (Redis's
 *   db->expires), so a key without TTL costs nothing for expiry and `get` is one lookup plus `expires.size === 0`.
 * - A min-heap of expiry times (lazy deletion) finds due keys without sampling: active expiry and `size()` pop exactly
 *   the keys whose time has passed, each once, so `size()` is exact and O(1) when nothing is due.
 * - Keys live in a `Map<key, slot>`: the slot is the key's position in `order`, an append-only log of keys in
 *   insertion order (the Map's own order), and indexes `data` (its value) and `lrus` (its access data, access.ts) kept
 *   beside the log. No object per key: a Smi in the Map, 8 + 8 + 4 bytes of slots (see README "Access data").
 * - SCAN walks `order`. A deleted key leaves a stale entry behind (skipped: the Map no longer maps the key to that
 *   slot; if the key comes back, it is appended again at a new slot). When stale entries outnumber live keys the log
 *   is compacted into the Map's order, and the compaction records, per block of 256 old positions, how many survivors
 *   precede it: a cursor from before the compaction (it carries its generation) maps to a position that never skips a
 *   key. See README.
 * - Expiry times are numbers (ms). A time that is not a safe integer (past 2^53 ms, which only PEXPIREAT-style
 *   arguments reach) keeps its nearest double in `expires`, which still orders and compares correctly against now
 *   (such times are ages away), and its exact bigint in a third Map, `exactExpires`, read by `getExpireExact`.
 *   Ordinary keys never touch it: it is empty unless such a time was set.
 */
import {
  type AccessSettings,
  accessed,
  estimateIdleTime,
  estimateSize,
  initialAccess,
  lfuCounter,
  lruClock,
} from './access.js';
import { ExpiryHeap } from './expiry-heap.js';
import type { ChangeHub } from './change-hub.js';
import { WrongTypeError } from './errors.js';
import { typeOf } from './type-of.js';
import type {
  Bytes,
  Clock,
  Database,
  ExpireTime,
  ScanResult,
  SetOptions,
  Value,
  ValueOfType,
  ValueType,
} from './types.js';

/** A cursor is generation * SLOT_RANGE + position: positions stay below 2^26 (a V8 Map holds at most 2^24 keys). */
const SLOT_RANGE = 2 ** 26;
const BLOCK_SHIFT = 8;
/** How many compactions a cursor survives exactly; an older cursor restarts the scan (duplicates, never misses). */
const HISTORY_LENGTH = 8;
const RANDOM_ATTEMPTS = 64;

/** Generations are unique across databases, so a cursor used after SWAPDB is recognised as foreign. */
let lastGeneration = 0;
function nextGeneration(): number {
  lastGeneration = lastGeneration + 1 >= 2 ** 27 ? 1 : lastGeneration + 1;
  return lastGeneration;
}

interface Compaction {
  /** The generation that was compacted. */
  readonly generation: number;
  /** table[block] = survivors whose old position is below block * 256. */
  readonly table: Uint32Array;
}

function isEmptyContainer(value: Value): boolean {
  if (typeof value === 'string' || value instanceof Uint8Array) return false;
  if (value instanceof Map || value instanceof Set) return value.size === 0;
  if (value.kind === 'list') return value.length === 0;
  if (value.kind === 'zset') return value.size === 0;
  return false;
}

/** Initial capacity of `lrus`; it grows by half when full, and is rebuilt at its live size by a compaction. */
const MIN_LRUS = 16;

export class MapDatabase implements Database {
  /** Each live key's slot: its position in `order`, `data` and `lrus`. An overwrite keeps the slot. */
  private slots = new Map<Bytes, number>();
  /** The value at each slot (undefined at a stale slot). */
  private data: (Value | undefined)[] = [];
  /** The access data at each slot (access.ts: 24 bits). */
  private lrus = new Int32Array(MIN_LRUS);
  /** Sum of the entries' size estimates. */
  private bytes = 0;
  /**
   * The size estimates counted in `bytes` for the keys whose value is not a string. A string's estimate is not
   * stored: it is recomputed from the key and the value (both immutable); a container changes in place.
   */
  private containerSizes = new Map<Bytes, number>();
  private expires = new Map<Bytes, number>();
  /** The exact times of the keys whose expiry in `expires` is not a safe integer (see the file comment). */
  private exactExpires = new Map<Bytes, bigint>();
  private heap = new ExpiryHeap();
  private order: Bytes[] = [];
  private generation = nextGeneration();
  private history: Compaction[] = [];

  constructor(
    readonly index: number,
    private readonly clock: Clock,
    private readonly hub: ChangeHub,
    private readonly access: AccessSettings = { lfu: false, lfuLogFactor: 10, lfuDecayTime: 1, noTouch: false },
  ) {}

  size(): number {
    if (this.expires.size !== 0) this.reclaimExpired(Infinity, Infinity);
    return this.slots.size;
  }

  expiringCount(): number {
    if (this.expires.size !== 0) this.reclaimExpired(Infinity, Infinity);
    return this.expires.size;
  }

  get(key: Bytes): Value | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (this.expires.size !== 0 && this.expireIfDue(key)) return undefined;
    const access = this.access;
    if (!access.noTouch) {
      const now = (access.lruClock ?? this.clock).now();
      this.lrus[slot] = access.lfu ? accessed(access, this.lrus[slot]!, now) : lruClock(now);
    }
    return this.data[slot];
  }

  /** The value without recording an access (TYPE, OBJECT...). */
  private peek(key: Bytes): Value | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (this.expires.size !== 0 && this.expireIfDue(key)) return undefined;
    return this.data[slot];
  }

  idleTime(key: Bytes): number | undefined {
    if (this.peek(key) === undefined) return undefined;
    // OBJECT IDLETIME: estimateObjectIdleTime(o) / 1000, on the 24-bit LRU clock (whole seconds).
    return Math.floor(estimateIdleTime(this.lrus[this.slots.get(key)!]!, this.clock.now()) / 1000);
  }

  frequency(key: Bytes): number | undefined {
    if (this.peek(key) === undefined) return undefined;
    return lfuCounter(this.access, this.lrus[this.slots.get(key)!]!, this.clock.now());
  }

  usedMemory(): number {
    return this.bytes;
  }

  randomVolatileKey(): Bytes | undefined {
    for (let attempt = 0; attempt < RANDOM_ATTEMPTS && this.expires.size !== 0; attempt++) {
      const key = this.heap.keyAt(Math.floor(Math.random() * this.heap.length));
      if (key === undefined || !this.expires.has(key)) continue;
      if (this.expireIfDue(key)) continue;
      return key;
    }
    for (const key of this.expires.keys()) {
      if (!this.expireIfDue(key)) return key;
    }
    return undefined;
  }

  getTyped<T extends ValueType>(key: Bytes, type: T): ValueOfType[T] | undefined {
    const value = this.get(key);
    if (value === undefined) return undefined;
    if (typeOf(value) !== type) throw new WrongTypeError();
    return value as ValueOfType[T];
  }

  set(key: Bytes, value: Value, options?: SetOptions): void {
    if (this.expires.size !== 0) this.expireIfDue(key);
    const expireAt = options?.expireAt;
    if (expireAt !== undefined && expireAt <= this.clock.now()) {
      // Writing with a time already past leaves no key, as Redis's SET EXAT in the past does.
      if (this.slots.has(key)) {
        this.removeKey(key);
        this.hub.emit('deleted', this.index, key);
      }
      return;
    }
    const size = estimateSize(key, value);
    const now = (this.access.lruClock ?? this.clock).now();
    const slot = this.slots.get(key);
    const created = slot === undefined;
    if (created) {
      const fresh = this.order.length;
      this.slots.set(key, fresh);
      this.order.push(key);
      this.data.push(value);
      if (fresh >= this.lrus.length) this.growLrus();
      this.lrus[fresh] = initialAccess(this.access, now);
      this.bytes += size;
    } else {
      const old = this.data[slot]!;
      if (typeof old === 'string') this.bytes += size - estimateSize(key, old);
      else {
        this.bytes += size - (this.containerSizes.get(key) ?? 0);
        if (typeof value === 'string') this.containerSizes.delete(key);
      }
      this.data[slot] = value;
      // An overwrite counts as an access (lookupKeyWrite), as in Redis.
      if (!this.access.noTouch) this.lrus[slot] = accessed(this.access, this.lrus[slot]!, now);
    }
    if (typeof value !== 'string') this.containerSizes.set(key, size);
    if (expireAt !== undefined) this.setTtl(key, expireAt);
    else if (options?.keepTtl !== true && this.expires.size !== 0) this.clearTtl(key);
    if (this.hub.listeners.length !== 0) this.hub.emit('set', this.index, key, undefined, undefined, created);
  }

  delete(key: Bytes): boolean {
    if (this.expires.size !== 0 && this.expireIfDue(key)) return false;
    if (!this.slots.has(key)) return false;
    this.removeKey(key);
    if (this.hub.listeners.length !== 0) this.hub.emit('deleted', this.index, key);
    return true;
  }

  has(key: Bytes): boolean {
    if (!this.slots.has(key)) return false;
    return this.expires.size === 0 || !this.expireIfDue(key);
  }

  type(key: Bytes): ValueType | undefined {
    const value = this.peek(key);
    return value === undefined ? undefined : typeOf(value);
  }

  getExpire(key: Bytes): number | undefined {
    if (this.expires.size === 0 || !this.has(key)) return undefined;
    return this.expires.get(key);
  }

  getExpireExact(key: Bytes): bigint | undefined {
    const at = this.getExpire(key);
    if (at === undefined) return undefined;
    return this.exactExpires.get(key) ?? BigInt(Math.floor(at));
  }

  setExpire(key: Bytes, at: ExpireTime): boolean {
    if (!this.has(key)) return false;
    if (at <= this.clock.now()) {
      this.removeKey(key);
      this.hub.emit('deleted', this.index, key);
      return true;
    }
    this.setTtl(key, at);
    this.hub.emit('expire', this.index, key);
    return true;
  }

  persist(key: Bytes): boolean {
    if (this.expires.size === 0 || !this.has(key) || !this.clearTtl(key)) return false;
    this.hub.emit('expire', this.index, key);
    return true;
  }

  touch(key: Bytes, event?: string): void {
    const value = this.peek(key);
    if (value === undefined) return;
    if (typeof value !== 'string') {
      const size = estimateSize(key, value);
      this.bytes += size - (this.containerSizes.get(key) ?? 0);
      this.containerSizes.set(key, size);
    }
    if (this.hub.listeners.length !== 0) this.hub.emit('modified', this.index, key, event);
    if (isEmptyContainer(value)) {
      this.removeKey(key);
      this.hub.emit('deleted', this.index, key);
    }
  }

  randomKey(): Bytes | undefined {
    // Stale log entries are at most about half of the log (compaction keeps it so), so a few draws almost always hit.
    for (let attempt = 0; attempt < RANDOM_ATTEMPTS && this.slots.size !== 0; attempt++) {
      const position = Math.floor(Math.random() * this.order.length);
      const key = this.order[position];
      if (key === undefined || this.slots.get(key) !== position) continue;
      if (this.expires.size !== 0 && this.expireIfDue(key)) continue;
      return key;
    }
    for (const key of this.slots.keys()) {
      if (this.expires.size === 0 || !this.expireIfDue(key)) return key;
    }
    return undefined;
  }

  scan(cursor: number, count: number): ScanResult {
    let position = this.positionOf(cursor);
    const order = this.order;
    const wanted = Math.max(1, Math.floor(count) || 1);
    const maxExamined = wanted * 10;
    const now = this.expires.size !== 0 ? this.clock.now() : 0;
    const keys: Bytes[] = [];
    const due: Bytes[] = [];
    for (let examined = 0; position < order.length && keys.length < wanted && examined < maxExamined; examined++) {
      const key = order[position]!;
      if (this.slots.get(key) !== position++) continue;
      if (this.expires.size !== 0) {
        const at = this.expires.get(key);
        if (at !== undefined && at <= now) {
          due.push(key);
          continue;
        }
      }
      keys.push(key);
    }
    const next = position >= order.length ? 0 : this.generation * SLOT_RANGE + position;
    // Reclaim after computing the cursor: a compaction triggered here is handled by the cursor's generation.
    for (const key of due) this.expireIfDue(key);
    return { cursor: next, keys };
  }

  *keys(): IterableIterator<Bytes> {
    if (this.expires.size !== 0) this.reclaimExpired(Infinity, Infinity);
    for (const key of this.slots.keys()) {
      if (this.expires.size !== 0) {
        const at = this.expires.get(key);
        if (at !== undefined && at <= this.clock.now()) continue;
      }
      yield key;
    }
  }

  flush(): void {
    this.history.push({ generation: this.generation, table: new Uint32Array(1) });
    if (this.history.length > HISTORY_LENGTH) this.history.shift();
    this.generation = nextGeneration();
    this.slots = new Map();
    this.data = [];
    this.lrus = new Int32Array(MIN_LRUS);
    this.bytes = 0;
    this.containerSizes = new Map();
    this.expires = new Map();
    this.exactExpires = new Map();
    this.heap = new ExpiryHeap();
    this.order = [];
    this.hub.emit('flushed', this.index, undefined);
  }

  /**
   * Reclaims keys whose time has passed, earliest first, reporting 'expired': at most `limit` keys, stopping once
   * `performance.now()` passes `deadline`. Returns how many it reclaimed.
   */
  reclaimExpired(limit: number, deadline: number): number {
    if (this.expires.size === 0) {
      if (this.heap.length !== 0) this.heap.clear();
      return 0;
    }
    const now = this.clock.now();
    let reclaimed = 0;
    while (reclaimed < limit && this.heap.peekTime() <= now) {
      const at = this.heap.peekTime();
      const key = this.heap.peekKey()!;
      this.heap.pop();
      if (this.expires.get(key) !== at) continue;
      this.removeKey(key);
      this.hub.emit('expired', this.index, key);
      reclaimed++;
      if ((reclaimed & 63) === 0 && performance.now() > deadline) break;
    }
    return reclaimed;
  }

  /** SWAPDB: exchanges everything but the index with another database of the same store. */
  swapContents(other: MapDatabase): void {
    [this.slots, other.slots] = [other.slots, this.slots];
    [this.data, other.data] = [other.data, this.data];
    [this.lrus, other.lrus] = [other.lrus, this.lrus];
    [this.bytes, other.bytes] = [other.bytes, this.bytes];
    [this.containerSizes, other.containerSizes] = [other.containerSizes, this.containerSizes];
    [this.expires, other.expires] = [other.expires, this.expires];
    [this.exactExpires, other.exactExpires] = [other.exactExpires, this.exactExpires];
    [this.heap, other.heap] = [other.heap, this.heap];
    [this.order, other.order] = [other.order, this.order];
    [this.generation, other.generation] = [other.generation, this.generation];
    [this.history, other.history] = [other.history, this.history];
  }

  /** Deletes the key and reports 'expired' when its time has passed; true when it did. */
  private expireIfDue(key: Bytes): boolean {
    const at = this.expires.get(key);
    if (at === undefined || at > this.clock.now()) return false;
    this.removeKey(key);
    this.hub.emit('expired', this.index, key);
    return true;
  }

  /** Records the key's expiry: a number as it is; a bigint as its nearest double plus, if that is inexact, itself. */
  private setTtl(key: Bytes, at: ExpireTime): void {
    let time: number;
    if (typeof at === 'number') {
      time = at;
      if (this.exactExpires.size !== 0) this.exactExpires.delete(key);
    } else {
      time = Number(at);
      if (!Number.isSafeInteger(time)) this.exactExpires.set(key, at);
      else if (this.exactExpires.size !== 0) this.exactExpires.delete(key);
    }
    this.expires.set(key, time);
    this.heap.push(time, key);
    if (this.heap.length > 2 * this.expires.size + 64) this.heap.rebuild(this.expires);
  }

  /** Removes the key's TTL (and its exact time, if any); true when it had one. */
  private clearTtl(key: Bytes): boolean {
    if (!this.expires.delete(key)) return false;
    if (this.exactExpires.size !== 0) this.exactExpires.delete(key);
    return true;
  }

  private removeKey(key: Bytes): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    const value = this.data[slot]!;
    if (typeof value === 'string') this.bytes -= estimateSize(key, value);
    else {
      this.bytes -= this.containerSizes.get(key) ?? 0;
      this.containerSizes.delete(key);
    }
    this.slots.delete(key);
    if (this.expires.size !== 0) this.clearTtl(key);
    const order = this.order;
    if (slot === order.length - 1) {
      order.pop();
      this.data.pop();
    } else {
      this.data[slot] = undefined;
      if (order.length > 2 * this.slots.size + 64) this.compact();
    }
  }

  /** Makes room in `lrus` for the next slot: half as much again (as V8 grows the arrays beside it). */
  private growLrus(): void {
    const grown = new Int32Array(this.lrus.length + (this.lrus.length >>> 1) + MIN_LRUS);
    grown.set(this.lrus);
    this.lrus = grown;
  }

  /** Rewrites the SCAN log as the Map's key order and records how old positions map to new ones. */
  private compact(): void {
    const old = this.order;
    const slots = this.slots;
    // The live entries of `old`, in its order, are the Map's keys in its order: the new log.
    const table = new Uint32Array((old.length >>> BLOCK_SHIFT) + 1);
    // Filled by push, so the arrays stay packed (a hole check on every read otherwise).
    const fresh: Bytes[] = [];
    const data: (Value | undefined)[] = [];
    const lrus = new Int32Array(Math.max(MIN_LRUS, slots.size + (slots.size >>> 1)));
    let matched = 0;
    for (let position = 0; position < old.length; position++) {
      if ((position & ((1 << BLOCK_SHIFT) - 1)) === 0) table[position >>> BLOCK_SHIFT] = matched;
      const key = old[position]!;
      if (slots.get(key) !== position) continue;
      fresh.push(key);
      data.push(this.data[position]);
      lrus[matched] = this.lrus[position]!;
      slots.set(key, matched);
      matched++;
    }
    if ((old.length & ((1 << BLOCK_SHIFT) - 1)) === 0) table[old.length >>> BLOCK_SHIFT] = matched;
    this.history.push({ generation: this.generation, table });
    if (this.history.length > HISTORY_LENGTH) this.history.shift();
    this.generation = nextGeneration();
    this.order = fresh;
    this.data = data;
    this.lrus = lrus;
  }

  /** The log position a cursor stands for in the current generation (0 for an unknown or too old cursor). */
  private positionOf(cursor: number): number {
    if (!Number.isSafeInteger(cursor) || cursor <= 0) return 0;
    const generation = Math.floor(cursor / SLOT_RANGE);
    let position = cursor % SLOT_RANGE;
    if (generation === this.generation) return position;
    const first = this.history.findIndex((compaction) => compaction.generation === generation);
    if (first === -1) return 0;
    for (let index = first; index < this.history.length; index++) {
      const table = this.history[index]!.table;
      position = table[Math.min(position >>> BLOCK_SHIFT, table.length - 1)]!;
    }
    return position;
  }
}
