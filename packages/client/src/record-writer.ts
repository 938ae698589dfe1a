/**
 * Automatic pipelining's write: every record issued in a tick goes out in one `socket.write` (one corked run of
 * writes when the batch is large) and moves to the reply queue, where replies settle it in order.
 */
import type { Socket } from 'node:net';
import { type CommandRecord, DONE, whenSettled } from './command-record.js';

/** Above this many bytes, a batch is written as separate chunks (corked) instead of being copied into one Buffer. */
const CONCAT_LIMIT = 256 * 1024;

/** Scratch for one batch's chunks (writes are synchronous and never nest). */
const chunks: Buffer[] = [];

/** Writes the pending records (skipping settled ones) and appends them to `sent`; empties `pending`. */
export function writeRecords(socket: Socket, pending: CommandRecord[], sent: (CommandRecord | undefined)[]): void {
  const count = pending.length;
  if (count === 1) {
    const record = pending[0]!;
    pending.length = 0;
    if ((record.flags & DONE) === 0) {
      sent.push(record);
      socket.write(record.chunk);
    }
    return;
  }
  let total = 0;
  for (let index = 0; index < count; index++) {
    const record = pending[index]!;
    if ((record.flags & DONE) !== 0) continue;
    sent.push(record);
    chunks.push(record.chunk);
    total += record.chunk.length;
  }
  pending.length = 0;
  if (chunks.length === 1) socket.write(chunks[0]!);
  else if (total <= CONCAT_LIMIT) socket.write(Buffer.concat(chunks, total));
  else {
    socket.cork();
    for (const chunk of chunks) socket.write(chunk);
    socket.uncork();
  }
  chunks.length = 0;
}

/** Writes one record at once, ahead of the pending ones (the handshake's commands); resolves with its reply. */
export function writeNow(socket: Socket, record: CommandRecord, sent: (CommandRecord | undefined)[]): Promise<any> {
  const promise = whenSettled(record);
  sent.push(record);
  socket.write(record.chunk);
  return promise;
}
