/**
 * String values as mutable byte buffers, for the commands that change a value in place (SETRANGE, APPEND, SETBIT,
 * BITFIELD). A value is converted to a Buffer once; later writes change that Buffer directly, and growth reallocates
 * with headroom so that a run of appends or bit sets is amortised O(1).
 *
 * A Buffer is only written in place while this module owns it exclusively: one it allocated and never handed out.
 * A reply that sends a stored Buffer by reference (GET, MGET...) must call `shareBuffer` first, so that a later
 * write copies it (Redis's dbUnshareStringValue) instead of changing bytes still waiting in a reply.
 */
import type { Bytes, Database, StringValue } from '@mini-redis/store';
import type { CommandContext } from '../../context.js';
import { fail } from '../errors.js';

/** Shared options of the writes that keep the key's TTL (no allocation per call). */
const KEEP_TTL = { keepTtl: true } as const;

/** Buffers allocated here and never shared: the only ones written in place. */
const owned = new WeakSet<Buffer>();

/** Redis's error when a value would grow past proto-max-bulk-len. */
export const STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';

/** The server's proto-max-bulk-len (512MB by default). */
export function maxBulkLength(ctx: CommandContext): number {
  return Number(ctx.server.config.get('proto-max-bulk-len'));
}

/** Throws Redis's error when a string of `length` bytes would exceed proto-max-bulk-len (checkStringLength). */
export function checkStringLength(ctx: CommandContext, length: number): void {
  if (length > maxBulkLength(ctx)) fail(STRING_TOO_LONG);
}

/** Marks a stored value as referenced by a reply (or anything else): it is never written in place again. */
export function shareBuffer<T extends StringValue | undefined>(value: T): T {
  if (value !== undefined && typeof value !== 'string') owned.delete(value);
  return value;
}

/** The value's bytes as a latin1 string (one char per byte). */
export function latin1(value: StringValue): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}

/**
 * Returns a Buffer stored under key that may be written in place, at least `length` bytes long (new bytes are
 * zero). Stores it (keeping the TTL) when it is a new object: the first write to a value, growth, or a shared
 * Buffer being copied. Returns whether the Buffer object was (re)stored, so the caller knows whether `touch` is
 * still needed to report the change.
 */
export function writableBuffer(
  db: Database,
  key: Bytes,
  current: StringValue | undefined,
  length: number,
): { buffer: Buffer; stored: boolean } {
  if (current !== undefined && typeof current !== 'string' && owned.has(current)) {
    if (current.length >= length) return { buffer: current, stored: false };
    const capacity = current.buffer.byteLength - current.byteOffset;
    if (capacity >= length) {
      // The bytes past the old end were zeroed at allocation and never written (values only grow in place).
      const grown = Buffer.from(current.buffer, current.byteOffset, length);
      owned.add(grown);
      db.set(key, grown, KEEP_TTL);
      return { buffer: grown, stored: true };
    }
  }
  const oldLength = current === undefined ? 0 : current.length;
  const size = Math.max(length, oldLength);
  const backing = Buffer.alloc(headroom(size));
  if (current !== undefined) {
    if (typeof current === 'string') backing.write(current, 0, 'latin1');
    else current.copy(backing, 0);
  }
  const buffer = backing.subarray(0, size);
  owned.add(buffer);
  db.set(key, buffer, current === undefined ? undefined : KEEP_TTL);
  return { buffer, stored: true };
}

/** Capacity for a value of `length` bytes: doubling while small, +1MB steps past 1MB (sdsMakeRoomFor's greedy). */
function headroom(length: number): number {
  if (length < 64) return 64;
  return length < 1024 * 1024 ? length * 2 : length + 1024 * 1024;
}

/** A new zero-filled Buffer of `length` bytes, owned here (so it may be written in place once stored). */
export function ownedBuffer(length: number): Buffer {
  const buffer = Buffer.alloc(headroom(length)).subarray(0, length);
  owned.add(buffer);
  return buffer;
}
