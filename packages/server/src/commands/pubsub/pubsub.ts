/**
 * Pub/sub commands (Redis's pubsub.c): SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, SSUBSCRIBE,
 * SUNSUBSCRIBE, SPUBLISH and PUBSUB. A (un)subscribe command answers with one push per channel; they are returned
 * together as one reply (pre-encoded for both protocols), so inside EXEC they sit where Redis puts them.
 */
import { encode, Push, RawReply, SimpleString, type RespValue } from '@mini-redis/protocol';
import type { CommandContext, CommandSpec, Reply, SubscriptionKind } from '../../context.js';
import { formatDouble } from '../../format.js';
import { matchGlob } from '../../glob.js';
import { cString, fail } from '../errors.js';

/** Several pushes as one reply (their bytes in order, for either protocol). */
export class PushSequence extends RawReply {}

/** True for a reply made of pushes only ((un)subscribe confirmations), which CLIENT REPLY OFF does not silence. */
export function isPushReply(reply: unknown): boolean {
  return reply instanceof Push || reply instanceof PushSequence;
}

function sequence(pushes: Push[]): Reply {
  if (pushes.length === 1) return pushes[0]!;
  const encodeAll = (protocol: 2 | 3) =>
    Buffer.concat(pushes.map((push) => encode(push, { protocol, stringEncoding: 'latin1', formatDouble })));
  return new PushSequence(encodeAll(2), encodeAll(3));
}

/** The count Redis reports after a (un)subscription: channels + patterns, or shard channels alone. */
function count(ctx: CommandContext, kind: SubscriptionKind): number {
  const subscriptions = ctx.subscriptions;
  if (subscriptions === undefined) return 0;
  return kind === 'shard' ? subscriptions.shardChannels.size : subscriptions.channels.size + subscriptions.patterns.size;
}

const SUBSCRIBE_WORD = { channel: 'subscribe', pattern: 'psubscribe', shard: 'ssubscribe' } as const;
const UNSUBSCRIBE_WORD = { channel: 'unsubscribe', pattern: 'punsubscribe', shard: 'sunsubscribe' } as const;

function subscribe(kind: SubscriptionKind) {
  return (ctx: CommandContext, args: string[]): Reply => {
    // Redis refuses SSUBSCRIBE to a client that expects one reply per command (EXEC, scripts); SUBSCRIBE and
    // PSUBSCRIBE are let through inside MULTI for backward compatibility.
    if (kind === 'shard' && ctx.denyBlocking) fail("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    const pubsub = ctx.server.pubsub;
    const pushes: Push[] = [];
    for (let index = 1; index < args.length; index++) {
      const name = args[index]!;
      pubsub.subscribe(ctx, kind, name);
      pushes.push(new Push([SUBSCRIBE_WORD[kind], name, count(ctx, kind)]));
    }
    return sequence(pushes);
  };
}

function unsubscribe(kind: SubscriptionKind) {
  return (ctx: CommandContext, args: string[]): Reply => {
    const pubsub = ctx.server.pubsub;
    const word = UNSUBSCRIBE_WORD[kind];
    const pushes: Push[] = [];
    let names: string[];
    if (args.length > 1) {
      names = args.slice(1);
    } else {
      const subscriptions = ctx.subscriptions;
      const own =
        subscriptions === undefined
          ? undefined
          : kind === 'channel'
            ? subscriptions.channels
            : kind === 'pattern'
              ? subscriptions.patterns
              : subscriptions.shardChannels;
      names = own === undefined ? [] : [...own];
      // Subscribed to nothing of this kind: one notification with a null name.
      if (names.length === 0) return new Push([word, null, count(ctx, kind)]);
    }
    for (const name of names) {
      pubsub.unsubscribe(ctx, kind, name);
      pushes.push(new Push([word, name, count(ctx, kind)]));
    }
    return sequence(pushes);
  };
}

function publish(ctx: CommandContext, args: string[]): Reply {
  return ctx.server.pubsub.publish(args[1]!, args[2]!);
}

function spublish(ctx: CommandContext, args: string[]): Reply {
  return ctx.server.pubsub.publish(args[1]!, args[2]!, true);
}

/** PUBSUB CHANNELS / SHARDCHANNELS take at most one pattern. */
function syntaxError(args: string[]): never {
  return fail(`ERR unknown subcommand or wrong number of arguments for '${cString(args[1]!, 128)}'. Try PUBSUB HELP.`);
}

function listChannels(table: ReadonlyMap<string, unknown>, args: string[]): RespValue {
  if (args.length > 3) syntaxError(args);
  const pattern = args[2];
  const names: RespValue[] = [];
  for (const name of table.keys()) {
    if (pattern === undefined || matchGlob(pattern, name)) names.push(name);
  }
  return names;
}

function numsub(table: ReadonlyMap<string, ReadonlySet<unknown>>, args: string[]): RespValue {
  const reply: RespValue[] = [];
  for (let index = 2; index < args.length; index++) {
    reply.push(args[index]!, table.get(args[index]!)?.size ?? 0);
  }
  return reply;
}

const HELP = [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

const SUBSCRIBE_FLAGS = ['pubsub', 'noscript', 'loading', 'stale'] as const;
const PUBLISH_FLAGS = ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'] as const;
const SUB_FLAGS = ['pubsub', 'loading', 'stale'] as const;

export const pubsubCommands = [
  { name: 'subscribe', arity: -2, flags: SUBSCRIBE_FLAGS, run: subscribe('channel') },
  { name: 'unsubscribe', arity: -1, flags: SUBSCRIBE_FLAGS, run: unsubscribe('channel') },
  { name: 'psubscribe', arity: -2, flags: SUBSCRIBE_FLAGS, run: subscribe('pattern') },
  { name: 'punsubscribe', arity: -1, flags: SUBSCRIBE_FLAGS, run: unsubscribe('pattern') },
  { name: 'publish', arity: 3, flags: PUBLISH_FLAGS, run: publish },
  {
    name: 'ssubscribe', arity: -2, flags: SUBSCRIBE_FLAGS, firstKey: 1, lastKey: -1, keyStep: 1,
    keySpecFlags: ['not_key'], run: subscribe('shard'),
  },
  {
    name: 'sunsubscribe', arity: -1, flags: SUBSCRIBE_FLAGS, firstKey: 1, lastKey: -1, keyStep: 1,
    keySpecFlags: ['not_key'], run: unsubscribe('shard'),
  },
  {
    name: 'spublish', arity: 3, flags: PUBLISH_FLAGS, firstKey: 1, lastKey: 1, keyStep: 1, keySpecFlags: ['not_key'],
    run: spublish,
  },
  {
    name: 'pubsub', arity: -2, flags: [],
    subcommands: [
      { name: 'channels', arity: -2, flags: SUB_FLAGS, run: (ctx, args) => listChannels(ctx.server.pubsub.channels, args) },
      { name: 'numsub', arity: -2, flags: SUB_FLAGS, run: (ctx, args) => numsub(ctx.server.pubsub.channels, args) },
      { name: 'numpat', arity: 2, flags: SUB_FLAGS, run: (ctx) => ctx.server.pubsub.patterns.size },
      {
        name: 'shardchannels', arity: -2, flags: SUB_FLAGS,
        run: (ctx, args) => listChannels(ctx.server.pubsub.shardChannels, args),
      },
      {
        name: 'shardnumsub', arity: -2, flags: SUB_FLAGS,
        run: (ctx, args) => numsub(ctx.server.pubsub.shardChannels, args),
      },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], run: () => HELP },
    ],
  },
] as const satisfies readonly CommandSpec[];
