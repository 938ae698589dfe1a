/**
 * The keyspace family's command table: generic key commands, expiry, SCAN/KEYS, cross-database commands and OBJECT,
 * with the arity, flags, key positions and categories Redis 7.0's COMMAND INFO reports. Handlers live in keys-*.ts.
 */
import { copy, dbsize, flushall, flushdb, move, swapdb } from './keys-db.js';
import {
  expire,
  expireat,
  expiretime,
  persist,
  pexpire,
  pexpireat,
  pexpiretime,
  pttl,
  ttl,
} from './keys-expire.js';
import { del, exists, keys, randomkey, rename, renamenx, scan, type } from './keys-generic.js';
import { objectEncoding, objectFreq, objectHelp, objectIdletime, objectRefcount } from './keys-object.js';
import type { CommandSpec } from './types.js';

const KEYSPACE = ['keyspace'] as const;
const DANGEROUS = ['keyspace', 'dangerous'] as const;

/** One key at position 1. */
const ONE_KEY = { firstKey: 1, lastKey: 1, keyStep: 1 } as const;
/** Every argument after the name is a key. */
const ALL_KEYS = { firstKey: 1, lastKey: -1, keyStep: 1 } as const;
/** Two keys, source and destination. */
const TWO_KEYS = { firstKey: 1, lastKey: 2, keyStep: 1 } as const;
/** OBJECT's subcommands take the key at position 2. */
const OBJECT_KEY = { firstKey: 2, lastKey: 2, keyStep: 1 } as const;

const O1 = 'O(1)';

