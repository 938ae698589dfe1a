/**
 * Multi-set commands of Redis's t_set.c: SMEMBERS, SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF,
 * SDIFFSTORE. Every key's type is checked before anything is computed; a missing key is an empty set. A *STORE with
 * an empty result deletes the destination (a `del` event when it existed).
 */
import { EMPTY_SET, RespSet } from '@mini-redis/protocol';
import type { SetValue } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import { parseInteger } from '../../format.js';
import { fail, SYNTAX_ERROR } from '../errors.js';
import { intsetLimit } from './set-encoding.js';
import { promoteEncoding } from '../encoding.js';

/** The sets under args[from..to) (undefined for a missing key), type-checked in order. */
function setsOf(ctx: CommandContext, args: readonly string[], from: number, to: number): Array<SetValue | undefined> {
  const sets: Array<SetValue | undefined> = [];
  for (let index = from; index < to; index++) sets.push(ctx.db.getTyped(args[index]!, 'set'));
  return sets;
}

/** The intersection, iterating the smallest set; stops at `limit` members (0 = no limit). */
function intersect(sets: Array<SetValue | undefined>, limit = 0): string[] {
  const present: SetValue[] = [];
  for (const set of sets) {
    if (set === undefined) return [];
    present.push(set);
  }
  present.sort((a, b) => a.size - b.size);
  const smallest = present[0]!;
  const result: string[] = [];
  outer: for (const member of smallest) {
    for (let index = 1; index < present.length; index++) if (!present[index]!.has(member)) continue outer;
    result.push(member);
    if (result.length === limit) break;
  }
  return result;
}

function union(sets: Array<SetValue | undefined>): Set<string> {
  const result = new Set<string>();
  for (const set of sets) if (set !== undefined) for (const member of set) result.add(member);
  return result;
}

function difference(sets: Array<SetValue | undefined>): Set<string> {
  const first = sets[0];
  const result = new Set<string>();
  if (first === undefined) return result;
  outer: for (const member of first) {
    for (let index = 1; index < sets.length; index++) if (sets[index]?.has(member)) continue outer;
    result.add(member);
  }
  return result;
}

/** SMEMBERS key / SINTER key [key ...]. */
export function sinter(ctx: CommandContext, args: string[]): Reply {
  const members = intersect(setsOf(ctx, args, 1, args.length));
  return members.length === 0 ? EMPTY_SET : new RespSet(members);
}

/** SUNION key [key ...]. */
export function sunion(ctx: CommandContext, args: string[]): Reply {
  const result = union(setsOf(ctx, args, 1, args.length));
  return result.size === 0 ? EMPTY_SET : new RespSet(Array.from(result));
}

/** SDIFF key [key ...]. */
export function sdiff(ctx: CommandContext, args: string[]): Reply {
  const result = difference(setsOf(ctx, args, 1, args.length));
  return result.size === 0 ? EMPTY_SET : new RespSet(Array.from(result));
}

/** Stores a *STORE result (as setKey: TTL cleared) or deletes the destination when empty; replies the size. */
export function storeSet(ctx: CommandContext, destination: string, result: Set<string>, event: string): Reply {
  const db = ctx.db;
  if (result.size === 0) {
    if (db.delete(destination)) ctx.server.notify('g', 'del', destination, db.index);
    return 0;
  }
  // The destination starts as an intset and converts as members are added (createIntsetObject + setTypeAdd).
  if (result.size > intsetLimit(ctx)) promoteEncoding(result);
  else for (const member of result) if (parseInteger(member) === undefined) {
    promoteEncoding(result);
    break;
  }
  db.set(destination, result);
  ctx.server.notify('s', event, destination, db.index);
  return result.size;
}

/** SINTERSTORE destination key [key ...]. */
export function sinterstore(ctx: CommandContext, args: string[]): Reply {
  const sets = setsOf(ctx, args, 2, args.length);
  return storeSet(ctx, args[1]!, new Set(intersect(sets)), 'sinterstore');
}

/** SUNIONSTORE destination key [key ...]. */
export function sunionstore(ctx: CommandContext, args: string[]): Reply {
  return storeSet(ctx, args[1]!, union(setsOf(ctx, args, 2, args.length)), 'sunionstore');
}

/** SDIFFSTORE destination key [key ...]. */
export function sdiffstore(ctx: CommandContext, args: string[]): Reply {
  return storeSet(ctx, args[1]!, difference(setsOf(ctx, args, 2, args.length)), 'sdiffstore');
}

/**
 * Parses `numkeys key [key ...]` at args[1] as SINTERCARD / ZINTERCARD / ZMPOP do; returns numkeys.
 * Errors: 'numkeys should be greater than 0', 'Number of keys can't be greater than number of args'.
 */
export function numkeysArg(args: readonly string[], at: number): number {
  const numkeys = parseInteger(args[at]!);
  if (numkeys === undefined || numkeys < 1) fail('ERR numkeys should be greater than 0');
  if (numkeys > args.length - at - 1) fail("ERR Number of keys can't be greater than number of args");
  return numkeys;
}

/** Parses a trailing `[LIMIT limit]` (SINTERCARD, ZINTERCARD): 0 = no limit. */
export function limitOption(args: readonly string[], from: number): number {
  let limit = 0;
  for (let index = from; index < args.length; index++) {
    if (args[index]!.toLowerCase() === 'limit' && index + 1 < args.length) {
      const value = parseInteger(args[++index]!);
      if (value === undefined || value < 0) fail("ERR LIMIT can't be negative");
      limit = value;
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  return limit;
}

/** SINTERCARD numkeys key [key ...] [LIMIT limit]. */
export function sintercard(ctx: CommandContext, args: string[]): Reply {
  const numkeys = numkeysArg(args, 1);
  const limit = limitOption(args, 2 + numkeys);
  return intersect(setsOf(ctx, args, 2, 2 + numkeys), limit).length;
}

