/**
 * INFO keyspace_hits / keyspace_misses: Redis counts one hit or miss per lookupKeyRead* of a key (not for writes'
 * lookupKeyWrite, nor for MEMORY USAGE or DEBUG's dictFind). The command table gives each spec the keys it reads:
 * every key of a readonly command, the source keys of the write commands that read them with lookupKeyRead (SORT,
 * *STORE, BITOP, COPY, PFMERGE, GETSET...), or 'self' for the string commands that count in their handlers (GET,
 * MGET, GETDEL, GETEX, SET ... GET: the hot path adds no lookup). The dispatcher checks the keys before the run.
 */
import type { ValueType } from '@mini-redis/store';
import type { CommandSpec, DerivedRules, KeyReads } from '../context.js';
import { parseInteger } from '../format.js';

type Keys = KeyReads['keys'];

const SELF = new Set(['get', 'mget', 'getdel', 'getex', 'set']);

/** The numkeys form: `count` keys after args[at]. */
function numkeys(at: number): Keys {
  return (args) => {
    const count = parseInteger(args[at] ?? '');
    return count !== undefined && count > 0 && count <= args.length - at - 1 ? args.slice(at + 1, at + 1 + count) : [];
  };
}

/** BITFIELD reads with lookupKeyRead when it has no SET or INCRBY operation. */
function bitfieldReads(args: readonly string[]): readonly string[] {
  for (let index = 2; index < args.length; index++) {
    const word = args[index]!.toLowerCase();
    if (word === 'set' || word === 'incrby') return [];
  }
  return [args[1]!];
}

/** *SCAN key cursor: the cursor (strtoul) is parsed before the lookup, the options after it. */
function scanReads(args: readonly string[]): readonly string[] {
  const cursor = (args[2] ?? '').split('\0')[0]!; // a C string: strtoul stops at the first NUL
  if (cursor === '') return [args[1]!];
  const digits = /^[+-]?(\d+)$/.exec(cursor)?.[1];
  return digits !== undefined && BigInt(digits) <= 0xffffffffffffffffn ? [args[1]!] : [];
}

/** Write commands that read some keys with lookupKeyRead (and readonly ones whose keys need care). */
const WRITE_READS: Record<string, Keys> = {
  getset: (args) => [args[1]!],
  sort: (args) => [args[1]!],
  copy: (args) => [args[1]!],
  bitop: (args) => args.slice(3),
  bitfield: bitfieldReads,
  pfmerge: (args) => args.slice(1),
  sinterstore: (args) => args.slice(2),
  sunionstore: (args) => args.slice(2),
  sdiffstore: (args) => args.slice(2),
  zunionstore: numkeys(2),
  zinterstore: numkeys(2),
  zdiffstore: numkeys(2),
  zrangestore: (args) => [args[2]!],
  sscan: scanReads,
  hscan: scanReads,
  zscan: scanReads,
  // readonly, but the bit is parsed before the lookup
  bitpos: (args) => (args[2] === '0' || args[2] === '1' ? [args[1]!] : []),
  georadius: (args) => [args[1]!],
  georadiusbymember: (args) => [args[1]!],
  geosearchstore: (args) => [args[2]!],
};

/** Commands that look their keys up before parsing their other arguments (so a syntax error still counts them). */
const EARLY = new Set(['zunionstore', 'zinterstore', 'zdiffstore', 'zunion', 'zinter', 'zdiff', 'zintercard', 'lcs', 'bitcount', 'bitpos', 'sscan', 'hscan', 'zscan', 'lindex',
  'georadius', 'georadiusbymember', 'georadius_ro', 'georadiusbymember_ro', 'geosearch', 'geosearchstore',
]);

/** Readonly commands whose lookups Redis does not count. */
const NOT_COUNTED = new Set(['usage']); // MEMORY USAGE: dictFind

/** The value types a command's family accepts (a WRONGTYPE error stops at the first key of another type). */
function typesOf(spec: CommandSpec): ReadonlySet<ValueType> {
  const categories = spec.categories ?? [];
  const types = new Set<ValueType>();
  if (categories.includes('string') || categories.includes('bitmap') || categories.includes('hyperloglog')) types.add('string');
  if (categories.includes('list')) types.add('list');
  if (categories.includes('hash')) types.add('hash');
  if (categories.includes('set')) types.add('set');
  if (categories.includes('sortedset') || categories.includes('geo')) types.add('zset');
  if (categories.includes('stream')) types.add('stream');
  if (categories.includes('sortedset') && /^z(union|inter|diff)/.test(spec.name)) types.add('set');
  return types;
}

function keysOf(spec: CommandSpec): Keys | undefined {
  const name = spec.name;
  const write = WRITE_READS[name];
  if (write !== undefined) return write;
  if (!spec.flags.includes('readonly') || spec.keySpecFlags?.includes('not_key')) return undefined;
  if (spec.categories?.includes('scripting') || NOT_COUNTED.has(name)) return undefined;
  if (spec.flags.includes('movablekeys')) {
    const keys = spec.keys;
    return keys === undefined ? undefined : (args) => keys(args) ?? [];
  }
  const first = spec.firstKey ?? 0;
  if (first <= 0) return undefined;
  const last = spec.lastKey ?? first;
  const step = spec.keyStep ?? 1;
  if (first === last) return (args) => (args.length > first ? [args[first]!] : []);
  return (args) => {
    const stop = last < 0 ? args.length + last : last;
    const keys: string[] = [];
    for (let index = first; index <= stop && index < args.length; index += step) keys.push(args[index]!);
    return keys;
  };
}

/** What a command reads with lookupKeyRead, or undefined when it reads nothing. */
export function readKeysOf(spec: CommandSpec): DerivedRules['readKeys'] {
  if (SELF.has(spec.name)) return 'self';
  const keys = keysOf(spec);
  if (keys === undefined) return undefined;
  const reads: KeyReads = { keys, early: EARLY.has(spec.name), types: typesOf(spec) };
  // The common shape, one key at a fixed place (LRANGE, HGET, ZSCORE...): the dispatcher reads it without an array.
  const first = spec.firstKey ?? 0;
  const simple = WRITE_READS[spec.name] === undefined && !spec.flags.includes('movablekeys');
  return simple && first > 0 && (spec.lastKey ?? first) === first ? { ...reads, single: first } : reads;
}
