/**
 * DEBUG: the subset of Redis's debugging command that clients and test suites use: SLEEP (asynchronous: other
 * clients keep being served), SET-ACTIVE-EXPIRE, LOG, OBJECT, ERROR, POPULATE, CHANGE-REPL-ID, DIGEST,
 * DIGEST-VALUE, HELP.
 */
import { ErrorReply, OK, type RespValue, SimpleString } from '@mini-redis/protocol';
import type { CommandContext, CommandSpec } from '../../context.js';
import { cString, fail, integerArg, NO_SUCH_KEY } from '../errors.js';
import { encodingOf } from '../keys/keys-object.js';
import { datasetDigest, valueDigest } from './digest.js';
import { quicklistNodes, serializedLength } from './serialized-length.js';

/** strtod's leading number ("1.5x" is 1.5, "abc" is 0), as DEBUG SLEEP reads its argument. */
function leadingNumber(text: string): number {
  const value = Number.parseFloat(text.trimStart());
  return Number.isFinite(value) ? value : 0;
}

/** atoi's leading integer. */
function leadingInteger(text: string): number {
  const value = Number.parseInt(text.trimStart(), 10);
  return Number.isFinite(value) ? value : 0;
}

/** A stable pseudo address per key, so repeated DEBUG OBJECT calls print the same one. */
function pseudoAddress(key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return `0x7f${(hash >>> 0).toString(16).padStart(8, '0')}00`;
}

function debugObject(ctx: CommandContext, key: string): RespValue {
  const value = ctx.db.get(key);
  if (value === undefined) fail(NO_SUCH_KEY);
  const encoding = encodingOf(value, ctx.server.config);
  const config = ctx.server.config;
  const options = {
    compress: config.get('rdbcompression') === 'yes',
    listFill: Number(config.get('list-max-listpack-size')),
    listCompressDepth: Number(config.get('list-compress-depth')),
  };
  const lru = Math.floor(ctx.server.clock.now() / 1000) & 0xffffff;
  let line =
    `Value at:${pseudoAddress(key)} refcount:1 encoding:${encoding} serializedlength:${serializedLength(value, encoding, options)} ` +
    `lru:${lru} lru_seconds_idle:0`;
  if (encoding === 'quicklist' && typeof value === 'object' && 'kind' in value && value.kind === 'list') {
    const nodes = quicklistNodes(value, options.listFill);
    const size = nodes.reduce((sum, node) => sum + node.length, 0);
    line +=
      ` ql_nodes:${nodes.length} ql_avg_node:${(value.length / nodes.length).toFixed(2)} ql_listpack_max:${options.listFill}` +
      ` ql_compressed:${options.listCompressDepth !== 0 ? 1 : 0} ql_uncompressed_size:${size}`;
  }
  return new SimpleString(line);
}

function setActiveExpire(ctx: CommandContext, flag: string): RespValue {
  const enabled = leadingInteger(flag) !== 0;
  ctx.server.store.setActiveExpire?.(enabled);
  return OK;
}

/**
 * Redis usleep()s: at least the time asked. Outside a transaction only this client waits (an in-process server must
 * not freeze its host); inside EXEC the event loop is held. Node's timers run on the loop's cached millisecond clock and can fire up
 * to a millisecond early by performance.now(), so the remainder, if any, is waited too.
 */
function sleep(ctx: CommandContext, seconds: number): RespValue | Promise<RespValue> {
  const ms = Math.max(0, seconds * 1000);
  if (ctx.denyBlocking) {
    // Inside MULTI/EXEC nothing may wait asynchronously (others would run in the middle of the transaction): the
    // whole server sleeps, as Redis's usleep() does.
    const end = performance.now() + ms;
    const cell = new Int32Array(new SharedArrayBuffer(4));
    for (let left = ms; left > 0; left = end - performance.now()) Atomics.wait(cell, 0, 0, left);
    return OK;
  }
  const end = performance.now() + ms;
  return new Promise((resolve) => {
    const wait = (delay: number): void => {
      setTimeout(() => {
        const left = end - performance.now();
        if (left > 0) wait(left);
        else resolve(OK);
      }, delay);
    };
    wait(ms);
  });
}

const HELP = [
  'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

/** getPositiveLongFromObjectOrReply without a message: one text for a bad number and a negative one. */
function positiveLong(text: string): number {
  const message = 'ERR value is out of range, must be positive';
  const value = integerArg(text, message);
  if (value < 0) fail(message);
  return value;
}

/**
 * DEBUG POPULATE count [prefix] [size]: keys `prefix:N` (default `key`) holding `value:N`, or with a size that text
 * cut or padded with zero bytes; existing keys are left alone (debug.c).
 */
function populate(ctx: CommandContext, args: string[]): RespValue {
  const count = positiveLong(args[2]!);
  // Redis first grows its dict to `count` entries: a count no memory can hold fails there
  if (count > 2 ** 31) fail('ERR OOM in dictTryExpand');
  const size = args.length === 5 ? positiveLong(args[4]!) : 0;
  const prefix = args.length === 3 ? 'key' : args[3]!;
  const db = ctx.db;
  for (let index = 0; index < count; index++) {
    const key = `${prefix}:${index}`.slice(0, 127); // snprintf into char[128]
    if (db.has(key)) continue;
    const text = `value:${index}`;
    db.set(key, size === 0 ? text : size <= text.length ? text.slice(0, size) : text + '\0'.repeat(size - text.length));
  }
  return OK;
}

function debug(ctx: CommandContext, args: string[]): RespValue | Promise<RespValue> {
  const sub = args[1]!.toLowerCase();
  if (sub === 'help' && args.length === 2) return HELP;
  if (sub === 'populate' && args.length >= 3 && args.length <= 5) return populate(ctx, args);
  // This server has no replication stream: a new replication id changes nothing anyone can observe.
  if (sub === 'change-repl-id' && args.length === 2) return OK;
  if (sub === 'digest' && args.length === 2) return new SimpleString(datasetDigest(ctx.server.store));
  if (sub === 'digest-value') return args.slice(2).map((key) => new SimpleString(valueDigest(ctx.db, key)));
  if (args.length === 3) {
    const argument = args[2]!;
    switch (sub) {
      case 'sleep': return sleep(ctx, leadingNumber(argument));
      case 'set-active-expire': return setActiveExpire(ctx, argument);
      case 'log':
        ctx.server.log(`# DEBUG LOG: ${argument}`);
        return OK;
      case 'object': return debugObject(ctx, argument);
      case 'error': return new ErrorReply(argument);
    }
  }
  return fail(`ERR unknown subcommand or wrong number of arguments for '${cString(args[1]!, 128)}'. Try DEBUG HELP.`);
}

/** DEBUG's table entry (not a container: Redis parses its subcommands itself). */
export const debugCommand = {
  name: 'debug', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], categories: ['admin', 'slow', 'dangerous'], run: debug,
} as const satisfies CommandSpec;
