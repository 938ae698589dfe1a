/** The hash family's command table (Redis 7.0's arity, flags, key positions and ACL categories). */
import type { CommandSpec } from '../../context.js';
import {
  hdel, hexists, hget, hgetall, hincrby, hincrbyfloat, hkeys, hlen, hmget, hsetCommand, hsetnx, hstrlen, hvals,
} from './hash-commands.js';
import { hrandfield, hscan } from './hash-random-scan.js';

const one = { firstKey: 1, lastKey: 1, keyStep: 1, categories: ['hash'] } as const;

export const hashCommands = [
  { name: 'hset', arity: -4, flags: ['write', 'denyoom', 'fast'], ...one, run: hsetCommand('hset') },
  { name: 'hsetnx', arity: 4, flags: ['write', 'denyoom', 'fast'], ...one, run: hsetnx },
  { name: 'hget', arity: 3, flags: ['readonly', 'fast'], ...one, run: hget },
  { name: 'hmget', arity: -3, flags: ['readonly', 'fast'], ...one, run: hmget },
  { name: 'hmset', arity: -4, flags: ['write', 'denyoom', 'fast'], ...one, run: hsetCommand('hmset') },
  { name: 'hdel', arity: -3, flags: ['write', 'fast'], ...one, run: hdel },
  { name: 'hexists', arity: 3, flags: ['readonly', 'fast'], ...one, run: hexists },
  { name: 'hlen', arity: 2, flags: ['readonly', 'fast'], ...one, run: hlen },
  { name: 'hstrlen', arity: 3, flags: ['readonly', 'fast'], ...one, run: hstrlen },
  { name: 'hkeys', arity: 2, flags: ['readonly'], ...one, run: hkeys },
  { name: 'hvals', arity: 2, flags: ['readonly'], ...one, run: hvals },
  { name: 'hgetall', arity: 2, flags: ['readonly'], ...one, run: hgetall },
  { name: 'hincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], ...one, run: hincrby },
  { name: 'hincrbyfloat', arity: 4, flags: ['write', 'denyoom', 'fast'], ...one, run: hincrbyfloat },
  { name: 'hrandfield', arity: -2, flags: ['readonly'], ...one, run: hrandfield },
  { name: 'hscan', arity: -3, flags: ['readonly'], ...one, run: hscan },
] as const satisfies readonly CommandSpec[];
