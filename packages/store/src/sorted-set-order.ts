/**
 * The order both sorted-set implementations share (by score, then by member bytes: latin1 strings compare by char
 * code, which is memcmp order, so `<` on members is right) and the ZRANGEBYSCORE / ZRANGEBYLEX bound tests.
 */
import type { Bytes, LexBound, ScoreBound } from './types.js';

/** True when (score, member) sorts before (otherScore, otherMember). */
export function precedes(score: number, member: Bytes, otherScore: number, otherMember: Bytes): boolean {
  return score < otherScore || (score === otherScore && member < otherMember);
}

/** True when the score is at or above (above, when exclusive) the range's minimum. */
export function aboveMin(score: number, min: ScoreBound): boolean {
  return min.exclusive ? score > min.value : score >= min.value;
}

/** True when the score is at or below (below, when exclusive) the range's maximum. */
export function belowMax(score: number, max: ScoreBound): boolean {
  return max.exclusive ? score < max.value : score <= max.value;
}

/** True when the member is inside a lex range's lower bound. */
export function lexAboveMin(member: Bytes, min: LexBound): boolean {
  if (min === '-') return true;
  if (min === '+') return false;
  return min.exclusive ? member > min.value : member >= min.value;
}

/** True when the member is inside a lex range's upper bound. */
export function lexBelowMax(member: Bytes, max: LexBound): boolean {
  if (max === '+') return true;
  if (max === '-') return false;
  return max.exclusive ? member < max.value : member <= max.value;
}

/** A prefix predicate over the order: true for every key up to some point, false after it. */
export type Prefix = (score: number, member: Bytes) => boolean;

/** The prefix of members strictly below a lex range's lower bound. */
export function belowLexMin(min: LexBound): Prefix {
  if (min === '-') return () => false;
  if (min === '+') return () => true;
  const { value, exclusive } = min;
  return exclusive ? (_score, member) => member <= value : (_score, member) => member < value;
}

/** The prefix of members up to a lex range's upper bound. */
export function withinLexMax(max: LexBound): Prefix {
  if (max === '+') return () => true;
  if (max === '-') return () => false;
  const { value, exclusive } = max;
  return exclusive ? (_score, member) => member < value : (_score, member) => member <= value;
}
