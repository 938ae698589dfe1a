/**
 * The list value: a ring buffer whose capacity is a power of two, doubling when full and halving when a quarter
 * full. push/pop at both ends are O(1) amortised and index access is O(1); insert/remove/trim are O(n) as in Redis.
 */
import type { Bytes, ListValue } from './types.js';

const MIN_CAPACITY = 8;

/** A deque of byte strings (see `ListValue`). */
export class RingBufferList implements ListValue {
  readonly kind = 'list' as const;
  private items: (Bytes | undefined)[];
  private head = 0;
  private count = 0;
  private mask: number;

  constructor(items?: Iterable<Bytes>) {
    this.items = new Array<Bytes | undefined>(MIN_CAPACITY);
    this.mask = MIN_CAPACITY - 1;
    if (items !== undefined) for (const item of items) this.pushBack(item);
  }

  get length(): number {
    return this.count;
  }

  pushBack(item: Bytes): void {
    if (this.count === this.items.length) this.resize(this.items.length * 2);
    this.items[(this.head + this.count) & this.mask] = item;
    this.count++;
  }

  pushFront(item: Bytes): void {
    if (this.count === this.items.length) this.resize(this.items.length * 2);
    this.head = (this.head - 1) & this.mask;
    this.items[this.head] = item;
    this.count++;
  }

  popBack(): Bytes | undefined {
    if (this.count === 0) return undefined;
    const index = (this.head + this.count - 1) & this.mask;
    const item = this.items[index];
    this.items[index] = undefined;
    this.count--;
    this.shrinkIfSparse();
    return item;
  }

  popFront(): Bytes | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    this.shrinkIfSparse();
    return item;
  }

  at(index: number): Bytes | undefined {
    const position = index < 0 ? this.count + index : index;
    if (position < 0 || position >= this.count) return undefined;
    return this.items[(this.head + position) & this.mask];
  }

  set(index: number, item: Bytes): boolean {
    const position = index < 0 ? this.count + index : index;
    if (position < 0 || position >= this.count) return false;
    this.items[(this.head + position) & this.mask] = item;
    return true;
  }

  slice(start: number, stop: number): Bytes[] {
    const from = Math.max(0, start);
    const to = Math.min(this.count - 1, stop);
    const result: Bytes[] = [];
    for (let position = from; position <= to; position++) result.push(this.items[(this.head + position) & this.mask]!);
    return result;
  }

  insert(pivot: Bytes, item: Bytes, after: boolean): number {
    const all = this.toArray();
    const found = all.indexOf(pivot);
    if (found === -1) return -1;
    all.splice(after ? found + 1 : found, 0, item);
    this.replaceAll(all);
    return this.count;
  }

  remove(item: Bytes, count: number): number {
    const all = this.toArray();
    const limit = count === 0 ? Infinity : Math.abs(count);
    let removed = 0;
    if (count >= 0) {
      const kept: Bytes[] = [];
      for (const current of all) {
        if (current === item && removed < limit) removed++;
        else kept.push(current);
      }
      if (removed > 0) this.replaceAll(kept);
    } else {
      const kept: Bytes[] = [];
      for (let index = all.length - 1; index >= 0; index--) {
        const current = all[index]!;
        if (current === item && removed < limit) removed++;
        else kept.push(current);
      }
      if (removed > 0) this.replaceAll(kept.reverse());
    }
    return removed;
  }

  trim(start: number, stop: number): void {
    const from = Math.max(0, start);
    const to = Math.min(this.count - 1, stop);
    this.replaceAll(from > to ? [] : this.slice(from, to));
  }

  *[Symbol.iterator](): IterableIterator<Bytes> {
    for (let position = 0; position < this.count; position++) yield this.items[(this.head + position) & this.mask]!;
  }

  /** The items from front to back, as a new array. */
  toArray(): Bytes[] {
    return this.slice(0, this.count - 1);
  }

  private replaceAll(all: Bytes[]): void {
    let capacity = MIN_CAPACITY;
    while (capacity < all.length) capacity *= 2;
    const items = new Array<Bytes | undefined>(capacity);
    for (let index = 0; index < all.length; index++) items[index] = all[index];
    this.items = items;
    this.mask = capacity - 1;
    this.head = 0;
    this.count = all.length;
  }

  private shrinkIfSparse(): void {
    if (this.items.length > MIN_CAPACITY && this.count <= this.items.length >>> 2) this.resize(this.items.length >>> 1);
  }

  private resize(capacity: number): void {
    const items = new Array<Bytes | undefined>(capacity);
    for (let position = 0; position < this.count; position++)
      items[position] = this.items[(this.head + position) & this.mask];
    this.items = items;
    this.mask = capacity - 1;
    this.head = 0;
  }
}

/** A new list holding `items` front to back. */
export function createList(items?: Iterable<Bytes>): RingBufferList {
  return new RingBufferList(items);
}
