// The slow path's line readers: lengths and integers, whole or cut short by the chunk. Numbers are read by the fast
// path's readers only (one digit loop for lengths, one for integers); these handle what those refuse (`?`, incomplete
// lines, bigints, malformed lines) in their own, rare, code. Where the line ends goes to `lineEnd`, -1 when incomplete.
import { fastLength, lastReadEnd } from './decoder-fast.js';
import { error } from './decoder-values.js';
import type { FastBuffer } from './fast-buffer.js';

/** The longest line (count, integer, double...) other than simple strings and errors. */
export const MAX_LINE = 64 * 1024;
/** readLength's result for `?` (a streamed string or aggregate). */
export const STREAMED = -0.5;

/** Position after the CRLF of the last line read by readLength/readInteger, or -1 when the line is incomplete. */
// eslint-disable-next-line no-var -- a `var` avoids TDZ checks on a module-level variable
export var lineEnd = -1;

/** The slow path's length line after a type byte: as fastLength, plus `?` (STREAMED) and incomplete lines (`lineEnd` -1). */
export function readLength(buffer: Buffer, start: number): number {
  const value = fastLength(buffer, start);
  if (value === -2) return unusualLength(buffer, start);
  lineEnd = lastReadEnd();
  return value;
}

/** A length line fastLength refused: `?`, a line the buffer cuts short (sets `lineEnd` to -1), or an error. */
function unusualLength(buffer: Buffer, start: number): number {
  const length = buffer.length;
  let position = start;
  if (buffer[position] === 0x3f) {
    if (position + 2 >= length) {
      lineEnd = -1;
      return 0;
    }
    if (buffer[position + 1] !== 0x0d || buffer[position + 2] !== 0x0a) throw error('invalid length');
    lineEnd = position + 3;
    return STREAMED;
  }
  if (buffer[position] === 0x2d) position++;
  const digitsStart = position;
  while (position < length && (buffer[position]! - 0x30) >>> 0 <= 9) position++;
  if (position - digitsStart > 15 || position + 1 < length) throw error('invalid length');
  lineEnd = -1;
  return 0;
}

/**
 * The slow path's integer line (`:` at `position`): a number when safe, else a bigint; `lineEnd` -1 when incomplete.
 * The fast path (integerRun) has refused this very line before the slow path gets it, so only what it refuses is left:
 * 16+ digits, a line the buffer cuts short, a malformed line. (A safe integer would still be read right.)
 */
export function readInteger(buffer: FastBuffer, position: number): number | bigint {
  return unusualInteger(buffer, position + 1);
}

/** An integer line integerRun refused: 16+ digits, a line the buffer cuts short (sets `lineEnd` to -1), or an error. */
function unusualInteger(buffer: FastBuffer, start: number): number | bigint {
  const length = buffer.length;
  let position = start;
  if (buffer[position] === 0x2d || buffer[position] === 0x2b) position++;
  const digitsStart = position;
  while (position < length && (buffer[position]! - 0x30) >>> 0 <= 9) position++;
  if (position + 1 >= length) {
    if (position - start > MAX_LINE) throw error('too big integer');
    lineEnd = -1;
    return 0;
  }
  if (position === digitsStart || buffer[position] !== 0x0d || buffer[position + 1] !== 0x0a)
    throw error('invalid integer');
  lineEnd = position + 2;
  const big = BigInt(buffer.latin1Slice(start, position));
  return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
}
