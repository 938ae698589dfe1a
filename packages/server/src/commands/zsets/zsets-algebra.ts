/**
 * ZUNION, ZINTER, ZDIFF and their *STORE forms, and ZINTERCARD (Redis 7.0's zunionInterDiffGenericCommand): sets are
 * accepted as inputs with score 1; WEIGHTS and AGGREGATE SUM|MIN|MAX; a NaN product or sum (inf + -inf) counts as 0.
 * Inputs are combined smallest first, as Redis sorts them, so sums round the same way.
 */
import { EMPTY_ARRAY } from '@mini-redis/protocol';
import { createSortedSet, type ScoredMember, type SetValue, type SortedSetValue } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import { parseInteger } from '../../format.js';
import { fail, integerArg, SYNTAX_ERROR, WRONG_TYPE } from '../errors.js';
import { limitOption } from '../sets/sets-algebra.js';
import { buildStoredZset, parseDouble, scoredReply } from './zset-parse.js';

type Operation = 'union' | 'inter' | 'diff';
type Aggregate = 'sum' | 'min' | 'max';

interface Source {
  readonly value: SortedSetValue | SetValue | undefined;
  weight: number;
}

function sizeOf(source: Source): number {
  return source.value === undefined ? 0 : source.value.size;
}

function scoreIn(value: SortedSetValue | SetValue, member: string): number | undefined {
  if (value instanceof Set) return value.has(member) ? 1 : undefined;
  return value.score(member);
}

function* entries(value: SortedSetValue | SetValue): Generator<[string, number]> {
  if (value instanceof Set) for (const member of value) yield [member, 1];
  else for (const item of value) yield [item.member, item.score];
}

