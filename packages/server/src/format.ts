/**
 * Number formatting exactly as Redis 7.0 prints it: doubles with C's `%.17g` (ZSCORE, RESP3 doubles), integers
 * parsed strictly as `string2ll` does, floats parsed as `strtold` accepts them.
 */
import { INT64_MAX, INT64_MIN } from './int64.js';

/** C's `%.17g` for a double, with Redis's `inf`, `-inf` and `nan`. */
export function formatDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  if (Number.isSafeInteger(value)) return String(value);
  const exponential = value.toExponential(16); // "-d.dddddddddddddddde+X", correctly rounded like printf
  const negative = exponential.charCodeAt(0) === 45;
  const ePos = exponential.indexOf('e');
  const digits = exponential.slice(negative ? 1 : 0, ePos).replace('.', '');
  const exponent = Number(exponential.slice(ePos + 1));
  let text: string;
  if (exponent < -4 || exponent >= 17) {
    const mantissa = stripZeros(digits[0] + '.' + digits.slice(1));
    const absExponent = Math.abs(exponent);
    text = `${mantissa}e${exponent < 0 ? '-' : '+'}${absExponent < 10 ? '0' : ''}${absExponent}`;
  } else if (exponent < 0) {
    text = stripZeros('0.' + '0'.repeat(-exponent - 1) + digits);
  } else {
    text = stripZeros(digits.slice(0, exponent + 1) + '.' + digits.slice(exponent + 1));
  }
  return negative ? '-' + text : text;
}

function stripZeros(text: string): string {
  if (text.indexOf('.') === -1) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  return text.slice(0, end);
}

/**
 * Parses a base-10 signed 64-bit integer exactly as Redis's string2ll: no spaces, no '+', no leading zeros, within
 * int64. Returns undefined when the text is not such an integer. Values beyond 2^53 come back as imprecise numbers;
 * use parseBigInteger where that matters.
 */
export function parseInteger(text: string): number | undefined {
  const length = text.length;
  if (length === 0 || length > 20) return undefined;
  let index = 0;
  let negative = false;
  if (text.charCodeAt(0) === 45) {
    negative = true;
    index = 1;
    if (length === 1) return undefined;
  }
  const first = text.charCodeAt(index);
  if (first === 48) return length === 1 ? 0 : undefined;
  if (first < 49 || first > 57) return undefined;
  let value = 0;
  for (; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return undefined;
    value = value * 10 + (code - 48);
  }
  if (value > 9007199254740991) {
    const big = BigInt(text);
    if (big > INT64_MAX || big < INT64_MIN) return undefined;
  }
  return negative ? -value : value;
}

/** As parseInteger, but exact over the whole int64 range. */
export function parseBigInteger(text: string): bigint | undefined {
  return parseInteger(text) === undefined ? undefined : BigInt(text);
}

/**
 * Parses a float as Redis's getDoubleFromObject / strtold accept it: decimal or exponent forms, `inf`, `-inf`,
 * `+inf`, `infinity` (any case); no surrounding spaces; not NaN. Returns undefined otherwise.
 */
export function parseFloatStrict(text: string): number | undefined {
  const length = text.length;
  if (length === 0) return undefined;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(length - 1);
  if (first === 32 || first === 9 || last === 32 || last === 9 || first === 10 || last === 10) return undefined;
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return undefined;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}
