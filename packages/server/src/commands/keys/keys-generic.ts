/**
 * The generic key commands of Redis's db.c: DEL, UNLINK, EXISTS, TYPE, TOUCH, RANDOMKEY, RENAME, RENAMENX, KEYS and
 * SCAN. Expired keys are invisible through the store, so none of these sees them.
 */
import { OK, SimpleString } from '@mini-redis/protocol';
import type { Bytes, Database, ValueType } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import { matchGlob } from '../../glob.js';
import { fail, integerArg, NO_SUCH_KEY, SYNTAX_ERROR } from '../errors.js';
import { UINT64_MAX } from '../../int64.js';
import { expireOf } from '../expire-time.js';

/** TYPE's replies, built once. */
const TYPE_REPLIES: Record<ValueType | 'none', SimpleString> = {
  string: new SimpleString('string'),
  list: new SimpleString('list'),
  hash: new SimpleString('hash'),
  set: new SimpleString('set'),
  zset: new SimpleString('zset'),
  stream: new SimpleString('stream'),
  none: new SimpleString('none'),
};

/** DEL / UNLINK key [key ...]: how many keys were removed. */
export function del(ctx: CommandContext, args: string[]): Reply {
  const db = ctx.db;
  let removed = 0;
  for (let index = 1; index < args.length; index++) {
    if (db.delete(args[index]!)) {
      removed++;
      ctx.server.notify('g', 'del', args[index]!, db.index);
    }
  }
  return removed;
}

/** EXISTS key [key ...]: how many of the keys exist (a key named twice counts twice); access times stay. */
export function exists(ctx: CommandContext, args: string[]): Reply {
  const db = ctx.db;
  let found = 0;
  for (let index = 1; index < args.length; index++) if (db.has(args[index]!)) found++;
  return found;
}

/** TOUCH key [key ...]: as EXISTS, but each key found is looked up as a read (its LRU/LFU access is recorded). */
export function touch(ctx: CommandContext, args: string[]): Reply {
  const db = ctx.db;
  let found = 0;
  for (let index = 1; index < args.length; index++) if (db.get(args[index]!) !== undefined) found++;
  return found;
}

/** TYPE key: the type name as a simple string, `none` when missing. */
export function type(ctx: CommandContext, args: string[]): Reply {
  return TYPE_REPLIES[ctx.db.type(args[1]!) ?? 'none'];
}

/** RANDOMKEY: a random live key, or the null bulk string. */
export function randomkey(ctx: CommandContext): Reply {
  return ctx.db.randomKey() ?? null;
}

/** RENAME / RENAMENX (db.c renameGenericCommand): the value moves with its TTL. */
function renameGeneric(ctx: CommandContext, args: string[], onlyIfNew: boolean): Reply {
  const db = ctx.db;
  const source = args[1]!;
  const target = args[2]!;
  const value = db.get(source);
  if (value === undefined) fail(NO_SUCH_KEY);
  if (source === target) return onlyIfNew ? 0 : OK;
  if (onlyIfNew && db.has(target)) return 0;
  const expireAt = expireOf(db, source);
  db.delete(source);
  // Redis deletes an existing target, then adds the key anew (a 'new' event either way).
  db.delete(target);
  db.set(target, value, expireAt === undefined ? undefined : { expireAt });
  const server = ctx.server;
  server.notify('g', 'rename_from', source, db.index);
  server.notify('g', 'rename_to', target, db.index);
  server.signalKeyAsReady(db.index, target);
  return onlyIfNew ? 1 : OK;
}

/** RENAME key newkey. */
export function rename(ctx: CommandContext, args: string[]): Reply {
  return renameGeneric(ctx, args, false);
}

/** RENAMENX key newkey: 0 when newkey exists. */
export function renamenx(ctx: CommandContext, args: string[]): Reply {
  return renameGeneric(ctx, args, true);
}

/** KEYS pattern: every live key matching the glob. */
export function keys(ctx: CommandContext, args: string[]): Reply {
  const pattern = args[1]!;
  const all = pattern === '*';
  const found: Bytes[] = [];
  for (const key of ctx.db.keys()) if (all || matchGlob(pattern, key)) found.push(key);
  return found;
}


/**
 * Parses a SCAN cursor as Redis's strtoul does: an optional sign (a negative cursor wraps around), digits, nothing
 * else; the empty string is cursor 0. Throws 'ERR invalid cursor'.
 */
export function parseCursor(text: string): number {
  if (text.length === 0) return 0;
  if (text.length <= 15 && /^\d+$/.test(text)) return Number(text);
  if (!/^[+-]?\d+$/.test(text)) fail('ERR invalid cursor');
  const negative = text.charCodeAt(0) === 45;
  const magnitude = BigInt(negative || text.charCodeAt(0) === 43 ? text.slice(1) : text);
  if (magnitude > UINT64_MAX) fail('ERR invalid cursor');
  return Number(negative && magnitude !== 0n ? UINT64_MAX + 1n - magnitude : magnitude);
}

/** Walks one SCAN step of a database with MATCH / TYPE filters applied after the step, as Redis does. */
function scanStep(db: Database, cursor: number, count: number, pattern: string | undefined, typeName: string | undefined) {
  const step = db.scan(cursor, count);
  if (pattern === undefined && typeName === undefined) return step;
  const keys: Bytes[] = [];
  for (const key of step.keys) {
    if (pattern !== undefined && !matchGlob(pattern, key)) continue;
    if (typeName !== undefined && (db.type(key) ?? 'none') !== typeName) continue;
    keys.push(key);
  }
  return { cursor: step.cursor, keys };
}

/** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]: [next cursor as a bulk string, [keys]]. */
export function scan(ctx: CommandContext, args: string[]): Reply {
  const cursor = parseCursor(args[1]!);
  let count = 10;
  let pattern: string | undefined;
  let typeName: string | undefined;
  for (let index = 2; index < args.length; index++) {
    const option = args[index]!.toLowerCase();
    const hasValue = index + 1 < args.length;
    if (option === 'count' && hasValue) {
      count = integerArg(args[++index]!);
      if (count < 1) fail(SYNTAX_ERROR);
    } else if (option === 'match' && hasValue) {
      pattern = args[++index]!;
      if (pattern === '*') pattern = undefined;
    } else if (option === 'type' && hasValue) {
      typeName = args[++index]!.toLowerCase();
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  const step = scanStep(ctx.db, cursor, count, pattern, typeName);
  return [String(step.cursor), step.keys];
}
