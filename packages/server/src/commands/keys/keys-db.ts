/**
 * Commands across databases: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, MOVE and COPY (db.c), with Redis's DB index parsing
 * (getIntFromObjectOrReply: an int32, then a range check).
 */
import { createList, createSortedSet, type Database, type Value } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import { fail, int32Arg, OUT_OF_RANGE_DB, SYNTAX_ERROR } from '../errors.js';
import { OK } from '@mini-redis/protocol';
import { expireOf } from '../expire-time.js';

const SAME_OBJECT = 'ERR source and destination objects are the same';

/** The database with this index, or Redis's out-of-range error. */
function databaseAt(ctx: CommandContext, index: number): Database {
  const store = ctx.server.store;
  if (index < 0 || index >= store.databaseCount) fail(OUT_OF_RANGE_DB);
  return store.db(index);
}

/** DBSIZE: live keys in the selected database. */
export function dbsize(ctx: CommandContext): Reply {
  return ctx.db.size();
}

/** FLUSHDB / FLUSHALL's optional ASYNC | SYNC (both flush at once here). */
function checkFlushMode(args: string[]): void {
  if (args.length === 1) return;
  const mode = args.length === 2 ? args[1]!.toLowerCase() : '';
  if (mode !== 'sync' && mode !== 'async') fail(SYNTAX_ERROR);
}

/** FLUSHDB [ASYNC | SYNC]. */
export function flushdb(ctx: CommandContext, args: string[]): Reply {
  checkFlushMode(args);
  const db = ctx.db;
  ctx.server.stats.dirty += db.size(); // emptyData's count
  ctx.server.watches.aroundDbChange([db.index], () => db.flush());
  // Clients blocked on keys of this database are offered them again: XREADGROUP on a flushed stream fails
  // (signalFlushedDb -> scanDatabaseForDeletedStreams); the other blocked commands find nothing and keep waiting.
  ctx.server.blocking.signalDatabase(db.index);
  ctx.server.tracking.flushed();
  return OK;
}

/** FLUSHALL [ASYNC | SYNC]. */
export function flushall(ctx: CommandContext, args: string[]): Reply {
  checkFlushMode(args);
  const store = ctx.server.store;
  const all = Array.from({ length: store.databaseCount }, (_, index) => index);
  // emptyData's count (Redis with save points configured would also save, restarting the count)
  for (const index of all) ctx.server.stats.dirty += store.db(index).size();
  ctx.server.watches.aroundDbChange(all, () => store.flushAll());
  for (const index of all) ctx.server.blocking.signalDatabase(index); // as FLUSHDB
  ctx.server.tracking.flushed();
  return OK;
}

/** SWAPDB index1 index2. */
export function swapdb(ctx: CommandContext, args: string[]): Reply {
  const first = int32Arg(args[1]!, 'ERR invalid first DB index');
  const second = int32Arg(args[2]!, 'ERR invalid second DB index');
  const store = ctx.server.store;
  if (first < 0 || first >= store.databaseCount || second < 0 || second >= store.databaseCount) fail(OUT_OF_RANGE_DB);
  if (first !== second) {
    ctx.server.watches.aroundDbChange([first, second], () => store.swap(first, second));
    // Clients blocked in either database may now find their keys (scanDatabaseForReadyKeys).
    ctx.server.blocking.signalDatabase(first);
    ctx.server.blocking.signalDatabase(second);
  }
  return OK;
}

/** MOVE key db: 1 when moved (with its TTL), 0 when missing here or present there. */
export function move(ctx: CommandContext, args: string[]): Reply {
  const source = ctx.db;
  const target = databaseAt(ctx, int32Arg(args[2]!));
  if (target === source) fail(SAME_OBJECT);
  const key = args[1]!;
  const value = source.get(key);
  if (value === undefined) return 0;
  if (target.has(key)) return 0;
  const expireAt = expireOf(source, key);
  target.set(key, value, expireAt === undefined ? undefined : { expireAt });
  source.delete(key);
  const server = ctx.server;
  server.notify('g', 'move_from', key, source.index);
  server.notify('g', 'move_to', key, target.index);
  server.signalKeyAsReady(target.index, key);
  return 1;
}

/** COPY source destination [DB index] [REPLACE]: copies the value (deeply) and its TTL. */
export function copy(ctx: CommandContext, args: string[]): Reply {
  const source = ctx.db;
  let target = source;
  let replace = false;
  for (let index = 3; index < args.length; index++) {
    const option = args[index]!.toLowerCase();
    if (option === 'replace') {
      replace = true;
    } else if (option === 'db' && index + 1 < args.length) {
      target = databaseAt(ctx, int32Arg(args[++index]!));
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  const key = args[1]!;
  const newKey = args[2]!;
  if (target === source && key === newKey) fail(SAME_OBJECT);
  const value = source.get(key);
  if (value === undefined) return 0;
  if (!replace && target.has(newKey)) return 0;
  const expireAt = expireOf(source, key);
  // With REPLACE Redis deletes the old value first and adds the copy anew (a 'new' event either way).
  target.delete(newKey);
  target.set(newKey, copyValue(value), expireAt === undefined ? undefined : { expireAt });
  ctx.server.notify('g', 'copy_to', newKey, target.index);
  ctx.server.signalKeyAsReady(target.index, newKey);
  return 1;
}

/** A copy that shares nothing mutable with the original. */
export function copyValue(value: Value): Value {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return Buffer.from(value);
  if (value instanceof Map) return new Map(value);
  if (value instanceof Set) return new Set(value);
  if (value.kind === 'list') {
    return createList(value);
  }
  if (value.kind === 'zset') {
    const sortedSet = createSortedSet();
    for (const { member, score } of value) sortedSet.add(member, score);
    return sortedSet;
  }
  // Streams are opaque to the keyspace contract: a backend's stream type copies itself when it offers `clone`.
  const cloneable = value as { clone?: () => Value };
  if (typeof cloneable.clone === 'function') return cloneable.clone();
  return fail('ERR COPY of stream keys is not supported yet');
}
