/**
 * Per-key access data for eviction (Redis's robj->lru, evict.c) and the dataset size estimate.
 *
 * Every key's entry carries one number, `lru`, of 24 bits as Redis's: under an LRU policy the LRU clock of the last
 * access (seconds, LRU_CLOCK_RESOLUTION 1000 ms, modulo 2^24, read back with estimateObjectIdleTime's wrap-around);
 * under an LFU policy the last decrement time in minutes (16 bits) and a logarithmic counter (8 bits), updated by
 * LFULogIncr / LFUDecrAndReturn. Staying below 2^24 keeps it a small integer (a Smi), stored in the entry itself:
 * a millisecond timestamp would not fit one and V8 would box it in a 16-byte HeapNumber per key. Switching policies leaves old values to be
 * read under the other meaning, as in Redis ("LRU and LFU data will take some time to adjust").
 */
import type { Bytes, Clock, Value } from './types.js';

/** LFU_INIT_VAL: a new key's counter, so it is not evicted before it had a chance to be accessed. */
export const LFU_INIT_VAL = 5;

/** Shared by a store's databases: how accesses are recorded. */
export interface AccessSettings {
  /** Record LFU counters instead of access times. */
  lfu: boolean;
  /** lfu-log-factor. */
  lfuLogFactor: number;
  /** lfu-decay-time, minutes. */
  lfuDecayTime: number;
  /** While true, reads do not update access data (CLIENT NO-TOUCH, OBJECT, TYPE...). */
  noTouch: boolean;
  /**
   * The clock access times are read from: the store's clock, or for the system clock a copy refreshed 10 times a
   * second (Redis's cached server.lruclock: Date.now() costs more than the Map lookup on some VMs).
   */
  lruClock?: Clock;
}

/** LRU_CLOCK_MAX: the LRU clock counts seconds modulo 2^24 (about 194 days). */
export const LRU_CLOCK_MAX = (1 << 24) - 1;
/** LRU_CLOCK_RESOLUTION, ms. */
export const LRU_CLOCK_RESOLUTION = 1000;

/** getLRUClock: the 24-bit LRU clock at `now` (ms). */
export function lruClock(now: number): number {
  return Math.floor(now / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX;
}

/**
 * estimateObjectIdleTime: ms since the access stamped `lru` (an LRU clock), at `now`. A clock that wrapped past
 * 2^24 seconds is counted forward through the wrap, as Redis does (including its LRU_CLOCK_MAX - lru).
 */
export function estimateIdleTime(lru: number, now: number): number {
  const clock = lruClock(now);
  return clock >= lru
    ? (clock - lru) * LRU_CLOCK_RESOLUTION
    : (clock + (LRU_CLOCK_MAX - lru)) * LRU_CLOCK_RESOLUTION;
}

/** Minutes since the epoch, 16 bits (LFUGetTimeInMinutes). */
function minutes(now: number): number {
  return Math.floor(now / 60000) & 65535;
}

/** LFUTimeElapsed: minutes since `ldt`, wrapping at 16 bits. */
function elapsedMinutes(now: number, ldt: number): number {
  const current = minutes(now);
  return current >= ldt ? current - ldt : 65535 - ldt + current;
}

/** A fresh key's `lru` value (objectSetLRUOrLFU / createObject). */
export function initialAccess(settings: AccessSettings, now: number): number {
  return settings.lfu ? (minutes(now) << 8) | LFU_INIT_VAL : lruClock(now);
}

/** LFUDecrAndReturn: the counter after decay by the minutes elapsed since its last decrement. */
export function lfuCounter(settings: AccessSettings, lru: number, now: number): number {
  const ldt = (lru >>> 8) & 65535;
  const counter = lru & 255;
  const periods = settings.lfuDecayTime > 0 ? Math.floor(elapsedMinutes(now, ldt) / settings.lfuDecayTime) : 0;
  return periods > counter ? 0 : counter - periods;
}

/** The new `lru` value after an access (updateLFU: decay, LFULogIncr, stamp the time). */
export function accessed(settings: AccessSettings, lru: number, now: number): number {
  if (!settings.lfu) return lruClock(now);
  let counter = lfuCounter(settings, lru, now);
  if (counter < 255) {
    const baseval = counter - LFU_INIT_VAL < 0 ? 0 : counter - LFU_INIT_VAL;
    const p = 1 / (baseval * settings.lfuLogFactor + 1);
    if (Math.random() < p) counter++;
  }
  return (minutes(now) << 8) | counter;
}

/**
 * The estimated bytes a key and its value take (see the package README, "Access data and memory estimate"). Strings cost what V8's
 * one-byte strings cost (a 16-byte header, rounded to 8); a key costs its string plus the Map entry and its slots in
 * the SCAN log, the value array and the access data. Containers are estimated from their element count and the size of their first
 * element, so the estimate stays O(1) as they grow and shrink.
 */
export function estimateSize(key: Bytes, value: Value): number {
  return KEY_OVERHEAD + stringBytes(key.length) + valueBytes(value);
}

/** Fixed cost of a key: Map slot (3 words, at the load factor), its slots in the SCAN log, `data` (8 bytes each, plus growth slack) and `lrus` (4 bytes), calibrated on 1M small keys (see the README). */
const KEY_OVERHEAD = 55;
/** Per element of a hash, set or sorted set (hash table slot, plus the tree node for a sorted set). */
const ELEMENT_OVERHEAD = 40;

function stringBytes(length: number): number {
  return (16 + length + 7) & ~7;
}

function valueBytes(value: Value): number {
  if (typeof value === 'string') return stringBytes(value.length);
  if (value instanceof Uint8Array) return 96 + value.length;
  if (value instanceof Map) {
    if (value.size === 0) return 64;
    const first = value.entries().next().value!;
    return 64 + value.size * (2 * ELEMENT_OVERHEAD + stringBytes(first[0].length) + stringBytes(first[1].length));
  }
  if (value instanceof Set) {
    if (value.size === 0) return 64;
    const first = value.values().next().value!;
    return 64 + value.size * (ELEMENT_OVERHEAD + stringBytes(first.length));
  }
  if (value.kind === 'list') {
    const first = value.at(0);
    return 64 + value.length * (8 + (first === undefined ? 0 : stringBytes(first.length)));
  }
  if (value.kind === 'zset') {
    if (value.size === 0) return 64;
    const first = value[Symbol.iterator]().next().value!;
    return 64 + value.size * (2 * ELEMENT_OVERHEAD + 8 + stringBytes(first.member.length));
  }
  // Streams: entries are field lists in macro nodes; count the first entry's fields as typical.
  const edge = value.edgeId(false);
  const fields = edge === undefined ? undefined : value.get(edge);
  let entry = 32;
  if (fields !== undefined) for (const field of fields) entry += 8 + stringBytes(field.length);
  return 128 + value.length * entry;
}
