/**
 * Keyspace notifications (Redis's notify.c): `notify-keyspace-events` parsed once into a bit mask whenever it is set;
 * an event of an enabled class is published on `__keyspace@<db>__:<key>` (message: the event) and/or
 * `__keyevent@<db>__:<event>` (message: the key). While the setting is empty, notify() is one comparison.
 *
 * Events the store reports by itself are forwarded from its change listener, subscribed only while their class is
 * on: `expired` (x, lazy and active expiry) and `new` (n, a key created where Redis's dbAdd runs).
 */
import type { Change, Store } from '@mini-redis/store';
import type { Config } from './config.js';
import type { NotifyClass, PubSub } from './context.js';

const CLASS_BITS: Record<string, number> = {
  g: 1 << 2, $: 1 << 3, l: 1 << 4, s: 1 << 5, h: 1 << 6, z: 1 << 7, x: 1 << 8, e: 1 << 9, t: 1 << 10, m: 1 << 11,
  d: 1 << 12, n: 1 << 13,
};
const KEYSPACE = 1 << 0;
const KEYEVENT = 1 << 1;
/** 'A': every class but m (key miss) and n (new key), as Redis's NOTIFY_ALL. */
const ALL = 'g$lshzxetd';

/** The bit mask of a (validated) `notify-keyspace-events` value. */
export function keyspaceEventFlags(value: string): number {
  let flags = 0;
  for (const char of value) {
    if (char === 'K') flags |= KEYSPACE;
    else if (char === 'E') flags |= KEYEVENT;
    else if (char === 'A') for (const each of ALL) flags |= CLASS_BITS[each]!;
    else flags |= CLASS_BITS[char] ?? 0;
  }
  return flags;
}

export class KeyspaceEvents {
  /** The enabled classes and K/E; 0 when nothing can be published (no class, or neither K nor E). */
  private flags = 0;
  private readonly pubsub: PubSub;
  private readonly store: Store;
  private stopListening: (() => void) | undefined;

  constructor(config: Config, pubsub: PubSub, store: Store) {
    this.pubsub = pubsub;
    this.store = store;
    config.observe('notify-keyspace-events', (value) => this.configure(value));
  }

  private configure(value: string): void {
    const flags = keyspaceEventFlags(value);
    this.flags = flags & (KEYSPACE | KEYEVENT) ? flags : 0;
    const listen = (this.flags & (CLASS_BITS['x']! | CLASS_BITS['n']!)) !== 0;
    if (listen && this.stopListening === undefined) {
      this.stopListening = this.store.onChange((change) => this.onChange(change));
    } else if (!listen && this.stopListening !== undefined) {
      this.stopListening();
      this.stopListening = undefined;
    }
  }

  private onChange(change: Change): void {
    if (change.kind === 'expired') this.notify('x', 'expired', change.key!, change.db);
    else if (change.kind === 'set' && change.created === true) this.notify('n', 'new', change.key!, change.db);
  }

  /** True when events of this class are published (callers may skip building an event name). */
  enabled(type: NotifyClass): boolean {
    return (this.flags & CLASS_BITS[type]!) !== 0;
  }

  notify(type: NotifyClass, event: string, key: string, db: number): void {
    const flags = this.flags;
    if (flags === 0 || (flags & CLASS_BITS[type]!) === 0) return;
    if (flags & KEYSPACE) this.pubsub.publish(`__keyspace@${db}__:${key}`, event);
    if (flags & KEYEVENT) this.pubsub.publish(`__keyevent@${db}__:${event}`, key);
  }
}
