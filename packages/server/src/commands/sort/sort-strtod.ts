/**
 * What SORT's numeric mode accepts as a score: C's strtod over the value up to its first NUL byte, rejected when
 * characters remain, on ERANGE (overflow, underflow) or NaN. Leading whitespace, hex, inf/infinity are accepted,
 * and the empty string is 0 (strtod converts nothing and stops on the terminator).
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const HEX = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i;

/** The score, or undefined when SORT reports "One or more scores can't be converted into double". */
export function sortScore(value: string): number | undefined {
  const nul = value.indexOf('\0');
  let text = nul === -1 ? value : value.slice(0, nul);
  if (text.length === 0) return 0;
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  if (start === text.length) return undefined;
  text = text.slice(start);
  const lower = text.toLowerCase();
  const unsigned = lower.startsWith('+') || lower.startsWith('-') ? lower.slice(1) : lower;
  if (unsigned === 'inf' || unsigned === 'infinity') return lower.startsWith('-') ? -Infinity : Infinity;
  if (unsigned.startsWith('nan')) return undefined;
  if (DECIMAL.test(text)) {
    const result = Number(text);
    if (!Number.isFinite(result)) return undefined;
    if (result === 0 ? /[1-9]/.test(text.replace(/e.*$/i, '')) : Math.abs(result) < 2.2250738585072014e-308) return undefined;
    return result;
  }
  const hex = HEX.exec(text);
  if (hex && (hex[2]!.length > 0 || (hex[3] ?? '').length > 0)) {
    const digits = hex[2]! + (hex[3] ?? '');
    let result = 0;
    for (const digit of digits) result = result * 16 + parseInt(digit, 16);
    result *= 2 ** (Number(hex[4] ?? '0') - 4 * (hex[3] ?? '').length);
    if (!Number.isFinite(result)) return undefined;
    return hex[1] === '-' ? -result : result;
  }
  return undefined;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}
