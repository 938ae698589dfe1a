/**
 * The geo family (geo.c): points stored in a sorted set under their 52-bit geohash score. GEOADD, GEODIST, GEOHASH,
 * GEOPOS here; the searches in geo-search.ts.
 */
import { NULL_ARRAY } from '@mini-redis/protocol';
import { createSortedSet, type SortedSetValue } from '@mini-redis/store';
import type { CommandContext, CommandSpec, Reply } from '../../context.js';
import { promoteEncoding } from '../encoding.js';
import { fail, SYNTAX_ERROR } from '../errors.js';
import { longLatArgs, unitArg } from './geo-args.js';
import { coordinateReply, distanceReply } from './geo-format.js';
import { geoSearchCommands } from './geo-search.js';
import { decodeScore, distance, encode, encodeScore } from './geohash.js';

/** Promotes the zset's OBJECT ENCODING once it passes the listpack limits (zsetAdd's conversion). */
export function checkZsetEncoding(ctx: CommandContext, zset: SortedSetValue, member: string, created: boolean): void {
  const entries = ctx.server.config.number('zset-max-listpack-entries');
  const value = ctx.server.config.number('zset-max-listpack-value');
  if (created ? entries === 0 || member.length > value : zset.size + 1 > entries || member.length > value) {
    promoteEncoding(zset);
  }
}

function geoadd(ctx: CommandContext, args: string[]): Reply {
  let longIndex = 2;
  let nx = false;
  let xx = false;
  let ch = false;
  while (longIndex < args.length) {
    const option = args[longIndex]!.toLowerCase();
    if (option === 'nx') nx = true;
    else if (option === 'xx') xx = true;
    else if (option === 'ch') ch = true;
    else break;
    longIndex++;
  }
  if ((args.length - longIndex) % 3 !== 0 || (xx && nx)) fail(SYNTAX_ERROR);
  const pairs: Array<[number, string]> = [];
  for (let i = longIndex; i < args.length; i += 3) {
    const [x, y] = longLatArgs(args[i]!, args[i + 1]!);
    pairs.push([encodeScore(x, y), args[i + 2]!]);
  }
  if (pairs.length === 0) fail(SYNTAX_ERROR);
  const key = args[1]!;
  const db = ctx.db;
  let zset = db.getTyped(key, 'zset');
  let created = false;
  if (zset === undefined) {
    if (xx) return 0;
    zset = createSortedSet();
    checkZsetEncoding(ctx, zset, pairs[0]![1], true);
    created = true;
  }
  let added = 0;
  let updated = 0;
  for (const [score, member] of pairs) {
    const current = zset.score(member);
    if (current === undefined) {
      if (xx) continue;
      checkZsetEncoding(ctx, zset, member, false);
      zset.add(member, score);
      added++;
    } else if (!nx && current !== score) {
      zset.add(member, score);
      updated++;
    }
  }
  if (created) {
    db.set(key, zset);
    ctx.server.signalKeyAsReady(db.index, key);
  } else if (added + updated > 0) {
    db.touch(key, 'zadd');
  }
  if (added + updated > 0) ctx.server.notify('z', 'zadd', key, db.index);
  return ch ? added + updated : added;
}

function geodist(ctx: CommandContext, args: string[]): Reply {
  let toMeter = 1;
  if (args.length === 5) toMeter = unitArg(args[4]!);
  else if (args.length > 5) fail(SYNTAX_ERROR);
  const zset = ctx.db.getTyped(args[1]!, 'zset');
  if (zset === undefined) return null;
  const score1 = zset.score(args[2]!);
  const score2 = zset.score(args[3]!);
  if (score1 === undefined || score2 === undefined) return null;
  const [x1, y1] = decodeScore(score1);
  const [x2, y2] = decodeScore(score2);
  return distanceReply(distance(x1, y1, x2, y2) / toMeter);
}

const GEO_ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

function geohash(ctx: CommandContext, args: string[]): Reply {
  const zset = ctx.db.getTyped(args[1]!, 'zset');
  const reply: Reply[] = [];
  for (let j = 2; j < args.length; j++) {
    const score = zset?.score(args[j]!);
    if (score === undefined) {
      reply.push(null);
      continue;
    }
    const [x, y] = decodeScore(score);
    const bits = encode({ min: -180, max: 180 }, { min: -90, max: 90 }, x, y, 26) ?? 0;
    let text = '';
    for (let i = 0; i < 11; i++) {
      const index = i === 10 ? 0 : Math.floor(bits / 2 ** (52 - (i + 1) * 5)) & 0x1f;
      text += GEO_ALPHABET[index];
    }
    reply.push(text);
  }
  return reply;
}

function geopos(ctx: CommandContext, args: string[]): Reply {
  const zset = ctx.db.getTyped(args[1]!, 'zset');
  const reply: Reply[] = [];
  for (let j = 2; j < args.length; j++) {
    const score = zset?.score(args[j]!);
    if (score === undefined) {
      reply.push(NULL_ARRAY);
      continue;
    }
    const [x, y] = decodeScore(score);
    reply.push([coordinateReply(ctx, x), coordinateReply(ctx, y)]);
  }
  return reply;
}

// prettier-ignore
export const geoCommands: readonly CommandSpec[] = [
  {
    name: 'geoadd', arity: -5, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['geo'],
    run: geoadd,
  },
  { name: 'geodist', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['geo'], run: geodist },
  { name: 'geohash', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['geo'], run: geohash },
  { name: 'geopos', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['geo'], run: geopos },
  ...geoSearchCommands,
];
