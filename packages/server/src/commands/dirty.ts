/**
 * INFO rdb_changes_since_last_save (Redis's server.dirty): how many changes each write command counts, read from its
 * arguments and its reply as t_*.c's `server.dirty++` / `server.dirty += n` do. The command table gives each spec its
 * rule; the dispatcher adds it after a command that did not fail. SET counts in its handler (the hot path adds no
 * call), as do the commands whose count the reply does not tell (GETEX, LTRIM, ZADD, SETBIT, FLUSHDB/FLUSHALL...).
 * Not exact: SMOVE counts 2 even when the destination had the member; BITFIELD counts each SET/INCRBY operation (even
 * one that OVERFLOW FAIL skipped); PFADD, streams, geo and the other families not listed count nothing.
 */
import type { CommandSpec, DerivedRules } from '../context.js';

type Rule = NonNullable<DerivedRules['dirty']>;

const one: Rule = () => 1;
/** An integer reply is the count (DEL, SADD, HDEL...). */
const byReply: Rule = (_args, reply) => (typeof reply === 'number' ? reply : 0);
/** One change when the reply is not null (GETDEL, LPOP, RPOPLPUSH...). */
const unlessNull: Rule = (_args, reply) => (reply === null ? 0 : 1);
/** Pushes: every element, when the list existed or was created (LPUSHX on a missing key: 0). */
const pushed: Rule = (args, reply) => (typeof reply === 'number' && reply > 0 ? args.length - 2 : 0);
/** A *STORE: one change when it stored a result, or deleted an existing destination for an empty one. */
const stored: Rule = (_args, reply, destExisted) => (typeof reply === 'number' && reply > 0) || destExisted ? 1 : 0;

/** Pops with a count: one per element popped. */
const popped: Rule = (_args, reply) =>
  Array.isArray(reply) ? reply.length : typeof reply === 'string' || Buffer.isBuffer(reply) ? 1 : 0;

const RULES: Record<string, Rule> = {
  // strings and bits
  setnx: byReply,
  setex: one,
  psetex: one,
  mset: (args) => (args.length - 1) >> 1,
  msetnx: (args, reply) => (reply === 1 ? (args.length - 1) >> 1 : 0),
  append: one,
  incr: one,
  decr: one,
  incrby: one,
  decrby: one,
  incrbyfloat: one,
  getset: one,
  getdel: unlessNull,
  setrange: (args) => (args[3] === '' ? 0 : 1),
  bitop: stored,
  bitfield: (args) => args.filter((word) => /^(set|incrby)$/i.test(word)).length,
  // keys
  del: byReply,
  unlink: byReply,
  expire: byReply,
  pexpire: byReply,
  expireat: byReply,
  pexpireat: byReply,
  persist: byReply,
  rename: (args) => (args[1] === args[2] ? 0 : 1),
  renamenx: byReply,
  move: byReply,
  copy: byReply,
  // lists
  lpush: pushed,
  rpush: pushed,
  lpushx: pushed,
  rpushx: pushed,
  lpop: popped,
  rpop: popped,
  lset: one,
  linsert: (_args, reply) => (typeof reply === 'number' && reply > 0 ? 1 : 0),
  lrem: byReply,
  rpoplpush: unlessNull,
  lmove: unlessNull,
  lmpop: (_args, reply) => (Array.isArray(reply) && Array.isArray(reply[1]) ? reply[1].length : 0),
  // hashes
  hset: (args) => (args.length - 2) >> 1,
  hmset: (args) => (args.length - 2) >> 1,
  hsetnx: byReply,
  hdel: byReply,
  hincrby: one,
  hincrbyfloat: one,
  // sets
  sadd: byReply,
  srem: byReply,
  smove: (_args, reply) => (reply === 1 ? 2 : 0),
  spop: popped,
  sinterstore: stored,
  sunionstore: stored,
  sdiffstore: stored,
  // sorted sets
  zrem: byReply,
  zremrangebyscore: byReply,
  zremrangebyrank: byReply,
  zremrangebylex: byReply,
  zunionstore: stored,
  zinterstore: stored,
  zdiffstore: stored,
  zrangestore: stored,
};

/** The spec's server.dirty rule, or undefined (reads; writes counting in their handlers or not at all). */
export function dirtyRuleOf(spec: CommandSpec): DerivedRules['dirty'] {
  return RULES[spec.name];
}

/** The *STORE commands' destination key position: the dispatcher notes whether it existed before the run. */
export function dirtyDestOf(spec: CommandSpec): number | undefined {
  if (spec.name === 'bitop') return 2;
  return /^(s(inter|union|diff)|z(union|inter|diff|range))store$/.test(spec.name) ? 1 : undefined;
}
