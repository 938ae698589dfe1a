/**
 * maxmemory (evict.c): when the estimated used memory passes `maxmemory`, keys are evicted by `maxmemory-policy`
 * before a command runs, as Redis's processCommand calls performEvictions.
 *
 * - used memory is the store's per-key estimate (see @mini-redis/store's README, "Memory estimate") plus a fixed
 *   startup figure (Redis's used_memory of an empty 7.0 server), so INFO's used_memory follows the dataset.
 * - LRU / LFU / TTL policies use Redis's approximation: each round samples `maxmemory-samples` keys of every database
 *   (all of them when a database has no more) into a 16-entry pool ordered by idle score (idle ms, 255 - LFU counter,
 *   or the inverse of the expire time), and the best candidate still present is evicted. The pool persists across
 *   rounds, as Redis's EvictionPoolLRU does.
 * - random policies evict a random key (volatile-*: one with a TTL), databases in turn.
 * - Rounds repeat until used memory is back under the limit, or the tenacity time budget runs out (then the command
 *   runs anyway, as Redis's EVICT_RUNNING). When nothing can be evicted (noeviction, or volatile-* without keys with
 *   a TTL) commands flagged denyoom get the OOM error.
 */
import type { Database, Store } from '@mini-redis/store';
import type { Config } from './config.js';

/** EVPOOL_SIZE. */
const POOL_SIZE = 16;
/** Redis 7.0.15's used_memory on an empty server (used_memory_startup), so small maxmemory values behave as there. */
export const STARTUP_MEMORY = 866_000;
export const OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";

export type MaxmemoryPolicy =
  | 'noeviction'
  | 'allkeys-lru'
  | 'allkeys-lfu'
  | 'allkeys-random'
  | 'volatile-lru'
  | 'volatile-lfu'
  | 'volatile-random'
  | 'volatile-ttl';

interface Candidate {
  score: number;
  key: string;
  db: number;
}

/** evictionTimeLimitUs: the time budget of one performEvictions call, in ms (Infinity at tenacity 100). */
export function evictionTimeLimitMs(tenacity: number): number {
  if (tenacity <= 10) return (50 * tenacity) / 1000;
  if (tenacity < 100) return (500 * Math.pow(1.15, tenacity - 10)) / 1000;
  return Infinity;
}

export class Eviction {
  /** maxmemory in bytes; 0 = no limit. */
  maxmemory = 0;
  policy: MaxmemoryPolicy = 'noeviction';
  private samples = 5;
  private timeLimitMs = evictionTimeLimitMs(10);
  private lfuLogFactor = 10;
  private lfuDecayTime = 1;
  /**
   * pre_command_oom_state: the last top-level command found memory over the limit with nothing to evict. Scripts
   * check it before their first write (scriptVerifyOOM).
   */
  oom = false;
  /** INFO evicted_keys since the last CONFIG RESETSTAT. */
  evictedKeys = 0;
  private pool: Candidate[] = [];
  private nextDb = 0;

  constructor(
    config: Config,
    private readonly store: Store,
    /** Told of each evicted key (the 'evicted' keyspace event). */
    private readonly onEvicted: (db: number, key: string) => void,
  ) {
    config.observe('maxmemory', (value) => {
      this.maxmemory = Number(value);
      // updateMaxmemory -> startEvictionTimeProc: a limit below the current usage evicts at once, not at the next
      // command (evicted keys and their events come right after the CONFIG SET).
      if (this.maxmemory !== 0 && this.usedMemory() > this.maxmemory) this.scheduleEvictions();
    });
    config.observe('maxmemory-policy', (value) => {
      this.policy = value as MaxmemoryPolicy;
      this.pool = [];
      this.applyAccess();
    });
    config.observe('maxmemory-samples', (value) => {
      this.samples = Number(value);
    });
    config.observe('maxmemory-eviction-tenacity', (value) => {
      this.timeLimitMs = evictionTimeLimitMs(Number(value));
    });
    config.observe('lfu-log-factor', (value) => {
      this.lfuLogFactor = Number(value);
      this.applyAccess();
    });
    config.observe('lfu-decay-time', (value) => {
      this.lfuDecayTime = Number(value);
      this.applyAccess();
    });
  }

  private evictionScheduled = false;

  /** evictionTimeProc: evicts in event-loop turns of their own while over the limit and keys can still go. */
  private scheduleEvictions(): void {
    if (this.evictionScheduled) return;
    this.evictionScheduled = true;
    setImmediate(() => {
      this.evictionScheduled = false;
      if (this.maxmemory === 0 || this.usedMemory() <= this.maxmemory) return;
      const before = this.evictedKeys;
      if (this.perform() && this.evictedKeys !== before && this.usedMemory() > this.maxmemory) this.scheduleEvictions();
    });
  }

