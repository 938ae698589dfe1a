/**
 * List command handlers (Redis's t_list.c), in Redis's order of checks: argument parsing where Redis parses first,
 * then the key lookup (WRONGTYPE), then the work.
 */
import { EMPTY_ARRAY, NULL_ARRAY, OK } from '@mini-redis/protocol';
import type { CommandContext, Reply } from '../../context.js';
import { parseInteger } from '../../format.js';
import { fail, integerArg, SYNTAX_ERROR, wrongArity } from '../errors.js';
import { type ListEnd, moveBetweenKeys, parseListEnd, popItems, popOne, popWithKey, pushItems } from './list-core.js';

/** LPUSH / RPUSH / LPUSHX / RPUSHX key element [element ...]. */
export function pushCommand(end: ListEnd, onlyExisting: boolean) {
  return (ctx: CommandContext, args: string[]): Reply => {
    const key = args[1]!;
    const list = ctx.db.getTyped(key, 'list');
    if (list === undefined && onlyExisting) return 0;
    return pushItems(ctx, key, list, args, 2, end);
  };
}

/** A count that must be >= 0 (getPositiveLongFromObjectOrReply): `message` for a non-integer or a negative. */
function positiveLong(text: string, message: string): number {
  const value = parseInteger(text);
  if (value === undefined || value < 0) fail(message);
  return value;
}

/** LPOP / RPOP key [count]. */
export function popCommand(end: ListEnd) {
  return (ctx: CommandContext, args: string[]): Reply => {
    if (args.length > 3) throw wrongArity(end === 'left' ? 'lpop' : 'rpop');
    const hasCount = args.length === 3;
    const count = hasCount ? positiveLong(args[2]!, 'ERR value is out of range, must be positive') : 0;
    const key = args[1]!;
    const list = ctx.db.getTyped(key, 'list');
    if (list === undefined) return hasCount ? NULL_ARRAY : null;
    if (!hasCount) return popOne(ctx, key, list, end);
    if (count === 0) return EMPTY_ARRAY;
    return popItems(ctx, key, list, end, count);
  };
}

export function llen(ctx: CommandContext, args: string[]): Reply {
  return ctx.db.getTyped(args[1]!, 'list')?.length ?? 0;
}

export function lindex(ctx: CommandContext, args: string[]): Reply {
  const list = ctx.db.getTyped(args[1]!, 'list');
  if (list === undefined) return null;
  return list.at(integerArg(args[2]!)) ?? null;
}

/** LRANGE key start stop, clamped as addListRangeReply does. */
export function lrange(ctx: CommandContext, args: string[]): Reply {
  let start = integerArg(args[2]!);
  let end = integerArg(args[3]!);
  const list = ctx.db.getTyped(args[1]!, 'list');
  if (list === undefined) return EMPTY_ARRAY;
  const length = list.length;
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (start > end || start >= length) return EMPTY_ARRAY;
  if (end >= length) end = length - 1;
  return list.slice(start, end);
}

export function linsert(ctx: CommandContext, args: string[]): Reply {
  const where = args[2]!.toLowerCase();
  if (where !== 'after' && where !== 'before') fail(SYNTAX_ERROR);
  const key = args[1]!;
  const list = ctx.db.getTyped(key, 'list');
  if (list === undefined) return 0;
  const length = list.insert(args[3]!, args[4]!, where === 'after');
  if (length === -1) return -1;
  ctx.db.touch(key, 'linsert');
  ctx.server.notify('l', 'linsert', key, ctx.db.index);
  return length;
}

export function lset(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const list = ctx.db.getTyped(key, 'list');
  if (list === undefined) fail('ERR no such key');
  const index = integerArg(args[2]!);
  if (!list.set(index, args[3]!)) fail('ERR index out of range');
  ctx.db.touch(key, 'lset');
  ctx.server.notify('l', 'lset', key, ctx.db.index);
  return OK;
}

export function lrem(ctx: CommandContext, args: string[]): Reply {
  const count = integerArg(args[2]!);
  const key = args[1]!;
  const list = ctx.db.getTyped(key, 'list');
  if (list === undefined) return 0;
  const removed = list.remove(args[3]!, count);
  if (removed > 0) {
    const db = ctx.db;
    ctx.server.notify('l', 'lrem', key, db.index);
    if (list.length === 0) {
      db.delete(key);
      ctx.server.notify('g', 'del', key, db.index);
    } else {
      db.touch(key, 'lrem');
    }
  }
  return removed;
}

