/**
 * The sorted-set family (Redis 7.0's t_zset.c): rows with Redis's arity, flags, key positions and ACL categories
 * (`COMMAND INFO` of redis-server 7.0.15). The blocking pops live elsewhere and reuse zsets-pop.ts's core.
 */
import type { CommandSpec } from '../../context.js';
import { zdiff, zdiffstore, zinter, zintercard, zinterstore, zunion, zunionstore } from './zsets-algebra.js';
import {
  zadd,
  zcard,
  zcount,
  zincrby,
  zlexcount,
  zmscore,
  zrank,
  zrem,
  zremrangebylex,
  zremrangebyrank,
  zremrangebyscore,
  zrevrank,
  zscore,
} from './zsets-basic.js';
import { zmpop, zpopmax, zpopmin, zrandmember } from './zsets-pop.js';
import {
  zrange,
  zrangebylex,
  zrangebyscore,
  zrangestore,
  zrevrange,
  zrevrangebylex,
  zrevrangebyscore,
} from './zsets-range.js';
import { zscan } from './zsets-scan.js';
import { numkeysKeys } from '../sets/numkeys.js';

const ZSET = ['sortedset'] as const;

export const zsetCommands = [
  {
    name: 'zadd', arity: -4, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zadd,
  },
  {
    name: 'zincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zincrby,
  },
  {
    name: 'zrem', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zrem,
  },
  {
    name: 'zcard', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zcard,
  },
  {
    name: 'zcount', arity: 4, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zcount,
  },
  {
    name: 'zlexcount', arity: 4, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zlexcount,
  },
  {
    name: 'zscore', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zscore,
  },
  {
    name: 'zmscore', arity: -3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zmscore,
  },
  {
    name: 'zrank', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zrank,
  },
  {
    name: 'zrevrank', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zrevrank,
  },
  {
    name: 'zrange', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zrange,
  },
  {
    name: 'zrangestore', arity: -5, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 2, keyStep: 1,
    categories: ZSET, run: zrangestore,
  },
  {
    name: 'zrangebyscore', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zrangebyscore,
  },
  {
    name: 'zrevrangebyscore', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zrevrangebyscore,
  },
  {
    name: 'zrangebylex', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zrangebylex,
  },
  {
    name: 'zrevrangebylex', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zrevrangebylex,
  },
  {
    name: 'zrevrange', arity: -4, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zrevrange,
  },
  {
    name: 'zremrangebyrank', arity: 4, flags: ['write'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zremrangebyrank,
  },
  {
    name: 'zremrangebyscore', arity: 4, flags: ['write'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zremrangebyscore,
  },
  {
    name: 'zremrangebylex', arity: 4, flags: ['write'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zremrangebylex,
  },
  {
    name: 'zpopmin', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zpopmin,
  },
  {
    name: 'zpopmax', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zpopmax,
  },
  {
    name: 'zmpop', arity: -4, flags: ['write', 'movablekeys'], firstKey: 0, lastKey: 0, keyStep: 0,
    categories: ZSET, run: zmpop, keys: numkeysKeys(1),
  },
  {
    name: 'zrandmember', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zrandmember,
  },
  {
    name: 'zunion', arity: -3, flags: ['readonly', 'movablekeys'], firstKey: 0, lastKey: 0, keyStep: 0,
    categories: ZSET, run: zunion, keys: numkeysKeys(1),
  },
  {
    name: 'zinter', arity: -3, flags: ['readonly', 'movablekeys'], firstKey: 0, lastKey: 0, keyStep: 0,
    categories: ZSET, run: zinter, keys: numkeysKeys(1),
  },
  {
    name: 'zdiff', arity: -3, flags: ['readonly', 'movablekeys'], firstKey: 0, lastKey: 0, keyStep: 0,
    categories: ZSET, run: zdiff, keys: numkeysKeys(1),
  },
  {
    name: 'zunionstore', arity: -4, flags: ['write', 'denyoom', 'movablekeys'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zunionstore, keys: numkeysKeys(2, [1]),
  },
  {
    name: 'zinterstore', arity: -4, flags: ['write', 'denyoom', 'movablekeys'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zinterstore, keys: numkeysKeys(2, [1]),
  },
  {
    name: 'zdiffstore', arity: -4, flags: ['write', 'denyoom', 'movablekeys'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zdiffstore, keys: numkeysKeys(2, [1]),
  },
  {
    name: 'zintercard', arity: -3, flags: ['readonly', 'movablekeys'], firstKey: 0, lastKey: 0, keyStep: 0,
    categories: ZSET, run: zintercard, keys: numkeysKeys(1),
  },
  {
    name: 'zscan', arity: -3, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ZSET, run: zscan,
  },
] as const satisfies readonly CommandSpec[];
