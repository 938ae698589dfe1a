/**
 * ZPOPMIN, ZPOPMAX, ZMPOP and ZRANDMEMBER (Redis 7.0's genericZpopCommand and zrandmemberCommand). `popScored` and
 * `zpopReply` are the pop core the blocking variants (BZPOPMIN, BZPOPMAX, BZMPOP) reuse.
 */
import { EMPTY_ARRAY, NULL_ARRAY, RespDouble, type RespValue } from '@mini-redis/protocol';
import type { ScoredMember, SortedSetValue } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import { parseInteger } from '../../format.js';
import { fail, NOT_INTEGER, SYNTAX_ERROR } from '../errors.js';
import { MAX_REPLY } from '../sets/sets-members.js';
import { scoredReply } from './zset-parse.js';

export type PopWhere = 'min' | 'max';

/**
 * Pops up to `count` members from the low (min) or high (max) end of the zset at `key`, with Redis's events
 * (`zpopmin`/`zpopmax`, then `del` when emptied). The key must hold a zset.
 */
export function popScored(ctx: CommandContext, key: string, zset: SortedSetValue, where: PopWhere, count: number): ScoredMember[] {
  const length = zset.size;
  const take = Math.min(count, length);
  if (take === 0) return [];
  const items = zset.rangeByRank(0, take - 1, where === 'max');
  for (const item of items) zset.delete(item.member);
  const db = ctx.db;
  const event = where === 'min' ? 'zpopmin' : 'zpopmax';
  db.touch(key, event);
  ctx.server.notify('z', event, key, db.index);
  if (zset.size === 0) ctx.server.notify('g', 'del', key, db.index);
  return items;
}

/** Flat [member, score, ...] (scores as doubles: bulk strings in RESP2). */
export function flatScored(items: readonly ScoredMember[]): RespValue[] {
  const reply: RespValue[] = [];
  for (const item of items) reply.push(item.member, new RespDouble(item.score));
  return reply;
}

/** Nested [[member, score], ...]. */
export function nestedScored(items: readonly ScoredMember[]): RespValue[] {
  return items.map((item) => [item.member, new RespDouble(item.score)]);
}

/** SPOP-style count (getPositiveLongFromObjectOrReply with Redis's message for every failure). */
function positiveCount(text: string): number {
  const count = parseInteger(text);
  if (count === undefined || count < 0) fail('ERR value is out of range, must be positive');
  return count;
}

function zpopGeneric(where: PopWhere) {
  return (ctx: CommandContext, args: string[]): Reply => {
    if (args.length > 3) fail(SYNTAX_ERROR);
    const count = args.length === 3 ? positiveCount(args[2]!) : -1;
    const key = args[1]!;
    const zset = ctx.db.getTyped(key, 'zset');
    if (zset === undefined || count === 0) return EMPTY_ARRAY;
    const items = popScored(ctx, key, zset, where, count === -1 ? 1 : count);
    return ctx.protocol === 3 && count !== -1 ? nestedScored(items) : flatScored(items);
  };
}

export const zpopmin = zpopGeneric('min');
export const zpopmax = zpopGeneric('max');

/** ZMPOP's arguments after numkeys: MIN|MAX [COUNT count]; returns the keys, where and count. */
export function parseMpop(args: readonly string[], numkeysAt: number): { keys: string[]; where: PopWhere; count: number } {
  const numkeys = parseInteger(args[numkeysAt]!);
  if (numkeys === undefined || numkeys < 1) fail('ERR numkeys should be greater than 0');
  const whereAt = numkeysAt + numkeys + 1;
  if (whereAt >= args.length) fail(SYNTAX_ERROR);
  const whereText = args[whereAt]!.toLowerCase();
  if (whereText !== 'min' && whereText !== 'max') fail(SYNTAX_ERROR);
  let count = -1;
  for (let index = whereAt + 1; index < args.length; index++) {
    const more = args.length - 1 - index;
    if (count === -1 && args[index]!.toLowerCase() === 'count' && more > 0) {
      const value = parseInteger(args[++index]!);
      if (value === undefined || value < 1) fail('ERR count should be greater than 0');
      count = value;
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  return { keys: args.slice(numkeysAt + 1, whereAt), where: whereText, count: count === -1 ? 1 : count };
}

/** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: [key, [[member, score], ...]] or a null array. */
export function zmpop(ctx: CommandContext, args: string[]): Reply {
  const { keys, where, count } = parseMpop(args, 1);
  for (const key of keys) {
    const zset = ctx.db.getTyped(key, 'zset');
    if (zset === undefined) continue;
    return [key, nestedScored(popScored(ctx, key, zset, where, count))];
  }
  return NULL_ARRAY;
}

const LONG_MAX_HALF = 4611686018427387903;

/** ZRANDMEMBER key [count [WITHSCORES]]. */
export function zrandmember(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  if (args.length === 2) {
    const zset = ctx.db.getTyped(key, 'zset');
    if (zset === undefined) return null;
    return zset.rangeByRank(...pick(zset.size))[0]!.member;
  }
  const text = args[2]!;
  const count = parseInteger(text);
  if (count === undefined) fail(NOT_INTEGER);
  if (text === '-9223372036854775808') {
    fail('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  }
  if (args.length > 4 || (args.length === 4 && args[3]!.toLowerCase() !== 'withscores')) fail(SYNTAX_ERROR);
  const withScores = args.length === 4;
  // LONG_MAX/2 as a double rounds up to 2^62, so compare the exact text's magnitude.
  if (withScores && (count >= LONG_MAX_HALF || count <= -LONG_MAX_HALF)) {
    const big = BigInt(text);
    if (big > 4611686018427387903n || big < -4611686018427387903n) fail('ERR value is out of range');
  }
  const zset = ctx.db.getTyped(key, 'zset');
  if (zset === undefined || count === 0) return EMPTY_ARRAY;
  const size = zset.size;
  let items: ScoredMember[];
  if (count < 0) {
    if (count < -MAX_REPLY) fail('ERR value is out of range');
    const all = zset.rangeByRank(0, size - 1);
    items = new Array<ScoredMember>(-count);
    for (let index = 0; index < items.length; index++) items[index] = all[Math.floor(Math.random() * size)]!;
  } else if (count >= size) {
    items = zset.rangeByRank(0, size - 1);
  } else {
    const all = zset.rangeByRank(0, size - 1);
    for (let index = 0; index < count; index++) {
      const chosen = index + Math.floor(Math.random() * (size - index));
      const item = all[chosen]!;
      all[chosen] = all[index]!;
      all[index] = item;
    }
    items = all.slice(0, count);
  }
  return scoredReply(ctx, items, withScores);
}

/** A random rank as a one-member rank range. */
function pick(size: number): [number, number] {
  const rank = Math.floor(Math.random() * size);
  return [rank, rank];
}
