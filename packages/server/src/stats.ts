import type { Store } from '@mini-redis/store';

/** Server-wide counters for INFO stats (reset by CONFIG RESETSTAT). */
export class Stats {
  commandsProcessed = 0;
  totalConnections = 0;
  rejectedConnections = 0;
  /** The store's expired-key count at the last reset (a store that counts exposes `expiredKeys`). */
  private expiredBase = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  /** The last instantaneous_ops_per_sec sample: when it was taken (ms) and the command count then. */
  private sampleTime = 0;
  private sampleCommands = 0;
  private opsPerSecond = 0;

  /** Commands per second since the previous sample (taken at least 100 ms apart, as Redis's cron samples). */
  instantaneousOps(now: number): number {
    const elapsed = now - this.sampleTime;
    if (elapsed >= 100) {
      if (this.sampleTime !== 0) {
        this.opsPerSecond = Math.round(((this.commandsProcessed - this.sampleCommands) * 1000) / elapsed);
      }
      this.sampleTime = now;
      this.sampleCommands = this.commandsProcessed;
    }
    return this.opsPerSecond;
  }

  /** INFO expired_keys: keys the store reclaimed by expiry since the last reset (0 for a store that does not count). */
  expiredKeys(store: Store): number {
    return expiredCount(store) - this.expiredBase;
  }

  reset(store: Store): void {
    this.commandsProcessed = 0;
    this.totalConnections = 0;
    this.rejectedConnections = 0;
    this.expiredBase = expiredCount(store);
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.sampleTime = 0;
    this.sampleCommands = 0;
    this.opsPerSecond = 0;
  }
}

/** The store's optional `expiredKeys` counter (MapStore has one; the Store contract does not require it). */
function expiredCount(store: Store): number {
  return store.expiredKeys ?? 0;
}
