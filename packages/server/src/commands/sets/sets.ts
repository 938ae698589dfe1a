/**
 * The set family (Redis 7.0's t_set.c): rows with Redis's arity, flags, key positions and ACL categories
 * (`COMMAND INFO` of redis-server 7.0.15).
 */
import type { CommandSpec } from '../../context.js';
import { sdiff, sdiffstore, sinter, sintercard, sinterstore, sunion, sunionstore } from './sets-algebra.js';
import { sadd, scard, sismember, smismember, smove, spop, srandmember, srem } from './sets-members.js';
import { numkeysKeys } from './numkeys.js';
import { sscan } from './sets-scan.js';

const SET = ['set'] as const;

export const setCommands = [
  { name: 'sadd', arity: -3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, categories: SET, run: sadd },
  { name: 'srem', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, categories: SET, run: srem },
  { name: 'scard', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, categories: SET, run: scard },
  {
    name: 'sismember', arity: 3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, categories: SET,
    run: sismember,
  },
  {
    name: 'smismember', arity: -3, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, categories: SET,
    run: smismember,
  },
  { name: 'smembers', arity: 2, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, categories: SET, run: sinter },
  { name: 'spop', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, categories: SET, run: spop },
  {
    name: 'srandmember', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, categories: SET,
    run: srandmember,
  },
  { name: 'smove', arity: 4, flags: ['write', 'fast'], firstKey: 1, lastKey: 2, keyStep: 1, categories: SET, run: smove },
  { name: 'sinter', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: -1, keyStep: 1, categories: SET, run: sinter },
  {
    name: 'sintercard', arity: -3, flags: ['readonly', 'movablekeys'], firstKey: 0, lastKey: 0, keyStep: 0,
    categories: SET, run: sintercard, keys: numkeysKeys(1),
  },
  {
    name: 'sinterstore', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, keyStep: 1, categories: SET,
    run: sinterstore,
  },
  { name: 'sunion', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: -1, keyStep: 1, categories: SET, run: sunion },
  {
    name: 'sunionstore', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, keyStep: 1, categories: SET,
    run: sunionstore,
  },
  { name: 'sdiff', arity: -2, flags: ['readonly'], firstKey: 1, lastKey: -1, keyStep: 1, categories: SET, run: sdiff },
  {
    name: 'sdiffstore', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, keyStep: 1, categories: SET,
    run: sdiffstore,
  },
  { name: 'sscan', arity: -3, flags: ['readonly'], firstKey: 1, lastKey: 1, keyStep: 1, categories: SET, run: sscan },
] as const satisfies readonly CommandSpec[];
