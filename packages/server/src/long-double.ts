/**
 * C `long double` arithmetic as Redis's INCRBYFLOAT does it on x86-64: the x87 80-bit extended format (64-bit
 * mantissa with an explicit integer bit, exponents down to 2^-16445 with denormals). Parsing follows glibc's
 * `strtold` under Redis's `string2ld` checks, the sum rounds to nearest-even, and printing is `%.17Lf` with
 * trailing zeros trimmed (`ld2string` in LD_STR_HUMAN mode). Exact throughout, with BigInt rationals.
 */

/** A finite extended value: (-1)^negative * mantissa * 2^exponent, with mantissa < 2^64 (0n for zero). */
export interface LongDouble {
  readonly negative: boolean;
  readonly mantissa: bigint;
  readonly exponent: number;
}

/** What parsing a float argument gives: a finite value, an infinity, or undefined when Redis rejects the text. */
export type ParsedLongDouble = LongDouble | typeof Infinity | typeof Number.NEGATIVE_INFINITY;

const MANTISSA_BITS = 64;
const MIN_EXPONENT = -16445; // exponent of the smallest denormal, 2^-16445
const MAX_EXPONENT = 16383 - 63; // largest finite: (2^64 - 1) * 2^16320
const TWO_63 = 1n << 63n;
const TWO_64 = 1n << 64n;
/** Redis's MAX_LONG_DOUBLE_CHARS: string2ld refuses texts this long or longer. */
const MAX_CHARS = 5 * 1024;

const DECIMAL = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?)(\d+))?$/;
const HEX = /^([+-]?)0[xX](?:([0-9a-fA-F]+)\.?([0-9a-fA-F]*)|\.([0-9a-fA-F]+))(?:[pP]([+-]?)(\d+))?$/;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;

/**
 * Parses a value as Redis's `string2ld` accepts it: the text must be a `strtold`
 * number (decimal, hexadecimal, `inf`/`infinity`) using the whole text, with no leading space, not NaN, not overflowing and not
 * underflowing to zero. Returns undefined when Redis would answer "value is not a valid float".
 */
