/**
 * Stream IDs: 64-bit milliseconds and 64-bit sequence, held as two bigints so that no value loses precision. IDs
 * compare as the 128-bit number ms:seq.
 */

/** A stream entry ID. */
export interface StreamID {
  readonly ms: bigint;
  readonly seq: bigint;
}

/** 2^64 - 1, the largest ms or seq. */
export const UINT64_MAX = 0xffffffffffffffffn;

export const MIN_ID: StreamID = { ms: 0n, seq: 0n };
export const MAX_ID: StreamID = { ms: UINT64_MAX, seq: UINT64_MAX };

/** -1, 0 or 1 as a <, =, > b. */
export function compareIds(a: StreamID, b: StreamID): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

/** The ID as Redis prints it: `ms-seq`. */
export function formatId(id: StreamID): string {
  return `${id.ms}-${id.seq}`;
}

/** The next ID (streamIncrID), or undefined after the last possible one. */
export function incrementId(id: StreamID): StreamID | undefined {
  if (id.seq === UINT64_MAX) {
    if (id.ms === UINT64_MAX) return undefined;
    return { ms: id.ms + 1n, seq: 0n };
  }
  return { ms: id.ms, seq: id.seq + 1n };
}

/** The previous ID (streamDecrID), or undefined before 0-0. */
export function decrementId(id: StreamID): StreamID | undefined {
  if (id.seq === 0n) {
    if (id.ms === 0n) return undefined;
    return { ms: id.ms - 1n, seq: UINT64_MAX };
  }
  return { ms: id.ms, seq: id.seq - 1n };
}

/**
 * A map from stream ID to a value, ordered by ID: a sorted array pair with binary search. Appends at the end (the
 * common case: PEL entries arrive in ID order) are O(1) amortised, lookups O(log n). A deletion leaves a tombstone
 * (O(log n)); the arrays are compacted when tombstones outnumber live entries, so deletions are O(log n) amortised in
 * any order (XACK of random IDs in a large PEL). Do not delete from a map while iterating over it.
 */
export class IdMap<V> {
  private ids: StreamID[] = [];
  /** undefined marks a tombstone. */
  private values: Array<V | undefined> = [];
  private live = 0;
  private dead = 0;

  get size(): number {
    return this.live;
  }

  /** Index of the first slot (live or not) with ID >= id. */
  private search(id: StreamID): number {
    let low = 0;
    let high = this.ids.length;
    const last = this.ids[high - 1];
    if (last !== undefined && compareIds(last, id) < 0) return high;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareIds(this.ids[mid]!, id) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  get(id: StreamID): V | undefined {
    const index = this.search(id);
    const found = this.ids[index];
    return found !== undefined && compareIds(found, id) === 0 ? this.values[index] : undefined;
  }

  has(id: StreamID): boolean {
    return this.get(id) !== undefined;
  }

  /** Inserts or replaces; true when the ID was new. */
  set(id: StreamID, value: V): boolean {
    const index = this.search(id);
    const found = this.ids[index];
    if (found !== undefined && compareIds(found, id) === 0) {
      const wasDead = this.values[index] === undefined;
      if (wasDead) {
        this.live++;
        this.dead--;
      }
      this.values[index] = value;
      return wasDead;
    }
    if (index === this.ids.length) {
      this.ids.push(id);
      this.values.push(value);
    } else {
      this.ids.splice(index, 0, id);
      this.values.splice(index, 0, value);
    }
    this.live++;
    return true;
  }

  delete(id: StreamID): boolean {
    const index = this.search(id);
    const found = this.ids[index];
    if (found === undefined || compareIds(found, id) !== 0 || this.values[index] === undefined) return false;
    this.values[index] = undefined;
    this.live--;
    this.dead++;
    if (this.dead > 32 && this.dead > this.live) this.compact();
    return true;
  }

  private compact(): void {
    const ids: StreamID[] = [];
    const values: V[] = [];
    for (let index = 0; index < this.ids.length; index++) {
      const value = this.values[index];
      if (value === undefined) continue;
      ids.push(this.ids[index]!);
      values.push(value);
    }
    this.ids = ids;
    this.values = values;
    this.dead = 0;
  }

  /** The lowest live ID, or undefined. */
  first(): StreamID | undefined {
    for (let index = 0; index < this.ids.length; index++) if (this.values[index] !== undefined) return this.ids[index];
    return undefined;
  }

  /** The highest live ID, or undefined. */
  last(): StreamID | undefined {
    for (let index = this.ids.length - 1; index >= 0; index--) {
      if (this.values[index] !== undefined) return this.ids[index];
    }
    return undefined;
  }

  /** Live entries with ID >= start, ascending. */
  *from(start: StreamID): IterableIterator<[StreamID, V]> {
    for (let index = this.search(start); index < this.ids.length; index++) {
      const value = this.values[index];
      if (value !== undefined) yield [this.ids[index]!, value];
    }
  }

  *[Symbol.iterator](): IterableIterator<[StreamID, V]> {
    for (let index = 0; index < this.ids.length; index++) {
      const value = this.values[index];
      if (value !== undefined) yield [this.ids[index]!, value];
    }
  }
}
