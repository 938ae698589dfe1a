/**
 * Value size estimates shared by DEBUG OBJECT and MEMORY USAGE, and the MEMORY command. We do not lay values out as
 * Redis does, so the numbers follow Redis's structures roughly (a dict entry, an object header, the payload).
 */
import { OK, RespDouble, RespMap, type RespValue, SimpleString, VerbatimString } from '@mini-redis/protocol';
import type { Value } from '@mini-redis/store';
import type { CommandContext, CommandSpec } from '../../context.js';
import { fail, integerArg, SYNTAX_ERROR } from '../errors.js';

/** dictEntry (24) + robj header (16). */
const KEY_OVERHEAD = 40;

/** Bytes of an sds holding `length` bytes (header + payload + NUL). */
function sdsSize(length: number): number {
  const header = length < 256 ? 3 : length < 65536 ? 5 : 9;
  return header + length + 1;
}

/** Payload bytes of a value, sampling at most `samples` elements of a container (0 = all). */
export function valueSize(value: Value, samples = 5): number {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return sdsSize(value.length);
  let items: Iterable<string>;
  let count: number;
  if (value instanceof Map) {
    items = (function* () {
      for (const [field, item] of value) yield field + item;
    })();
    count = value.size;
  } else if (value instanceof Set) {
    items = value;
    count = value.size;
  } else if (value.kind === 'list') {
    items = value;
    count = value.length;
  } else if (value.kind === 'zset') {
    items = (function* () {
      for (const { member } of value) yield member;
    })();
    count = value.size;
  } else {
    return 64 * value.length;
  }
  if (count === 0) return 0;
  let sampled = 0;
  let bytes = 0;
  for (const item of items) {
    bytes += sdsSize(item.length) + 16;
    if (++sampled === samples) break;
  }
  return Math.round((bytes / sampled) * count);
}

/** MEMORY USAGE's estimate for a key holding a value. */
export function keyMemory(key: string, value: Value, samples = 5): number {
  return KEY_OVERHEAD + sdsSize(key.length) + valueSize(value, samples);
}

function usage(ctx: CommandContext, args: string[]): RespValue {
  let samples = 5;
  for (let i = 3; i < args.length; i++) {
    if (args[i]!.toLowerCase() === 'samples' && i + 1 < args.length) {
      samples = integerArg(args[++i]!);
      if (samples < 0) fail(SYNTAX_ERROR);
      if (samples === 0) samples = Number.MAX_SAFE_INTEGER;
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  const value = ctx.db.get(args[2]!);
  return value === undefined ? null : keyMemory(args[2]!, value, samples);
}

const EMPTY_INSTANCE =
  "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these " +
  'conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to ' +
  'our programming as soon as I finished rebooting.\n';
const NO_ISSUES = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";

function keyCount(ctx: CommandContext): number {
  let keys = 0;
  for (let index = 0; index < ctx.server.store.databaseCount; index++) keys += ctx.server.store.db(index).size();
  return keys;
}

function doctor(ctx: CommandContext): RespValue {
  return new VerbatimString('txt', keyCount(ctx) === 0 ? EMPTY_INSTANCE : NO_ISSUES);
}

function stats(ctx: CommandContext): RespValue {
  const memory = process.memoryUsage();
  const keys = keyCount(ctx);
  const dataset = Math.max(memory.heapUsed - 1_000_000, 0);
  return new RespMap([
    'peak.allocated', memory.heapUsed,
    'total.allocated', memory.heapUsed,
    'startup.allocated', 0,
    'replication.backlog', 0,
    'clients.slaves', 0,
    'clients.normal', 0,
    'cluster.links', 0,
    'aof.buffer', 0,
    'lua.caches', 0,
    'functions.caches', 0,
    'overhead.total', 0,
    'keys.count', keys,
    'keys.bytes-per-key', keys === 0 ? 0 : Math.floor(memory.heapUsed / keys),
    'dataset.bytes', dataset,
    'dataset.percentage', new RespDouble(memory.heapUsed === 0 ? 0 : (dataset * 100) / memory.heapUsed),
    'peak.percentage', new RespDouble(100),
    'allocator.allocated', memory.heapUsed,
    'allocator.active', memory.heapTotal,
    'allocator.resident', memory.rss,
    'allocator-fragmentation.ratio', new RespDouble(memory.heapTotal / Math.max(memory.heapUsed, 1)),
    'allocator-fragmentation.bytes', memory.heapTotal - memory.heapUsed,
    'allocator-rss.ratio', new RespDouble(memory.rss / Math.max(memory.heapTotal, 1)),
    'allocator-rss.bytes', memory.rss - memory.heapTotal,
    'rss-overhead.ratio', new RespDouble(1),
    'rss-overhead.bytes', 0,
    'fragmentation', new RespDouble(memory.rss / Math.max(memory.heapUsed, 1)),
    'fragmentation.bytes', memory.rss - memory.heapUsed,
  ]);
}

function mallocStats(): RespValue {
  return new VerbatimString('txt', 'Stats not supported for the current allocator');
}

const HELP = [
  'MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

/** MEMORY's table entry. */
export const memoryCommand = {
  name: 'memory', arity: -2, flags: [], categories: ['slow'],
  subcommands: [
    { name: 'usage', arity: -3, flags: ['readonly'], firstKey: 2, lastKey: 2, keyStep: 1, categories: ['slow'], run: usage },
    { name: 'doctor', arity: 2, flags: [], categories: ['slow'], run: doctor },
    { name: 'stats', arity: 2, flags: [], categories: ['slow'], run: stats },
    { name: 'malloc-stats', arity: 2, flags: [], categories: ['slow'], run: mallocStats },
    { name: 'purge', arity: 2, flags: [], categories: ['slow'], run: () => OK },
    { name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['slow'], run: () => HELP },
  ],
} as const satisfies CommandSpec;

