// The unit of the connection's queues: one command (or one explicit batch) waiting to be written or answered.
import type { RespValue } from '@mini-redis/protocol';
import type { Transform } from './reply.js';

/** Safe to send again on a new connection after a disconnect (read-only, or the caller opted in). */
export const RETRYABLE = 1;
/** Settled (answered, timed out or rejected): a late reply is matched to it and dropped. */
export const DONE = 2;
/** Its deadline is not the connection's default one, so it is not in deadline order (scanned apart). */
export const CUSTOM_TIMEOUT = 4;
/** Sent by the connection itself (handshake): never retried, never counted against the offline queue. */
export const INTERNAL = 8;

/** What a record expects back: one reply, `expected` replies gathered in `batch`, or pub/sub confirmations. */
export const SINGLE = 0;
export const BATCH = 1;
export const SUBSCRIBE = 2;

/**
 * A command in flight: its encoded bytes (kept to resend after a reconnect), how to settle it, its deadline (0 for
 * none) and flags. A plain class with a fixed shape, so the queues stay monomorphic.
 */
export class CommandRecord {
  resolve: (value: any) => void = noop;
  reject: (error: Error) => void = noop;
  /** For BATCH: replies so far (error replies included, as values). */
  batch: RespValue[] | undefined = undefined;
  /** For BATCH and SUBSCRIBE: how many replies (or confirmations) complete it. */
  expected = 1;
  constructor(
    public chunk: Buffer,
    public name: string,
    public transform: Transform | undefined,
    public flags: number,
    public deadline: number,
    public kind: number,
  ) {}
}

/** A promise settled with the record (its resolve and reject become the promise's). */
export function whenSettled(record: CommandRecord): Promise<any> {
  return new Promise<any>((resolve, reject) => {
    record.resolve = resolve;
    record.reject = reject;
  });
}

/** Rejects the records not settled yet. */
export function rejectUnsettled(records: readonly CommandRecord[], error: () => Error): void {
  for (const record of records) {
    if ((record.flags & DONE) !== 0) continue;
    record.flags |= DONE;
    record.reject(error());
  }
}

function noop(): void {}
