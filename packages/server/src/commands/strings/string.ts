/**
 * The string family (Redis's t_string.c): GET/SET and their variants, multi-key MGET/MSET, ranges, counters and
 * INCRBYFLOAT's long double arithmetic, and LCS. Values are stored as the latin1 argument string as it came; commands
 * that write in place (SETRANGE, APPEND on a Buffer) go through string-buffer.ts.
 */
import type { StringValue } from '@mini-redis/store';
import type { CommandContext, CommandSpec, Reply } from '../../context.js';
import { parseInteger } from '../../format.js';
import { incrementLongDouble } from '../../long-double.js';
import { fail, integerArg, NOT_FLOAT, NOT_INTEGER, wrongArity } from '../errors.js';
import { OK } from '@mini-redis/protocol';
import { checkStringLength, shareBuffer, writableBuffer } from './string-buffer.js';
import { lcs } from './string-lcs.js';
import { expireTime, parseStringOptions } from './string-options.js';
import { INT64_MAX, INT64_MIN } from '../../int64.js';

/** Shared options of the writes that keep the key's TTL (no allocation per call). */
const KEEP_TTL = { keepTtl: true } as const;

function get(ctx: CommandContext, args: string[]): Reply {
  const value = ctx.db.getTyped(args[1]!, 'string');
  if (value === undefined) return keyMiss(ctx, args[1]!);
  ctx.server.stats.keyspaceHits++;
  return typeof value === 'string' ? value : shareBuffer(value);
}

function set(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const value = args[2]!;
  const db = ctx.db;
  if (args.length === 3) {
    db.set(key, value);
    ctx.server.stats.dirty++;
    ctx.server.notify('$', 'set', key, db.index);
    return OK;
  }
  const options = parseStringOptions(args, 3, 'set');
  const expireAt =
    options.expire === undefined ? undefined : expireTime(options.expire, options.unit!, ctx.server.clock.now(), 'set');
  let old: StringValue | undefined;
  let found: boolean;
  if (options.get) {
    old = shareBuffer(db.getTyped(key, 'string'));
    if (old === undefined) ctx.server.stats.keyspaceMisses++;
    else ctx.server.stats.keyspaceHits++;
    found = old !== undefined;
  } else {
    found = db.has(key);
  }
  if ((options.nx && found) || (options.xx && !found)) return options.get ? (old ?? null) : null;
  if (expireAt !== undefined) db.set(key, value, { expireAt });
  else if (options.keepTtl) db.set(key, value, KEEP_TTL);
  else db.set(key, value);
  ctx.server.stats.dirty++;
  ctx.server.notify('$', 'set', key, db.index);
  if (expireAt !== undefined) ctx.server.notify('g', 'expire', key, db.index);
  return options.get ? (old ?? null) : OK;
}

function setnx(ctx: CommandContext, args: string[]): Reply {
  const db = ctx.db;
  if (db.has(args[1]!)) return 0;
  db.set(args[1]!, args[2]!);
  ctx.server.notify('$', 'set', args[1]!, db.index);
  return 1;
}

/** SETEX / PSETEX key time value. */
function setWithExpire(unit: 'ex' | 'px', command: string) {
  return (ctx: CommandContext, args: string[]): Reply => {
    const expireAt = expireTime(args[2]!, unit, ctx.server.clock.now(), command);
    ctx.db.set(args[1]!, args[3]!, { expireAt });
    ctx.server.notify('$', 'set', args[1]!, ctx.db.index);
    ctx.server.notify('g', 'expire', args[1]!, ctx.db.index);
    return OK;
  };
}

function getset(ctx: CommandContext, args: string[]): Reply {
  const db = ctx.db;
  const old = db.getTyped(args[1]!, 'string');
  db.set(args[1]!, args[2]!);
  ctx.server.notify('$', 'set', args[1]!, db.index);
  return old ?? null;
}

