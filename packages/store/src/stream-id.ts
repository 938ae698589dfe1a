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
 * common case: PEL entries arrive in ID order) are O(1) amortised; lookups O(log n).
 */
export class IdMap<V> {
  private ids: StreamID[] = [];
  private values: V[] = [];

  get size(): number {
    return this.ids.length;
  }

  /** Index of the first ID >= id. */
  lowerBound(id: StreamID): number {
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
    const index = this.lowerBound(id);
    const found = this.ids[index];
    return found !== undefined && compareIds(found, id) === 0 ? this.values[index] : undefined;
  }

  has(id: StreamID): boolean {
    return this.get(id) !== undefined;
  }

  /** Inserts or replaces; true when the ID was new. */
  set(id: StreamID, value: V): boolean {
    const index = this.lowerBound(id);
    const found = this.ids[index];
    if (found !== undefined && compareIds(found, id) === 0) {
      this.values[index] = value;
      return false;
    }
    if (index === this.ids.length) {
      this.ids.push(id);
      this.values.push(value);
    } else {
      this.ids.splice(index, 0, id);
      this.values.splice(index, 0, value);
    }
    return true;
  }

  delete(id: StreamID): boolean {
    const index = this.lowerBound(id);
    const found = this.ids[index];
    if (found === undefined || compareIds(found, id) !== 0) return false;
    this.ids.splice(index, 1);
    this.values.splice(index, 1);
    return true;
  }

  idAt(index: number): StreamID | undefined {
    return this.ids[index];
  }

  valueAt(index: number): V | undefined {
    return this.values[index];
  }

  /** Entries with ID >= start, ascending. Mutating the map while iterating is not allowed. */
  *from(start: StreamID): IterableIterator<[StreamID, V]> {
    for (let index = this.lowerBound(start); index < this.ids.length; index++) {
      yield [this.ids[index]!, this.values[index]!];
    }
  }

  *[Symbol.iterator](): IterableIterator<[StreamID, V]> {
    for (let index = 0; index < this.ids.length; index++) yield [this.ids[index]!, this.values[index]!];
  }
}
