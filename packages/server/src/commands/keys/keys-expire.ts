/**
 * Key expiry: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX/XX/GT/LT), TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST,
 * as Redis 7.0's expire.c does them: options are checked first, then the time (with its int64 overflow checks), then
 * the key; a time at or before now deletes the key and still answers 1.
 */
import type { ExpireTime } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import { parseInteger } from '../../format.js';
import { cString, fail, NOT_INTEGER } from '../errors.js';
import { INT64_MAX } from '../../int64.js';
import { absoluteExpireMs, expireOf } from '../expire-time.js';

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;


/** Parses the NX/XX/GT/LT words after the time (expire.c parseExtendedExpireArgumentsOrReply). */
function expireFlags(args: string[]): number {
  let flags = 0;
  for (let index = 3; index < args.length; index++) {
    const option = args[index]!;
    const lower = option.toLowerCase();
    if (lower === 'nx') flags |= NX;
    else if (lower === 'xx') flags |= XX;
    else if (lower === 'gt') flags |= GT;
    else if (lower === 'lt') flags |= LT;
    else fail(`ERR Unsupported option ${cString(option)}`);
  }
  if ((flags & NX) !== 0 && (flags & (XX | GT | LT)) !== 0) {
    fail('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if ((flags & GT) !== 0 && (flags & LT) !== 0) fail('ERR GT and LT options at the same time are not compatible');
  return flags;
}

/**
 * The absolute expiry time in ms for `text` (in seconds when `unit` is 1000), relative to `base`; throws Redis's
 * "invalid expire time" error when the int64 arithmetic would overflow. A bigint only past 2^53 ms (exact).
 */
function expireTime(name: string, text: string, unit: 1 | 1000, base: number): ExpireTime {
  const value = parseInteger(text);
  if (value === undefined) fail(NOT_INTEGER);
  return absoluteExpireMs(value, text, unit, base, name);
}

/** Builds the handler of one EXPIRE variant: `unit` 1000 for seconds, `relative` for EXPIRE/PEXPIRE. */
function expireCommand(name: string, unit: 1 | 1000, relative: boolean) {
  return (ctx: CommandContext, args: string[]): Reply => {
    const flags = args.length > 3 ? expireFlags(args) : 0;
    const db = ctx.db;
    const when = expireTime(name, args[2]!, unit, relative ? ctx.server.store.clock.now() : 0);
    const key = args[1]!;
    if (flags === 0) {
      if (!db.setExpire(key, when)) return 0;
      notifyExpire(ctx, key, when);
      return 1;
    }
    if (!db.has(key)) return 0;
    // Exact, so that GT/LT compare int64 times as Redis does (number and bigint compare exactly in JS).
    const current = expireOf(db, key);
    if ((flags & NX) !== 0 && current !== undefined) return 0;
    if ((flags & XX) !== 0 && current === undefined) return 0;
    // No TTL counts as an infinite one: GT never beats it, LT always does.
    if ((flags & GT) !== 0 && (current === undefined || when <= current)) return 0;
    if ((flags & LT) !== 0 && current !== undefined && when >= current) return 0;
    db.setExpire(key, when);
    notifyExpire(ctx, key, when);
    return 1;
  };
}

/** An EXPIRE that took effect: 'expire', or 'del' when the time had already passed (the key is gone). */
function notifyExpire(ctx: CommandContext, key: string, when: ExpireTime): void {
  const server = ctx.server;
  server.notify('g', when <= server.store.clock.now() ? 'del' : 'expire', key, ctx.db.index);
}

/**
 * An expiry time as an integer reply, for a backend without `getExpireExact` holding a time past 2^53 ms (its
 * nearest double, kept within int64).
 */
function integerReply(value: number): number | bigint {
  if (Number.isSafeInteger(value)) return value;
  const big = BigInt(Math.trunc(value));
  return big > INT64_MAX ? INT64_MAX : big;
}

/**
 * Builds TTL/PTTL/EXPIRETIME/PEXPIRETIME: -2 for a missing key, -1 for no TTL (expire.c ttlGenericCommand). Seconds
 * are rounded to the nearest, as Redis's (ttl + 500) / 1000, which its compiler evaluates without overflow even for
 * a time near 2^63 ms (EXPIRETIME of PEXPIREAT 9223372036854775807 is 9223372036854776).
 */
function ttlCommand(milliseconds: boolean, absolute: boolean) {
  return (ctx: CommandContext, args: string[]): Reply => {
    const db = ctx.db;
    const key = args[1]!;
    const at = expireOf(db, key);
    if (at === undefined) return db.has(key) ? -1 : -2;
    if (typeof at === 'bigint') {
      let exact = absolute ? at : at - BigInt(ctx.server.store.clock.now());
      if (exact < 0n) exact = 0n;
      return milliseconds ? exact : (exact + 500n) / 1000n;
    }
    let ttl = absolute ? at : at - ctx.server.store.clock.now();
    if (ttl < 0) ttl = 0;
    return integerReply(milliseconds ? ttl : Math.floor((ttl + 500) / 1000));
  };
}

export const expire = expireCommand('expire', 1000, true);
export const pexpire = expireCommand('pexpire', 1, true);
export const expireat = expireCommand('expireat', 1000, false);
export const pexpireat = expireCommand('pexpireat', 1, false);
export const ttl = ttlCommand(false, false);
export const pttl = ttlCommand(true, false);
export const expiretime = ttlCommand(false, true);
export const pexpiretime = ttlCommand(true, true);

/** PERSIST key: 1 when a TTL was removed. */
export function persist(ctx: CommandContext, args: string[]): Reply {
  if (!ctx.db.persist(args[1]!)) return 0;
  ctx.server.notify('g', 'persist', args[1]!, ctx.db.index);
  return 1;
}
