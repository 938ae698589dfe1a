/**
 * BITFIELD and BITFIELD_RO: signed and unsigned integers of 1-64 bits (u63 at most) at any bit offset, with
 * GET/SET/INCRBY and the WRAP/SAT/FAIL overflow policies. The overflow checks reproduce Redis's C code with int64 /
 * uint64 wrapping (BigInt.asIntN/asUintN), including its results for out-of-range SET values.
 */
import type { StringValue } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import { fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import { bitOffsetArg, byteAt } from './bits-shared.js';
import { writableBuffer } from '../strings/string-buffer.js';

type Overflow = 'wrap' | 'sat' | 'fail';

interface FieldOperation {
  readonly opcode: 'get' | 'set' | 'incrby';
  readonly signed: boolean;
  readonly bits: number;
  readonly offset: number;
  readonly argument: bigint;
  readonly overflow: Overflow;
}

const TYPE_ERROR =
  'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.';

const int64 = (value: bigint) => BigInt.asIntN(64, value);
const uint64 = (value: bigint) => BigInt.asUintN(64, value);

/** BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment] [OVERFLOW WRAP|SAT|FAIL] */
export function bitfield(ctx: CommandContext, args: string[]): Reply {
  return run(ctx, args, false);
}

/** BITFIELD_RO key [GET type offset ...] */
export function bitfieldReadOnly(ctx: CommandContext, args: string[]): Reply {
  return run(ctx, args, true);
}

function run(ctx: CommandContext, args: string[], readOnlyCommand: boolean): Reply {
  const operations = parseOperations(ctx, args);
  const key = args[1]!;
  const db = ctx.db;
  const writes = operations.filter((operation) => operation.opcode !== 'get');
  let value: StringValue | undefined;
  let touch = false;
  if (writes.length === 0) {
    value = db.getTyped(key, 'string');
  } else {
    if (readOnlyCommand) fail('ERR BITFIELD_RO only supports the GET subcommand');
    let highest = 0;
    for (const operation of writes) highest = Math.max(highest, operation.offset + operation.bits - 1);
    const current = db.getTyped(key, 'string');
    const { buffer, stored } = writableBuffer(db, key, current, Math.floor(highest / 8) + 1);
    value = buffer;
    touch = !stored;
  }
  const replies: Reply[] = [];
  let changes = 0;
  for (const operation of operations) {
    if (operation.opcode === 'get') {
      replies.push(toReply(read(value, operation)));
    } else {
      const reply = write(value as Buffer, operation);
      if (reply !== null) changes++;
      replies.push(reply);
    }
  }
  if (touch) db.touch(key, 'setbit');
  if (changes > 0) ctx.server.notify('$', 'setbit', key, db.index);
  return replies;
}

function parseOperations(ctx: CommandContext, args: string[]): FieldOperation[] {
  const operations: FieldOperation[] = [];
  let overflow: Overflow = 'wrap';
  for (let index = 2; index < args.length; index++) {
    const remaining = args.length - index - 1;
    const name = args[index]!.toLowerCase();
    let opcode: FieldOperation['opcode'];
    if (name === 'get' && remaining >= 2) opcode = 'get';
    else if (name === 'set' && remaining >= 3) opcode = 'set';
    else if (name === 'incrby' && remaining >= 3) opcode = 'incrby';
    else if (name === 'overflow' && remaining >= 1) {
      const policy = args[++index]!.toLowerCase();
      if (policy !== 'wrap' && policy !== 'sat' && policy !== 'fail') fail('ERR Invalid OVERFLOW type specified');
      overflow = policy;
      continue;
    } else {
      fail(SYNTAX_ERROR);
    }
    const { signed, bits } = parseType(args[index + 1]!);
    const offset = bitOffsetArg(ctx, args[index + 2]!, bits);
    let argument = 0n;
    if (opcode !== 'get') {
      const text = args[index + 3]!;
      const number = integerArg(text);
      argument = Number.isSafeInteger(number) ? BigInt(number) : BigInt(text);
    }
    operations.push({ opcode, signed, bits, offset, argument, overflow });
    index += opcode === 'get' ? 2 : 3;
  }
  return operations;
}

/** `i1`..`i64` or `u1`..`u63` (lowercase prefix only, as Redis). */
function parseType(text: string): { signed: boolean; bits: number } {
  const prefix = text.charCodeAt(0);
  if (prefix !== 105 && prefix !== 117) fail(TYPE_ERROR);
  const signed = prefix === 105;
  const nul = text.indexOf('\0');
  const bits = integerArg(text.slice(1, nul === -1 ? undefined : nul), TYPE_ERROR);
  if (bits < 1 || bits > (signed ? 64 : 63)) fail(TYPE_ERROR);
  return { signed, bits };
}

/** Reads `bits` bits at a bit offset, most significant first, as uint64 (or sign-extended int64). */
function read(value: StringValue | undefined, operation: FieldOperation): bigint {
  let result = 0n;
  if (value !== undefined) {
    for (let bit = 0; bit < operation.bits; bit++) {
      const position = operation.offset + bit;
      const byte = byteAt(value, Math.floor(position / 8));
      result = (result << 1n) | BigInt((byte >> (7 - (position % 8))) & 1);
    }
  }
  return operation.signed ? BigInt.asIntN(operation.bits, result) : result;
}

function store(buffer: Buffer, offset: number, bits: number, value: bigint): void {
  const unsigned = uint64(value);
  for (let bit = 0; bit < bits; bit++) {
    const position = offset + bit;
    const index = Math.floor(position / 8);
    const mask = 1 << (7 - (position % 8));
    if ((unsigned >> BigInt(bits - 1 - bit)) & 1n) buffer[index]! |= mask;
    else buffer[index]! &= ~mask;
  }
}

/** SET or INCRBY: the reply (old value for SET, new value for INCRBY, null when FAIL refused the write). */
function write(buffer: Buffer, operation: FieldOperation): Reply {
  const old = read(buffer, operation);
  const increment = operation.opcode === 'incrby' ? operation.argument : 0n;
  const base = operation.opcode === 'incrby' ? old : operation.signed ? operation.argument : uint64(operation.argument);
  const check = operation.signed
    ? signedOverflow(base, increment, operation.bits, operation.overflow)
    : unsignedOverflow(base, increment, operation.bits, operation.overflow);
  if (check.overflow && operation.overflow === 'fail') return null;
  let next: bigint;
  if (check.overflow) next = check.limit;
  else next = operation.signed ? int64(base + increment) : uint64(base + increment);
  store(buffer, operation.offset, operation.bits, next);
  return toReply(operation.opcode === 'incrby' ? next : old);
}

interface OverflowCheck {
  readonly overflow: boolean;
  readonly limit: bigint;
}

/** Redis's checkUnsignedBitfieldOverflow on uint64 value and int64 increment. */
function unsignedOverflow(value: bigint, increment: bigint, bits: number, policy: Overflow): OverflowCheck {
  const max = (1n << BigInt(bits)) - 1n;
  const maxIncrement = int64(max - value);
  const minIncrement = int64(-value);
  const wrapped = () => uint64(value + increment) & max;
  if (value > max || (increment > 0n && increment > maxIncrement)) {
    return { overflow: true, limit: policy === 'sat' ? max : wrapped() };
  }
  if (increment < 0n && increment < minIncrement) {
    return { overflow: true, limit: policy === 'sat' ? 0n : wrapped() };
  }
  return { overflow: false, limit: 0n };
}

/** Redis's checkSignedBitfieldOverflow on int64 value and increment. */
function signedOverflow(value: bigint, increment: bigint, bits: number, policy: Overflow): OverflowCheck {
  const max = bits === 64 ? (1n << 63n) - 1n : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxIncrement = int64(max - value);
  const minIncrement = int64(min - value);
  const wrapped = () => BigInt.asIntN(bits, value + increment);
  if (value > max || (bits !== 64 && increment > maxIncrement) || (value >= 0n && increment > 0n && increment > maxIncrement)) {
    return { overflow: true, limit: policy === 'sat' ? max : wrapped() };
  }
  if (value < min || (bits !== 64 && increment < minIncrement) || (value < 0n && increment < 0n && increment < minIncrement)) {
    return { overflow: true, limit: policy === 'sat' ? min : wrapped() };
  }
  return { overflow: false, limit: 0n };
}

function toReply(value: bigint): number | bigint {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
}
