/**
 * Expiry times with Redis's int64 arithmetic (expire.c / t_string.c). Times are `ExpireTime`s: plain numbers in the
 * common case, a bigint only for a time that is not a safe integer (past 2^53 ms), so that PEXPIREAT k
 * 9007199254740993 reads back exactly while ordinary keys never pay for BigInt.
 */
import type { Bytes, Database, ExpireTime } from '@mini-redis/store';
import { INT64_MAX, INT64_MIN } from '../int64.js';
import { fail } from './errors.js';

/** Beyond this magnitude, `value * 1000 + base` could leave the exact double range: use BigInt. */
const FAST_LIMIT = 2 ** 42;

/**
 * `value` (the parsed integer of `text`) times `unitMs` (1 or 1000) plus `base` (now, for relative times), in ms;
 * throws `ERR invalid expire time in '<command>' command` when the int64 arithmetic would overflow. The result is a
 * number when it is a safe integer, else the exact bigint.
 */
export function absoluteExpireMs(
  value: number,
  text: string,
  unitMs: 1 | 1000,
  base: number,
  command: string,
): ExpireTime {
  if (value < FAST_LIMIT && value > -FAST_LIMIT) return value * unitMs + base;
  const invalid = `ERR invalid expire time in '${command}' command`;
  let when = BigInt(text);
  if (unitMs !== 1) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) fail(invalid);
    when *= 1000n;
  }
  if (when > INT64_MAX - BigInt(base)) fail(invalid);
  return exactTime(when + BigInt(base));
}

/** A bigint time as an `ExpireTime`: a number when that is exact, else the bigint itself. */
export function exactTime(time: bigint): ExpireTime {
  const number = Number(time);
  return Number.isSafeInteger(number) ? number : time;
}

/**
 * The key's absolute expiry exactly: a number in the common case, a bigint for a time past 2^53 ms (read from the
 * store's `getExpireExact` only then). Undefined when the key has no TTL or does not exist.
 */
export function expireOf(db: Database, key: Bytes): ExpireTime | undefined {
  const at = db.getExpire(key);
  if (at === undefined || Number.isSafeInteger(at)) return at;
  const exact = db.getExpireExact?.(key);
  return exact === undefined ? at : exactTime(exact);
}