  /** processCommand's check: evicts as needed and returns (and remembers) whether memory is still over the limit. */
  outOfMemory(): boolean {
    this.oom = !this.perform();
    return this.oom;
  }

  /** INFO used_memory: the dataset estimate plus the startup figure. */
  usedMemory(): number {
    return STARTUP_MEMORY + this.store.usedMemory();
  }

  /**
   * performEvictions: evicts until used memory is within maxmemory. False (EVICT_FAIL) when over the limit and nothing
   * could be evicted; true when within the limit or when the time budget ran out while keys were being evicted.
   */
  perform(): boolean {
    if (this.maxmemory === 0 || this.usedMemory() <= this.maxmemory) return true;
    if (this.policy === 'noeviction') return false;
    const start = performance.now();
    let freed = 0;
    while (this.usedMemory() > this.maxmemory) {
      const victim = this.pickVictim();
      if (victim === undefined) return false;
      const database = this.store.db(victim.db);
      database.delete(victim.key);
      this.evictedKeys++;
      freed++;
      this.onEvicted(victim.db, victim.key);
      if (freed % 16 === 0 && performance.now() - start > this.timeLimitMs) return true;
    }
    return true;
  }

  private applyAccess(): void {
    this.store.setAccessOptions({
      mode: this.policy.endsWith('lfu') ? 'lfu' : 'lru',
      lfuLogFactor: this.lfuLogFactor,
      lfuDecayTime: this.lfuDecayTime,
    });
  }

  private get volatile(): boolean {
    return this.policy.startsWith('volatile');
  }

  private pickVictim(): { db: number; key: string } | undefined {
    if (this.policy.endsWith('random')) return this.randomVictim();
    // Redis's loop: populate the pool from every database until a candidate still present is found.
    for (;;) {
      let keys = 0;
      for (let index = 0; index < this.store.databaseCount; index++) {
        const database = this.store.db(index);
        const size = this.volatile ? database.expiringCount() : database.size();
        if (size === 0) continue;
        keys += size;
        this.populate(database, size);
      }
      if (keys === 0) return undefined;
      // From the best (highest score) down: the first candidate that still qualifies.
      while (this.pool.length !== 0) {
        const candidate = this.pool.pop()!;
        const database = this.store.db(candidate.db);
        if (this.volatile ? database.getExpire(candidate.key) !== undefined : database.has(candidate.key)) {
          return candidate;
        }
      }
    }
  }

  private randomVictim(): { db: number; key: string } | undefined {
    const count = this.store.databaseCount;
    for (let i = 0; i < count; i++) {
      this.nextDb = (this.nextDb + 1) % count;
      const database = this.store.db(this.nextDb);
      const key = this.volatile ? database.randomVolatileKey() : database.randomKey();
      if (key !== undefined) return { db: this.nextDb, key };
    }
    return undefined;
  }

  /** evictionPoolPopulate: samples keys of one database into the pool. */
  private populate(database: Database, size: number): void {
    const sampled: string[] = [];
    if (size <= this.samples) {
      // dictGetSomeKeys returns every key of a dictionary no larger than the count asked.
      for (const key of database.keys()) {
        if (!this.volatile || database.getExpire(key) !== undefined) sampled.push(key);
      }
    } else {
      for (let i = 0; i < this.samples; i++) {
        const key = this.volatile ? database.randomVolatileKey() : database.randomKey();
        if (key !== undefined) sampled.push(key);
      }
    }
    const pool = this.pool;
    for (const key of sampled) {
      const score = this.score(database, key);
      if (score === undefined) continue;
      if (pool.some((entry) => entry.db === database.index && entry.key === key)) continue;
      // Ascending by score; a full pool takes a key only if it beats the worst entry, which it then replaces.
      let position = 0;
      while (position < pool.length && pool[position]!.score < score) position++;
      if (pool.length >= POOL_SIZE) {
        if (position === 0) continue;
        pool.shift();
        position--;
      }
      pool.splice(position, 0, { score, key, db: database.index });
    }
  }

  /** The idle score: higher is evicted first. */
  private score(database: Database, key: string): number | undefined {
    if (this.policy.endsWith('lru')) {
      const idle = database.idleTime(key);
      return idle === undefined ? undefined : idle;
    }
    if (this.policy.endsWith('lfu')) {
      const frequency = database.frequency(key);
      return frequency === undefined ? undefined : 255 - frequency;
    }
    const at = database.getExpire(key);
    return at === undefined ? undefined : -at;
  }
}
