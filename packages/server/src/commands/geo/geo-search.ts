/**
 * GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and the _RO forms: geo.c's georadiusGeneric, its option
 * parsing order and errors, the neighbour-cell search (geo-area.ts), sorting, COUNT [ANY], and STORE/STOREDIST.
 */
import { EMPTY_ARRAY } from '@mini-redis/protocol';
import { createSortedSet } from '@mini-redis/store';
import type { CommandContext, CommandSpec, Reply } from '../../context.js';
import { promoteEncoding } from '../encoding.js';
import { cString, fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import { searchShape, type Shape } from './geo-area.js';
import { boxArgs, distanceArgs, longLatArgs, memberLongLat } from './geo-args.js';
import { coordinateReply, distanceReply } from './geo-format.js';

const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const RADIUS_NOSTORE = 4;
const GEOSEARCH = 8;
const GEOSEARCHSTORE = 16;

const NO_MEMBER = 'ERR could not decode requested zset member';

/** C's (long long) of a score: truncated, LLONG_MIN when out of range (x86-64). */
function longLong(score: number): number | bigint {
  if (Number.isFinite(score) && Math.abs(score) < 9223372036854775808) {
    const truncated = Math.trunc(score);
    return Number.isSafeInteger(truncated) ? truncated + 0 : BigInt(truncated);
  }
  return -9223372036854775808n;
}

function georadiusGeneric(sourceIndex: number, flags: number) {
  return (ctx: CommandContext, args: string[]): Reply => {
    const db = ctx.db;
    const zset = db.getTyped(args[sourceIndex]!, 'zset');
    let storeKey: string | undefined;
    let storeDist = false;
    let baseArgs: number;
    const shape: Shape = { circle: true, x: 0, y: 0, conversion: 1, radius: 0, width: 0, height: 0 };
    if (flags & RADIUS_COORDS) {
      baseArgs = 6;
      [shape.x, shape.y] = longLatArgs(args[2]!, args[3]!);
      [shape.radius, shape.conversion] = distanceArgs(args[4]!, args[5]!);
    } else if (flags & RADIUS_MEMBER && zset === undefined) {
      baseArgs = 5;
    } else if (flags & RADIUS_MEMBER) {
      baseArgs = 5;
      const xy = memberLongLat(zset!, args[2]!);
      if (xy === undefined) fail(NO_MEMBER);
      [shape.x, shape.y] = xy;
      [shape.radius, shape.conversion] = distanceArgs(args[3]!, args[4]!);
    } else {
      baseArgs = 2;
      if (flags & GEOSEARCHSTORE) {
        baseArgs = 3;
        storeKey = args[1]!;
      }
    }
    let withDist = false;
    let withHash = false;
    let withCoords = false;
    let fromMember = false;
    let fromLoc = false;
    let byRadius = false;
    let byBox = false;
    let sort: 'none' | 'asc' | 'desc' = 'none';
    let any = false;
    let count = 0;
    const remaining = args.length - baseArgs;
    for (let i = 0; i < remaining; i++) {
      const arg = args[baseArgs + i]!.toLowerCase();
      const at = (offset: number) => args[baseArgs + i + offset]!;
      if (arg === 'withdist') withDist = true;
      else if (arg === 'withhash') withHash = true;
      else if (arg === 'withcoord') withCoords = true;
      else if (arg === 'any') any = true;
      else if (arg === 'asc') sort = 'asc';
      else if (arg === 'desc') sort = 'desc';
      else if (arg === 'count' && i + 1 < remaining) {
        count = integerArg(at(1));
        if (count <= 0) fail('ERR COUNT must be > 0');
        i++;
      } else if ((arg === 'store' || arg === 'storedist') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
        storeKey = at(1);
        storeDist = arg === 'storedist';
        i++;
      } else if (arg === 'storedist' && flags & GEOSEARCH && flags & GEOSEARCHSTORE) {
        storeDist = true;
      } else if (arg === 'frommember' && i + 1 < remaining && flags & GEOSEARCH && !fromLoc) {
        if (zset !== undefined) {
          const xy = memberLongLat(zset, at(1));
          if (xy === undefined) fail(NO_MEMBER);
          [shape.x, shape.y] = xy;
        }
        fromMember = true;
        i++;
      } else if (arg === 'fromlonlat' && i + 2 < remaining && flags & GEOSEARCH && !fromMember) {
        [shape.x, shape.y] = longLatArgs(at(1), at(2));
        fromLoc = true;
        i += 2;
      } else if (arg === 'byradius' && i + 2 < remaining && flags & GEOSEARCH && !byBox) {
        [shape.radius, shape.conversion] = distanceArgs(at(1), at(2));
        shape.circle = true;
        byRadius = true;
        i += 2;
      } else if (arg === 'bybox' && i + 3 < remaining && flags & GEOSEARCH && !byRadius) {
        [shape.width, shape.height, shape.conversion] = boxArgs(at(1), at(2), at(3));
        shape.circle = false;
        byBox = true;
        i += 3;
      } else {
        fail(SYNTAX_ERROR);
      }
    }
    if (storeKey !== undefined && (withDist || withHash || withCoords)) {
      fail(
        `ERR ${flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS'} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`,
      );
    }
    if (flags & GEOSEARCH && !(fromMember || fromLoc)) {
      fail(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${cString(args[0]!)}`);
    }
    if (flags & GEOSEARCH && !(byRadius || byBox)) {
      fail(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${cString(args[0]!)}`);
    }
    if (any && count === 0) fail('ERR the ANY argument requires COUNT argument');
    if (zset === undefined) {
      if (storeKey !== undefined) {
        if (db.delete(storeKey)) ctx.server.notify('g', 'del', storeKey, db.index);
        return 0;
      }
      return EMPTY_ARRAY;
    }
    if (count !== 0 && sort === 'none' && !any) sort = 'asc';
    const points = searchShape(zset, shape, any ? count : 0);
    if (points.length === 0 && storeKey === undefined) return EMPTY_ARRAY;
    const returned = count === 0 || points.length < count ? points.length : count;
    if (sort !== 'none') {
      const sign = sort === 'asc' ? 1 : -1;
      points.sort((a, b) => sign * (a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1));
    }
    if (storeKey === undefined) {
      const options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
      const reply: Reply[] = [];
      for (let i = 0; i < returned; i++) {
        const point = points[i]!;
        const dist = point.dist / shape.conversion;
        if (options === 0) {
          reply.push(point.member);
          continue;
        }
        const entry: Reply[] = [point.member];
        if (withDist) entry.push(distanceReply(dist));
        if (withHash) entry.push(longLong(point.score));
        if (withCoords) entry.push([coordinateReply(ctx, point.longitude), coordinateReply(ctx, point.latitude)]);
        reply.push(entry);
      }
      return reply;
    }
    if (returned > 0) {
      const stored = createSortedSet();
      let maxLength = 0;
      for (let i = 0; i < returned; i++) {
        const point = points[i]!;
        stored.add(point.member, storeDist ? point.dist / shape.conversion : point.score);
        maxLength = Math.max(maxLength, point.member.length);
      }
      const entries = Number(ctx.server.config.get('zset-max-listpack-entries'));
      const value = Number(ctx.server.config.get('zset-max-listpack-value'));
      if (returned > entries || maxLength > value) promoteEncoding(stored);
      db.set(storeKey, stored);
      ctx.server.notify('z', flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore', storeKey, db.index);
      ctx.server.signalKeyAsReady(db.index, storeKey);
    } else if (db.delete(storeKey)) {
      ctx.server.notify('g', 'del', storeKey, db.index);
    }
    return returned;
  };
}

// prettier-ignore
export const geoSearchCommands: readonly CommandSpec[] = [
  {
    name: 'georadius', arity: -6, flags: ['write', 'denyoom', 'movablekeys'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['geo'], run: georadiusGeneric(1, RADIUS_COORDS),
  },
  {
    name: 'georadius_ro', arity: -6, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['geo'],
    run: georadiusGeneric(1, RADIUS_COORDS | RADIUS_NOSTORE),
  },
  {
    name: 'georadiusbymember', arity: -5, flags: ['write', 'denyoom', 'movablekeys'], firstKey: 1, lastKey: 1,
    keyStep: 1, categories: ['geo'], run: georadiusGeneric(1, RADIUS_MEMBER),
  },
  {
    name: 'georadiusbymember_ro', arity: -5, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['geo'], run: georadiusGeneric(1, RADIUS_MEMBER | RADIUS_NOSTORE),
  },
  {
    name: 'geosearch', arity: -7, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, categories: ['geo'],
    run: georadiusGeneric(1, GEOSEARCH),
  },
  {
    name: 'geosearchstore', arity: -8, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 2, keyStep: 1,
    categories: ['geo'], run: georadiusGeneric(2, GEOSEARCH | GEOSEARCHSTORE),
  },
];
