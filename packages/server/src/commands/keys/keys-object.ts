/**
 * OBJECT ENCODING / REFCOUNT / IDLETIME / FREQ / HELP (object.c). We keep no Redis encodings, so ENCODING names the
 * one Redis 7.0 would pick for the value as it is now, from the same size limits (read from the config): `int`,
 * `embstr`, `raw`; `quicklist` (7.0 has no listpack lists); `listpack` / `hashtable`; `intset` / `hashtable`;
 * `listpack` / `skiplist`; `stream`. Redis never converts back to the compact form after a shrink; we do.
 */
import { SimpleString } from '@mini-redis/protocol';
import type { Value } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import type { Config } from '../../config.js';
import { parseInteger } from '../../format.js';
import { isPromoted } from '../encoding.js';
import { fail } from '../errors.js';

/** Strings up to this length are embedded in the object header (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
const EMBSTR_LIMIT = 44;
/** Integers 0..9999 are shared objects (OBJ_SHARED_INTEGERS), whose refcount reads as INT_MAX. */
const SHARED_INTEGERS = 10000;
const SHARED_REFCOUNT = 2147483647;
const POLICY_NOTE = 'Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

const HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

/** A config limit as a number. */
function limit(config: Config, name: string): number {
  return config.number(name);
}

/** True when a string would be stored as an integer (tryObjectEncoding: at most 20 chars, string2l). */
function isIntegerString(text: string): boolean {
  return text.length <= 20 && parseInteger(text) !== undefined;
}

/** The encoding Redis 7.0 would use for this value. */
export function encodingOf(value: Value, config: Config): string {
  if (typeof value === 'string') {
    if (isIntegerString(value)) return 'int';
    return value.length <= EMBSTR_LIMIT ? 'embstr' : 'raw';
  }
  // Buffers come from in-place edits (SETRANGE, SETBIT, APPEND), which Redis leaves raw.
  if (Buffer.isBuffer(value)) return 'raw';
  if (value instanceof Map) {
    if (isPromoted(value)) return 'hashtable';
    if (value.size > limit(config, 'hash-max-listpack-entries')) return 'hashtable';
    const maxLength = limit(config, 'hash-max-listpack-value');
    for (const [field, item] of value) if (field.length > maxLength || item.length > maxLength) return 'hashtable';
    return 'listpack';
  }
  if (value instanceof Set) {
    if (isPromoted(value)) return 'hashtable';
    if (value.size > limit(config, 'set-max-intset-entries')) return 'hashtable';
    for (const member of value) if (parseInteger(member) === undefined) return 'hashtable';
    return 'intset';
  }
  if (value.kind === 'list') return 'quicklist';
  if (value.kind === 'zset') {
    if (isPromoted(value)) return 'skiplist';
    if (value.size > limit(config, 'zset-max-listpack-entries')) return 'skiplist';
    const maxLength = limit(config, 'zset-max-listpack-value');
    for (const { member } of value) if (member.length > maxLength) return 'skiplist';
    return 'listpack';
  }
  return 'stream';
}

/** The value without recording an access (objectCommandLookup uses LOOKUP_NOTOUCH). */
function peek(ctx: CommandContext, key: string): Value | undefined {
  const store = ctx.server.store;
  const before = store.noTouch;
  store.noTouch = true;
  try {
    return ctx.db.get(key);
  } finally {
    store.noTouch = before;
  }
}

/** The maxmemory policy, lowercase. */
function policy(ctx: CommandContext): string {
  return ctx.server.config.get('maxmemory-policy');
}

/** OBJECT ENCODING key. */
export function objectEncoding(ctx: CommandContext, args: string[]): Reply {
  const value = peek(ctx, args[2]!);
  return value === undefined ? null : encodingOf(value, ctx.server.config);
}

/** OBJECT REFCOUNT key: 1, or INT_MAX for the shared integers 0..9999 (unless an LRU/LFU maxmemory forbids them). */
export function objectRefcount(ctx: CommandContext, args: string[]): Reply {
  const value = peek(ctx, args[2]!);
  if (value === undefined) return null;
  if (typeof value !== 'string' || !isIntegerString(value)) return 1;
  const number = parseInteger(value)!;
  if (number < 0 || number >= SHARED_INTEGERS) return 1;
  const config = ctx.server.config;
  const noShared = config.get('maxmemory') !== '0' && /lru|lfu/.test(policy(ctx));
  return noShared ? 1 : SHARED_REFCOUNT;
}

/** OBJECT IDLETIME key: seconds since the last access (an error under an LFU policy, as in Redis). */
export function objectIdletime(ctx: CommandContext, args: string[]): Reply {
  const idle = ctx.db.idleTime(args[2]!);
  if (idle === undefined) return null;
  if (policy(ctx).endsWith('lfu')) fail(`ERR An LFU maxmemory policy is selected, idle time not tracked. ${POLICY_NOTE}`);
  return idle;
}

/** OBJECT FREQ key: the key's logarithmic access counter after decay, only under an LFU policy. */
export function objectFreq(ctx: CommandContext, args: string[]): Reply {
  const frequency = ctx.db.frequency(args[2]!);
  if (frequency === undefined) return null;
  if (!policy(ctx).endsWith('lfu')) {
    fail(`ERR An LFU maxmemory policy is not selected, access frequency not tracked. ${POLICY_NOTE}`);
  }
  return frequency;
}

/** OBJECT HELP. */
export function objectHelp(): Reply {
  return HELP;
}
