/** Fans changes out to listeners; allocates nothing when nobody listens. */
import type { Bytes, Change, ChangeKind, ChangeListener } from './types.js';

/** The listeners of one store, shared by its databases. */
export class ChangeHub {
  /** Replaced (never mutated) on subscribe/unsubscribe, so a listener may unsubscribe while being called. */
  listeners: readonly ChangeListener[] = [];
  /** Keys reclaimed by expiry so far (lazily or actively), counted whether or not anybody listens. */
  expiredCount = 0;

  subscribe(listener: ChangeListener): () => void {
    this.listeners = [...this.listeners, listener];
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      const index = this.listeners.indexOf(listener);
      if (index !== -1) this.listeners = this.listeners.filter((_, position) => position !== index);
    };
  }

  /** Reports a change to every listener; returns at once when there are none. */
  emit(kind: ChangeKind, db: number, key: Bytes | undefined, event?: string, other?: number, created?: boolean): void {
    if (kind === 'expired') this.expiredCount++;
    const listeners = this.listeners;
    if (listeners.length === 0) return;
    let change: Change = { kind, db, key };
    if (event !== undefined) change = { ...change, event };
    if (other !== undefined) change = { ...change, other };
    if (created === true) change = { ...change, created };
    for (const listener of listeners) listener(change);
  }
}
