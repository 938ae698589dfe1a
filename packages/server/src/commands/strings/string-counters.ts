/**
 * INCR, DECR, INCRBY, DECRBY (int64 arithmetic that refuses overflow) and INCRBYFLOAT (long double arithmetic, as
 * Redis's t_string.c does it).
 */
import type { CommandContext, Reply } from '../../context.js';
import { parseInteger } from '../../format.js';
import { incrementLongDouble } from '../../long-double.js';
import { fail, integerArg, NOT_FLOAT, NOT_INTEGER } from '../errors.js';
import { INT64_MAX, INT64_MIN } from '../../int64.js';
import { KEEP_TTL } from './string-buffer.js';

/** INCR/DECR/INCRBY/DECRBY: adds an int64 to an int64 value, refusing overflow. */
export function incrementBy(ctx: CommandContext, key: string, increment: number, incrementText: string | undefined): Reply {
  const db = ctx.db;
  const value = db.getTyped(key, 'string');
  let current = 0;
  let text = '0';
  if (value !== undefined) {
    text = typeof value === 'string' ? value : value.toString('latin1');
    const parsed = parseInteger(text);
    if (parsed === undefined) fail(NOT_INTEGER);
    current = parsed;
  }
  const result = current + increment;
  if (Number.isSafeInteger(result) && Number.isSafeInteger(current) && Number.isSafeInteger(increment)) {
    db.set(key, String(result), KEEP_TTL);
    ctx.server.notify('$', 'incrby', key, db.index);
    return result;
  }
  // Near the int64 edges: exact arithmetic.
  const big = BigInt(text) + (incrementText === undefined ? BigInt(increment) : BigInt(incrementText));
  if (big > INT64_MAX || big < INT64_MIN) fail('ERR increment or decrement would overflow');
  db.set(key, big.toString(), KEEP_TTL);
  ctx.server.notify('$', 'incrby', key, db.index);
  return Number.isSafeInteger(Number(big)) ? Number(big) : big;
}

export function incrby(ctx: CommandContext, args: string[]): Reply {
  const increment = integerArg(args[2]!);
  return incrementBy(ctx, args[1]!, increment, Number.isSafeInteger(increment) ? undefined : args[2]!);
}

export function decrby(ctx: CommandContext, args: string[]): Reply {
  const text = args[2]!;
  const decrement = integerArg(text);
  if (Number.isSafeInteger(decrement)) return incrementBy(ctx, args[1]!, -decrement, undefined);
  if (text === '-9223372036854775808') fail('ERR decrement would overflow');
  return incrementBy(ctx, args[1]!, -decrement, (-BigInt(text)).toString());
}

export function incrbyfloat(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const db = ctx.db;
  const value = db.getTyped(key, 'string');
  const current = value === undefined ? '0' : typeof value === 'string' ? value : value.toString('latin1');
  const result = incrementLongDouble(current, args[2]!);
  if (result === 'invalid') fail(NOT_FLOAT);
  if (result === 'nan-or-infinity') fail('ERR increment would produce NaN or Infinity');
  db.set(key, result, KEEP_TTL);
  ctx.server.notify('$', 'incrbyfloat', key, db.index);
  return result;
}
