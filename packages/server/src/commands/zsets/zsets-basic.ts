/**
 * Sorted-set commands on one key (Redis 7.0's t_zset.c): ZADD (NX/XX/GT/LT/CH/INCR), ZINCRBY, ZREM, ZCARD, ZSCORE,
 * ZMSCORE, ZRANK, ZREVRANK, ZCOUNT, ZLEXCOUNT and ZREMRANGEBYRANK/SCORE/LEX, with Redis's keyspace events.
 */
import { RespDouble, type RespValue } from '@mini-redis/protocol';
import { createSortedSet } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import { isPromoted } from '../encoding.js';
import { fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import {
  checkZsetEncoding,
  listpackLimits,
  emptyScoreRange,
  parseDouble,
  parseLexRange,
  parseScoreRange,
} from './zset-parse.js';
import { lexCount, lexSelect } from './zset-lex.js';

const NAN_ERROR = 'ERR resulting score is not a number (NaN)';

/** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]; ZINCRBY is ZADD INCR. */
function zaddGeneric(ctx: CommandContext, args: string[], incrbyForm: boolean): Reply {
  let nx = false, xx = false, gt = false, lt = false, ch = false, incr = incrbyForm;
  let index = 2;
  if (!incrbyForm) {
    for (; index < args.length; index++) {
      const arg = args[index]!;
      // Options are 2-4 letters; a score (a number, or inf/nan) usually is not: skip lower-casing it.
      const first = arg.charCodeAt(0) | 0x20;
      if (arg.length > 4 || first < 0x61 || first > 0x7a) break;
      const option = arg.toLowerCase();
      if (option === 'nx') nx = true;
      else if (option === 'xx') xx = true;
      else if (option === 'ch') ch = true;
      else if (option === 'incr') incr = true;
      else if (option === 'gt') gt = true;
      else if (option === 'lt') lt = true;
      else break;
    }
  }
  const elements = args.length - index;
  if (elements % 2 !== 0 || elements === 0) fail(SYNTAX_ERROR);
  if (nx && xx) fail('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) fail('ERR GT, LT, and/or NX options at the same time are not compatible');
  if (incr && elements > 2) fail('ERR INCR option supports a single increment-element pair');
  const scores: number[] = [];
  for (let at = index; at < args.length; at += 2) scores.push(parseDouble(args[at]!));
  const key = args[1]!;
  const db = ctx.db;
  let zset = db.getTyped(key, 'zset');
  let created = false;
  if (zset === undefined) {
    if (xx) return incr ? null : 0;
    zset = createSortedSet();
    db.set(key, zset);
    created = true;
  }
  let added = 0, updated = 0, processed = 0, longest = 0;
  // A listpack keeps an integral score as an integer (zzlInsertAt's double2ll), so -0 is stored as 0 there.
  const listpack = !isPromoted(zset);
  const limits = listpackLimits(ctx);
  let newScore = 0;
  for (let at = index, n = 0; at < args.length; at += 2, n++) {
    const member = args[at + 1]!;
    let score = scores[n]!;
    const current = zset.score(member);
    if (current !== undefined) {
      if (nx) continue;
      if (incr) {
        score += current;
        if (Number.isNaN(score)) {
          if (created) db.touch(key);
          fail(NAN_ERROR);
        }
      }
      if ((gt && score <= current) || (lt && score >= current)) continue;
      processed++;
      newScore = score;
      if (score !== current) {
        zset.add(member, listpack && score === 0 ? 0 : score);
        updated++;
      }
    } else {
      if (xx) continue;
      // zsetAdd converts *before* inserting a member that would overflow the listpack: then -0 stays -0.
      const staysListpack = listpack && zset.size + 1 <= limits.entries && member.length <= limits.value;
      zset.add(member, staysListpack && score === 0 ? 0 : score);
      if (member.length > longest) longest = member.length;
      added++;
      processed++;
      newScore = score;
    }
  }
  ctx.server.stats.dirty += added + updated;
  if (added !== 0) checkZsetEncoding(ctx, zset, longest);
  if (added !== 0 || updated !== 0) {
    const event = incr ? 'zincr' : 'zadd';
    db.touch(key, event);
    ctx.server.notify('z', event, key, db.index);
  } else if (created) {
    db.touch(key);
  }
  if (created && zset.size !== 0) ctx.server.signalKeyAsReady(db.index, key);
  if (incr) return processed !== 0 ? new RespDouble(newScore) : null;
  return ch ? added + updated : added;
}

export function zadd(ctx: CommandContext, args: string[]): Reply {
  return zaddGeneric(ctx, args, false);
}

/** ZINCRBY key increment member. */
export function zincrby(ctx: CommandContext, args: string[]): Reply {
  return zaddGeneric(ctx, args, true);
}

/** ZREM key member [member ...]. */
export function zrem(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const db = ctx.db;
  const zset = db.getTyped(key, 'zset');
  if (zset === undefined) return 0;
  let removed = 0;
  for (let index = 2; index < args.length; index++) {
    if (zset.delete(args[index]!)) {
      removed++;
      if (zset.size === 0) break;
    }
  }
  if (removed !== 0) {
    db.touch(key, 'zrem');
    ctx.server.notify('z', 'zrem', key, db.index);
    if (zset.size === 0) ctx.server.notify('g', 'del', key, db.index);
  }
  return removed;
}

export function zcard(ctx: CommandContext, args: string[]): Reply {
  return ctx.db.getTyped(args[1]!, 'zset')?.size ?? 0;
}

export function zscore(ctx: CommandContext, args: string[]): Reply {
  const score = ctx.db.getTyped(args[1]!, 'zset')?.score(args[2]!);
  return score === undefined ? null : new RespDouble(score);
}

export function zmscore(ctx: CommandContext, args: string[]): Reply {
  const zset = ctx.db.getTyped(args[1]!, 'zset');
  const reply: RespValue[] = [];
  for (let index = 2; index < args.length; index++) {
    const score = zset?.score(args[index]!);
    reply.push(score === undefined ? null : new RespDouble(score));
  }
  return reply;
}

function rankGeneric(ctx: CommandContext, args: string[], reverse: boolean): Reply {
  const zset = ctx.db.getTyped(args[1]!, 'zset');
  if (zset === undefined) return null;
  return zset.rank(args[2]!, reverse) ?? null;
}

export function zrank(ctx: CommandContext, args: string[]): Reply {
  return rankGeneric(ctx, args, false);
}

export function zrevrank(ctx: CommandContext, args: string[]): Reply {
  return rankGeneric(ctx, args, true);
}

/** ZCOUNT key min max. */
export function zcount(ctx: CommandContext, args: string[]): Reply {
  const range = parseScoreRange(args[2]!, args[3]!);
  const zset = ctx.db.getTyped(args[1]!, 'zset');
  if (zset === undefined || emptyScoreRange(range)) return 0;
  return zset.countByScore(range.min, range.max);
}

/** ZLEXCOUNT key min max. */
export function zlexcount(ctx: CommandContext, args: string[]): Reply {
  const range = parseLexRange(args[2]!, args[3]!);
  const zset = ctx.db.getTyped(args[1]!, 'zset');
  if (zset === undefined) return 0;
  return lexCount(zset, range);
}

type RemoveKind = 'rank' | 'score' | 'lex';

/** ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX key min max (zremrangeGenericCommand). */
function zremrange(kind: RemoveKind) {
  return (ctx: CommandContext, args: string[]): Reply => {
    const key = args[1]!;
    let start = 0, end = 0;
    let score: ReturnType<typeof parseScoreRange> | undefined;
    let lex: ReturnType<typeof parseLexRange> | undefined;
    if (kind === 'rank') {
      start = integerArg(args[2]!);
      end = integerArg(args[3]!);
    } else if (kind === 'score') {
      score = parseScoreRange(args[2]!, args[3]!);
    } else {
      lex = parseLexRange(args[2]!, args[3]!);
    }
    const db = ctx.db;
    const zset = db.getTyped(key, 'zset');
    if (zset === undefined) return 0;
    let members: string[];
    if (kind === 'rank') {
      const length = zset.size;
      if (start < 0) start += length;
      if (end < 0) end += length;
      if (start < 0) start = 0;
      if (start > end || start >= length) return 0;
      if (end >= length) end = length - 1;
      members = zset.rangeByRank(start, end).map((item) => item.member);
    } else if (score !== undefined) {
      members = emptyScoreRange(score) ? [] : zset.rangeByScore(score.min, score.max).map((item) => item.member);
    } else {
      members = lexSelect(zset, lex!).map((item) => item.member);
    }
    if (members.length === 0) return 0;
    for (const member of members) zset.delete(member);
    const event = `zremrangeby${kind}`;
    db.touch(key, event);
    ctx.server.notify('z', event, key, db.index);
    if (zset.size === 0) ctx.server.notify('g', 'del', key, db.index);
    return members.length;
  };
}

export const zremrangebyrank = zremrange('rank');
export const zremrangebyscore = zremrange('score');
export const zremrangebylex = zremrange('lex');
