/**
 * Set helpers shared by the set commands (Redis's t_set.c setType* functions): creating a set, adding members with
 * the one-way intset -> hashtable conversion that OBJECT ENCODING reports, and random draws.
 */
import type { SetValue } from '@mini-redis/store';
import type { CommandContext } from '../../context.js';
import { parseInteger } from '../../format.js';
import { isPromoted, promoteEncoding } from '../encoding.js';

/** set-max-intset-entries, read from the config. */
export function intsetLimit(ctx: CommandContext): number {
  return ctx.server.config.number('set-max-intset-entries');
}

/**
 * Adds members args[from..] to a set; returns how many were new. Promotes the set (intset -> hashtable) when a
 * non-integer member is added or the set grows past set-max-intset-entries, as setTypeAdd does.
 */
export function addMembers(ctx: CommandContext, set: SetValue, args: readonly string[], from: number): number {
  const before = set.size;
  let nonInteger = false;
  const promoted = isPromoted(set);
  for (let index = from; index < args.length; index++) {
    const member = args[index]!;
    if (set.has(member)) continue;
    set.add(member);
    if (!promoted && !nonInteger && parseInteger(member) === undefined) nonInteger = true;
  }
  const added = set.size - before;
  if (!promoted && added !== 0 && (nonInteger || set.size > intsetLimit(ctx))) promoteEncoding(set);
  return added;
}

/** Adds one member (SMOVE's destination); true when it was new. */
export function addMember(ctx: CommandContext, set: SetValue, member: string): boolean {
  if (set.has(member)) return false;
  set.add(member);
  if (!isPromoted(set) && (parseInteger(member) === undefined || set.size > intsetLimit(ctx))) promoteEncoding(set);
  return true;
}

/** A uniformly random member of a non-empty set. */
export function randomMember(set: SetValue): string {
  let skip = Math.floor(Math.random() * set.size);
  for (const member of set) if (skip-- === 0) return member;
  throw new Error('randomMember: empty set');
}

/** `count` distinct random members (count < size), in random order. */
export function distinctRandomMembers(set: SetValue, count: number): string[] {
  const all = Array.from(set);
  // Partial Fisher-Yates: the first `count` slots end up a uniform sample.
  for (let index = 0; index < count; index++) {
    const pick = index + Math.floor(Math.random() * (all.length - index));
    const chosen = all[pick]!;
    all[pick] = all[index]!;
    all[index] = chosen;
  }
  all.length = count;
  return all;
}