export function parseLongDouble(text: string): ParsedLongDouble | undefined {
  if (text.length === 0 || text.length >= MAX_CHARS) return undefined;
  if (text.indexOf('\0') !== -1) return undefined; // strtold would stop there, short of the whole text
  const body = text;
  let match = DECIMAL.exec(body);
  if (match !== null) {
    const negative = match[1] === '-';
    const integerDigits = match[2] ?? '';
    const fractionDigits = match[3] ?? match[4] ?? '';
    const exponent = readExponent(match[5], match[6]);
    return decimalValue(negative, integerDigits + fractionDigits, exponent - fractionDigits.length);
  }
  match = HEX.exec(body);
  if (match !== null) {
    const negative = match[1] === '-';
    const integerDigits = match[2] ?? '';
    const fractionDigits = match[3] ?? match[4] ?? '';
    const exponent = readExponent(match[5], match[6]);
    return hexValue(negative, integerDigits + fractionDigits, exponent - 4 * fractionDigits.length);
  }
  match = INFINITY.exec(body);
  if (match !== null) return match[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

const ZERO: LongDouble = { negative: false, mantissa: 0n, exponent: 0 };

/** A decimal exponent, saturated far outside the range any finite value needs. */
function readExponent(sign: string | undefined, digits: string | undefined): number {
  if (digits === undefined) return 0;
  const trimmed = digits.replace(/^0+/, '');
  const magnitude = trimmed.length > 9 ? 1e9 : Number(trimmed);
  return sign === '-' ? -magnitude : magnitude;
}

function decimalValue(negative: boolean, digits: string, power: number): LongDouble | undefined {
  const significant = digits.replace(/^0+/, '');
  if (significant.length === 0) return { negative, mantissa: 0n, exponent: 0 };
  const magnitude = significant.length + power; // value < 10^magnitude
  if (magnitude > 4940) return undefined; // overflow: strtold gives HUGE_VALL with ERANGE
  if (magnitude < -4960) return undefined; // underflow to zero with ERANGE
  const integer = BigInt(significant);
  const rounded =
    power >= 0 ? round(negative, integer * 10n ** BigInt(power), 1n, 0) : round(negative, integer, 10n ** BigInt(-power), 0);
  return rounded === undefined || rounded.mantissa === 0n ? undefined : rounded;
}

function hexValue(negative: boolean, digits: string, power: number): LongDouble | undefined {
  const significant = digits.replace(/^0+/, '');
  if (significant.length === 0) return { negative, mantissa: 0n, exponent: 0 };
  const magnitude = significant.length * 4 + power;
  if (magnitude > 16400) return undefined;
  if (magnitude < -16500) return undefined;
  const rounded = round(negative, BigInt('0x' + significant), 1n, power);
  return rounded === undefined || rounded.mantissa === 0n ? undefined : rounded;
}

function bitLength(value: bigint): number {
  return value.toString(2).length;
}

/**
 * Rounds numerator / denominator * 2^power (both positive) to the nearest extended value, ties to even.
 * Returns undefined on overflow.
 */
function round(negative: boolean, numerator: bigint, denominator: bigint, power: number): LongDouble | undefined {
  // Choose the exponent e so that the quotient numerator / denominator * 2^(power - e) has 64 bits.
  let exponent = power + bitLength(numerator) - bitLength(denominator) - MANTISSA_BITS;
  let quotient = scaledQuotient(numerator, denominator, power - exponent);
  if (quotient.value >= TWO_64) {
    exponent++;
    quotient = scaledQuotient(numerator, denominator, power - exponent);
  } else if (quotient.value < TWO_63) {
    exponent--;
    quotient = scaledQuotient(numerator, denominator, power - exponent);
  }
  if (exponent < MIN_EXPONENT) {
    exponent = MIN_EXPONENT;
    quotient = scaledQuotient(numerator, denominator, power - exponent);
  }
  let mantissa = quotient.value;
  const twiceRemainder = quotient.remainder * 2n;
  if (twiceRemainder > quotient.divisor || (twiceRemainder === quotient.divisor && (mantissa & 1n) === 1n)) {
    mantissa++;
    if (mantissa === TWO_64) {
      mantissa = TWO_63;
      exponent++;
    }
  }
  if (exponent > MAX_EXPONENT) return undefined;
  return { negative, mantissa, exponent };
}

/** floor(numerator * 2^shift / denominator), with the remainder and the divisor it is relative to. */
function scaledQuotient(
  numerator: bigint,
  denominator: bigint,
  shift: number,
): { value: bigint; remainder: bigint; divisor: bigint } {
  const top = shift >= 0 ? numerator << BigInt(shift) : numerator;
  const divisor = shift >= 0 ? denominator : denominator << BigInt(-shift);
  const value = top / divisor;
  return { value, remainder: top - value * divisor, divisor };
}

/** The correctly rounded sum (x87 FADD, round to nearest-even); undefined when it overflows to infinity. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | undefined {
  if (a.mantissa === 0n) return b.mantissa === 0n ? { ...b, negative: a.negative && b.negative } : b;
  if (b.mantissa === 0n) return a;
  const exponent = Math.min(a.exponent, b.exponent);
  const termA = (a.mantissa << BigInt(a.exponent - exponent)) * (a.negative ? -1n : 1n);
  const termB = (b.mantissa << BigInt(b.exponent - exponent)) * (b.negative ? -1n : 1n);
  const sum = termA + termB;
  if (sum === 0n) return ZERO;
  return round(sum < 0n, sum < 0n ? -sum : sum, 1n, exponent);
}

const FRACTION_DIGITS = 17;
const SCALE = 10n ** BigInt(FRACTION_DIGITS);

/** `%.17Lf` with trailing zeros (and a trailing point) removed, and "-0" printed as "0": Redis's human format. */
export function formatLongDouble(value: LongDouble): string {
  let scaled: bigint;
  if (value.exponent >= 0) {
    scaled = (value.mantissa << BigInt(value.exponent)) * SCALE;
  } else {
    const shift = BigInt(-value.exponent);
    const product = value.mantissa * SCALE;
    scaled = product >> shift;
    const remainder = product - (scaled << shift);
    const half = 1n << (shift - 1n);
    if (remainder > half || (remainder === half && (scaled & 1n) === 1n)) scaled++;
  }
  const digits = scaled.toString().padStart(FRACTION_DIGITS + 1, '0');
  let text = digits.slice(0, -FRACTION_DIGITS) + '.' + digits.slice(-FRACTION_DIGITS);
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  text = text.slice(0, end);
  if (value.negative && text !== '0') text = '-' + text;
  return text;
}

/**
 * INCRBYFLOAT's arithmetic on two texts: the formatted sum, or 'invalid' when either text is not a valid float, or
 * 'nan-or-infinity' when the sum is not finite.
 */
export function incrementLongDouble(current: string, increment: string): string | 'invalid' | 'nan-or-infinity' {
  const value = parseLongDouble(current);
  if (value === undefined) return 'invalid';
  const delta = parseLongDouble(increment);
  if (delta === undefined) return 'invalid';
  if (typeof value === 'number' || typeof delta === 'number') return 'nan-or-infinity';
  const sum = addLongDouble(value, delta);
  return sum === undefined ? 'nan-or-infinity' : formatLongDouble(sum);
}
