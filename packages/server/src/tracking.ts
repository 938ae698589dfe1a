/**
 * Server-assisted client-side caching (Redis's tracking.c): CLIENT TRACKING's tables and invalidation messages.
 *
 * - Default mode: a read-only command run by a tracking client remembers its keys in the tracking table (key -> client
 *   ids; keys are global, not per database). When a key is modified (the store's change listener, attached only while
 *   tracking is in use) every client in its entry gets an invalidation and the entry is dropped.
 * - BCAST mode: clients register prefixes; a modified key matching a prefix is queued and the queue is broadcast once
 *   the current batch of commands has run (Redis does it in beforeSleep).
 * - Messages: RESP3 `>2 invalidate [keys]` on the client itself, or on the REDIRECT client (RESP3 push, or a RESP2
 *   `message` on `__redis__:invalidate` when that client is in pub/sub mode). FLUSHALL/FLUSHDB send a null instead
 *   of keys. Invalidations for the client running the command are held until after its reply (EXEC's whole reply).
 */
import type { Change, Store } from '@mini-redis/store';
import type { Config } from './config.js';
import type { ClientTrackingState, CommandContext, CommandSpec, Tracking, TrackingOptions } from './context.js';
import { trackedKeys } from './tracking-keys.js';
import { brokenRedirectPush, byteOrder, invalidationMessage, keysArray, NULL2, NULL3 } from './tracking-messages.js';

export { trackedKeys } from './tracking-keys.js';

interface BcastState {
  /** Keys modified since the last broadcast -> the client that modified it last (NOLOOP), undefined for none. */
  keys: Map<string, CommandContext | undefined>;
  clients: Set<CommandContext>;
}


export class TrackingRegistry implements Tracking {
  /** key -> ids of the clients that may cache it. */
  private readonly table = new Map<string, Set<number>>();
  /** prefix -> broadcast state (BCAST clients). */
  private readonly prefixTable = new Map<string, BcastState>();
  private items = 0;
  private clients = 0;
  current: CommandContext | undefined;
  private stopListening: (() => void) | undefined;
  private broadcastScheduled = false;
  /** trackingLimitUsedSlots' effort counter. */
  private timeoutCounter = 0;
  private maxKeys = 1_000_000;
  private readonly store: Store;
  private readonly lookupClient: (id: number) => CommandContext | undefined;
  private readonly allClients: () => Iterable<CommandContext>;

  constructor(
    store: Store, config: Config, lookupClient: (id: number) => CommandContext | undefined,
    allClients: () => Iterable<CommandContext>,
  ) {
    this.store = store;
    this.lookupClient = lookupClient;
    this.allClients = allClients;
    config.observe('tracking-table-max-keys', (value) => {
      this.maxKeys = Number(value);
      // Redis trims the table from its cron (trackingLimitUsedSlots), with no command needed: a lowered limit takes
      // effect right after the CONFIG SET, not at the next command.
      if (this.maxKeys !== 0 && this.table.size > this.maxKeys) this.trimSoon();
    });
  }

  /** The cron's trackingLimitUsedSlots: one bounded step per event-loop turn until the table is within the limit. */
  private trimSoon(): void {
    setImmediate(() => {
      this.limit();
      if (this.maxKeys !== 0 && this.table.size > this.maxKeys) this.trimSoon();
    });
  }

  get clientCount(): number {
    return this.clients;
  }

  get totalKeys(): number {
    return this.table.size;
  }

