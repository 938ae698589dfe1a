/**
 * A deliberately naive Store used only to prove that the conformance suite tests the contract, not MapStore's
 * internals: every key of every database is one row of a plain array, and every operation is a linear scan.
 * SCAN's cursor is a row sequence number: rows keep their number while they live and new rows get higher ones.
 */
import { accessed, estimateIdleTime, estimateSize, initialAccess, lfuCounter, typeOf, WrongTypeError } from '../src/index.js';
import type { AccessSettings } from '../src/access.js';
import type {
  AccessOptions,
  Bytes,
  Change,
  ChangeListener,
  Clock,
  Database,
  ExpireTime,
  ScanResult,
  SetOptions,
  Store,
  Value,
  ValueOfType,
  ValueType,
} from '../src/index.js';

interface Row {
  db: number;
  key: Bytes;
  value: Value;
  /** Exact, always a bigint: this naive backend keeps every time the slow, obviously right way. */
  expireAt: bigint | undefined;
  sequence: number;
  lru: number;
}

function isEmptyContainer(value: Value): boolean {
  if (value instanceof Map || value instanceof Set) return value.size === 0;
  if (typeof value === 'object' && 'kind' in value) {
    if (value.kind === 'list') return value.length === 0;
    if (value.kind === 'zset') return value.size === 0;
  }
  return false;
}

export class ArrayStore implements Store {
  readonly databaseCount: number;
  readonly clock: Clock;
  rows: Row[] = [];
  private listeners: ChangeListener[] = [];
  private readonly databases: ArrayDatabase[];
  private nextSequence = 1;
  readonly access: AccessSettings = { lfu: false, lfuLogFactor: 10, lfuDecayTime: 1, noTouch: false };
  noTouch = false;

  setAccessOptions(options: AccessOptions): void {
    this.access.lfu = options.mode === 'lfu';
    this.access.lfuLogFactor = options.lfuLogFactor;
    this.access.lfuDecayTime = options.lfuDecayTime;
  }

  usedMemory(): number {
    let total = 0;
    for (let index = 0; index < this.databaseCount; index++) total += this.db(index).usedMemory();
    return total;
  }

  constructor(options: { clock: Clock; databases: number }) {
    this.clock = options.clock;
    this.databaseCount = options.databases;
    this.databases = Array.from({ length: options.databases }, (_, index) => new ArrayDatabase(this, index));
  }

  db(index: number): Database {
    const database = Number.isInteger(index) ? this.databases[index] : undefined;
    if (database === undefined) throw new RangeError(`no database ${index}`);
    return database;
  }

  flushAll(): void {
    for (let index = 0; index < this.databaseCount; index++) this.db(index).flush();
  }

  swap(a: number, b: number): void {
    this.db(a);
    this.db(b);
    for (const row of this.rows) {
      if (row.db === a) row.db = b;
      else if (row.db === b) row.db = a;
    }
    this.emit({ kind: 'swapped', db: a, key: undefined, other: b });
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((current) => current !== listener);
    };
  }

  expireCycle(): number {
    const now = this.clock.now();
    const due = this.rows.filter((row) => row.expireAt !== undefined && row.expireAt <= now);
    for (const row of due) this.removeRow(row, 'expired');
    return due.length;
  }

  close(): void {}

  emit(change: Change): void {
    for (const listener of [...this.listeners]) listener(change);
  }

  sequence(): number {
    return this.nextSequence++;
  }

  removeRow(row: Row, kind: 'deleted' | 'expired'): void {
    this.rows = this.rows.filter((current) => current !== row);
    this.emit({ kind, db: row.db, key: row.key });
  }
}

class ArrayDatabase implements Database {
  constructor(
    private readonly store: ArrayStore,
    readonly index: number,
  ) {}

  /** The live row of a key; an expired row is removed on the way. */
  private row(key: Bytes): Row | undefined {
    const row = this.store.rows.find((current) => current.db === this.index && current.key === key);
    if (row?.expireAt !== undefined && row.expireAt <= this.store.clock.now()) {
      this.store.removeRow(row, 'expired');
      return undefined;
    }
    return row;
  }

  private liveRows(): Row[] {
    const now = this.store.clock.now();
    const mine = this.store.rows.filter((current) => current.db === this.index);
    for (const row of mine) if (row.expireAt !== undefined && row.expireAt <= now) this.store.removeRow(row, 'expired');
    return mine.filter((row) => row.expireAt === undefined || row.expireAt > now);
  }

  size(): number {
    return this.liveRows().length;
  }

  expiringCount(): number {
    return this.liveRows().filter((row) => row.expireAt !== undefined).length;
  }

