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
import { del, exists, keys, randomkey, rename, renamenx, scan, touch, type } from './keys-generic.js';
import { objectEncoding, objectFreq, objectHelp, objectIdletime, objectRefcount } from './keys-object.js';
import type { CommandSpec } from '../../context.js';

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


export const keyCommands = [
  {
    name: 'del', arity: -2, flags: ['write'], ...ALL_KEYS, categories: KEYSPACE, run: del,
  },
  {
    name: 'unlink', arity: -2, flags: ['write', 'fast'], ...ALL_KEYS, categories: KEYSPACE, run: del,
  },
  {
    name: 'exists', arity: -2, flags: ['readonly', 'fast'], ...ALL_KEYS, categories: KEYSPACE, run: exists,
  },
  {
    name: 'type', arity: 2, flags: ['readonly', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: type,
  },
  {
    name: 'touch', arity: -2, flags: ['readonly', 'fast'], ...ALL_KEYS, categories: KEYSPACE, run: touch,
  },
  {
    name: 'expire', arity: -3, flags: ['write', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: expire,
  },
  {
    name: 'pexpire', arity: -3, flags: ['write', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: pexpire,
  },
  {
    name: 'expireat', arity: -3, flags: ['write', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: expireat,
  },
  {
    name: 'pexpireat', arity: -3, flags: ['write', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: pexpireat,
      },
  {
    name: 'ttl', arity: 2, flags: ['readonly', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: ttl,
  },
  {
    name: 'pttl', arity: 2, flags: ['readonly', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: pttl,
  },
  {
    name: 'expiretime', arity: 2, flags: ['readonly', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: expiretime,
  },
  {
    name: 'pexpiretime', arity: 2, flags: ['readonly', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: pexpiretime,
  },
  {
    name: 'persist', arity: 2, flags: ['write', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: persist,
  },
  {
    name: 'keys', arity: 2, flags: ['readonly'], categories: DANGEROUS, run: keys,
  },
  {
    name: 'scan', arity: -2, flags: ['readonly'], categories: KEYSPACE, run: scan,
  },
  {
    name: 'rename', arity: 3, flags: ['write'], ...TWO_KEYS, categories: KEYSPACE, run: rename,
  },
  {
    name: 'renamenx', arity: 3, flags: ['write', 'fast'], ...TWO_KEYS, categories: KEYSPACE, run: renamenx,
  },
  {
    name: 'randomkey', arity: 1, flags: ['readonly'], categories: KEYSPACE, run: randomkey,
  },
  {
    name: 'move', arity: 3, flags: ['write', 'fast'], ...ONE_KEY, categories: KEYSPACE, run: move,
  },
  {
    name: 'copy', arity: -3, flags: ['write', 'denyoom'], ...TWO_KEYS, categories: KEYSPACE, run: copy,
  },
  {
    name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], categories: KEYSPACE, run: dbsize,
  },
  {
    name: 'flushdb', arity: -1, flags: ['write'], categories: DANGEROUS, run: flushdb,
  },
  {
    name: 'flushall', arity: -1, flags: ['write'], categories: DANGEROUS, run: flushall,
  },
  {
    name: 'swapdb', arity: 3, flags: ['write', 'fast'], categories: DANGEROUS, run: swapdb,
  },
  {
    name: 'object', arity: -2, flags: [],
    subcommands: [
      {
        name: 'encoding', arity: 3, flags: ['readonly'], ...OBJECT_KEY, categories: KEYSPACE, run: objectEncoding,
      },
      {
        name: 'refcount', arity: 3, flags: ['readonly'], ...OBJECT_KEY, categories: KEYSPACE, run: objectRefcount,
      },
      {
        name: 'idletime', arity: 3, flags: ['readonly'], ...OBJECT_KEY, categories: KEYSPACE, run: objectIdletime,
      },
      {
        name: 'freq', arity: 3, flags: ['readonly'], ...OBJECT_KEY, categories: KEYSPACE, run: objectFreq,
      },
      {
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: KEYSPACE, run: objectHelp,
      },
    ],
  },
] as const satisfies readonly CommandSpec[];
