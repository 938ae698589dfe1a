/**
 * XINFO STREAM [FULL [COUNT n]], GROUPS, CONSUMERS, HELP with Redis 7.0's fields: maps in RESP3, flat arrays in
 * RESP2 (the writer flattens a RespMap for RESP2 clients).
 */
import { formatId, MAX_ID, MIN_ID, type StreamGroup, type StreamID, type StreamValue } from '@mini-redis/store';
import { RespMap, SimpleString, type RespValue } from '@mini-redis/protocol';
import type { CommandContext, Reply } from '../../context.js';
import { cString, fail, integerArg } from '../errors.js';
import { entryReply, getStream, groupLag } from './stream-shared.js';

function syntaxError(args: string[]): never {
  fail(`ERR unknown subcommand or wrong number of arguments for '${cString(args[1]!, 128)}'. Try XINFO HELP.`);
}

function streamOrError(ctx: CommandContext, key: string): StreamValue {
  const stream = getStream(ctx, key);
  if (stream === undefined) fail('ERR no such key');
  return stream;
}

function sortedGroups(stream: StreamValue): StreamGroup[] {
  return [...stream.groups.keys()].sort().map((name) => stream.groups.get(name)!);
}

/** A node's rax key: the master ID as 16 big-endian bytes (latin1 chars). */
function raxKey(id: StreamID): string {
  const hex = id.ms.toString(16).padStart(16, '0') + id.seq.toString(16).padStart(16, '0');
  let key = '';
  for (let index = 0; index < 32; index += 2) key += String.fromCharCode(parseInt(hex.slice(index, index + 2), 16));
  return key;
}

/**
 * radix-tree-nodes: the nodes of Redis's rax over the node keys, which (for a rax in its compressed canonical form)
 * are the root, every key, every branching prefix (the common prefixes of neighbouring keys) and every child of a
 * branching prefix.
 */
function raxNodes(stream: StreamValue): number {
  const keys = stream.nodeKeys().map(raxKey);
  const nodes = new Set<string>(['']);
  const branches = new Set<string>();
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    nodes.add(key);
    const next = keys[index + 1];
    if (next === undefined) continue;
    let common = 0;
    while (key[common] === next[common]) common++;
    branches.add(key.slice(0, common));
  }
  for (const branch of branches) nodes.add(branch);
  for (const key of keys) {
    for (const branch of branches) if (key.startsWith(branch)) nodes.add(key.slice(0, branch.length + 1));
  }
  return nodes.size;
}

function entriesRead(group: StreamGroup): RespValue {
  return group.entriesRead === -1n ? null : group.entriesRead;
}

function xinfoStream(ctx: CommandContext, args: string[]): Reply {
  const key = args[2]!;
  const stream = streamOrError(ctx, key);
  let full = false;
  let count = 10;
  const options = args.length - 3;
  if (options > 0) {
    if (options !== 1 && options !== 3) syntaxError(args);
    if (args[3]!.toLowerCase() !== 'full') syntaxError(args);
    full = true;
    if (options === 3) {
      if (args[4]!.toLowerCase() !== 'count') syntaxError(args);
      count = integerArg(args[5]!);
      if (count < 0) count = 10;
    }
  }
  const items: RespValue[] = [
    'length', stream.length,
    'radix-tree-keys', stream.nodeCount,
    'radix-tree-nodes', raxNodes(stream),
    'last-generated-id', formatId(stream.lastId),
    'max-deleted-entry-id', formatId(stream.maxDeletedId),
    'entries-added', stream.entriesAdded,
    'recorded-first-entry-id', formatId(stream.firstId),
  ];
  if (!full) {
    const first = stream.range(MIN_ID, MAX_ID, false, 1)[0];
    const last = stream.range(MIN_ID, MAX_ID, true, 1)[0];
    items.push(
      'groups', stream.groups.size,
      'first-entry', first === undefined ? null : entryReply(first),
      'last-entry', last === undefined ? null : entryReply(last),
    );
    return new RespMap(items);
  }
  items.push('entries', stream.range(MIN_ID, MAX_ID, false, count).map(entryReply));
  const groups: RespValue[] = [];
  for (const group of sortedGroups(stream)) {
    const pending: RespValue[] = [];
    for (const [id, nack] of group.pel) {
      if (count > 0 && pending.length >= count) break;
      pending.push([formatId(id), nack.consumer.name, nack.deliveryTime, nack.deliveryCount]);
    }
    const consumers: RespValue[] = [];
    for (const name of [...group.consumers.keys()].sort()) {
      const consumer = group.consumers.get(name)!;
      const own: RespValue[] = [];
      for (const [id, nack] of consumer.pel) {
        if (count > 0 && own.length >= count) break;
        own.push([formatId(id), nack.deliveryTime, nack.deliveryCount]);
      }
      consumers.push(
        new RespMap(['name', name, 'seen-time', consumer.seenTime, 'pel-count', consumer.pel.size, 'pending', own]),
      );
    }
    groups.push(
      new RespMap([
        'name', group.name,
        'last-delivered-id', formatId(group.lastId),
        'entries-read', entriesRead(group),
        'lag', groupLag(stream, group),
        'pel-count', group.pel.size,
        'pending', pending,
        'consumers', consumers,
      ]),
    );
  }
  items.push('groups', groups);
  return new RespMap(items);
}

function xinfoGroups(ctx: CommandContext, args: string[]): Reply {
  const stream = streamOrError(ctx, args[2]!);
  return sortedGroups(stream).map(
    (group) =>
      new RespMap([
        'name', group.name,
        'consumers', group.consumers.size,
        'pending', group.pel.size,
        'last-delivered-id', formatId(group.lastId),
        'entries-read', entriesRead(group),
        'lag', groupLag(stream, group),
      ]),
  );
}

function xinfoConsumers(ctx: CommandContext, args: string[]): Reply {
  const key = args[2]!;
  const stream = streamOrError(ctx, key);
  const group = stream.groups.get(args[3]!);
  if (group === undefined) {
    fail(`NOGROUP No such consumer group '${cString(args[3]!)}' for key name '${cString(key)}'`);
  }
  const now = ctx.server.clock.now();
  return [...group.consumers.keys()].sort().map((name) => {
    const consumer = group.consumers.get(name)!;
    return new RespMap(['name', name, 'pending', consumer.pel.size, 'idle', Math.max(0, now - consumer.seenTime)]);
  });
}

const XINFO_HELP = [
  'XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

const INFO_FLAGS = { firstKey: 2, lastKey: 2, keyStep: 1, categories: ['read', 'stream', 'slow'] } as const;

export const xinfoCommand = {
  name: 'xinfo', arity: -2, flags: [], categories: ['slow'],
  subcommands: [
    { name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['stream', 'slow'], run: () => XINFO_HELP },
    { name: 'groups', arity: 3, flags: ['readonly'], ...INFO_FLAGS, run: xinfoGroups },
    { name: 'consumers', arity: 4, flags: ['readonly'], ...INFO_FLAGS, run: xinfoConsumers },
    { name: 'stream', arity: -3, flags: ['readonly'], ...INFO_FLAGS, run: xinfoStream },
  ],
} as const;
