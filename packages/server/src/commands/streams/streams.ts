/**
 * The stream family's command table (Redis's t_stream.c), with the arity, flags, key positions and categories Redis
 * 7.0's COMMAND INFO reports. Handlers live in stream-*.ts.
 */
import type { CommandSpec } from '../../context.js';
import { xautoclaim, xclaim } from './stream-claim.js';
import { xack, xgroupCommand, xpending } from './stream-groups.js';
import { xinfoCommand } from './stream-info.js';
import { xread, xreadgroup } from './stream-read.js';
import { xadd, xdel, xlen, xrange, xrevrange, xsetid, xtrim } from './stream-write.js';

const ONE_KEY = { firstKey: 1, lastKey: 1, keyStep: 1 } as const;
const WRITE_FAST = ['write', 'stream', 'fast'] as const;
const WRITE_SLOW = ['write', 'stream', 'slow'] as const;
const READ_FAST = ['read', 'stream', 'fast'] as const;
const READ_SLOW = ['read', 'stream', 'slow'] as const;

export const streamCommands = [
  { name: 'xadd', arity: -5, flags: ['write', 'denyoom', 'fast'], ...ONE_KEY, categories: WRITE_FAST, run: xadd },
  { name: 'xtrim', arity: -4, flags: ['write'], ...ONE_KEY, categories: WRITE_SLOW, run: xtrim },
  { name: 'xdel', arity: -3, flags: ['write', 'fast'], ...ONE_KEY, categories: WRITE_FAST, run: xdel },
  { name: 'xlen', arity: 2, flags: ['readonly', 'fast'], ...ONE_KEY, categories: READ_FAST, run: xlen },
  { name: 'xrange', arity: -4, flags: ['readonly'], ...ONE_KEY, categories: READ_SLOW, run: xrange },
  { name: 'xrevrange', arity: -4, flags: ['readonly'], ...ONE_KEY, categories: READ_SLOW, run: xrevrange },
  { name: 'xsetid', arity: -3, flags: ['write', 'denyoom', 'fast'], ...ONE_KEY, categories: WRITE_FAST, run: xsetid },
  {
    name: 'xread', arity: -4, flags: ['readonly', 'blocking', 'movablekeys'], firstKey: 0, lastKey: 0, keyStep: 0,
    categories: ['read', 'stream', 'slow', 'blocking'], run: xread,
  },
  {
    name: 'xreadgroup', arity: -7, flags: ['write', 'blocking', 'movablekeys'], firstKey: 0, lastKey: 0, keyStep: 0,
    categories: ['write', 'stream', 'slow', 'blocking'], run: xreadgroup,
  },
  { name: 'xack', arity: -4, flags: ['write', 'fast'], ...ONE_KEY, categories: WRITE_FAST, run: xack },
  { name: 'xpending', arity: -3, flags: ['readonly'], ...ONE_KEY, categories: READ_SLOW, run: xpending },
  { name: 'xclaim', arity: -6, flags: ['write', 'fast'], ...ONE_KEY, categories: WRITE_FAST, run: xclaim },
  { name: 'xautoclaim', arity: -6, flags: ['write', 'fast'], ...ONE_KEY, categories: WRITE_FAST, run: xautoclaim },
  xgroupCommand,
  xinfoCommand,
] as const satisfies readonly CommandSpec[];
