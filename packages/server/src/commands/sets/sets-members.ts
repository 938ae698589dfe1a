/**
 * Single-set commands of Redis's t_set.c: SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMOVE, SPOP, SRANDMEMBER, with
 * Redis's keyspace events (and its `del` event when a command empties a set).
 */
import { EMPTY_ARRAY, EMPTY_SET, RespSet } from '@mini-redis/protocol';
import type { CommandContext, Reply } from '../../context.js';
import { parseInteger } from '../../format.js';
import { fail, NOT_INTEGER, SYNTAX_ERROR } from '../errors.js';
import { addMember, addMembers, distinctRandomMembers, randomMember } from './set-encoding.js';

/** SADD key member [member ...]. */
export function sadd(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const db = ctx.db;
  let set = db.getTyped(key, 'set');
  if (set === undefined) {
    set = new Set<string>();
    db.set(key, set);
  }
  const added = addMembers(ctx, set, args, 2);
  if (added !== 0) {
    db.touch(key, 'sadd');
    ctx.server.notify('s', 'sadd', key, db.index);
  }
  return added;
}

/** SREM key member [member ...]. */
export function srem(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const db = ctx.db;
  const set = db.getTyped(key, 'set');
  if (set === undefined) return 0;
  let removed = 0;
  for (let index = 2; index < args.length; index++) {
    if (set.delete(args[index]!)) {
      removed++;
      if (set.size === 0) break;
    }
  }
  if (removed !== 0) {
    db.touch(key, 'srem');
    ctx.server.notify('s', 'srem', key, db.index);
    if (set.size === 0) ctx.server.notify('g', 'del', key, db.index);
  }
  return removed;
}

/** SCARD key. */
export function scard(ctx: CommandContext, args: string[]): Reply {
  return ctx.db.getTyped(args[1]!, 'set')?.size ?? 0;
}

/** SISMEMBER key member. */
export function sismember(ctx: CommandContext, args: string[]): Reply {
  const set = ctx.db.getTyped(args[1]!, 'set');
  return set !== undefined && set.has(args[2]!) ? 1 : 0;
}

/** SMISMEMBER key member [member ...]. */
export function smismember(ctx: CommandContext, args: string[]): Reply {
  const set = ctx.db.getTyped(args[1]!, 'set');
  const reply: number[] = [];
  for (let index = 2; index < args.length; index++) reply.push(set !== undefined && set.has(args[index]!) ? 1 : 0);
  return reply;
}

/** SMOVE source destination member (smoveCommand's order of checks and events). */
export function smove(ctx: CommandContext, args: string[]): Reply {
  const db = ctx.db;
  const source = args[1]!;
  const destination = args[2]!;
  const member = args[3]!;
  const sourceValue = db.get(source);
  if (sourceValue === undefined) return 0;
  const from = db.getTyped(source, 'set')!;
  let to = db.getTyped(destination, 'set');
  if (from === to) return from.has(member) ? 1 : 0;
  if (!from.delete(member)) return 0;
  const server = ctx.server;
  db.touch(source, 'srem');
  server.notify('s', 'srem', source, db.index);
  if (from.size === 0) server.notify('g', 'del', source, db.index);
  if (to === undefined) {
    to = new Set<string>();
    db.set(destination, to);
  }
  if (addMember(ctx, to, member)) {
    db.touch(destination, 'sadd');
    server.notify('s', 'sadd', destination, db.index);
  }
  return 1;
}

/** A count for SPOP: getRangeLongFromObjectOrReply(0, LONG_MAX) with one message for every failure. */
function positiveCount(text: string): number {
  const count = parseInteger(text);
  if (count === undefined || count < 0) fail('ERR value is out of range, must be positive');
  return count;
}

/** SPOP key [count]. */
export function spop(ctx: CommandContext, args: string[]): Reply {
  if (args.length > 3) fail(SYNTAX_ERROR);
  const key = args[1]!;
  const db = ctx.db;
  const server = ctx.server;
  if (args.length === 2) {
    const set = db.getTyped(key, 'set');
    if (set === undefined) return null;
    const member = randomMember(set);
    set.delete(member);
    db.touch(key, 'spop');
    server.notify('s', 'spop', key, db.index);
    if (set.size === 0) server.notify('g', 'del', key, db.index);
    return member;
  }
  const count = positiveCount(args[2]!);
  const set = db.getTyped(key, 'set');
  if (set === undefined || count === 0) return EMPTY_SET;
  if (count >= set.size) {
    // spopWithCountCommand's case 1: the whole set, deleted (`spop`, then `del`).
    const all = Array.from(set);
    server.notify('s', 'spop', key, db.index);
    db.delete(key);
    server.notify('g', 'del', key, db.index);
    return new RespSet(all);
  }
  server.notify('s', 'spop', key, db.index);
  const popped = distinctRandomMembers(set, count);
  for (const member of popped) set.delete(member);
  db.touch(key, 'spop');
  return new RespSet(popped);
}

/** The largest reply SRANDMEMBER with a negative count builds. */
export const MAX_REPLY = 100_000_000;

/** SRANDMEMBER's count: getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX). */
function randomCount(text: string): number {
  const count = parseInteger(text);
  if (count === undefined) fail(NOT_INTEGER);
  if (text === '-9223372036854775808') {
    fail('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  }
  return count;
}

/** SRANDMEMBER key [count]. */
export function srandmember(ctx: CommandContext, args: string[]): Reply {
  if (args.length > 3) fail(SYNTAX_ERROR);
  const key = args[1]!;
  if (args.length === 2) {
    const set = ctx.db.getTyped(key, 'set');
    return set === undefined ? null : randomMember(set);
  }
  const count = randomCount(args[2]!);
  const set = ctx.db.getTyped(key, 'set');
  if (set === undefined || count === 0) return EMPTY_ARRAY;
  if (count < 0) {
    // Redis would stream any count; a reply this size cannot be built in memory here.
    if (count < -MAX_REPLY) fail('ERR value is out of range');
    const all = Array.from(set);
    const reply: string[] = new Array<string>(-count);
    for (let index = 0; index < reply.length; index++) reply[index] = all[Math.floor(Math.random() * all.length)]!;
    return reply;
  }
  if (count >= set.size) return Array.from(set);
  return distinctRandomMembers(set, count);
}
