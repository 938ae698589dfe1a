/**
 * Per-command timeouts on one timer per connection. Records with the connection's default timeout are in deadline
 * order in both queues (written and not yet written), so a tick looks only at the oldest; the few with another
 * timeout are kept apart and scanned in full. An expired record is flagged DONE and rejected with TimeoutError.
 */
import { type CommandRecord, CUSTOM_TIMEOUT, DONE } from './command-record.js';
import { TimeoutError } from './errors.js';
import type { ReplyQueue } from './reply-queue.js';

export class CommandTimeouts {
  #custom: CommandRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  #timerAt = 0;
  readonly #replies: ReplyQueue;
  readonly #pending: () => CommandRecord[];
  readonly #timerBound = () => this.#onTimer();

  /** `pending` gives the connection's current queue of records not yet written. */
  constructor(replies: ReplyQueue, pending: () => CommandRecord[]) {
    this.#replies = replies;
    this.#pending = pending;
  }

  /** Watches a record with a deadline. */
  track(record: CommandRecord): void {
    if ((record.flags & CUSTOM_TIMEOUT) !== 0) this.#custom.push(record);
    if (this.#timer === undefined) this.#arm(record.deadline);
    else if (record.deadline < this.#timerAt) {
      clearTimeout(this.#timer);
      this.#arm(record.deadline);
    }
  }

  /** Stops the timer (the connection closed for good). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(deadline: number): void {
    this.#timerAt = deadline;
    this.#timer = setTimeout(this.#timerBound, Math.max(1, deadline - Date.now()));
    this.#timer.unref();
  }

  #onTimer(): void {
    this.#timer = undefined;
    const now = Date.now();
    let next = Infinity;
    // written: default-timeout records are in deadline order from the scan point
    const replies = this.#replies;
    const sent = replies.records;
    let index = Math.max(replies.scan, replies.head);
    for (; index < sent.length; index++) {
      const record = sent[index];
      if (record === undefined || record.deadline === 0 || (record.flags & (DONE | CUSTOM_TIMEOUT)) !== 0) continue;
      if (record.deadline > now) {
        next = record.deadline;
        break;
      }
      expire(record);
    }
    replies.scan = index;
    // not yet written (offline queue): the same, from its start
    for (const record of this.#pending()) {
      if (record.deadline === 0 || (record.flags & (DONE | CUSTOM_TIMEOUT)) !== 0) continue;
      if (record.deadline > now) {
        next = Math.min(next, record.deadline);
        break;
      }
      expire(record);
    }
    if (this.#custom.length > 0) {
      const kept: CommandRecord[] = [];
      for (const record of this.#custom) {
        if ((record.flags & DONE) !== 0) continue;
        if (record.deadline <= now) expire(record);
        else {
          kept.push(record);
          next = Math.min(next, record.deadline);
        }
      }
      this.#custom = kept;
    }
    if (next !== Infinity) this.#arm(next);
  }
}

function expire(record: CommandRecord): void {
  record.flags |= DONE;
  record.reject(new TimeoutError(`${record.name} timed out`));
}
