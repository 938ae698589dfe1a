/**
 * The bitmap family (Redis's bitops.c): SETBIT/GETBIT, BITCOUNT and BITPOS over BYTE or BIT ranges, BITOP, and
 * BITFIELD (in bits-field.ts). Bitmaps are string values; writes go through string-buffer.ts so that a bitmap is a
 * Buffer changed in place.
 */
import type { CommandContext, CommandSpec, Reply } from '../../context.js';
import { fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import { bitfield, bitfieldReadOnly } from './bits-field.js';
import { bitOffsetArg, byteAt, bytesOf, popcount, popcountByte } from './bits-shared.js';
import { ownedBuffer, writableBuffer } from '../strings/string-buffer.js';

const BIT_VALUE_ERROR = 'ERR bit is not an integer or out of range';

function setbit(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const offset = bitOffsetArg(ctx, args[2]!);
  const on = integerArg(args[3]!, BIT_VALUE_ERROR);
  if (on !== 0 && on !== 1) fail(BIT_VALUE_ERROR);
  const db = ctx.db;
  const value = db.getTyped(key, 'string');
  const index = Math.floor(offset / 8);
  const mask = 1 << (7 - (offset % 8));
  const old = value === undefined ? 0 : byteAt(value, index) & mask ? 1 : 0;
  if (value !== undefined && index < value.length && old === on) return old; // nothing changes
  const { buffer, stored } = writableBuffer(db, key, value, index + 1);
  if (on) buffer[index]! |= mask;
  else buffer[index]! &= ~mask;
  if (!stored) db.touch(key, 'setbit');
  ctx.server.stats.dirty++; // created, grown or the bit changed
  ctx.server.notify('$', 'setbit', key, db.index);
  return old;
}

function getbit(ctx: CommandContext, args: string[]): Reply {
  const offset = bitOffsetArg(ctx, args[2]!);
  const value = ctx.db.getTyped(args[1]!, 'string');
  if (value === undefined) return 0;
  return byteAt(value, Math.floor(offset / 8)) & (1 << (7 - (offset % 8))) ? 1 : 0;
}

/** Whether a BYTE|BIT argument says BIT; anything else is a syntax error. */
function isBitUnit(text: string): boolean {
  const unit = text.toLowerCase();
  if (unit === 'bit') return true;
  if (unit !== 'byte') fail(SYNTAX_ERROR);
  return false;
}

/** Normalises a start/end pair against a length as Redis does (negative from the end, clamped). */
function clampRange(start: number, end: number, total: number): [number, number] {
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  return [start, end];
}

function bitcount(ctx: CommandContext, args: string[]): Reply {
  const value = ctx.db.getTyped(args[1]!, 'string');
  if (value === undefined) return 0;
  const bytes = bytesOf(value);
  const length = bytes.length;
  if (args.length === 2) return length === 0 ? 0 : popcount(bytes, 0, length - 1);
  if (args.length !== 4 && args.length !== 5) fail(SYNTAX_ERROR);
  const start = integerArg(args[2]!);
  const end = integerArg(args[3]!);
  if (start < 0 && end < 0 && start > end) return 0;
  const bitUnit = args.length === 5 && isBitUnit(args[4]!);
  const [first, last] = clampRange(start, end, bitUnit ? length * 8 : length);
  if (first > last) return 0;
  if (!bitUnit) return popcount(bytes, first, last);
  return countBits(bytes, first, last);
}

/** Set bits between two bit positions, inclusive. */
function countBits(bytes: Buffer, firstBit: number, lastBit: number): number {
  const firstByte = Math.floor(firstBit / 8);
  const lastByte = Math.floor(lastBit / 8);
  const headMask = 0xff >> (firstBit % 8);
  const tailMask = (0xff << (7 - (lastBit % 8))) & 0xff;
  if (firstByte === lastByte) return popcountByte(bytes[firstByte]! & headMask & tailMask);
  let count = popcountByte(bytes[firstByte]! & headMask) + popcountByte(bytes[lastByte]! & tailMask);
  if (lastByte - firstByte > 1) count += popcount(bytes, firstByte + 1, lastByte - 1);
  return count;
}

function bitpos(ctx: CommandContext, args: string[]): Reply {
  const bit = integerArg(args[2]!);
  if (bit !== 0 && bit !== 1) fail('ERR The bit argument must be 1 or 0.');
  const value = ctx.db.getTyped(args[1]!, 'string');
  if (value === undefined) return bit ? -1 : 0;
  const bytes = bytesOf(value);
  const length = bytes.length;
  let firstBit: number;
  let lastBit: number;
  let endGiven = false;
  if (args.length === 3) {
    firstBit = 0;
    lastBit = length * 8 - 1;
  } else if (args.length <= 6) {
    const start = integerArg(args[3]!);
    const bitUnit = args.length === 6 && isBitUnit(args[5]!);
    const total = bitUnit ? length * 8 : length;
    let end = total - 1;
    if (args.length >= 5) {
      end = integerArg(args[4]!);
      endGiven = true;
    }
    const [first, last] = clampRange(start, end, total);
    if (first > last) return -1;
    firstBit = bitUnit ? first : first * 8;
    lastBit = bitUnit ? last : last * 8 + 7;
  } else {
    return fail(SYNTAX_ERROR);
  }
  if (firstBit > lastBit) return -1;
  const found = findBit(bytes, firstBit, lastBit, bit);
  if (found !== -1 || bit === 1) return found;
  // Looking for a clear bit and none in range: without an explicit end, the string counts as zero-padded on the
  // right, so the answer is the first bit after the range's last byte.
  return endGiven ? -1 : (Math.floor(lastBit / 8) + 1) * 8;
}

/** First position in [firstBit, lastBit] holding `bit`, or -1. */
function findBit(bytes: Buffer, firstBit: number, lastBit: number, bit: number): number {
  let position = firstBit;
  const skip = bit ? 0 : 0xff;
  while (position <= lastBit) {
    if (position % 8 === 0 && position + 7 <= lastBit && bytes[position / 8] === skip) {
      position += 8;
      continue;
    }
    if (((bytes[Math.floor(position / 8)]! >> (7 - (position % 8))) & 1) === bit) return position;
    position++;
  }
  return -1;
}

function bitop(ctx: CommandContext, args: string[]): Reply {
  const operation = args[1]!.toLowerCase();
  if (operation !== 'and' && operation !== 'or' && operation !== 'xor' && operation !== 'not') fail(SYNTAX_ERROR);
  if (operation === 'not' && args.length !== 4) fail('ERR BITOP NOT must be called with a single source key.');
  const db = ctx.db;
  const sources: Buffer[] = [];
  let maxLength = 0;
  for (let index = 3; index < args.length; index++) {
    const value = db.getTyped(args[index]!, 'string');
    const bytes = value === undefined ? Buffer.alloc(0) : bytesOf(value);
    sources.push(bytes);
    if (bytes.length > maxLength) maxLength = bytes.length;
  }
  const destination = args[2]!;
  if (maxLength === 0) {
    if (db.delete(destination)) ctx.server.notify('g', 'del', destination, db.index);
    return 0;
  }
  const result = ownedBuffer(maxLength);
  const first = sources[0]!;
  first.copy(result, 0);
  if (operation === 'not') {
    for (let index = 0; index < maxLength; index++) result[index] = ~result[index]! & 0xff;
  } else {
    for (let source = 1; source < sources.length; source++) {
      const bytes = sources[source]!;
      const length = bytes.length;
      if (operation === 'and') {
        for (let index = 0; index < maxLength; index++) result[index]! &= index < length ? bytes[index]! : 0;
      } else if (operation === 'or') {
        for (let index = 0; index < length; index++) result[index]! |= bytes[index]!;
      } else {
        for (let index = 0; index < length; index++) result[index]! ^= bytes[index]!;
      }
    }
  }
  db.set(destination, result);
  ctx.server.notify('$', 'set', destination, db.index);
  return maxLength;
}

export const bitCommands = [
  {
    name: 'setbit', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['bitmap'], run: setbit,
  },
  {
    name: 'getbit', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['bitmap'], run: getbit,
  },
  {
    name: 'bitcount', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['bitmap'], run: bitcount,
  },
  {
    name: 'bitpos', arity: -3, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['bitmap'], run: bitpos,
  },
  {
    name: 'bitop', arity: -4, flags: ['write', 'denyoom'], firstKey: 2, lastKey: -1, keyStep: 1, categories: ['bitmap'], run: bitop,
  },
  {
    name: 'bitfield', arity: -2, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['bitmap'], run: bitfield,
  },
  {
    name: 'bitfield_ro', arity: -2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['bitmap'], run: bitfieldReadOnly,
  },
] as const satisfies readonly CommandSpec[];
