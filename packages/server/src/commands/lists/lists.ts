/** The list family's command table (Redis 7.0's arity, flags, key positions and ACL categories). */
import type { CommandSpec } from '../../context.js';
import {
  lindex, linsert, llen, lmove, lmpop, lpos, lrange, lrem, lset, ltrim, popCommand, pushCommand, rpoplpush,
} from './list-commands.js';

export {
  type ListEnd, listElementsRemoved, moveBetweenKeys, moveItem, parseListEnd, popItems, popOne, popWithKey, pushItems,
} from './list-core.js';
export { parseMultiPop, type MultiPopArguments } from './list-commands.js';

const one = { firstKey: 1, lastKey: 1, keyStep: 1, categories: ['list'] } as const;

export const listCommands = [
  { name: 'lpush', arity: -3, flags: ['write', 'denyoom', 'fast'], ...one, run: pushCommand('left', false) },
  { name: 'rpush', arity: -3, flags: ['write', 'denyoom', 'fast'], ...one, run: pushCommand('right', false) },
  { name: 'lpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], ...one, run: pushCommand('left', true) },
  { name: 'rpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], ...one, run: pushCommand('right', true) },
  { name: 'lpop', arity: -2, flags: ['write', 'fast'], ...one, run: popCommand('left') },
  { name: 'rpop', arity: -2, flags: ['write', 'fast'], ...one, run: popCommand('right') },
  { name: 'llen', arity: 2, flags: ['readonly', 'fast'], ...one, run: llen },
  { name: 'lindex', arity: 3, flags: ['readonly'], ...one, run: lindex },
  { name: 'linsert', arity: 5, flags: ['write', 'denyoom'], ...one, run: linsert },
  { name: 'lrange', arity: 4, flags: ['readonly'], ...one, run: lrange },
  { name: 'lrem', arity: 4, flags: ['write'], ...one, run: lrem },
  { name: 'lset', arity: 4, flags: ['write', 'denyoom'], ...one, run: lset },
  { name: 'ltrim', arity: 4, flags: ['write'], ...one, run: ltrim },
  { name: 'lpos', arity: -3, flags: ['readonly'], ...one, run: lpos },
  {
    name: 'rpoplpush', arity: 3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 2, keyStep: 1, categories: ['list'],
    run: rpoplpush,
  },
  {
    name: 'lmove', arity: 5, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 2, keyStep: 1, categories: ['list'],
    run: lmove,
  },
  { name: 'lmpop', arity: -4, flags: ['write', 'movablekeys'], categories: ['list'], run: lmpop },
] as const satisfies readonly CommandSpec[];
