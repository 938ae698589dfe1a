/**
 * The absolute expiry time of an EXPIRE-style argument, with Redis's int64 arithmetic (expire.c / t_string.c): the
 * common case in plain numbers, BigInt only where a double could lose precision or int64 could overflow.
 */
import { INT64_MAX, INT64_MIN } from '../int64.js';
import { fail } from './errors.js';

/** Beyond this magnitude, `value * 1000 + base` could leave the exact double range: use BigInt. */
const FAST_LIMIT = 2 ** 42;

/**
 * `value` (the parsed integer of `text`) times `unitMs` (1 or 1000) plus `base` (now, for relative times), in ms;
 * throws `ERR invalid expire time in '<command>' command` when the int64 arithmetic would overflow.
 */
export function absoluteExpireMs(value: number, text: string, unitMs: 1 | 1000, base: number, command: string): number {
  if (value < FAST_LIMIT && value > -FAST_LIMIT) return value * unitMs + base;
  const invalid = `ERR invalid expire time in '${command}' command`;
  let when = BigInt(text);
  if (unitMs !== 1) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) fail(invalid);
    when *= 1000n;
  }
  if (when > INT64_MAX - BigInt(base)) fail(invalid);
  return Number(when + BigInt(base));
}
