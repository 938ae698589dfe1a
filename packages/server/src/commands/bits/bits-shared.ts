/** What the bit commands share: Redis's bit offset argument, byte access on string values, and popcount. */
import type { StringValue } from '@mini-redis/store';
import type { CommandContext } from '../../context.js';
import { parseInteger } from '../../format.js';
import { fail } from '../errors.js';
import { maxBulkLength } from '../strings/string-buffer.js';

export const BIT_OFFSET_ERROR = 'ERR bit offset is not an integer or out of range';

/**
 * A bit offset argument (getBitOffsetFromArgument): an int64, or for BITFIELD `#n` meaning n * bits (int64
 * wrapping as in C); negative or at/after proto-max-bulk-len bytes is an error.
 */
export function bitOffsetArg(ctx: CommandContext, text: string, bits = 0): number {
  const hash = bits > 0 && text.charCodeAt(0) === 35;
  const digits = hash ? text.slice(1) : text;
  const parsed = parseInteger(digits);
  if (parsed === undefined) fail(BIT_OFFSET_ERROR);
  let offset = parsed;
  if (hash) {
    offset = parsed * bits;
    if (!Number.isSafeInteger(offset)) offset = Number(BigInt.asIntN(64, BigInt(digits) * BigInt(bits)));
  }
  if (offset < 0 || Math.floor(offset / 8) >= maxBulkLength(ctx)) fail(BIT_OFFSET_ERROR);
  return offset;
}

/** The byte at an index of a string value (0 past the end). */
export function byteAt(value: StringValue, index: number): number {
  if (index >= value.length) return 0;
  return typeof value === 'string' ? value.charCodeAt(index) & 0xff : value[index]!;
}

/** A string value's bytes as a Buffer (a view, not a copy, when it already is one). Read-only use. */
export function bytesOf(value: StringValue): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
}

const POPCOUNT = new Uint8Array(256);
for (let index = 1; index < 256; index++) POPCOUNT[index] = (index & 1) + POPCOUNT[index >> 1]!;

/** Number of set bits in bytes[start..end] inclusive. */
export function popcount(bytes: Buffer, start: number, end: number): number {
  let count = 0;
  let index = start;
  // Four bytes at a time while aligned work remains.
  for (; index + 3 <= end; index += 4) {
    let word = bytes.readUInt32LE(index);
    word -= (word >>> 1) & 0x55555555;
    word = (word & 0x33333333) + ((word >>> 2) & 0x33333333);
    count += (Math.imul((word + (word >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
  }
  for (; index <= end; index++) count += POPCOUNT[bytes[index]!]!;
  return count;
}

/** Popcount of one byte. */
export function popcountByte(byte: number): number {
  return POPCOUNT[byte & 0xff]!;
}