  get totalItems(): number {
    return this.items;
  }

  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  /** The first prefix overlap error (checkPrefixCollisionsOrReply), or undefined. */
  prefixCollision(ctx: CommandContext, prefixes: readonly string[]): string | undefined {
    const own = ctx.tracking?.prefixes;
    for (let i = 0; i < prefixes.length; i++) {
      const prefix = prefixes[i]!;
      if (own !== undefined) {
        for (const existing of [...own].sort(byteOrder)) {
          if (overlaps(existing, prefix)) {
            return `ERR Prefix '${prefix}' overlaps with an existing prefix '${existing}'. ` +
              'Prefixes for a single client must not overlap.';
          }
        }
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlaps(prefix, prefixes[j]!)) {
          return `ERR Prefix '${prefix}' overlaps with another provided prefix '${prefixes[j]!}'. ` +
            'Prefixes for a single client must not overlap.';
        }
      }
    }
    return undefined;
  }

  enable(ctx: CommandContext, redirect: number, options: TrackingOptions, prefixes: readonly string[]): void {
    let state = ctx.tracking;
    if (state === undefined) {
      this.clients++;
      state = ctx.tracking = {
        redirect: 0, bcast: false, optin: false, optout: false, noloop: false, caching: false, brokenRedirect: false,
        prefixes: new Set(),
      };
    }
    state.brokenRedirect = false;
    state.redirect = redirect;
    state.optin = options.optin;
    state.optout = options.optout;
    state.noloop = options.noloop;
    if (options.bcast) {
      state.bcast = true;
      if (prefixes.length === 0) this.addPrefix(ctx, state, '');
      for (const prefix of prefixes) this.addPrefix(ctx, state, prefix);
    }
    this.listen();
  }

  private addPrefix(ctx: CommandContext, state: ClientTrackingState, prefix: string): void {
    let bs = this.prefixTable.get(prefix);
    if (bs === undefined) this.prefixTable.set(prefix, (bs = { keys: new Map(), clients: new Set() }));
    if (!bs.clients.has(ctx)) {
      bs.clients.add(ctx);
      state.prefixes.add(prefix);
    }
  }

  disable(ctx: CommandContext): void {
    const state = ctx.tracking;
    if (state === undefined) return;
    for (const prefix of state.prefixes) {
      const bs = this.prefixTable.get(prefix);
      if (bs === undefined) continue;
      bs.clients.delete(ctx);
      if (bs.clients.size === 0) this.prefixTable.delete(prefix);
    }
    ctx.tracking = undefined;
    this.clients--;
    this.maybeStopListening();
  }

  private listen(): void {
    if (this.stopListening === undefined) this.stopListening = this.store.onChange((change) => this.onChange(change));
  }

  private maybeStopListening(): void {
    if (this.clients === 0 && this.table.size === 0 && this.prefixTable.size === 0 && this.stopListening) {
      this.stopListening();
      this.stopListening = undefined;
    }
  }

  private onChange(change: Change): void {
    switch (change.kind) {
      case 'modified': case 'set': case 'deleted': case 'expire':
        this.invalidateKey(change.key!, this.current, true);
        break;
      case 'expired':
        this.invalidateKey(change.key!, undefined, true);
        break;
      default:
        break;
    }
  }

  rememberKeys(tracking: CommandContext, spec: CommandSpec, args: readonly string[]): void {
    const state = tracking.tracking;
    if (state === undefined || state.bcast || spec.flags.includes('pubsub')) return;
    if ((state.optin && !state.caching) || (state.optout && state.caching)) return;
    const keys = trackedKeys(spec, args);
    for (const key of keys) {
      let ids = this.table.get(key);
      if (ids === undefined) this.table.set(key, (ids = new Set()));
      if (!ids.has(tracking.id)) {
        ids.add(tracking.id);
        this.items++;
      }
    }
  }

  /** trackingInvalidateKey: `by` is the client that modified the key (NOLOOP in BCAST mode). */
  private invalidateKey(key: string, by: CommandContext | undefined, bcast: boolean): void {
    if (bcast && this.prefixTable.size > 0) this.rememberToBroadcast(key, by);
    const ids = this.table.get(key);
    if (ids === undefined) return;
    const current = this.current;
    for (const id of ids) {
      const target = this.lookupClient(id);
      const state = target?.tracking;
      if (target === undefined || state === undefined || state.bcast) continue;
      if (state.noloop && target === current) continue;
      if (target === current) (target.trackingPending ??= []).push(key);
      else this.send(target, keysArray([key]));
    }
    this.items -= ids.size;
    this.table.delete(key);
    if (this.clients === 0) this.maybeStopListening();
  }

  private rememberToBroadcast(key: string, by: CommandContext | undefined): void {
    for (const [prefix, bs] of this.prefixTable) {
      if (prefix.length > key.length || !key.startsWith(prefix)) continue;
      bs.keys.delete(key);
      bs.keys.set(key, by);
    }
    if (!this.broadcastScheduled) {
      this.broadcastScheduled = true;
      queueMicrotask(() => this.broadcast());
    }
  }

  /** trackingBroadcastInvalidationMessages. */
  private broadcast(): void {
    this.broadcastScheduled = false;
    if (this.clients === 0) return;
    for (const prefix of [...this.prefixTable.keys()].sort(byteOrder)) {
      const bs = this.prefixTable.get(prefix)!;
      if (bs.keys.size === 0) continue;
      const all = [...bs.keys.keys()].sort(byteOrder);
      const proto = keysArray(all);
      for (const client of bs.clients) {
        if (client.tracking?.noloop) {
          const some = all.filter((key) => bs.keys.get(key) !== client);
          if (some.length > 0) this.send(client, keysArray(some));
        } else {
          this.send(client, proto);
        }
      }
      bs.keys = new Map();
    }
  }

  /** sendTrackingMessage: `payload` is the array of keys, or the null of the tracking client's protocol. */
  private send(ctx: CommandContext, payload: Buffer | null): void {
    const state = ctx.tracking;
    if (state === undefined) return;
    let target = ctx;
    let redirected = false;
    if (state.redirect !== 0) {
      const found = this.lookupClient(state.redirect);
      if (found === undefined) {
        state.brokenRedirect = true;
        if (ctx.protocol === 3) ctx.connection?.push(brokenRedirectPush(state.redirect));
        return;
      }
      target = found;
      redirected = true;
    }
    const message = invalidationMessage(target, redirected, payload ?? (ctx.protocol === 3 ? NULL3 : NULL2));
    if (message !== undefined) target.connection?.push(message);
  }

  flushPending(ctx: CommandContext): void {
    const pending = ctx.trackingPending;
    if (pending === undefined) return;
    ctx.trackingPending = undefined;
    for (const key of pending) this.send(ctx, key === null ? null : keysArray([key]));
  }

  flushed(): void {
    if (this.clients > 0) {
      const current = this.current;
      for (const client of this.allClients()) {
        if (client.tracking === undefined) continue;
        if (client === current) (client.trackingPending ??= []).push(null);
        else this.send(client, null);
      }
    }
    this.table.clear();
    this.items = 0;
    this.maybeStopListening();
  }

  /** trackingLimitUsedSlots: over tracking-table-max-keys, forget keys (invalidating them) until back under. */
  limit(): void {
    const max = this.maxKeys;
    if (max === 0) return;
    if (this.table.size <= max) {
      this.timeoutCounter = 0;
      return;
    }
    let effort = 100 * (this.timeoutCounter + 1);
    while (effort > 0) {
      effort--;
      const first = this.table.keys().next();
      if (first.done === true) break;
      this.invalidateKey(first.value, undefined, false);
      if (this.table.size <= max) {
        this.timeoutCounter = 0;
        return;
      }
    }
    this.timeoutCounter++;
  }
}

function overlaps(a: string, b: string): boolean {
  const length = Math.min(a.length, b.length);
  return a.slice(0, length) === b.slice(0, length);
}