export function ltrim(ctx: CommandContext, args: string[]): Reply {
  let start = integerArg(args[2]!);
  let end = integerArg(args[3]!);
  const key = args[1]!;
  const db = ctx.db;
  const list = db.getTyped(key, 'list');
  if (list === undefined) return OK;
  const length = list.length;
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  let left: number;
  let right: number;
  if (start > end || start >= length) {
    left = length;
    right = 0;
  } else {
    if (end >= length) end = length - 1;
    left = start;
    right = length - end - 1;
  }
  ctx.server.stats.dirty += Math.min(length, left + right);
  if (left + right >= length) {
    list.trim(1, 0);
  } else if (left + right <= length >>> 1) {
    // A capped list (LPUSH + LTRIM) removes a few: pop them rather than rebuild the list.
    for (let index = 0; index < left; index++) list.popFront();
    for (let index = 0; index < right; index++) list.popBack();
  } else {
    list.trim(left, length - right - 1);
  }
  ctx.server.notify('l', 'ltrim', key, db.index);
  if (list.length === 0) {
    db.delete(key);
    ctx.server.notify('g', 'del', key, db.index);
  } else {
    db.touch(key, 'ltrim');
  }
  return OK;
}

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. */
export function lpos(ctx: CommandContext, args: string[]): Reply {
  const element = args[2]!;
  let rank = 1;
  let rankIsLongMin = false;
  let count = -1;
  let maxlen = 0;
  for (let index = 3; index < args.length; index++) {
    const option = args[index]!.toLowerCase();
    const more = index + 1 < args.length;
    if (option === 'rank' && more) {
      const text = args[++index]!;
      rank = integerArg(text);
      rankIsLongMin = text === '-9223372036854775808';
      if (rank === 0) {
        fail(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to " +
            'start from the end of the list',
        );
      }
    } else if (option === 'count' && more) {
      count = positiveLong(args[++index]!, "ERR COUNT can't be negative");
    } else if (option === 'maxlen' && more) {
      maxlen = positiveLong(args[++index]!, "ERR MAXLEN can't be negative");
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  // A negative rank searches from the tail (Redis's -LONG_MIN stays negative: the first match from the tail).
  const fromTail = rank < 0;
  if (fromTail) rank = rankIsLongMin ? 1 : -rank;
  const list = ctx.db.getTyped(args[1]!, 'list');
  if (list === undefined) return count !== -1 ? EMPTY_ARRAY : null;
  const length = list.length;
  const limit = maxlen === 0 || maxlen > length ? length : maxlen;
  const found: number[] = [];
  let matches = 0;
  for (let step = 0; step < limit; step++) {
    const position = fromTail ? length - step - 1 : step;
    if (list.at(position) !== element) continue;
    matches++;
    if (matches < rank) continue;
    if (count === -1) return position;
    found.push(position);
    if (count !== 0 && matches - rank + 1 >= count) break;
  }
  return count === -1 ? null : found;
}

export function lmove(ctx: CommandContext, args: string[]): Reply {
  const from = parseListEnd(args[3]!);
  const to = parseListEnd(args[4]!);
  return moveBetweenKeys(ctx, args[1]!, args[2]!, from, to);
}

export function rpoplpush(ctx: CommandContext, args: string[]): Reply {
  return moveBetweenKeys(ctx, args[1]!, args[2]!, 'right', 'left');
}

/** LMPOP's arguments after numkeys (shared with BLMPOP): the keys, the end and the count. */
export interface MultiPopArguments {
  readonly keys: string[];
  readonly end: ListEnd;
  readonly count: number;
}

/** Parses `numkeys key [key ...] LEFT|RIGHT [COUNT count]` starting at args[numkeysIndex], with Redis's errors. */
export function parseMultiPop(args: string[], numkeysIndex: number): MultiPopArguments {
  const numkeys = parseInteger(args[numkeysIndex]!);
  if (numkeys === undefined || numkeys < 1) fail('ERR numkeys should be greater than 0');
  const whereIndex = numkeysIndex + numkeys + 1;
  if (whereIndex >= args.length) fail(SYNTAX_ERROR);
  const end = parseListEnd(args[whereIndex]!);
  let count = -1;
  for (let index = whereIndex + 1; index < args.length; index++) {
    if (count === -1 && args[index]!.toLowerCase() === 'count' && index + 1 < args.length) {
      const value = parseInteger(args[++index]!);
      if (value === undefined || value < 1) fail('ERR count should be greater than 0');
      count = value;
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  return { keys: args.slice(numkeysIndex + 1, whereIndex), end, count: count === -1 ? 1 : count };
}

/** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first non-empty list. */
export function lmpop(ctx: CommandContext, args: string[]): Reply {
  const { keys, end, count } = parseMultiPop(args, 1);
  const db = ctx.db;
  for (const key of keys) {
    const list = db.getTyped(key, 'list');
    if (list === undefined || list.length === 0) continue;
    return popWithKey(ctx, key, list, end, count);
  }
  return NULL_ARRAY;
}
