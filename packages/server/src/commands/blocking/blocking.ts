/**
 * Blocking commands (Redis's t_list.c, t_zset.c, blocked.c, replication.c's WAIT): BLPOP, BRPOP, BRPOPLPUSH, BLMOVE,
 * BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP and WAIT. Each answers at once when it can; otherwise (and outside MULTI/EXEC,
 * where it answers at once with a null) it blocks through the server's BlockingRegistry with a serve function that
 * runs when one of its keys is signalled ready, first come first served.
 */
import { NULL_ARRAY } from '@mini-redis/protocol';
import type { ListValue } from '@mini-redis/store';
import type { CommandContext, CommandSpec, Reply } from '../../context.js';
import { fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import {
  type End, parseEnd, popList, popZset, pushList, ready, scoreReply, timedOut, timeoutMilliseconds, timeoutSeconds,
} from './pops.js';

/** Answers now when `attempt` finds something; else blocks (or answers `denied` inside MULTI/EXEC). */
function blockOrServe(
  ctx: CommandContext, keys: readonly string[], timeoutMs: number, attempt: () => Reply | undefined,
  serve: () => Reply | undefined, denied: Reply = NULL_ARRAY,
): Reply | Promise<Reply> {
  const now = attempt();
  if (now !== undefined) return now;
  if (ctx.denyBlocking) return denied;
  return ctx.server.blocking.block({ ctx, keys, serve, timeoutReply: timedOut }, timeoutMs);
}

/** The first key holding a non-empty value of `type`; WRONGTYPE for a key of another type met first. */
function firstNonEmpty(ctx: CommandContext, keys: readonly string[], type: 'list' | 'zset'): string | undefined {
  for (const key of keys) {
    if (ctx.db.getTyped(key, type) !== undefined) return key;
  }
  return undefined;
}

/** While blocked: the first key that is now a non-empty value of `type` (other types are ignored, as in Redis). */
function firstReady(ctx: CommandContext, keys: readonly string[], type: 'list' | 'zset'): string | undefined {
  for (const key of keys) if (ready(ctx.db, key, type) !== undefined) return key;
  return undefined;
}

function listPop(end: End) {
  return (ctx: CommandContext, args: string[]): Reply | Promise<Reply> => {
    const timeout = timeoutSeconds(ctx, args[args.length - 1]!);
    const keys = args.slice(1, -1);
    const pop = (key: string | undefined): Reply | undefined => {
      if (key === undefined) return undefined;
      const [item] = popList(ctx, ctx.db, key, ready(ctx.db, key, 'list')!, end);
      return [key, item!];
    };
    return blockOrServe(ctx, keys, timeout, () => pop(firstNonEmpty(ctx, keys, 'list')), () => pop(firstReady(ctx, keys, 'list')));
  };
}

/** BLMOVE / BRPOPLPUSH: the moved item, or (timeout) the null array; inside MULTI the null bulk string. */
function move(ctx: CommandContext, source: string, destination: string, from: End, to: End, timeout: number) {
  const attempt = (check: boolean): Reply | undefined => {
    const db = ctx.db;
    const list = check ? db.getTyped(source, 'list') : ready(db, source, 'list');
    if (list === undefined) return undefined;
    db.getTyped(destination, 'list'); // WRONGTYPE before anything moves
    const [item] = popListAfterPush(ctx, source, destination, list, from, to);
    return item!;
  };
  return blockOrServe(ctx, [source], timeout, () => attempt(true), () => attempt(false), null);
}

/** LMOVE's order of effects: the push (and its event) on the destination, then the pop event on the source. */
function popListAfterPush(
  ctx: CommandContext, source: string, destination: string, list: ListValue, from: End, to: End,
): string[] {
  const item = from === 'left' ? list.at(0)! : list.at(-1)!;
  // Pop first in memory (a rotation of one list must not see its own push), report in Redis's order.
  if (from === 'left') list.popFront();
  else list.popBack();
  const db = ctx.db;
  const emptied = list.length === 0;
  if (emptied && source !== destination) db.delete(source);
  pushList(ctx, db, destination, item, to);
  if (!emptied || source === destination) db.touch(source, from === 'left' ? 'lpop' : 'rpop');
  ctx.server.notify('l', from === 'left' ? 'lpop' : 'rpop', source, db.index);
  if (emptied && source !== destination) ctx.server.notify('g', 'del', source, db.index);
  return [item];
}

function blmove(ctx: CommandContext, args: string[]): Reply | Promise<Reply> {
  const from = parseEnd(args[3]!);
  const to = parseEnd(args[4]!);
  return move(ctx, args[1]!, args[2]!, from, to, timeoutSeconds(ctx, args[5]!));
}

function brpoplpush(ctx: CommandContext, args: string[]): Reply | Promise<Reply> {
  return move(ctx, args[1]!, args[2]!, 'right', 'left', timeoutSeconds(ctx, args[3]!));
}

/** BLMPOP / BZMPOP: timeout numkeys key [key ...] <where> [COUNT count]. */
function parseMultiPop(args: string[], words: readonly [string, string]) {
  const numkeys = integerArg(args[2]!, 'ERR numkeys should be greater than 0');
  if (numkeys < 1) fail('ERR numkeys should be greater than 0');
  const whereIndex = 2 + numkeys + 1;
  if (whereIndex >= args.length) fail(SYNTAX_ERROR);
  const where = args[whereIndex]!.toLowerCase();
  if (where !== words[0] && where !== words[1]) fail(SYNTAX_ERROR);
  let count = -1;
  for (let index = whereIndex + 1; index < args.length; index++) {
    if (count === -1 && args[index]!.toLowerCase() === 'count' && index + 1 < args.length) {
      count = integerArg(args[++index]!, 'ERR count should be greater than 0');
      if (count < 1) fail('ERR count should be greater than 0');
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  return { keys: args.slice(3, 3 + numkeys), first: where === words[0], count: count === -1 ? 1 : count };
}

function blmpop(ctx: CommandContext, args: string[]): Reply | Promise<Reply> {
  const { keys, first, count } = parseMultiPop(args, ['left', 'right']);
  const timeout = timeoutSeconds(ctx, args[1]!);
  const pop = (key: string | undefined): Reply | undefined => {
    if (key === undefined) return undefined;
    return [key, popList(ctx, ctx.db, key, ready(ctx.db, key, 'list')!, first ? 'left' : 'right', count)];
  };
  return blockOrServe(ctx, keys, timeout, () => pop(firstNonEmpty(ctx, keys, 'list')), () => pop(firstReady(ctx, keys, 'list')));
}

function zsetPop(max: boolean) {
  return (ctx: CommandContext, args: string[]): Reply | Promise<Reply> => {
    const timeout = timeoutSeconds(ctx, args[args.length - 1]!);
    const keys = args.slice(1, -1);
    const pop = (key: string | undefined): Reply | undefined => {
      if (key === undefined) return undefined;
      const [[member, score]] = popZset(ctx, ctx.db, key, ready(ctx.db, key, 'zset')!, max) as [[string, number]];
      return [key, member, scoreReply(score)];
    };
    return blockOrServe(ctx, keys, timeout, () => pop(firstNonEmpty(ctx, keys, 'zset')), () => pop(firstReady(ctx, keys, 'zset')));
  };
}

function bzmpop(ctx: CommandContext, args: string[]): Reply | Promise<Reply> {
  const { keys, first, count } = parseMultiPop(args, ['min', 'max']);
  const timeout = timeoutSeconds(ctx, args[1]!);
  const pop = (key: string | undefined): Reply | undefined => {
    if (key === undefined) return undefined;
    const members = popZset(ctx, ctx.db, key, ready(ctx.db, key, 'zset')!, !first, count);
    return [key, members.map(([member, score]) => [member, scoreReply(score)])];
  };
  return blockOrServe(ctx, keys, timeout, () => pop(firstNonEmpty(ctx, keys, 'zset')), () => pop(firstReady(ctx, keys, 'zset')));
}

/** WAIT numreplicas timeout: no replicas here, so 0 — at once when none are asked for, else after the timeout. */
function wait(ctx: CommandContext, args: string[]): Reply | Promise<Reply> {
  const wanted = integerArg(args[1]!);
  const timeout = timeoutMilliseconds(ctx, args[2]!);
  if (wanted <= 0 || ctx.denyBlocking) return 0;
  return ctx.server.blocking.block({ ctx, keys: [], serve: () => undefined, timeoutReply: () => 0 }, timeout);
}

const BLOCKING = ['write', 'noscript', 'blocking'] as const;

export const blockingCommands = [
  { name: 'blpop', arity: -3, flags: BLOCKING, firstKey: 1, lastKey: -2, keyStep: 1, categories: ['list'], run: listPop('left'), keySpecFlags: ['RW', 'access', 'delete'] },
  { name: 'brpop', arity: -3, flags: BLOCKING, firstKey: 1, lastKey: -2, keyStep: 1, categories: ['list'], run: listPop('right'), keySpecFlags: ['RW', 'access', 'delete'] },
  {
    name: 'brpoplpush', arity: 4, flags: ['write', 'denyoom', 'noscript', 'blocking'], firstKey: 1, lastKey: 2, keyStep: 1,
    categories: ['list'], run: brpoplpush,
  },
  {
    name: 'blmove', arity: 6, flags: ['write', 'denyoom', 'noscript', 'blocking'], firstKey: 1, lastKey: 2, keyStep: 1,
    categories: ['list'], run: blmove,
  },
  { name: 'blmpop', arity: -5, flags: ['write', 'blocking', 'movablekeys'], categories: ['list'], run: blmpop },
  {
    name: 'bzpopmin', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], firstKey: 1, lastKey: -2, keyStep: 1,
    categories: ['sortedset'], run: zsetPop(false), keySpecFlags: ['RW', 'access', 'delete'],
  },
  {
    name: 'bzpopmax', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], firstKey: 1, lastKey: -2, keyStep: 1,
    categories: ['sortedset'], run: zsetPop(true), keySpecFlags: ['RW', 'access', 'delete'],
  },
  { name: 'bzmpop', arity: -5, flags: ['write', 'blocking', 'movablekeys'], categories: ['sortedset'], run: bzmpop },
  { name: 'wait', arity: 3, flags: ['noscript'], categories: ['slow', 'connection'], run: wait },
] as const satisfies readonly CommandSpec[];
