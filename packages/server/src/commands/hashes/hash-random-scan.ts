/** HRANDFIELD and HSCAN: the hash commands whose replies depend on chance or on a cursor. */
import { EMPTY_ARRAY, RawReply } from '@mini-redis/protocol';
import type { HashValue } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import { matchGlob } from '../../glob.js';
import { fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import { parseCursor } from '../keys/keys-generic.js';
import { hashLimits, isListpack } from './hash-core.js';

const HALF_LONG_MAX = 4611686018427387903n;

function randomIndex(size: number): number {
  return Math.floor(Math.random() * size);
}

/** HRANDFIELD key [count [WITHVALUES]]. */
export function hrandfield(ctx: CommandContext, args: string[]): Reply {
  if (args.length >= 3) {
    const count = integerArg(args[2]!);
    if (args[2] === '-9223372036854775808') {
      fail('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
    }
    if (args.length > 4 || (args.length === 4 && args[3]!.toLowerCase() !== 'withvalues')) fail(SYNTAX_ERROR);
    const withValues = args.length === 4;
    // -LONG_MAX/2 .. LONG_MAX/2 keeps count * 2 within a long.
    if (withValues && !Number.isSafeInteger(count)) {
      const exact = BigInt(args[2]!);
      if (exact < -HALF_LONG_MAX || exact > HALF_LONG_MAX) fail('ERR value is out of range');
    }
    return randomFields(ctx, args[1]!, count, withValues);
  }
  const hash = ctx.db.getTyped(args[1]!, 'hash');
  if (hash === undefined) return null;
  let index = randomIndex(hash.size);
  for (const field of hash.keys()) if (index-- === 0) return field;
  return null;
}

function randomFields(ctx: CommandContext, key: string, count: number, withValues: boolean): Reply {
  const hash = ctx.db.getTyped(key, 'hash');
  if (hash === undefined || count === 0) return EMPTY_ARRAY;
  const pairs = ctx.protocol === 3;
  const fields = Array.from(hash.keys());
  const size = fields.length;
  const out: Reply[] = [];
  const emit = (field: string): void => {
    if (!withValues) out.push(field);
    else if (pairs) out.push([field, hash.get(field)!]);
    else out.push(field, hash.get(field)!);
  };
  if (count < 0 || count === 1) {
    // Repetition allowed: each pick samples the whole hash.
    const picks = Math.abs(count);
    if (picks > 0x7fffffff) fail('ERR value is out of range');
    for (let pick = 0; pick < picks; pick++) emit(fields[randomIndex(size)]!);
    return out;
  }
  if (count >= size) {
    for (const field of fields) emit(field);
    return out;
  }
  // Distinct picks: a partial Fisher-Yates shuffle.
  for (let pick = 0; pick < count; pick++) {
    const chosen = pick + randomIndex(size - pick);
    const field = fields[chosen]!;
    fields[chosen] = fields[pick]!;
    fields[pick] = field;
    emit(field);
  }
  return out;
}

/** FNV-1a over the field's bytes: the order a large hash is scanned in (cursor = next hash + 1). */
function fieldHash(field: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < field.length; index++) hash = Math.imul(hash ^ field.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

/** A large hash's fields sorted by fieldHash, taken when a scan needs it and dropped when a scan ends. */
interface ScanSnapshot {
  readonly hashes: Uint32Array;
  readonly fields: string[];
}

const snapshots = new WeakMap<HashValue, ScanSnapshot>();

function snapshotOf(hash: HashValue): ScanSnapshot {
  const entries = Array.from(hash.keys(), (field) => ({ field, hash: fieldHash(field) }));
  entries.sort((a, b) => a.hash - b.hash);
  const hashes = new Uint32Array(entries.length);
  const fields = new Array<string>(entries.length);
  for (let index = 0; index < entries.length; index++) {
    hashes[index] = entries[index]!.hash;
    fields[index] = entries[index]!.field;
  }
  return { hashes, fields };
}

/** The first snapshot position whose hash is >= target. */
function lowerBound(hashes: Uint32Array, target: number): number {
  let low = 0;
  let high = hashes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (hashes[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

const EMPTY_SCAN = new RawReply(Buffer.from('*2\r\n$1\r\n0\r\n*0\r\n'));

/**
 * HSCAN key cursor [MATCH pattern] [COUNT count]. A hash Redis holds as a listpack comes whole with cursor 0, as in
 * Redis. A larger one is walked in fieldHash order, about COUNT fields a call: every field present for the whole scan
 * is returned (a field added or removed meanwhile may or may not be), and any cursor is safe to resume from.
 */
export function hscan(ctx: CommandContext, args: string[]): Reply {
  const cursor = parseCursor(args[2]!);
  const hash = ctx.db.getTyped(args[1]!, 'hash');
  if (hash === undefined) return EMPTY_SCAN;
  let count = 10;
  let pattern: string | undefined;
  for (let index = 3; index < args.length; index++) {
    const option = args[index]!.toLowerCase();
    const more = index + 1 < args.length;
    if (option === 'count' && more) {
      count = integerArg(args[++index]!);
      if (count < 1) fail(SYNTAX_ERROR);
    } else if (option === 'match' && more) {
      pattern = args[++index]!;
      if (pattern === '*') pattern = undefined;
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  const items: string[] = [];
  if (isListpack(hash, hashLimits(ctx.server.config))) {
    for (const [field, value] of hash) {
      if (pattern === undefined || matchGlob(pattern, field)) items.push(field, value);
    }
    return ['0', items];
  }
  let snapshot = snapshots.get(hash);
  if (cursor === 0 || snapshot === undefined) {
    snapshot = snapshotOf(hash);
    snapshots.set(hash, snapshot);
  }
  const { hashes, fields } = snapshot;
  let position = cursor === 0 ? 0 : cursor > 0x100000000 ? hashes.length : lowerBound(hashes, cursor - 1);
  let taken = 0;
  while (position < hashes.length && (taken < count || hashes[position] === hashes[position - 1])) {
    const field = fields[position++]!;
    taken++;
    const value = hash.get(field);
    if (value !== undefined && (pattern === undefined || matchGlob(pattern, field))) items.push(field, value);
  }
  if (position >= hashes.length) {
    snapshots.delete(hash);
    return ['0', items];
  }
  return [String(hashes[position]! + 1), items];
}