function aggregate(how: Aggregate, target: number, value: number): number {
  if (how === 'sum') {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  return how === 'min' ? (value < target ? value : target) : value > target ? value : target;
}

/** Looks the sources up (zsets or sets; anything else is WRONGTYPE). */
function sourcesOf(ctx: CommandContext, keys: readonly string[]): Source[] {
  const sources: Source[] = [];
  for (const key of keys) {
    const value = ctx.db.get(key);
    if (value !== undefined && !(value instanceof Set) && (typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Map || value.kind !== 'zset')) {
      fail(WRONG_TYPE);
    }
    sources.push({ value: value as SortedSetValue | SetValue | undefined, weight: 1 });
  }
  return sources;
}

function combine(sources: Source[], operation: Operation, how: Aggregate): Map<string, number> {
  const result = new Map<string, number>();
  if (operation === 'diff') {
    const first = sources[0]!.value;
    if (first === undefined) return result;
    const rest = sources.slice(1);
    outer: for (const [member, score] of entries(first)) {
      for (const source of rest) if (source.value !== undefined && scoreIn(source.value, member) !== undefined) continue outer;
      result.set(member, score);
    }
    return result;
  }
  const ordered = [...sources].sort((a, b) => sizeOf(a) - sizeOf(b));
  if (operation === 'inter') {
    const first = ordered[0]!;
    if (first.value === undefined) return result;
    outer: for (const [member, score] of entries(first.value)) {
      let total = first.weight * score;
      if (Number.isNaN(total)) total = 0;
      for (let index = 1; index < ordered.length; index++) {
        const other = ordered[index]!;
        const found = other.value === undefined ? undefined : scoreIn(other.value, member);
        if (found === undefined) continue outer;
        let weighted = other.weight * found;
        if (Number.isNaN(weighted)) weighted = 0;
        total = aggregate(how, total, weighted);
      }
      result.set(member, total);
    }
    return result;
  }
  for (const source of ordered) {
    if (source.value === undefined) continue;
    for (const [member, score] of entries(source.value)) {
      let weighted = source.weight * score;
      if (Number.isNaN(weighted)) weighted = 0;
      const current = result.get(member);
      result.set(member, current === undefined ? weighted : aggregate(how, current, weighted));
    }
  }
  return result;
}

function toSortedSet(result: Map<string, number>): SortedSetValue {
  const zset = createSortedSet();
  for (const [member, score] of result) zset.add(member, score);
  return zset;
}

/** zunionInterDiffGenericCommand: `numkeysAt` 1 (ZUNION...) or 2 (the *STORE forms, args[1] the destination). */
function zsetOperation(operation: Operation, store: boolean) {
  return (ctx: CommandContext, args: string[]): Reply => {
    const numkeysAt = store ? 2 : 1;
    const name = args[0]!.toLowerCase();
    const numkeys = integerArg(args[numkeysAt]!);
    if (numkeys < 1) fail(`ERR at least 1 input key is needed for '${name}' command`);
    if (numkeys > args.length - numkeysAt - 1) fail(SYNTAX_ERROR);
    const keysEnd = numkeysAt + 1 + numkeys;
    const sources = sourcesOf(ctx, args.slice(numkeysAt + 1, keysEnd));
    let how: Aggregate = 'sum';
    let withScores = false;
    for (let index = keysEnd; index < args.length; ) {
      const option = args[index]!.toLowerCase();
      const remaining = args.length - index;
      if (operation !== 'diff' && remaining >= numkeys + 1 && option === 'weights') {
        index++;
        for (const source of sources) source.weight = parseDouble(args[index++]!, 'ERR weight value is not a float');
      } else if (operation !== 'diff' && remaining >= 2 && option === 'aggregate') {
        const value = args[index + 1]!.toLowerCase();
        if (value !== 'sum' && value !== 'min' && value !== 'max') fail(SYNTAX_ERROR);
        how = value;
        index += 2;
      } else if (!store && option === 'withscores') {
        withScores = true;
        index++;
      } else {
        fail(SYNTAX_ERROR);
      }
    }
    const result = combine(sources, operation, how);
    if (store) {
      const destination = args[1]!;
      const db = ctx.db;
      if (result.size === 0) {
        if (db.delete(destination)) ctx.server.notify('g', 'del', destination, db.index);
        return 0;
      }
      const existed = db.has(destination);
      db.set(destination, buildStoredZset(ctx, result));
      ctx.server.notify('z', `z${operation}store`, destination, db.index);
      if (!existed) ctx.server.signalKeyAsReady(db.index, destination);
      return result.size;
    }
    if (result.size === 0) return EMPTY_ARRAY;
    const items: ScoredMember[] = [];
    for (const item of toSortedSet(result)) items.push(item);
    return scoredReply(ctx, items, withScores);
  };
}

export const zunion = zsetOperation('union', false);
export const zinter = zsetOperation('inter', false);
export const zdiff = zsetOperation('diff', false);
export const zunionstore = zsetOperation('union', true);
export const zinterstore = zsetOperation('inter', true);
export const zdiffstore = zsetOperation('diff', true);

/** ZINTERCARD numkeys key [key ...] [LIMIT limit]. */
export function zintercard(ctx: CommandContext, args: string[]): Reply {
  const numkeys = parseInteger(args[1]!);
  if (numkeys === undefined) fail('ERR value is not an integer or out of range');
  if (numkeys < 1) fail("ERR at least 1 input key is needed for 'zintercard' command");
  if (numkeys > args.length - 2) fail(SYNTAX_ERROR);
  const sources = sourcesOf(ctx, args.slice(2, 2 + numkeys));
  const limit = limitOption(args, 2 + numkeys);
  const ordered = [...sources].sort((a, b) => sizeOf(a) - sizeOf(b));
  const first = ordered[0]!.value;
  if (first === undefined) return 0;
  let count = 0;
  outer: for (const [member] of entries(first)) {
    for (let index = 1; index < ordered.length; index++) {
      const other = ordered[index]!.value;
      if (other === undefined || scoreIn(other, member) === undefined) continue outer;
    }
    count++;
    if (count === limit) break;
  }
  return count;
}