  get(key: Bytes): Value | undefined {
    const row = this.row(key);
    if (row !== undefined && !this.store.noTouch) row.lru = accessed(this.store.access, row.lru, this.store.clock.now());
    return row?.value;
  }

  idleTime(key: Bytes): number | undefined {
    const row = this.row(key);
    if (row === undefined) return undefined;
    return Math.floor(estimateIdleTime(row.lru, this.store.clock.now()) / 1000);
  }

  frequency(key: Bytes): number | undefined {
    const row = this.row(key);
    return row === undefined ? undefined : lfuCounter(this.store.access, row.lru, this.store.clock.now());
  }

  usedMemory(): number {
    let total = 0;
    for (const row of this.liveRows()) total += estimateSize(row.key, row.value);
    return total;
  }

  randomVolatileKey(): Bytes | undefined {
    const rows = this.liveRows().filter((row) => row.expireAt !== undefined);
    return rows[Math.floor(Math.random() * rows.length)]?.key;
  }

  getTyped<T extends ValueType>(key: Bytes, type: T): ValueOfType[T] | undefined {
    const value = this.get(key);
    if (value !== undefined && typeOf(value) !== type) throw new WrongTypeError();
    return value as ValueOfType[T] | undefined;
  }

  set(key: Bytes, value: Value, options?: SetOptions): void {
    const row = this.row(key);
    if (options?.expireAt !== undefined && options.expireAt <= this.store.clock.now()) {
      if (row !== undefined) this.store.removeRow(row, 'deleted');
      return;
    }
    const expireAt =
      options?.expireAt !== undefined ? BigInt(options.expireAt) : options?.keepTtl === true ? row?.expireAt : undefined;
    if (row === undefined) {
      const lru = initialAccess(this.store.access, this.store.clock.now());
      this.store.rows.push({ db: this.index, key, value, expireAt, sequence: this.store.sequence(), lru });
    } else {
      if (!this.store.noTouch) row.lru = accessed(this.store.access, row.lru, this.store.clock.now());
      row.value = value;
      row.expireAt = expireAt;
    }
    this.store.emit(row === undefined ? { kind: 'set', db: this.index, key, created: true } : { kind: 'set', db: this.index, key });
  }

  delete(key: Bytes): boolean {
    const row = this.row(key);
    if (row === undefined) return false;
    this.store.removeRow(row, 'deleted');
    return true;
  }

  has(key: Bytes): boolean {
    return this.row(key) !== undefined;
  }

  type(key: Bytes): ValueType | undefined {
    const value = this.row(key)?.value;
    return value === undefined ? undefined : typeOf(value);
  }

  getExpire(key: Bytes): number | undefined {
    const at = this.row(key)?.expireAt;
    return at === undefined ? undefined : Number(at);
  }

  getExpireExact(key: Bytes): bigint | undefined {
    return this.row(key)?.expireAt;
  }

  setExpire(key: Bytes, at: ExpireTime): boolean {
    const row = this.row(key);
    if (row === undefined) return false;
    if (at <= this.store.clock.now()) {
      this.store.removeRow(row, 'deleted');
      return true;
    }
    row.expireAt = BigInt(at);
    this.store.emit({ kind: 'expire', db: this.index, key });
    return true;
  }

  persist(key: Bytes): boolean {
    const row = this.row(key);
    if (row?.expireAt === undefined) return false;
    row.expireAt = undefined;
    this.store.emit({ kind: 'expire', db: this.index, key });
    return true;
  }

  touch(key: Bytes, event?: string): void {
    const row = this.row(key);
    if (row === undefined) return;
    this.store.emit(
      event === undefined
        ? { kind: 'modified', db: this.index, key }
        : { kind: 'modified', db: this.index, key, event },
    );
    if (isEmptyContainer(row.value)) this.store.removeRow(row, 'deleted');
  }

  randomKey(): Bytes | undefined {
    const rows = this.liveRows();
    return rows[Math.floor(Math.random() * rows.length)]?.key;
  }

  scan(cursor: number, count: number): ScanResult {
    const rows = this.liveRows()
      .filter((row) => row.sequence >= cursor)
      .sort((left, right) => left.sequence - right.sequence);
    const taken = rows.slice(0, Math.max(1, count));
    const last = taken.at(-1);
    return {
      cursor: taken.length === rows.length || last === undefined ? 0 : last.sequence + 1,
      keys: taken.map((row) => row.key),
    };
  }

  *keys(): IterableIterator<Bytes> {
    for (const row of this.liveRows()) yield row.key;
  }

  flush(): void {
    this.store.rows = this.store.rows.filter((row) => row.db !== this.index);
    this.store.emit({ kind: 'flushed', db: this.index, key: undefined });
  }
}
