/** The default backend: every database in memory, in JS Maps (see map-database.ts for the layout). */
import { ChangeHub } from './change-hub.js';
import { systemClock } from './clock.js';
import { MapDatabase } from './map-database.js';
import type { AccessSettings } from './access.js';
import type { AccessOptions, ChangeListener, Clock, Database, Store } from './types.js';

/** Options of `new MapStore()`. */
export interface MapStoreOptions {
  /** Number of databases (default 16). */
  readonly databases?: number;
  /** Clock for expiry (default the system clock). */
  readonly clock?: Clock;
  /** Run `expireCycle()` on a timer (default true). */
  readonly activeExpire?: boolean;
  /** Active expiry runs per second (default 10, as Redis's hz). */
  readonly hz?: number;
}

/** At most this many keys are reclaimed per database per cycle. */
const CYCLE_KEYS_PER_DATABASE = 1000;

/** The in-memory Store. */
export class MapStore implements Store {
  readonly databaseCount: number;
  readonly clock: Clock;
  private readonly databases: MapDatabase[];
  private readonly hub = new ChangeHub();
  private readonly cycleBudgetMs: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly periodMs: number;
  private closed = false;
  private lruTimer: NodeJS.Timeout | undefined;
  private readonly access: AccessSettings = { lfu: false, lfuLogFactor: 10, lfuDecayTime: 1, noTouch: false };

  constructor(options: MapStoreOptions = {}) {
    const { databases = 16, clock = systemClock, activeExpire = true, hz = 10 } = options;
    if (!Number.isInteger(databases) || databases < 1) throw new RangeError(`databases must be a positive integer`);
    if (!(hz > 0)) throw new RangeError('hz must be positive');
    this.databaseCount = databases;
    this.clock = clock;
    this.databases = Array.from({ length: databases }, (_, index) => new MapDatabase(index, clock, this.hub, this.access));
    // As Redis's slow cycle: spend at most a quarter of each period reclaiming.
    this.cycleBudgetMs = 250 / hz;
    this.periodMs = 1000 / hz;
    this.setActiveExpire(activeExpire);
    if (clock === systemClock) {
      // Access times at Redis's 1000 ms LRU resolution do not need a clock read per access: refresh a copy.
      const cached = { time: Date.now(), now(): number { return this.time; } };
      this.access.lruClock = cached;
      this.lruTimer = setInterval(() => {
        cached.time = Date.now();
      }, 100);
      this.lruTimer.unref();
    }
  }

  /**
   * Starts or stops the active-expiry timer (Redis's DEBUG SET-ACTIVE-EXPIRE). While it is off, expired keys are
   * reclaimed only when something reads them, or by an explicit `expireCycle()`.
   */
  setActiveExpire(enabled: boolean): void {
    if (enabled && this.timer === undefined && !this.closed) {
      this.timer = setInterval(() => this.expireCycle(), this.periodMs);
      this.timer.unref();
    } else if (!enabled && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** How many keys expired (reclaimed lazily or by the active cycle) since the store was created: INFO expired_keys. */
  get expiredKeys(): number {
    return this.hub.expiredCount;
  }

  /** Whether the active-expiry timer runs. */
  get activeExpire(): boolean {
    return this.timer !== undefined;
  }

  get noTouch(): boolean {
    return this.access.noTouch;
  }

  set noTouch(value: boolean) {
    this.access.noTouch = value;
  }

  setAccessOptions(options: AccessOptions): void {
    this.access.lfu = options.mode === 'lfu';
    this.access.lfuLogFactor = options.lfuLogFactor;
    this.access.lfuDecayTime = options.lfuDecayTime;
  }

  usedMemory(): number {
    let total = 0;
    for (const database of this.databases) total += database.usedMemory();
    return total;
  }

  db(index: number): Database {
    return this.database(index);
  }

  flushAll(): void {
    for (const database of this.databases) database.flush();
  }

  swap(a: number, b: number): void {
    const first = this.database(a);
    const second = this.database(b);
    if (first !== second) first.swapContents(second);
    this.hub.emit('swapped', a, undefined, undefined, b);
  }

  onChange(listener: ChangeListener): () => void {
    return this.hub.subscribe(listener);
  }

  expireCycle(): number {
    const deadline = performance.now() + this.cycleBudgetMs;
    let reclaimed = 0;
    for (const database of this.databases) {
      reclaimed += database.reclaimExpired(CYCLE_KEYS_PER_DATABASE, deadline);
      if (performance.now() > deadline) break;
    }
    return reclaimed;
  }

  close(): void {
    this.closed = true;
    if (this.lruTimer !== undefined) clearInterval(this.lruTimer);
    this.lruTimer = undefined;
    this.setActiveExpire(false);
  }

  private database(index: number): MapDatabase {
    const database = Number.isInteger(index) ? this.databases[index] : undefined;
    if (database === undefined) throw new RangeError(`database index out of range: ${index}`);
    return database;
  }
}
