/**
 * Sorted-set argument parsing and reply shapes (Redis 7.0's t_zset.c and util.c): scores as getDoubleFromObject reads
 * them (whole argument, strtod syntax with hex floats, no overflow, no NaN), range bounds as zslParseRange reads them
 * (strtod over the C string: leading spaces allowed, a NUL ends it, overflow gives inf), lex bounds as
 * zslParseLexRangeItem, and scored replies: flat member/score arrays in RESP2, [member, double] pairs in RESP3.
 */
import { RespDouble, type RespValue } from '@mini-redis/protocol';
import { createSortedSet, type LexBound, type ScoreBound, type ScoredMember, type SortedSetValue } from '@mini-redis/store';
import type { CommandContext } from '../../context.js';
import { cString, fail, NOT_FLOAT } from '../errors.js';
import { isPromoted, promoteEncoding } from '../encoding.js';

/** Plain short decimals (the common case), which Number() reads exactly as strtod. */
const SIMPLE = /^-?\d{1,15}(\.\d{1,15})?$/;
const DECIMAL = /^([+-]?)(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i;
const HEX = /^([+-]?)0x([0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(p[+-]?\d+)?/i;
const SPECIAL = /^([+-]?)(infinity|inf|nan(\([0-9a-z_]*\))?)/i;

/** strtod: the value and how many chars it read (0 when nothing parses); `overflow` for ERANGE. */
function strtod(text: string): { value: number; length: number; overflow: boolean; underflow: boolean } {
  let match = HEX.exec(text);
  if (match !== null) {
    const [whole, sign, body, exponentPart] = match as unknown as [string, string, string, string | undefined];
    const dot = body.indexOf('.');
    const digits = dot === -1 ? body : body.slice(0, dot) + body.slice(dot + 1);
    const fraction = dot === -1 ? 0 : body.length - dot - 1;
    const exponent = (exponentPart === undefined ? 0 : Number(exponentPart.slice(1))) - 4 * fraction;
    const mantissa = digits === '' ? 0 : Number(BigInt('0x' + digits));
    let value = mantissa === 0 ? 0 : mantissa * 2 ** exponent;
    if (!Number.isFinite(value) && mantissa !== 0) value = mantissa * 2 ** (exponent / 2) * 2 ** (exponent / 2);
    if (sign === '-') value = -value;
    return { value, length: whole.length, overflow: !Number.isFinite(value), underflow: value === 0 && mantissa !== 0 };
  }
  match = SPECIAL.exec(text);
  if (match !== null) {
    const lower = match[2]!.toLowerCase();
    const value = lower.startsWith('nan') ? NaN : match[1] === '-' ? -Infinity : Infinity;
    return { value, length: match[0].length, overflow: false, underflow: false };
  }
  match = DECIMAL.exec(text);
  if (match === null) return { value: 0, length: 0, overflow: false, underflow: false };
  const value = Number(match[0]);
  const nonZero = /[1-9]/.test(match[2]!);
  return { value, length: match[0].length, overflow: !Number.isFinite(value), underflow: value === 0 && nonZero };
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** `-?\d{1,15}` read in one pass (exact: under 2^53), else undefined. */
function shortInteger(text: string): number | undefined {
  const length = text.length;
  if (length === 0) return undefined;
  const negative = text.charCodeAt(0) === 0x2d;
  let index = negative ? 1 : 0;
  if (index === length || length - index > 15) return undefined;
  let value = 0;
  for (; index < length; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/** getDoubleFromObject: the whole argument is a double, no leading space, no overflow/underflow to 0, not NaN. */
export function parseDouble(text: string, message: string = NOT_FLOAT): number {
  const integer = shortInteger(text);
  if (integer !== undefined) return integer;
  if (SIMPLE.test(text)) return Number(text);
  if (text.length === 0 || isSpace(text.charCodeAt(0))) fail(message);
  const result = strtod(text);
  if (result.length !== text.length || result.overflow || result.underflow || Number.isNaN(result.value)) fail(message);
  return result.value;
}

/** A zslParseRange bound: strtod over the C string (leading spaces skipped), all of it, not NaN; undefined if bad. */
function rangeDouble(text: string): number | undefined {
  if (SIMPLE.test(text)) return Number(text);
  // No conversion leaves strtod's end at the start: valid only for the empty string (which reads as 0).
  if (text.length === 0) return 0;
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  const rest = text.slice(start);
  const result = strtod(rest);
  if (result.length === 0 || result.length !== rest.length || Number.isNaN(result.value)) return undefined;
  return result.value;
}

const PLUS_INF: ScoreBound = { value: Infinity, exclusive: false };
const MINUS_INF: ScoreBound = { value: -Infinity, exclusive: false };

function scoreBound(text: string): ScoreBound | undefined {
  if (text === '+inf') return PLUS_INF;
  if (text === '-inf') return MINUS_INF;
  const c = cString(text);
  if (c.charCodeAt(0) === 40) {
    const value = rangeDouble(c.slice(1));
    return value === undefined ? undefined : { value, exclusive: true };
  }
  const value = rangeDouble(c);
  return value === undefined ? undefined : { value, exclusive: false };
}

export interface ScoreRange {
  readonly min: ScoreBound;
  readonly max: ScoreBound;
}

/** zslParseRange, or 'ERR min or max is not a float'. */
export function parseScoreRange(minText: string, maxText: string): ScoreRange {
  const min = scoreBound(minText);
  const max = scoreBound(maxText);
  if (min === undefined || max === undefined) fail('ERR min or max is not a float');
  return { min, max };
}

/** True when no score can be in the range (zslIsInRange's first test). */
export function emptyScoreRange(range: ScoreRange): boolean {
  const { min, max } = range;
  return min.value > max.value || (min.value === max.value && (min.exclusive || max.exclusive));
}

function lexBound(text: string): LexBound | undefined {
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) return cString(text).length === 1 ? (first === 43 ? '+' : '-') : undefined;
  if (first === 40) return { value: text.slice(1), exclusive: true };
  if (first === 91) return { value: text.slice(1), exclusive: false };
  return undefined;
}

export interface LexRange {
  readonly min: LexBound;
  readonly max: LexBound;
}

/** zslParseLexRange, or 'ERR min or max not valid string range item'. */
export function parseLexRange(minText: string, maxText: string): LexRange {
  const min = lexBound(minText);
  const max = lexBound(maxText);
  if (min === undefined || max === undefined) fail('ERR min or max not valid string range item');
  return { min, max };
}

/** True when no member can be in the lex range. */
export function emptyLexRange(range: LexRange): boolean {
  const { min, max } = range;
  if (min === '+' || max === '-') return true;
  if (min === '-' || max === '+') return false;
  return min.value > max.value || (min.value === max.value && (min.exclusive || max.exclusive));
}

/** Members (and scores): RESP2 a flat array, RESP3 [member, double] pairs with scores. */
export function scoredReply(ctx: CommandContext, items: readonly ScoredMember[], withScores: boolean): RespValue[] {
  const reply: RespValue[] = [];
  if (!withScores) {
    for (const item of items) reply.push(item.member);
  } else if (ctx.protocol === 3) {
    for (const item of items) reply.push([item.member, new RespDouble(item.score)]);
  } else {
    for (const item of items) reply.push(item.member, new RespDouble(item.score));
  }
  return reply;
}

/** zset-max-listpack-entries / -value from the config. */
export function listpackLimits(ctx: CommandContext): { entries: number; value: number } {
  const config = ctx.server.config;
  return { entries: config.number('zset-max-listpack-entries'), value: config.number('zset-max-listpack-value') };
}

/** After adding `member`: converts (for good) to skiplist past the listpack limits, as zsetAdd does. */
export function checkZsetEncoding(ctx: CommandContext, zset: SortedSetValue, longestAdded: number): void {
  if (isPromoted(zset)) return;
  const limits = listpackLimits(ctx);
  if (zset.size > limits.entries || longestAdded > limits.value) promoteEncoding(zset);
}

/**
 * A *STORE result as Redis stores it: listpack when it fits the limits, where a -0 score is kept as the integer 0
 * (zzlInsertAt's double2ll), else skiplist (promoted), where -0 stays -0.
 */
export function buildStoredZset(ctx: CommandContext, entries: Iterable<readonly [string, number]>): SortedSetValue {
  const list = Array.from(entries);
  const limits = listpackLimits(ctx);
  let fits = list.length <= limits.entries;
  if (fits) for (const [member] of list) if (member.length > limits.value) {
    fits = false;
    break;
  }
  const zset = createSortedSet();
  for (const [member, score] of list) zset.add(member, fits && score === 0 ? 0 : score);
  if (!fits) promoteEncoding(zset);
  return zset;
}