export const keyCommands = [
  {
    name: 'del', arity: -2, flags: ['write'], ...ALL_KEYS, categories: KEYSPACE, run: del,
    summary: 'Delete a key', since: '1.0.0', complexity: 'O(N) where N is the number of keys that will be removed.',
  },
  {
    name: 'unlink', arity: -2, flags: ['write', 'fast'], ...ALL_KEYS, categories: KEYSPACE, run: del,
    summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
    since: '4.0.0', complexity: 'O(1) for each key removed regardless of its size.',
  },
  {
    name: 'exists', arity: -2, flags: ['readonly', 'fast'], ...ALL_KEYS, categories: KEYSPACE, run: exists,
    summary: 'Determine if a key exists', since: '1.0.0', complexity: 'O(N) where N is the number of keys to check.',
  },
  {
    name: 'type', arity: 2, flags: ['readonly', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: type,
    summary: 'Determine the type stored at key', since: '1.0.0', complexity: O1,
  },
  {
    name: 'touch', arity: -2, flags: ['readonly', 'fast'], ...ALL_KEYS, categories: KEYSPACE, run: exists,
    summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.',
    since: '3.2.1', complexity: 'O(N) where N is the number of keys that will be touched.',
  },
  {
    name: 'expire', arity: -3, flags: ['write', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: expire,
    summary: "Set a key's time to live in seconds", since: '1.0.0', complexity: O1,
  },
  {
    name: 'pexpire', arity: -3, flags: ['write', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: pexpire,
    summary: "Set a key's time to live in milliseconds", since: '2.6.0', complexity: O1,
  },
  {
    name: 'expireat', arity: -3, flags: ['write', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: expireat,
    summary: 'Set the expiration for a key as a UNIX timestamp', since: '1.2.0', complexity: O1,
  },
  {
    name: 'pexpireat', arity: -3, flags: ['write', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: pexpireat,
    summary: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', since: '2.6.0',
    complexity: O1,
  },
  {
    name: 'ttl', arity: 2, flags: ['readonly', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: ttl,
    summary: 'Get the time to live for a key in seconds', since: '1.0.0', complexity: O1,
  },
  {
    name: 'pttl', arity: 2, flags: ['readonly', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: pttl,
    summary: 'Get the time to live for a key in milliseconds', since: '2.6.0', complexity: O1,
  },
  {
    name: 'expiretime', arity: 2, flags: ['readonly', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: expiretime,
    summary: 'Get the expiration Unix timestamp for a key', since: '7.0.0', complexity: O1,
  },
  {
    name: 'pexpiretime', arity: 2, flags: ['readonly', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: pexpiretime,
    summary: 'Get the expiration Unix timestamp for a key in milliseconds', since: '7.0.0', complexity: O1,
  },
  {
    name: 'persist', arity: 2, flags: ['write', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: persist,
    summary: 'Remove the expiration from a key', since: '2.2.0', complexity: O1,
  },
  {
    name: 'keys', arity: 2, flags: ['readonly'], categories: DANGEROUS, run: keys,
    summary: 'Find all keys matching the given pattern', since: '1.0.0',
    complexity: 'O(N) with N being the number of keys in the database',
  },
  {
    name: 'scan', arity: -2, flags: ['readonly'], categories: KEYSPACE, run: scan,
    summary: 'Incrementally iterate the keys space', since: '2.8.0',
    complexity: 'O(1) for every call. O(N) for a complete iteration.',
  },
  {
    name: 'rename', arity: 3, flags: ['write'], ...TWO_KEYS, categories: KEYSPACE, run: rename,
    summary: 'Rename a key', since: '1.0.0', complexity: O1,
  },
  {
    name: 'renamenx', arity: 3, flags: ['write', 'fast'], ...TWO_KEYS, categories: KEYSPACE, run: renamenx,
    summary: 'Rename a key, only if the new key does not exist', since: '1.0.0', complexity: O1,
  },
  {
    name: 'randomkey', arity: 1, flags: ['readonly'], categories: KEYSPACE, run: randomkey,
    summary: 'Return a random key from the keyspace', since: '1.0.0', complexity: O1,
  },
  {
    name: 'move', arity: 3, flags: ['write', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: move,
    summary: 'Move a key to another database', since: '1.0.0', complexity: O1,
  },
  {
    name: 'copy', arity: -3, flags: ['write', 'denyoom'], ...TWO_KEYS, categories: KEYSPACE, run: copy,
    summary: 'Copy a key', since: '6.2.0',
    complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
  },
  {
    name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], categories: KEYSPACE, run: dbsize,
    summary: 'Return the number of keys in the selected database', since: '1.0.0', complexity: O1,
  },
  {
    name: 'flushdb', arity: -1, flags: ['write'], categories: DANGEROUS, run: flushdb,
    summary: 'Remove all keys from the current database', since: '1.0.0',
    complexity: 'O(N) where N is the number of keys in the selected database',
  },
  {
    name: 'flushall', arity: -1, flags: ['write'], categories: DANGEROUS, run: flushall,
    summary: 'Remove all keys from all databases', since: '1.0.0',
    complexity: 'O(N) where N is the total number of keys in all databases',
  },
  {
    name: 'swapdb', arity: 3, flags: ['write', 'fast'], categories: DANGEROUS, run: swapdb,
    summary: 'Swaps two Redis databases', since: '4.0.0',
    complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
  },
  {
    name: 'object', arity: -2, flags: [], summary: 'A container for object introspection commands', since: '2.2.3',
    complexity: 'Depends on subcommand.',
    subcommands: [
      {
        name: 'encoding', arity: 3, flags: ['readonly'], ...OBJECT_KEY, categories: KEYSPACE, run: objectEncoding,
        summary: 'Inspect the internal encoding of a Redis object', since: '2.2.3', complexity: O1,
      },
      {
        name: 'refcount', arity: 3, flags: ['readonly'], ...OBJECT_KEY, categories: KEYSPACE, run: objectRefcount,
        summary: 'Get the number of references to the value of the key', since: '2.2.3', complexity: O1,
      },
      {
        name: 'idletime', arity: 3, flags: ['readonly'], ...OBJECT_KEY, categories: KEYSPACE, run: objectIdletime,
        summary: 'Get the time since a Redis object was last accessed', since: '2.2.3', complexity: O1,
      },
      {
        name: 'freq', arity: 3, flags: ['readonly'], ...OBJECT_KEY, categories: KEYSPACE, run: objectFreq,
        summary: 'Get the logarithmic access frequency counter of a Redis object', since: '4.0.0', complexity: O1,
      },
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: KEYSPACE, run: objectHelp,
        summary: 'Show helpful text about the different subcommands', since: '6.2.0', complexity: O1,
      },
    ],
  },
] as const satisfies readonly CommandSpec[];
