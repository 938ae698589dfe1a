/**
 * The HyperLogLog family (hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST. Values are strings in Redis's
 * own representation (hll-core.ts), so GET/SET move them between this server and a real Redis unchanged.
 */
import { SimpleString, OK } from '@mini-redis/protocol';
import type { Bytes, StringValue } from '@mini-redis/store';
import type { CommandContext, CommandSpec, Reply } from '../../context.js';
import { cString, fail } from '../errors.js';
import { ownedBuffer, writableBuffer } from '../strings/string-buffer.js';
import {
  cacheValid, cachedCardinality, createHll, denseGet, denseSet, estimate, HLL_DENSE, HLL_DENSE_SIZE, HLL_HDR_SIZE,
  HLL_REGISTERS, HLL_SPARSE, hllPatLen, invalidateCache, INVALID_HLL, isValidHll, mergeInto, newHistogram, NOT_HLL,
  pattern, registerHistogram, setCachedCardinality, sparseToDense,
} from './hll-core.js';
import { SparseHll } from './hll-sparse.js';
import { selfTest } from './hll-selftest.js';

/** Shared options of the writes that keep the key's TTL (no allocation per call). */
const KEEP_TTL = { keepTtl: true } as const;

interface Loaded {
  readonly stored: StringValue;
  readonly bytes: Buffer;
}

/** The key's HLL (lookup + isHLLObjectOrReply), or undefined when the key does not exist. */
function load(ctx: CommandContext, key: Bytes): Loaded | undefined {
  const stored = ctx.db.getTyped(key, 'string');
  if (stored === undefined) return undefined;
  const bytes = typeof stored === 'string' ? Buffer.from(stored, 'latin1') : stored;
  if (!isValidHll(bytes)) fail(NOT_HLL);
  return { stored, bytes };
}

function maxSparseBytes(ctx: CommandContext): number {
  return ctx.server.config.number('hll-sparse-max-bytes');
}

/** A dense copy of `source` in a Buffer that may be written in place once stored. */
function ownedDense(source: Buffer): Buffer {
  const out = ownedBuffer(HLL_DENSE_SIZE);
  source.copy(out, 0, 0, HLL_DENSE_SIZE);
  return out;
}

function pfadd(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const db = ctx.db;
  const loaded = load(ctx, key);
  const created = loaded === undefined;
  let updated = created ? 1 : 0;
  const bytes = loaded?.bytes ?? createHll();
  let sparse = bytes[4] === HLL_SPARSE ? new SparseHll(bytes) : undefined;
  /** The dense value being written, once it is writable (in place in the db, or a new Buffer to store). */
  let dense: Buffer | undefined;
  let denseInPlace = false;
  const maxBytes = maxSparseBytes(ctx);
  let error = false;
  for (let j = 2; j < args.length; j++) {
    hllPatLen(args[j]!);
    if (sparse !== undefined) {
      const result = sparse.set(pattern.index, pattern.count, maxBytes);
      if (result === 'promote') {
        const converted = sparseToDense(sparse.bytes, sparse.length);
        if (converted === undefined) {
          error = true;
          break;
        }
        dense = ownedDense(converted);
        sparse = undefined;
        denseSet(dense, pattern.index, pattern.count);
        updated++;
      } else if (result === -1) {
        error = true;
        break;
      } else {
        updated += result;
      }
    } else {
      if (dense === undefined) {
        if (denseGet(bytes, HLL_HDR_SIZE, pattern.index) >= pattern.count) continue;
        const writable = writableBuffer(db, key, loaded!.stored, bytes.length);
        dense = writable.buffer;
        denseInPlace = !writable.stored;
      }
      if (denseSet(dense, pattern.index, pattern.count)) updated++;
    }
  }
  if (updated > 0 || error) {
    const keep = created ? undefined : KEEP_TTL;
    if (sparse !== undefined) {
      if (!error || updated > 0) db.set(key, sparse.toBuffer(), keep);
    } else if (dense !== undefined) {
      if (denseInPlace) db.touch(key, 'pfadd');
      else if (dense !== loaded?.stored) db.set(key, dense, keep);
    }
  }
  if (error) fail(INVALID_HLL);
  if (updated === 0) return 0;
  const final = db.getTyped(key, 'string');
  if (final !== undefined && typeof final !== 'string') invalidateCache(final);
  ctx.server.notify('$', 'pfadd', key, db.index);
  return 1;
}

function pfcount(ctx: CommandContext, args: string[]): Reply {
  const histogram = newHistogram();
  if (args.length > 2) {
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < args.length; j++) {
      const loaded = load(ctx, args[j]!);
      if (loaded === undefined) continue;
      if (!mergeInto(max, loaded.bytes)) fail(INVALID_HLL);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) histogram[max[i]!]!++;
    return estimate(histogram);
  }
  const key = args[1]!;
  const loaded = load(ctx, key);
  if (loaded === undefined) return 0;
  if (cacheValid(loaded.bytes)) return cachedCardinality(loaded.bytes);
  if (!registerHistogram(loaded.bytes, histogram, true)) fail(INVALID_HLL);
  const card = estimate(histogram);
  const writable = writableBuffer(ctx.db, key, loaded.stored, loaded.bytes.length);
  setCachedCardinality(writable.buffer, card);
  if (!writable.stored) ctx.db.touch(key);
  return card;
}

