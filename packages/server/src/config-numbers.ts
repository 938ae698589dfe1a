// CONFIG SET's number parsing as config.c does it: string2ll, memtoull, strtoll (decimal and octal), strtod, and the
// numeric parameter types (numericParseString + numericBoundaryCheck + numericConfigGet).
import { INT64_MAX, INT64_MIN } from './int64.js';

/** What a check returns: Redis's error text (without 'ERR') or the value to store. */
export type CheckResult = { error: string } | { value: string };

const LLONG_MIN = INT64_MIN;
const LLONG_MAX = INT64_MAX;
const U64 = 18446744073709551616n;

/** Redis's string2ll: an optional '-', then `0` or digits without a leading zero, within a long long. */
export function string2ll(value: string): bigint | undefined {
  if (!/^-?(0|[1-9]\d*)$/.test(value) || value === '-0' || value.length > 20) return undefined;
  const number = BigInt(value);
  return number < LLONG_MIN || number > LLONG_MAX ? undefined : number;
}

/** A 64-bit pattern read as the signed long long C would see. */
const signed64 = (value: bigint): bigint => BigInt.asIntN(64, value);

const MEMORY_UNITS: Readonly<Record<string, bigint>> = {
  '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n,
};

/**
 * Redis's memtoull: digits then an optional unit (b, k, kb, m, mb, g, gb, any case); no sign. As in C, no digits read
 * as 0, an overflowing number saturates (strtoull) and the product wraps modulo 2^64.
 */
export function memtoull(value: string): bigint | undefined {
  const match = /^(\d*)(.*)$/s.exec(value)!;
  const unit = MEMORY_UNITS[match[2]!.toLowerCase()];
  if (value.startsWith('-') || unit === undefined || match[1]!.length >= 128) return undefined;
  let number = match[1] === '' ? 0n : BigInt(match[1]!);
  if (number >= U64) number = U64 - 1n;
  return (number * unit) % U64;
}

/** strtoll(value, &end, 8) with `*end == '\0'` and no ERANGE, as Redis reads an octal parameter. */
function strtollOctal(value: string): bigint | undefined {
  const match = /^[\t\n\v\f\r ]*([+-]?)([0-7]*)$/.exec(value);
  if (!match) return undefined;
  if (match[2] === '') return value === '' ? 0n : undefined;
  const number = BigInt('0o' + match[2]) * (match[1] === '-' ? -1n : 1n);
  return number < LLONG_MIN || number > LLONG_MAX ? undefined : number;
}

export interface NumericType {
  readonly min: bigint;
  readonly max: bigint;
  readonly unsigned: boolean;
  readonly memory: boolean;
  readonly percent: boolean;
  readonly octal: boolean;
}

/** numericParseString + numericBoundaryCheck + numericConfigGet of config.c: the stored text or Redis's error. */
export const numeric = (type: NumericType) => (value: string): CheckResult => {
  let parsed: bigint | undefined;
  if (type.memory) {
    const bytes = memtoull(value);
    if (bytes !== undefined) parsed = signed64(bytes);
  }
  if (parsed === undefined && type.percent && value.length > 1 && value.endsWith('%')) {
    const percent = string2ll(value.slice(0, -1));
    if (percent !== undefined && percent >= 0n) parsed = -percent;
  }
  if (parsed === undefined && type.octal) parsed = strtollOctal(value);
  if (parsed === undefined && !type.memory && !type.percent && !type.octal) parsed = string2ll(value);
  if (parsed === undefined) {
    if (type.memory && type.percent) return { error: 'argument must be a memory or percent value' };
    if (type.memory) return { error: 'argument must be a memory value' };
    if (type.octal) return { error: "argument couldn't be parsed as an octal number" };
    return { error: "argument couldn't be parsed into an integer" };
  }
  if (type.unsigned) {
    const unsigned = BigInt.asUintN(64, parsed);
    if (unsigned > type.max || unsigned < type.min) {
      const show = (bound: bigint) => bound.toString(type.octal ? 8 : 10);
      return { error: `argument must be between ${show(type.min)} and ${show(type.max)} inclusive` };
    }
  } else if (type.percent && parsed < 0n) {
    if (parsed < type.min) return { error: `percentage argument must be less or equal to ${-type.min}` };
  } else if (parsed > type.max || parsed < type.min) {
    return { error: `argument must be between ${type.min} and ${type.max} inclusive` };
  }
  if (type.percent && parsed < 0n) return { value: `${-parsed}%` };
  if (type.memory) return { value: String(BigInt.asUintN(64, parsed)) };
  if (type.octal) return { value: parsed.toString(8) };
  return { value: String(parsed) };
};

/** strtoll(text, &end, 10) with `*end == '\0'` (no range check): the number, or undefined. */
export function strtollDecimal(text: string): number | undefined {
  const match = /^[\t\n\v\f\r ]*([+-]?\d*)$/.exec(text);
  if (!match) return undefined;
  const digits = match[1]!.replace(/^[+-]/, '');
  if (digits === '') return text === '' ? 0 : undefined;
  return Number(match[1]!);
}

/** strtod with the whole text consumed: decimal or hex floats, inf, nan (leading spaces allowed). */
export function strtod(text: string): number | undefined {
  const body = text.replace(/^[\t\n\v\f\r ]+/, '');
  if (/^[+-]?(inf|infinity)$/i.test(body)) return body.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(body)) return NaN;
  if (/^[+-]?0x[0-9a-f]+$/i.test(body)) return (body.startsWith('-') ? -1 : 1) * parseInt(body.replace(/^[+-]/, ''), 16);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(body)) return undefined;
  return Number(body);
}
