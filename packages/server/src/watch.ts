/**
 * WATCH bookkeeping: which clients watch which keys, and marking them dirty when the store reports a change. The
 * server listens to the store only while some key is watched, so writes cost nothing extra otherwise.
 */
import type { Change, Store } from '@mini-redis/store';
import type { Client } from './client.js';

export class WatchRegistry {
  /** db index -> key -> clients watching it. */
  private readonly byDb = new Map<number, Map<string, Set<Client>>>();
  private unsubscribe: (() => void) | undefined;
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  /** WATCH key in the client's current database. */
  watch(client: Client, key: string): void {
    const db = client.db.index;
    if (client.watched.some((entry) => entry.db === db && entry.key === key)) return;
    let keys = this.byDb.get(db);
    if (keys === undefined) this.byDb.set(db, (keys = new Map()));
    let clients = keys.get(key);
    if (clients === undefined) keys.set(key, (clients = new Set()));
    clients.add(client);
    client.watched.push({ db, key });
    if (this.unsubscribe === undefined) this.unsubscribe = this.store.onChange((change) => this.onChange(change));
  }

  /** UNWATCH / after EXEC / on disconnect. */
  unwatchAll(client: Client): void {
    for (const { db, key } of client.watched) {
      const keys = this.byDb.get(db);
      const clients = keys?.get(key);
      if (clients === undefined) continue;
      clients.delete(client);
      if (clients.size === 0) keys!.delete(key);
      if (keys!.size === 0) this.byDb.delete(db);
    }
    client.watched.length = 0;
    client.watchDirty = false;
    if (this.byDb.size === 0 && this.unsubscribe !== undefined) {
      this.unsubscribe();
      this.unsubscribe = undefined;
    }
  }

  /**
   * Before EXEC: a watched key that expired since WATCH counts as modified (Redis 7). Touching each key makes the
   * store expire it lazily, which reports the change.
   */
  checkExpired(client: Client): void {
    for (const { db, key } of client.watched) this.store.db(db).has(key);
  }

  private onChange(change: Change): void {
    if (change.kind === 'flushed') {
      this.dirtyDb(change.db, true);
      return;
    }
    if (change.kind === 'swapped') {
      this.dirtyDb(change.db, false);
      if (change.other !== undefined) this.dirtyDb(change.other, false);
      return;
    }
    const clients = this.byDb.get(change.db)?.get(change.key!);
    if (clients === undefined) return;
    for (const client of clients) client.watchDirty = true;
  }

  /** FLUSHDB/FLUSHALL dirty only watchers of keys that existed; SWAPDB those of keys in either db (approximated). */
  private dirtyDb(db: number, _flushed: boolean): void {
    const keys = this.byDb.get(db);
    if (keys === undefined) return;
    for (const clients of keys.values()) for (const client of clients) client.watchDirty = true;
  }
}
