/**
 * A binary min-heap of (expireAt, key) with lazy deletion: entries are never removed when a TTL changes; the reader
 * checks each popped entry against the expires map and drops stale ones. Two parallel arrays, no object per entry.
 */
import type { Bytes } from './types.js';

export class ExpiryHeap {
  private times: number[] = [];
  private keys: Bytes[] = [];

  get length(): number {
    return this.times.length;
  }

  /** The earliest time in the heap (Infinity when empty). */
  peekTime(): number {
    return this.times[0] ?? Infinity;
  }

  /** The key of the earliest entry. */
  peekKey(): Bytes | undefined {
    return this.keys[0];
  }

  push(time: number, key: Bytes): void {
    const times = this.times;
    const keys = this.keys;
    let index = times.length;
    times.push(time);
    keys.push(key);
    while (index > 0) {
      const parent = (index - 1) >>> 1;
      if (times[parent]! <= time) break;
      times[index] = times[parent]!;
      keys[index] = keys[parent]!;
      index = parent;
    }
    times[index] = time;
    keys[index] = key;
  }

  /** Removes the earliest entry. */
  pop(): void {
    const times = this.times;
    const keys = this.keys;
    const lastTime = times.pop();
    const lastKey = keys.pop();
    if (times.length === 0 || lastTime === undefined || lastKey === undefined) return;
    const length = times.length;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= length) break;
      if (child + 1 < length && times[child + 1]! < times[child]!) child++;
      if (times[child]! >= lastTime) break;
      times[index] = times[child]!;
      keys[index] = keys[child]!;
      index = child;
    }
    times[index] = lastTime;
    keys[index] = lastKey;
  }

  /** The key at a heap position (for random sampling; may be stale). */
  keyAt(index: number): Bytes | undefined {
    return this.keys[index];
  }

  clear(): void {
    this.times = [];
    this.keys = [];
  }

  /** Rebuilds from scratch (drops stale entries): O(n). */
  rebuild(entries: Map<Bytes, number>): void {
    this.clear();
    for (const [key, time] of entries) this.push(time, key);
  }
}
