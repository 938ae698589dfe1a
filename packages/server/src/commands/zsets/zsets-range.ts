/**
 * ZRANGE and its older forms (ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX) and
 * ZRANGESTORE, parsed as Redis 7.0's zrangeGenericCommand: options first (with its conflict errors), then the range,
 * then the key.
 */
import { EMPTY_ARRAY } from '@mini-redis/protocol';
import type { ScoredMember, SortedSetValue } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import { fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import { lexSelect } from './zset-lex.js';
import { buildStoredZset, emptyScoreRange, parseLexRange, parseScoreRange, scoredReply } from './zset-parse.js';

type RangeType = 'auto' | 'rank' | 'score' | 'lex';
type Direction = 'auto' | 'forward' | 'reverse';

/** The members a range selects (with their scores), in reply order. */
function selectRange(
  zset: SortedSetValue,
  type: RangeType,
  reverse: boolean,
  minText: string,
  maxText: string,
  offset: number,
  limit: number,
  parsed: { start: number; end: number; score?: ReturnType<typeof parseScoreRange>; lex?: ReturnType<typeof parseLexRange> },
): ScoredMember[] {
  void minText;
  void maxText;
  if (type === 'rank') {
    const length = zset.size;
    let { start, end } = parsed;
    if (start < 0) start += length;
    if (end < 0) end += length;
    if (start < 0) start = 0;
    if (start > end || start >= length) return [];
    if (end >= length) end = length - 1;
    return zset.rangeByRank(start, end, reverse);
  }
  if (offset > 0 && offset >= zset.size) return [];
  if (offset < 0) return [];
  if (type === 'score') {
    const range = parsed.score!;
    if (emptyScoreRange(range)) return [];
    return zset.rangeByScore(range.min, range.max, reverse, offset, limit);
  }
  return lexSelect(zset, parsed.lex!, reverse, offset, limit);
}

/**
 * zrangeGenericCommand: `at` is the source key's index; `store` the destination key (ZRANGESTORE); `type` and
 * `direction` preset by the older commands.
 */
function zrangeGeneric(
  ctx: CommandContext,
  args: string[],
  at: number,
  store: string | undefined,
  presetType: RangeType,
  presetDirection: Direction,
): Reply {
  let type = presetType;
  let direction = presetDirection;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let index = at + 3; index < args.length; index++) {
    const option = args[index]!.toLowerCase();
    const left = args.length - index - 1;
    if (store === undefined && option === 'withscores') {
      withScores = true;
    } else if (option === 'limit' && left >= 2) {
      offset = integerArg(args[index + 1]!);
      limit = integerArg(args[index + 2]!);
      index += 2;
    } else if (direction === 'auto' && option === 'rev') {
      direction = 'reverse';
    } else if (type === 'auto' && option === 'bylex') {
      type = 'lex';
    } else if (type === 'auto' && option === 'byscore') {
      type = 'score';
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  if (type === 'auto') type = 'rank';
  const reverse = direction === 'reverse';
  if (limit !== -1 && type === 'rank') {
    fail('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withScores && type === 'lex') fail('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  let minText = args[at + 1]!;
  let maxText = args[at + 2]!;
  if (reverse && type !== 'rank') [minText, maxText] = [maxText, minText];
  const parsed: Parameters<typeof selectRange>[7] = { start: 0, end: 0 };
  if (type === 'rank') {
    parsed.start = integerArg(minText);
    parsed.end = integerArg(maxText);
  } else if (type === 'score') {
    parsed.score = parseScoreRange(minText, maxText);
  } else {
    parsed.lex = parseLexRange(minText, maxText);
  }
  const db = ctx.db;
  const zset = db.getTyped(args[at]!, 'zset');
  const items = zset === undefined ? [] : selectRange(zset, type, reverse, minText, maxText, offset, limit, parsed);
  if (store !== undefined) return storeRange(ctx, store, items);
  if (items.length === 0) return EMPTY_ARRAY;
  return scoredReply(ctx, items, withScores);
}

/** ZRANGESTORE's result: the destination replaced (TTL cleared), or deleted when the range is empty. */
function storeRange(ctx: CommandContext, destination: string, items: readonly ScoredMember[]): Reply {
  const db = ctx.db;
  const server = ctx.server;
  if (items.length === 0) {
    if (db.delete(destination)) server.notify('g', 'del', destination, db.index);
    return 0;
  }
  const existed = db.has(destination);
  db.set(destination, buildStoredZset(ctx, items.map((item) => [item.member, item.score] as const)));
  server.notify('z', 'zrangestore', destination, db.index);
  if (!existed) server.signalKeyAsReady(db.index, destination);
  return items.length;
}

export const zrange = (ctx: CommandContext, args: string[]): Reply => zrangeGeneric(ctx, args, 1, undefined, 'auto', 'auto');
export const zrangestore = (ctx: CommandContext, args: string[]): Reply =>
  zrangeGeneric(ctx, args, 2, args[1]!, 'auto', 'auto');
export const zrevrange = (ctx: CommandContext, args: string[]): Reply =>
  zrangeGeneric(ctx, args, 1, undefined, 'rank', 'reverse');
export const zrangebyscore = (ctx: CommandContext, args: string[]): Reply =>
  zrangeGeneric(ctx, args, 1, undefined, 'score', 'forward');
export const zrevrangebyscore = (ctx: CommandContext, args: string[]): Reply =>
  zrangeGeneric(ctx, args, 1, undefined, 'score', 'reverse');
export const zrangebylex = (ctx: CommandContext, args: string[]): Reply =>
  zrangeGeneric(ctx, args, 1, undefined, 'lex', 'forward');
export const zrevrangebylex = (ctx: CommandContext, args: string[]): Reply =>
  zrangeGeneric(ctx, args, 1, undefined, 'lex', 'reverse');
