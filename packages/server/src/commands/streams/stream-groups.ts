/**
 * Consumer groups (t_stream.c): XGROUP's subcommands, XACK, XPENDING, XCLAIM and XAUTOCLAIM, with Redis 7.0's
 * argument order, errors and PEL bookkeeping.
 */
import {
  compareIds,
  createStreamGroup,
  decrementId,
  formatId,
  incrementId,
  UINT64_MAX,
  type StreamGroup,
  type StreamID,
  type StreamNack,
  type StreamValue,
} from '@mini-redis/store';
import { NULL_ARRAY, OK, SimpleString, type RespValue } from '@mini-redis/protocol';
import type { CommandContext, Reply } from '../../context.js';
import { cString, fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import { parseInteger } from '../../format.js';
import {
  entryReply,
  getOrCreateStream,
  getStream,
  idArg,
  intervalIdArg,
  parseId,
  strictIdArg,
} from './stream-shared.js';
import { lookupOrCreateConsumer } from './stream-read.js';

function subcommandSyntaxError(args: string[]): never {
  fail(`ERR unknown subcommand or wrong number of arguments for '${cString(args[1]!, 128)}'. Try XGROUP HELP.`);
}

/** What every XGROUP subcommand but HELP checks first: options, key, group. */
function xgroupPrelude(ctx: CommandContext, args: string[]) {
  const sub = args[1]!.toLowerCase();
  let mkstream = false;
  let entriesRead = -1n;
  if (sub === 'create' || sub === 'setid') {
    for (let index = 5; index < args.length; ) {
      const option = args[index]!.toLowerCase();
      if (sub === 'create' && option === 'mkstream') {
        mkstream = true;
        index++;
      } else if (option === 'entriesread' && index + 1 < args.length) {
        entriesRead = BigInt(integerArg(args[index + 1]!));
        if (entriesRead < 0n && entriesRead !== -1n) fail('ERR value for ENTRIESREAD must be positive or -1');
        index += 2;
      } else {
        subcommandSyntaxError(args);
      }
    }
  }
  const key = args[2]!;
  const stream = getStream(ctx, key);
  const groupName = args[3]!;
  const group = stream?.groups.get(groupName);
  if (!mkstream) {
    if (stream === undefined) {
      fail(
        'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
      );
    }
    if (group === undefined && sub !== 'create' && sub !== 'destroy') {
      fail(`NOGROUP No such consumer group '${cString(groupName)}' for key name '${cString(key)}'`);
    }
  }
  return { key, stream, groupName, group, entriesRead };
}

function xgroupCreate(ctx: CommandContext, args: string[]): Reply {
  if (args.length > 8) subcommandSyntaxError(args);
  const { key, groupName, entriesRead } = xgroupPrelude(ctx, args);
  let stream = getStream(ctx, key);
  let id: StreamID;
  if (args[4] === '$') id = stream?.lastId ?? { ms: 0n, seq: 0n };
  else id = strictIdArg(args[4]!);
  if (stream === undefined) stream = getOrCreateStream(ctx, key);
  if (stream.groups.has(groupName)) fail('BUSYGROUP Consumer Group name already exists');
  stream.groups.set(groupName, createStreamGroup(groupName, id, entriesRead));
  ctx.server.notify('t', 'xgroup-create', key, ctx.db.index);
  return OK;
}

function xgroupSetid(ctx: CommandContext, args: string[]): Reply {
  if (args.length !== 5 && args.length !== 7) subcommandSyntaxError(args);
  const { key, stream, group, entriesRead } = xgroupPrelude(ctx, args);
  const id = args[4] === '$' ? stream!.lastId : idArg(args[4]!);
  group!.lastId = id;
  group!.entriesRead = entriesRead;
  ctx.server.notify('t', 'xgroup-setid', key, ctx.db.index);
  return OK;
}

function xgroupDestroy(ctx: CommandContext, args: string[]): Reply {
  const { key, stream, groupName, group } = xgroupPrelude(ctx, args);
  if (group === undefined) return 0;
  stream!.groups.delete(groupName);
  ctx.server.notify('t', 'xgroup-destroy', key, ctx.db.index);
  // Clients blocked in XREADGROUP on this group get -NOGROUP.
  ctx.server.signalKeyAsReady(ctx.db.index, key);
  return 1;
}

function xgroupCreateConsumer(ctx: CommandContext, args: string[]): Reply {
  const { key, group } = xgroupPrelude(ctx, args);
  if (group!.consumers.has(args[4]!)) return 0;
  lookupOrCreateConsumer(ctx, key, group!, args[4]!);
  return 1;
}

function xgroupDelConsumer(ctx: CommandContext, args: string[]): Reply {
  const { key, group } = xgroupPrelude(ctx, args);
  const consumer = group!.consumers.get(args[4]!);
  if (consumer === undefined) return 0;
  const pending = consumer.pel.size;
  for (const [id] of consumer.pel) group!.pel.delete(id);
  group!.consumers.delete(args[4]!);
  ctx.server.notify('t', 'xgroup-delconsumer', key, ctx.db.index);
  return pending;
}

const XGROUP_HELP = [
  'XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

/** The stream and group for XACK-like commands, or the NOGROUP error. */
function streamAndGroup(ctx: CommandContext, key: string, groupName: string): [StreamValue, StreamGroup] {
  const stream = getStream(ctx, key);
  const group = stream?.groups.get(groupName);
  if (group === undefined) fail(`NOGROUP No such key '${cString(key)}' or consumer group '${cString(groupName)}'`);
  return [stream!, group];
}

function xack(ctx: CommandContext, args: string[]): Reply {
  const group = getStream(ctx, args[1]!)?.groups.get(args[2]!);
  if (group === undefined) return 0;
  const ids: StreamID[] = [];
  for (let index = 3; index < args.length; index++) ids.push(strictIdArg(args[index]!));
  let acknowledged = 0;
  for (const id of ids) {
    const nack = group.pel.get(id);
    if (nack === undefined) continue;
    group.pel.delete(id);
    nack.consumer.pel.delete(id);
    acknowledged++;
  }
  return acknowledged;
}

function xpending(ctx: CommandContext, args: string[]): Reply {
  const justInfo = args.length === 3;
  if (args.length !== 3 && (args.length < 6 || args.length > 9)) fail(SYNTAX_ERROR);
  let start: StreamID | undefined;
  let end: StreamID | undefined;
  let count = 0;
  let minIdle = 0;
  let consumerName: string | undefined;
  if (args.length >= 6) {
    let startIndex = 3;
    if (args[3]!.toLowerCase() === 'idle') {
      minIdle = integerArg(args[4]!);
      if (args.length < 8) fail(SYNTAX_ERROR);
      startIndex += 2;
    }
    count = integerArg(args[startIndex + 2]!);
    if (count < 0) count = 0;
    const startBound = intervalIdArg(args[startIndex]!, 0n);
    start = startBound.exclusive ? incrementId(startBound.id) : startBound.id;
    if (start === undefined) fail('ERR invalid start ID for the interval');
    const endBound = intervalIdArg(args[startIndex + 1]!, UINT64_MAX);
    end = endBound.exclusive ? decrementId(endBound.id) : endBound.id;
    if (end === undefined) fail('ERR invalid end ID for the interval');
    if (startIndex + 3 < args.length) consumerName = args[startIndex + 3]!;
  }
  const [, group] = streamAndGroup(ctx, args[1]!, args[2]!);
  if (justInfo) {
    const size = group.pel.size;
    if (size === 0) return [0, null, null, NULL_ARRAY];
    const consumers: RespValue[] = [];
    for (const name of [...group.consumers.keys()].sort()) {
      const consumer = group.consumers.get(name)!;
      if (consumer.pel.size > 0) consumers.push([name, String(consumer.pel.size)]);
    }
    return [size, formatId(group.pel.first()!), formatId(group.pel.last()!), consumers];
  }
  let pel = group.pel;
  if (consumerName !== undefined) {
    const consumer = group.consumers.get(consumerName);
    if (consumer === undefined) return [];
    pel = consumer.pel;
  }
  const now = ctx.server.clock.now();
  const out: RespValue[] = [];
  for (const [id, nack] of pel.from(start!)) {
    if (count === 0 || compareIds(id, end!) > 0) break;
    if (minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    count--;
    out.push([formatId(id), nack.consumer.name, Math.max(0, now - nack.deliveryTime), nack.deliveryCount]);
  }
  return out;
}

/** Moves a pending entry to a consumer (XCLAIM/XAUTOCLAIM). */
function transfer(group: StreamGroup, id: StreamID, nack: StreamNack, consumer: StreamNack['consumer']): void {
  if (nack.consumer !== consumer) {
    nack.consumer.pel.delete(id);
    consumer.pel.set(id, nack);
    nack.consumer = consumer;
  }
  void group;
}

function xclaim(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const [stream, group] = streamAndGroup(ctx, key, args[2]!);
  let minIdle = integerArg(args[4]!, 'ERR Invalid min-idle-time argument for XCLAIM');
  if (minIdle < 0) minIdle = 0;
  const ids: StreamID[] = [];
  let index = 5;
  for (; index < args.length; index++) {
    try {
      ids.push(parseId(args[index]!, 0n, true).id);
    } catch {
      break;
    }
  }
  const now = ctx.server.clock.now();
  let deliveryTime = -1;
  let retryCount = -1;
  let force = false;
  let justId = false;
  let lastId: StreamID = { ms: 0n, seq: 0n };
  for (; index < args.length; index++) {
    const moreArgs = args.length - 1 - index;
    const option = args[index]!.toLowerCase();
    if (option === 'force') force = true;
    else if (option === 'justid') justId = true;
    else if (option === 'idle' && moreArgs > 0) {
      deliveryTime = now - integerArg(args[++index]!, 'ERR Invalid IDLE option argument for XCLAIM');
    } else if (option === 'time' && moreArgs > 0) {
      deliveryTime = integerArg(args[++index]!, 'ERR Invalid TIME option argument for XCLAIM');
    } else if (option === 'retrycount' && moreArgs > 0) {
      retryCount = integerArg(args[++index]!, 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
    } else if (option === 'lastid' && moreArgs > 0) {
      lastId = strictIdArg(args[++index]!);
    } else {
      fail(`ERR Unrecognized XCLAIM option '${cString(args[index]!)}'`);
    }
  }
  if (compareIds(lastId, group.lastId) > 0) group.lastId = lastId;
  if (deliveryTime !== -1) {
    if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  } else {
    deliveryTime = now;
  }
  const out: RespValue[] = [];
  let consumer: StreamNack['consumer'] | undefined;
  for (const id of ids) {
    let nack = group.pel.get(id);
    const fields = stream.get(id);
    if (fields === undefined) {
      if (nack !== undefined) {
        group.pel.delete(id);
        nack.consumer.pel.delete(id);
      }
      continue;
    }
    let forced = false;
    if (force && nack === undefined) {
      consumer ??= lookupOrCreateConsumer(ctx, key, group, args[3]!);
      nack = { consumer, deliveryTime: now, deliveryCount: 1 };
      group.pel.set(id, nack);
      forced = true;
    }
    if (nack === undefined) continue;
    if (!forced && minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    consumer ??= lookupOrCreateConsumer(ctx, key, group, args[3]!);
    consumer.seenTime = now;
    if (forced) consumer.pel.set(id, nack);
    else transfer(group, id, nack, consumer);
    nack.deliveryTime = deliveryTime;
    if (retryCount >= 0) nack.deliveryCount = retryCount;
    else if (!justId) nack.deliveryCount++;
    out.push(justId ? formatId(id) : entryReply({ id, fields }));
  }
  return out;
}

function xautoclaim(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  let minIdle = integerArg(args[4]!, 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (minIdle < 0) minIdle = 0;
  const startBound = intervalIdArg(args[5]!, 0n);
  const start = startBound.exclusive ? incrementId(startBound.id) : startBound.id;
  if (start === undefined) fail('ERR invalid start ID for the interval');
  let count = 100;
  let justId = false;
  for (let index = 6; index < args.length; index++) {
    const moreArgs = args.length - 1 - index;
    const option = args[index]!.toLowerCase();
    if (option === 'count' && moreArgs > 0) {
      const value = parseInteger(args[index + 1]!);
      if (value === undefined || value < 1 || value > 576460752303423487) fail('ERR COUNT must be > 0');
      count = value;
      index++;
    } else if (option === 'justid') {
      justId = true;
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  const [stream, group] = streamAndGroup(ctx, key, args[2]!);
  let attempts = count * 10;
  const now = ctx.server.clock.now();
  const claimed: RespValue[] = [];
  const deleted: RespValue[] = [];
  let consumer: StreamNack['consumer'] | undefined;
  // The PEL from start, as far as this call may look: attempts entries plus the next one (the cursor).
  const window: Array<[StreamID, StreamNack]> = [];
  for (const pair of group.pel.from(start)) {
    window.push(pair);
    if (window.length > attempts) break;
  }
  let position = 0;
  while (attempts-- > 0 && count > 0 && position < window.length) {
    const [id, nack] = window[position++]!;
    const fields = stream.get(id);
    if (fields === undefined) {
      group.pel.delete(id);
      nack.consumer.pel.delete(id);
      deleted.push(formatId(id));
      count--;
      continue;
    }
    if (minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    consumer ??= lookupOrCreateConsumer(ctx, key, group, args[3]!);
    consumer.seenTime = now;
    transfer(group, id, nack, consumer);
    nack.deliveryTime = now;
    if (!justId) nack.deliveryCount++;
    claimed.push(justId ? formatId(id) : entryReply({ id, fields }));
    count--;
  }
  const next = window[position]?.[0];
  return [next === undefined ? '0-0' : formatId(next), claimed, deleted];
}

const GROUP_FLAGS = { firstKey: 2, lastKey: 2, keyStep: 1, categories: ['write', 'stream', 'slow'] } as const;

export const xgroupCommand = {
  name: 'xgroup', arity: -2, flags: [], categories: ['slow'],
  subcommands: [
    { name: 'create', arity: -5, flags: ['write', 'denyoom'], ...GROUP_FLAGS, run: xgroupCreate },
    { name: 'setid', arity: -5, flags: ['write'], ...GROUP_FLAGS, run: xgroupSetid },
    { name: 'destroy', arity: 4, flags: ['write'], ...GROUP_FLAGS, run: xgroupDestroy },
    { name: 'createconsumer', arity: 5, flags: ['write', 'denyoom'], ...GROUP_FLAGS, run: xgroupCreateConsumer },
    { name: 'delconsumer', arity: 5, flags: ['write'], ...GROUP_FLAGS, run: xgroupDelConsumer },
    { name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['stream', 'slow'], run: () => XGROUP_HELP },
  ],
} as const;

export { xack, xpending, xclaim, xautoclaim };
