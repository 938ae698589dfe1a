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
  /** server.dirty (INFO rdb_changes_since_last_save): changes since the last SAVE; CONFIG RESETSTAT keeps it. */
  dirty = 0;
  /** total_error_replies, and the count per error code (errorstats); Redis tracks at most 128 codes. */
  errorReplies = 0;
  /** errorReplies when the last command finished (a command failed when it moved since). */
  errorMark = 0;
  readonly errorCounts = new Map<string, number>();
  /** Bytes and socket reads/writes of the clients (total_net_*_bytes, total_reads/writes_processed). */
  netInputBytes = 0;
  netOutputBytes = 0;
  readsProcessed = 0;
  writesProcessed = 0;
  private sampleInput = 0;
  private sampleOutput = 0;
  private inputKbps = 0;
  private outputKbps = 0;
  /** The last instantaneous_ops_per_sec sample: when it was taken (ms) and the command count then. */
  private sampleTime = 0;
  private sampleCommands = 0;
  private opsPerSecond = 0;

  /** An error reply was sent (afterErrorReply): counted by its code, the text before the first space. */
  countError(message: string): void {
    this.errorReplies++;
    const space = message.indexOf(' ');
    const code = space === -1 || space > 30 ? 'ERR' : message.slice(0, space);
    const count = this.errorCounts.get(code);
    if (count !== undefined) this.errorCounts.set(code, count + 1);
    else if (this.errorCounts.size < 128) this.errorCounts.set(code, 1);
  }

  /** Commands per second since the previous sample (taken at least 100 ms apart, as Redis's cron samples). */
  instantaneousOps(now: number): number {
    this.sample(now);
    return this.opsPerSecond;
  }

  /** instantaneous_input_kbps and instantaneous_output_kbps, from the same samples. */
  instantaneousKbps(now: number): { input: number; output: number } {
    this.sample(now);
    return { input: this.inputKbps, output: this.outputKbps };
  }

  private sample(now: number): void {
    const elapsed = now - this.sampleTime;
    if (elapsed < 100) return;
    if (this.sampleTime !== 0) {
      this.opsPerSecond = Math.round(((this.commandsProcessed - this.sampleCommands) * 1000) / elapsed);
      this.inputKbps = (this.netInputBytes - this.sampleInput) / 1024 / (elapsed / 1000);
      this.outputKbps = (this.netOutputBytes - this.sampleOutput) / 1024 / (elapsed / 1000);
    }
    this.sampleTime = now;
    this.sampleCommands = this.commandsProcessed;
    this.sampleInput = this.netInputBytes;
    this.sampleOutput = this.netOutputBytes;
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
    this.errorReplies = 0;
    this.errorMark = 0;
    this.errorCounts.clear();
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.readsProcessed = 0;
    this.writesProcessed = 0;
    this.sampleInput = 0;
    this.sampleOutput = 0;
    this.inputKbps = 0;
    this.outputKbps = 0;
    this.sampleTime = 0;
    this.sampleCommands = 0;
    this.opsPerSecond = 0;
  }
}

/** The store's optional `expiredKeys` counter (MapStore has one; the Store contract does not require it). */
function expiredCount(store: Store): number {
  return store.expiredKeys ?? 0;
}
