/**
 * The pops the blocking commands serve with, straight on the store's list and sorted set values, with Redis's
 * keyspace events (t_list.c / t_zset.c): the pop event, then `del` when the container became empty. (The list and
 * sorted set families have their own; the lead dedupes them.)
 */
import { NULL_ARRAY, RespDouble, type RespValue } from '@mini-redis/protocol';
import { createList, type Database, type ListValue, type SortedSetValue, typeOf } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import { floatArg, fail, integerArg } from '../errors.js';

export type End = 'left' | 'right';

/** Waiting: the key's value when it is a non-empty list/zset; undefined when missing, empty or of another type. */
export function ready<T extends 'list' | 'zset'>(db: Database, key: string, type: T): (T extends 'list' ? ListValue : SortedSetValue) | undefined {
  const value = db.get(key);
  if (value === undefined || typeOf(value) !== type) return undefined;
  const container = value as ListValue | SortedSetValue;
  const size = container.kind === 'list' ? container.length : container.size;
  return size > 0 ? (container as T extends 'list' ? ListValue : SortedSetValue) : undefined;
}

/** After a pop: the store drops an emptied container; Redis publishes the pop event, then `del`. */
function popped(ctx: CommandContext, db: Database, key: string, type: 'l' | 'z', event: string): void {
  db.touch(key, event);
  const server = ctx.server;
  server.notify(type, event, key, db.index);
  if (!db.has(key)) server.notify('g', 'del', key, db.index);
}

/** Pops up to `count` items from one end of a list (non-empty). */
export function popList(ctx: CommandContext, db: Database, key: string, list: ListValue, end: End, count = 1): string[] {
  const items: string[] = [];
  for (let index = 0; index < count && list.length > 0; index++) {
    items.push((end === 'left' ? list.popFront() : list.popBack())!);
  }
  popped(ctx, db, key, 'l', end === 'left' ? 'lpop' : 'rpop');
  return items;
}

/** Pops up to `count` members with the lowest (min) or highest scores from a sorted set (non-empty). */
export function popZset(
  ctx: CommandContext, db: Database, key: string, zset: SortedSetValue, max: boolean, count = 1,
): Array<[string, number]> {
  const members = zset.rangeByRank(0, Math.min(count, zset.size) - 1, max);
  for (const { member } of members) zset.delete(member);
  popped(ctx, db, key, 'z', max ? 'zpopmax' : 'zpopmin');
  return members.map(({ member, score }) => [member, score]);
}

/** LMOVE's push half: onto `destination` (created when missing), with its event; the key may serve waiters. */
export function pushList(ctx: CommandContext, db: Database, key: string, item: string, end: End): void {
  const existing = db.getTyped(key, 'list');
  if (existing === undefined) {
    db.set(key, createList([item]));
  } else {
    if (end === 'left') existing.pushFront(item);
    else existing.pushBack(item);
    db.touch(key, end === 'left' ? 'lpush' : 'rpush');
  }
  ctx.server.notify('l', end === 'left' ? 'lpush' : 'rpush', key, db.index);
  ctx.server.signalKeyAsReady(db.index, key);
}

export function scoreReply(score: number): RespValue {
  return new RespDouble(score);
}

const TIMEOUT_NOT_FLOAT = 'ERR timeout is not a float or out of range';
const INT64_MAX = 9223372036854775807;

/**
 * A blocking command's timeout in seconds (getTimeoutFromObjectOrReply, UNIT_SECONDS): a float, 0 = forever. As in
 * Redis, the milliseconds are truncated to an integer; values C turns into a negative long long (inf, 1e300) are
 * "negative".
 */
export function timeoutSeconds(ctx: CommandContext, text: string): number {
  const seconds = floatArg(text, TIMEOUT_NOT_FLOAT);
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || ms >= INT64_MAX || ms <= -INT64_MAX) fail('ERR timeout is negative');
  const truncated = Math.trunc(ms);
  if (truncated < 0) fail('ERR timeout is negative');
  if (truncated > 0 && truncated > INT64_MAX - ctx.server.clock.now()) fail('ERR timeout is out of range');
  return truncated;
}

/** A timeout in milliseconds (WAIT). */
export function timeoutMilliseconds(ctx: CommandContext, text: string): number {
  const ms = integerArg(text, 'ERR timeout is not an integer or out of range');
  if (ms < 0) fail('ERR timeout is negative');
  if (ms > 0 && ms > INT64_MAX - ctx.server.clock.now()) fail('ERR timeout is out of range');
  return ms;
}

/** LEFT | RIGHT (syntax error otherwise). */
export function parseEnd(text: string): End {
  const lower = text.toLowerCase();
  if (lower === 'left') return 'left';
  if (lower === 'right') return 'right';
  return fail('ERR syntax error');
}

/** The timeout reply of key-blocking commands: the null array of the client's protocol. */
export function timedOut(): Reply {
  return NULL_ARRAY;
}
