/**
 * Consumer groups (t_stream.c): XGROUP's subcommands, XACK and XPENDING, with Redis 7.0's
 * argument order, errors and PEL bookkeeping.
 */
import {
  compareIds,
  createStreamGroup,
  decrementId,
  formatId,
  incrementId,
  UINT64_MAX,
  type StreamID,
} from '@mini-redis/store';
import { NULL_ARRAY, OK, SimpleString, type RespValue } from '@mini-redis/protocol';
import type { CommandContext, Reply } from '../../context.js';
import { cString, fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import {
  getOrCreateStream,
  streamAndGroup,
  getStream,
  idArg,
  intervalIdArg,
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

export { xack, xpending };
