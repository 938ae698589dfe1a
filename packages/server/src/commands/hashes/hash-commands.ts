/** Hash command handlers (Redis's t_hash.c) other than HRANDFIELD and HSCAN. */
import { EMPTY_ARRAY, EMPTY_MAP, OK, RespMap } from '@mini-redis/protocol';
import type { HashValue } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import { parseInteger } from '../../format.js';
import { formatLongDouble, parseLongDouble, addLongDouble } from '../../long-double.js';
import { fail, integerArg, NOT_FLOAT, wrongArity } from '../errors.js';
import { checkPromotion, hashLimits, storeHash } from './hash-core.js';
import { INT64_MAX, INT64_MIN } from '../../int64.js';

/** HSET / HMSET key field value [field value ...]. */
export function hsetCommand(name: 'hset' | 'hmset') {
  return (ctx: CommandContext, args: string[]): Reply => {
    if (args.length % 2 === 1) throw wrongArity(name);
    const key = args[1]!;
    const db = ctx.db;
    const existing = db.getTyped(key, 'hash');
    const hash: HashValue = existing ?? new Map<string, string>();
    const limits = hashLimits(ctx.server.config);
    let created = 0;
    for (let index = 2; index < args.length; index += 2) {
      const field = args[index]!;
      const value = args[index + 1]!;
      const size = hash.size;
      hash.set(field, value);
      if (hash.size !== size) created++;
      checkPromotion(hash, field, value, limits);
    }
    storeHash(ctx, key, hash, existing === undefined, 'hset');
    ctx.server.notify('h', 'hset', key, db.index);
    return name === 'hset' ? created : OK;
  };
}

export function hsetnx(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const field = args[2]!;
  const db = ctx.db;
  const existing = db.getTyped(key, 'hash');
  if (existing?.has(field)) return 0;
  const hash: HashValue = existing ?? new Map<string, string>();
  hash.set(field, args[3]!);
  checkPromotion(hash, field, args[3]!, hashLimits(ctx.server.config));
  storeHash(ctx, key, hash, existing === undefined, 'hset');
  ctx.server.notify('h', 'hset', key, db.index);
  return 1;
}

export function hget(ctx: CommandContext, args: string[]): Reply {
  return ctx.db.getTyped(args[1]!, 'hash')?.get(args[2]!) ?? null;
}

export function hmget(ctx: CommandContext, args: string[]): Reply {
  const hash = ctx.db.getTyped(args[1]!, 'hash');
  const replies = new Array<Reply>(args.length - 2);
  for (let index = 2; index < args.length; index++) replies[index - 2] = hash?.get(args[index]!) ?? null;
  return replies;
}

export function hdel(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const db = ctx.db;
  const hash = db.getTyped(key, 'hash');
  if (hash === undefined) return 0;
  let deleted = 0;
  for (let index = 2; index < args.length; index++) {
    if (hash.delete(args[index]!)) {
      deleted++;
      if (hash.size === 0) break;
    }
  }
  if (deleted > 0) {
    ctx.server.notify('h', 'hdel', key, db.index);
    if (hash.size === 0) {
      db.delete(key);
      ctx.server.notify('g', 'del', key, db.index);
    } else {
      db.touch(key, 'hdel');
    }
  }
  return deleted;
}

export function hexists(ctx: CommandContext, args: string[]): Reply {
  return ctx.db.getTyped(args[1]!, 'hash')?.has(args[2]!) ? 1 : 0;
}

export function hlen(ctx: CommandContext, args: string[]): Reply {
  return ctx.db.getTyped(args[1]!, 'hash')?.size ?? 0;
}

export function hstrlen(ctx: CommandContext, args: string[]): Reply {
  return ctx.db.getTyped(args[1]!, 'hash')?.get(args[2]!)?.length ?? 0;
}

export function hkeys(ctx: CommandContext, args: string[]): Reply {
  const hash = ctx.db.getTyped(args[1]!, 'hash');
  return hash === undefined ? EMPTY_ARRAY : Array.from(hash.keys());
}

export function hvals(ctx: CommandContext, args: string[]): Reply {
  const hash = ctx.db.getTyped(args[1]!, 'hash');
  return hash === undefined ? EMPTY_ARRAY : Array.from(hash.values());
}

export function hgetall(ctx: CommandContext, args: string[]): Reply {
  const hash = ctx.db.getTyped(args[1]!, 'hash');
  if (hash === undefined) return EMPTY_MAP;
  const items = new Array<string>(hash.size * 2);
  let index = 0;
  for (const [field, value] of hash) {
    items[index++] = field;
    items[index++] = value;
  }
  return new RespMap(items);
}


export function hincrby(ctx: CommandContext, args: string[]): Reply {
  const incrementText = args[3]!;
  const increment = integerArg(incrementText);
  const key = args[1]!;
  const field = args[2]!;
  const db = ctx.db;
  const existing = db.getTyped(key, 'hash');
  const currentText = existing?.get(field);
  let current = 0;
  if (currentText !== undefined) {
    const parsed = parseInteger(currentText);
    if (parsed === undefined) fail('ERR hash value is not an integer');
    current = parsed;
  }
  let result: number | bigint = current + increment;
  let text: string;
  if (Number.isSafeInteger(result) && Number.isSafeInteger(current) && Number.isSafeInteger(increment)) {
    text = String(result);
  } else {
    const big = BigInt(currentText ?? '0') + BigInt(incrementText);
    if (big > INT64_MAX || big < INT64_MIN) fail('ERR increment or decrement would overflow');
    text = big.toString();
    result = Number.isSafeInteger(Number(big)) ? Number(big) : big;
  }
  const hash: HashValue = existing ?? new Map<string, string>();
  hash.set(field, text);
  checkPromotion(hash, field, text, hashLimits(ctx.server.config));
  storeHash(ctx, key, hash, existing === undefined, 'hincrby');
  ctx.server.notify('h', 'hincrby', key, db.index);
  return result;
}

export function hincrbyfloat(ctx: CommandContext, args: string[]): Reply {
  const increment = parseLongDouble(args[3]!);
  if (increment === undefined) fail(NOT_FLOAT);
  if (typeof increment === 'number') fail('ERR value is NaN or Infinity');
  const key = args[1]!;
  const field = args[2]!;
  const db = ctx.db;
  const existing = db.getTyped(key, 'hash');
  const currentText = existing?.get(field);
  let text: string;
  if (currentText === undefined) {
    text = formatLongDouble(increment);
  } else {
    const current = parseLongDouble(currentText);
    if (current === undefined) fail('ERR hash value is not a float');
    const sum = typeof current === 'number' ? undefined : addLongDouble(current, increment);
    if (sum === undefined) fail('ERR increment would produce NaN or Infinity');
    text = formatLongDouble(sum);
  }
  const hash: HashValue = existing ?? new Map<string, string>();
  hash.set(field, text);
  checkPromotion(hash, field, text, hashLimits(ctx.server.config));
  storeHash(ctx, key, hash, existing === undefined, 'hincrbyfloat');
  ctx.server.notify('h', 'hincrbyfloat', key, db.index);
  return text;
}