function getdel(ctx: CommandContext, args: string[]): Reply {
  const db = ctx.db;
  const value = db.getTyped(args[1]!, 'string');
  if (value === undefined) return keyMiss(ctx, args[1]!);
  ctx.server.stats.keyspaceHits++;
  db.delete(args[1]!);
  ctx.server.notify('g', 'del', args[1]!, db.index);
  return value;
}

function getex(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const db = ctx.db;
  const options = parseStringOptions(args, 2, 'getex');
  const value = shareBuffer(db.getTyped(key, 'string'));
  if (value === undefined) return keyMiss(ctx, key);
  ctx.server.stats.keyspaceHits++;
  if (options.expire !== undefined) {
    const now = ctx.server.clock.now();
    const at = expireTime(options.expire, options.unit!, now, 'getex');
    db.setExpire(key, at);
    ctx.server.stats.dirty++;
    ctx.server.notify('g', at <= now ? 'del' : 'expire', key, db.index);
  } else if (options.persist) {
    if (db.persist(key)) {
      ctx.server.stats.dirty++;
      ctx.server.notify('g', 'persist', key, db.index);
    }
  }
  return value;
}

function mget(ctx: CommandContext, args: string[]): Reply {
  const db = ctx.db;
  const replies: Reply[] = new Array<Reply>(args.length - 1);
  for (let index = 1; index < args.length; index++) {
    const value = db.get(args[index]!);
    if (typeof value === 'string') replies[index - 1] = value;
    else if (Buffer.isBuffer(value)) replies[index - 1] = shareBuffer(value);
    else replies[index - 1] = value === undefined ? keyMiss(ctx, args[index]!) : null;
    if (value !== undefined) ctx.server.stats.keyspaceHits++;
  }
  return replies;
}

function mset(ctx: CommandContext, args: string[]): Reply {
  if (args.length % 2 === 0) return wrongArity('mset');
  const db = ctx.db;
  for (let index = 1; index < args.length; index += 2) {
    db.set(args[index]!, args[index + 1]!);
    ctx.server.notify('$', 'set', args[index]!, db.index);
  }
  return OK;
}

function msetnx(ctx: CommandContext, args: string[]): Reply {
  if (args.length % 2 === 0) return wrongArity('msetnx');
  const db = ctx.db;
  for (let index = 1; index < args.length; index += 2) {
    if (db.has(args[index]!)) return 0;
  }
  for (let index = 1; index < args.length; index += 2) {
    db.set(args[index]!, args[index + 1]!);
    ctx.server.notify('$', 'set', args[index]!, db.index);
  }
  return 1;
}

function append(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const suffix = args[2]!;
  const db = ctx.db;
  const value = db.getTyped(key, 'string');
  if (value === undefined) {
    db.set(key, suffix);
    ctx.server.notify('$', 'append', key, db.index);
    return suffix.length;
  }
  const length = value.length + suffix.length;
  checkStringLength(ctx, length);
  // Like Redis's sds, an appended value becomes a raw buffer that later appends extend in place.
  const { buffer, stored } = writableBuffer(db, key, value, length);
  buffer.write(suffix, length - suffix.length, 'latin1');
  if (!stored) db.touch(key, 'append');
  ctx.server.notify('$', 'append', key, db.index);
  return length;
}

function strlen(ctx: CommandContext, args: string[]): Reply {
  const value = ctx.db.getTyped(args[1]!, 'string');
  return value === undefined ? 0 : value.length;
}

/** GETRANGE / SUBSTR key start end, with Redis's clamping. */
function getrange(ctx: CommandContext, args: string[]): Reply {
  let start = integerArg(args[2]!);
  let end = integerArg(args[3]!);
  const value = ctx.db.getTyped(args[1]!, 'string');
  if (value === undefined) return '';
  const length = value.length;
  if (start < 0 && end < 0 && start > end) return '';
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  if (start > end || length === 0) return '';
  if (typeof value === 'string') return value.slice(start, end + 1);
  return Buffer.from(value.subarray(start, end + 1));
}

