/**
 * Lex ranges as Redis 7.0 walks them. Redis defines lex ranges only when all scores are equal; otherwise its answer
 * follows from how it walks the data. For a listpack-sized zset (up to 128 members) we walk as zzlFirstInLexRange /
 * zzlLastInLexRange do (first member in score order that passes the near bound, then on while the far bound holds),
 * so even mixed scores give Redis's bytes; larger zsets use the store's O(log n) lex search after the same
 * zslIsInLexRange test (Redis's skiplist walk is not deterministic there anyway). With equal scores both agree.
 */
import type { LexBound, ScoredMember, SortedSetValue } from '@mini-redis/store';
import { emptyLexRange, type LexRange } from './zset-parse.js';

const WALK_LIMIT = 128;

function gteMin(member: string, min: LexBound): boolean {
  if (min === '-') return true;
  if (min === '+') return false;
  return min.exclusive ? member > min.value : member >= min.value;
}

function lteMax(member: string, max: LexBound): boolean {
  if (max === '+') return true;
  if (max === '-') return false;
  return max.exclusive ? member < max.value : member <= max.value;
}

/** zslIsInLexRange / zzlIsInLexRange: false when the range cannot select anything. */
function inLexRange(zset: SortedSetValue, range: LexRange): boolean {
  if (emptyLexRange(range)) return false;
  const size = zset.size;
  if (size === 0) return false;
  const last = zset.rangeByRank(size - 1, size - 1)[0]!.member;
  if (!gteMin(last, range.min)) return false;
  const first = zset.rangeByRank(0, 0)[0]!.member;
  return lteMax(first, range.max);
}

/** The members a lex range selects, in reply order; LIMIT as Redis (negative offset: none; negative count: all). */
export function lexSelect(
  zset: SortedSetValue,
  range: LexRange,
  reverse = false,
  offset = 0,
  limit = -1,
): ScoredMember[] {
  if (offset < 0 || !inLexRange(zset, range)) return [];
  const size = zset.size;
  if (size > WALK_LIMIT) return zset.rangeByLex(range.min, range.max, reverse, offset, limit);
  const all = zset.rangeByRank(0, size - 1);
  const { min, max } = range;
  let index: number;
  if (!reverse) {
    index = all.findIndex((item) => gteMin(item.member, min));
    if (index === -1 || !lteMax(all[index]!.member, max)) return [];
  } else {
    index = size - 1;
    while (index >= 0 && !lteMax(all[index]!.member, max)) index--;
    if (index === -1 || !gteMin(all[index]!.member, min)) return [];
  }
  const step = reverse ? -1 : 1;
  // The offset is skipped without range checks, as Redis does.
  index += step * offset;
  const out: ScoredMember[] = [];
  for (let left = limit; index >= 0 && index < size && left !== 0; index += step, left--) {
    const item = all[index]!;
    if (reverse ? !gteMin(item.member, min) : !lteMax(item.member, max)) break;
    out.push(item);
  }
  return out;
}

/** ZLEXCOUNT's count. */
export function lexCount(zset: SortedSetValue, range: LexRange): number {
  if (!inLexRange(zset, range)) return 0;
  if (zset.size > WALK_LIMIT) return zset.countByLex(range.min, range.max);
  return lexSelect(zset, range).length;
}
