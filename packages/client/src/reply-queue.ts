/**
 * The connection's written-and-unanswered commands and the matching of replies to them: replies settle records in
 * the order they were written (a BATCH record gathers its replies first, a SUBSCRIBE record its confirmations). A
 * timed-out record stays queued (flagged DONE) so that its late reply is matched and dropped.
 */
import { ErrorReply, type RespValue } from '@mini-redis/protocol';
import { BATCH, type CommandRecord, DONE, RETRYABLE, SUBSCRIBE } from './command-record.js';
import { ConnectionClosedError, ReplyError } from './errors.js';

export class ReplyQueue {
  /** Records written and not yet answered, from `head`. */
  readonly records: (CommandRecord | undefined)[] = [];
  head = 0;
  /** Where the timeout scan resumes (everything before it is settled, custom or without a deadline). */
  scan = 0;

  /** Commands written and not yet answered (timed-out ones included until their reply arrives). */
  get size(): number {
    return this.records.length - this.head;
  }

  /** Settles the oldest record with a reply; false when no record waits for one (the protocol desynchronised). */
  settle(value: RespValue): boolean {
    const head = this.head;
    const record = this.records[head];
    if (record === undefined) return false;
    if (record.kind === BATCH) {
      const batch = record.batch!;
      batch.push(value);
      if (batch.length < record.expected) return true;
    }
    this.#shift(head);
    if ((record.flags & DONE) !== 0) return true;
    record.flags |= DONE;
    if (record.kind !== BATCH && value instanceof ErrorReply) {
      record.reject(new ReplyError(value.message, record.name));
      return true;
    }
    const transform = record.transform;
    if (transform === undefined) {
      record.resolve(record.kind === BATCH ? record.batch : value);
      return true;
    }
    try {
      record.resolve(transform(record.kind === BATCH ? (record.batch as RespValue) : value));
    } catch (error) {
      record.reject(error as Error);
    }
    return true;
  }

  /** A pub/sub confirmation of `kind`: counts against the oldest record when that one is the command it confirms. */
  confirm(kind: string): void {
    const head = this.head;
    const record = this.records[head];
    if (record === undefined || record.kind !== SUBSCRIBE || record.name !== kind) return;
    if (--record.expected > 0) return;
    this.#shift(head);
    if ((record.flags & DONE) === 0) {
      record.flags |= DONE;
      record.resolve(undefined);
    }
  }

  /** Removes the answered head record. */
  #shift(head: number): void {
    const records = this.records;
    records[head] = undefined;
    const next = head + 1;
    if (next === records.length) {
      records.length = 0;
      this.head = 0;
      this.scan = 0;
    } else if (next >= 4096 && next * 2 >= records.length) {
      records.splice(0, next);
      this.head = 0;
      this.scan = Math.max(0, this.scan - next);
    } else {
      this.head = next;
    }
  }

  /**
   * Empties the queue once the socket has closed: returns the unanswered records that are safe to send again (their
   * gathered batch replies dropped) and rejects the others with ConnectionClosedError.
   */
  drain(): CommandRecord[] {
    const retry: CommandRecord[] = [];
    const records = this.records;
    for (let index = this.head; index < records.length; index++) {
      const record = records[index];
      if (record === undefined || (record.flags & DONE) !== 0) continue;
      if ((record.flags & RETRYABLE) !== 0 && record.kind !== SUBSCRIBE) {
        if (record.batch !== undefined) record.batch.length = 0;
        retry.push(record);
      } else {
        record.flags |= DONE;
        record.reject(new ConnectionClosedError(`The connection closed before ${record.name} was answered`));
      }
    }
    records.length = 0;
    this.head = 0;
    this.scan = 0;
    return retry;
  }
}