function pfmerge(ctx: CommandContext, args: string[]): Reply {
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let j = 1; j < args.length; j++) {
    const loaded = load(ctx, args[j]!);
    if (loaded === undefined) continue;
    if (loaded.bytes[4] === HLL_DENSE) useDense = true;
    if (!mergeInto(max, loaded.bytes)) fail(INVALID_HLL);
  }
  const key = args[1]!;
  const db = ctx.db;
  const loaded = load(ctx, key);
  const keep = loaded === undefined ? undefined : KEEP_TTL;
  let bytes = loaded?.bytes ?? createHll();
  if (useDense && bytes[4] === HLL_SPARSE) {
    const converted = sparseToDense(bytes);
    if (converted === undefined) fail(INVALID_HLL);
    bytes = converted;
  }
  let sparse = bytes[4] === HLL_SPARSE ? new SparseHll(bytes) : undefined;
  let dense = sparse === undefined ? ownedDense(bytes) : undefined;
  const maxBytes = maxSparseBytes(ctx);
  for (let j = 0; j < HLL_REGISTERS; j++) {
    const value = max[j]!;
    if (value === 0) continue;
    if (sparse !== undefined) {
      const result = sparse.set(j, value, maxBytes);
      if (result === 'promote') {
        const converted = sparseToDense(sparse.bytes, sparse.length);
        if (converted === undefined) break;
        dense = ownedDense(converted);
        sparse = undefined;
        denseSet(dense, j, value);
      }
    } else {
      denseSet(dense!, j, value);
    }
  }
  const result = sparse !== undefined ? sparse.toBuffer() : dense!;
  invalidateCache(result);
  db.set(key, result, keep);
  ctx.server.notify('$', 'pfadd', key, db.index);
  return OK;
}

function pfdebug(ctx: CommandContext, args: string[]): Reply {
  const subcommand = args[1]!;
  const key = args[2]!;
  const loaded = load(ctx, key);
  if (loaded === undefined) fail('ERR The specified key does not exist');
  const bytes = loaded.bytes;
  const toDense = (): Buffer => {
    const converted = sparseToDense(bytes);
    if (converted === undefined) fail(INVALID_HLL);
    const dense = ownedDense(converted);
    ctx.db.set(key, dense, KEEP_TTL);
    return dense;
  };
  switch (subcommand.toLowerCase()) {
    case 'getreg': {
      const dense = bytes[4] === HLL_SPARSE ? toDense() : bytes;
      const registers: number[] = new Array<number>(HLL_REGISTERS);
      for (let j = 0; j < HLL_REGISTERS; j++) registers[j] = denseGet(dense, HLL_HDR_SIZE, j);
      return registers;
    }
    case 'decode': {
      if (bytes[4] !== HLL_SPARSE) fail('ERR HLL encoding is not sparse');
      const parts: string[] = [];
      let p = HLL_HDR_SIZE;
      while (p < bytes.length) {
        const op = bytes[p]!;
        if ((op & 0xc0) === 0) {
          parts.push(`z:${(op & 0x3f) + 1}`);
          p++;
        } else if ((op & 0xc0) === 0x40) {
          parts.push(`Z:${(((op & 0x3f) << 8) | (p + 1 < bytes.length ? bytes[p + 1]! : 0)) + 1}`);
          p += 2;
        } else {
          parts.push(`v:${((op >> 2) & 0x1f) + 1},${(op & 3) + 1}`);
          p++;
        }
      }
      return parts.join(' ');
    }
    case 'encoding':
      return new SimpleString(bytes[4] === HLL_DENSE ? 'dense' : 'sparse');
    case 'todense':
      if (bytes[4] !== HLL_SPARSE) return 0;
      toDense();
      return 1;
    default:
      return fail(`ERR Unknown PFDEBUG subcommand '${cString(subcommand)}'`);
  }
}

function pfselftest(): Reply {
  const problem = selfTest();
  if (problem !== undefined) fail(problem);
  return OK;
}

// prettier-ignore
export const hyperLogLogCommands: readonly CommandSpec[] = [
  {
    name: 'pfadd', arity: -2, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: ['hyperloglog'], run: pfadd,
  },
  {
    name: 'pfcount', arity: -2, flags: ['readonly', 'may_replicate'], firstKey: 1, lastKey: -1, keyStep: 1, categories: ['hyperloglog'],
    run: pfcount,
  },
  {
    name: 'pfmerge', arity: -2, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, keyStep: 1,
    categories: ['hyperloglog'], run: pfmerge,
  },
  {
    name: 'pfdebug', arity: 3, flags: ['write', 'denyoom', 'admin'], firstKey: 2, lastKey: 2, keyStep: 1,
    categories: ['hyperloglog', 'admin', 'slow', 'dangerous'], run: pfdebug,
  },
  {
    name: 'pfselftest', arity: 1, flags: ['admin'], categories: ['hyperloglog', 'admin', 'slow', 'dangerous'],
    run: pfselftest,
  },
];