function setrange(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const offset = integerArg(args[2]!);
  const patch = args[3]!;
  if (offset < 0) fail('ERR offset is out of range');
  const db = ctx.db;
  const value = db.getTyped(key, 'string');
  if (value === undefined) {
    if (patch.length === 0) return 0;
  } else if (patch.length === 0) {
    return value.length;
  }
  checkStringLength(ctx, offset + patch.length);
  const { buffer, stored } = writableBuffer(db, key, value, offset + patch.length);
  buffer.write(patch, offset, 'latin1');
  if (!stored) db.touch(key, 'setrange');
  ctx.server.notify('$', 'setrange', key, db.index);
  return buffer.length;
}


/** INCR/DECR/INCRBY/DECRBY: adds an int64 to an int64 value, refusing overflow. */
function incrementBy(ctx: CommandContext, key: string, increment: number, incrementText: string | undefined): Reply {
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

function incrby(ctx: CommandContext, args: string[]): Reply {
  const increment = integerArg(args[2]!);
  return incrementBy(ctx, args[1]!, increment, Number.isSafeInteger(increment) ? undefined : args[2]!);
}

function decrby(ctx: CommandContext, args: string[]): Reply {
  const text = args[2]!;
  const decrement = integerArg(text);
  if (Number.isSafeInteger(decrement)) return incrementBy(ctx, args[1]!, -decrement, undefined);
  if (text === '-9223372036854775808') fail('ERR decrement would overflow');
  return incrementBy(ctx, args[1]!, -decrement, (-BigInt(text)).toString());
}

function incrbyfloat(ctx: CommandContext, args: string[]): Reply {
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

/** A read of a missing key: the 'm' (keymiss) event, keyspace_misses, and the null reply. */
function keyMiss(ctx: CommandContext, key: string): null {
  ctx.server.stats.keyspaceMisses++;
  ctx.server.notify('m', 'keymiss', key, ctx.db.index);
  return null;
}

export const stringCommands = [
  {
    name: 'get', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['string'], run: get,
  },
  {
    name: 'set', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['string'], run: set,
  },
  {
    name: 'setnx', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['string'], run: setnx,
  },
  {
    name: 'setex', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['string'],
    run: setWithExpire('ex', 'setex'),
  },
  {
    name: 'psetex', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['string'],
    run: setWithExpire('px', 'psetex'),
  },
  {
    name: 'getset', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['string'], run: getset,
  },
  {
    name: 'getdel', arity: 2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['string'], run: getdel,
  },
  {
    name: 'getex', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['string'],
    run: getex,
  },
  {
    name: 'mget', arity: -2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: -1, keyStep: 1,
    categories: ['string'], run: mget,
  },
  {
    name: 'mset', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, keyStep: 2,
    categories: ['string'], run: mset,
  },
  {
    name: 'msetnx', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, keyStep: 2,
    categories: ['string'], run: msetnx,
  },
  {
    name: 'append', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['string'], run: append,
  },
  {
    name: 'strlen', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['string'], run: strlen,
  },
  {
    name: 'getrange', arity: 4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['string'], run: getrange,
  },
  {
    name: 'substr', arity: 4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['string'], run: getrange,
  },
  {
    name: 'setrange', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['string'], run: setrange,
  },
  {
    name: 'incr', arity: 2, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['string'], run: (ctx, args) => incrementBy(ctx, args[1]!, 1, undefined),
  },
  {
    name: 'decr', arity: 2, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['string'], run: (ctx, args) => incrementBy(ctx, args[1]!, -1, undefined),
  },
  {
    name: 'incrby', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['string'], run: incrby,
  },
  {
    name: 'decrby', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['string'], run: decrby,
  },
  {
    name: 'incrbyfloat', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['string'], run: incrbyfloat,
  },
  {
    name: 'lcs', arity: -3, flags: ['readonly'], firstKey: 1, lastKey: 2, keyStep: 1, categories: ['string'],
    run: lcs,
  },
] as const satisfies readonly CommandSpec[];
