/**
 * WATCH bookkeeping: which clients watch which keys, and marking them dirty when the store reports a change. The
 * server listens to the store only while some key is watched, so writes cost nothing extra otherwise.
 */
import type { Change, Store } from '@mini-redis/store';

/** What the registry needs of a client (CommandContext has these). */
export interface Watcher {
  readonly db: { readonly index: number };
  readonly watched: Array<{ db: number; key: string }>;
  watchDirty: boolean;
}

export class WatchRegistry {
  /** db index -> key -> clients watching it. */
  private readonly byDb = new Map<number, Map<string, Set<Watcher>>>();
  private unsubscribe: (() => void) | undefined;
  /** Inside aroundDbChange: the store's flushed/swapped reports are already accounted for. */
  private handlingDbChange = false;
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  /** WATCH key in the client's current database. */
  watch(client: Watcher, key: string): void {
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
  unwatchAll(client: Watcher): void {
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
  checkExpired(client: Watcher): void {
    for (const { db, key } of client.watched) this.store.db(db).has(key);
  }

  /**
   * Runs FLUSHDB, FLUSHALL or SWAPDB on the given databases, dirtying watchers as Redis does
   * (touchAllWatchedKeysInDb): a watched key counts as modified when it exists in its database before the change,
   * or (SWAPDB) in the database whose contents replace it. The store's own 'flushed'/'swapped' reports for that run
   * are then ignored; a flush that does not come through a command still dirties every watcher of the database.
   */
  aroundDbChange(dbs: readonly number[], run: () => void): void {
    if (this.byDb.size === 0) {
      run();
      return;
    }
    const swap = dbs.length === 2 ? dbs : undefined;
    for (const db of dbs) {
      const keys = this.byDb.get(db);
      if (keys === undefined) continue;
      const other = swap === undefined ? undefined : this.store.db(swap[0] === db ? swap[1]! : swap[0]!);
      const own = this.store.db(db);
      for (const [key, clients] of keys) {
        if (!own.has(key) && !(other?.has(key) ?? false)) continue;
        for (const client of clients) client.watchDirty = true;
      }
    }
    this.handlingDbChange = true;
    try {
      run();
    } finally {
      this.handlingDbChange = false;
    }
  }

  private onChange(change: Change): void {
    if (change.kind === 'flushed') {
      if (!this.handlingDbChange) this.dirtyDb(change.db);
      return;
    }
    if (change.kind === 'swapped') {
      if (this.handlingDbChange) return;
      this.dirtyDb(change.db);
      if (change.other !== undefined) this.dirtyDb(change.other);
      return;
    }
    const clients = this.byDb.get(change.db)?.get(change.key!);
    if (clients === undefined) return;
    for (const client of clients) client.watchDirty = true;
  }

  /** Dirties every watcher of a database (a flush or swap that did not come through aroundDbChange). */
  private dirtyDb(db: number): void {
    const keys = this.byDb.get(db);
    if (keys === undefined) return;
    for (const clients of keys.values()) for (const client of clients) client.watchDirty = true;
  }
}
