/**
 * Pub/sub (Redis's pubsub.c): the server's tables channel -> subscribers, pattern -> subscribers and shard channel ->
 * subscribers, each subscriber set in subscription order (Redis 7.0 keeps a list per channel, so messages reach
 * subscribers in the order they subscribed), and the client's own subscriptions on its CommandContext.
 *
 * Messages are written to subscribers' connections as pushes (RESP2: a plain array; RESP3: `>`). A message sent to
 * several subscribers is encoded once per protocol and copied.
 */
import { encode, Push, RawReply, type RespValue } from '@mini-redis/protocol';
import type { CommandContext, PubSub, SubscriptionKind, Subscriptions } from './context.js';
import { formatDouble } from './format.js';
import { matchGlob } from './glob.js';

type Table = Map<string, Set<CommandContext>>;

/** Encodes a push for both protocols once, so each subscriber gets a copy of bytes instead of an encoding. */
function shared(items: RespValue[]): RawReply {
  const push = new Push(items);
  return new RawReply(
    encode(push, { protocol: 2, stringEncoding: 'latin1', formatDouble }),
    encode(push, { protocol: 3, stringEncoding: 'latin1', formatDouble }),
  );
}

export class PubSubRegistry implements PubSub {
  readonly channels: Table = new Map();
  readonly patterns: Table = new Map();
  readonly shardChannels: Table = new Map();

  private table(kind: SubscriptionKind): Table {
    return kind === 'channel' ? this.channels : kind === 'pattern' ? this.patterns : this.shardChannels;
  }

  private own(subscriptions: Subscriptions, kind: SubscriptionKind): Set<string> {
    return kind === 'channel'
      ? subscriptions.channels
      : kind === 'pattern'
        ? subscriptions.patterns
        : subscriptions.shardChannels;
  }

  subscribe(ctx: CommandContext, kind: SubscriptionKind, name: string): boolean {
    const subscriptions = (ctx.subscriptions ??= { channels: new Set(), patterns: new Set(), shardChannels: new Set() });
    const own = this.own(subscriptions, kind);
    if (own.has(name)) return false;
    own.add(name);
    const table = this.table(kind);
    const clients = table.get(name);
    if (clients === undefined) table.set(name, new Set([ctx]));
    else clients.add(ctx);
    return true;
  }

  unsubscribe(ctx: CommandContext, kind: SubscriptionKind, name: string): boolean {
    const subscriptions = ctx.subscriptions;
    if (subscriptions === undefined) return false;
    if (!this.own(subscriptions, kind).delete(name)) return false;
    this.forget(kind, name, ctx);
    if (subscriptions.channels.size + subscriptions.patterns.size + subscriptions.shardChannels.size === 0) {
      ctx.subscriptions = undefined;
    }
    return true;
  }

  unsubscribeAll(ctx: CommandContext): void {
    const subscriptions = ctx.subscriptions;
    if (subscriptions === undefined) return;
    for (const name of subscriptions.channels) this.forget('channel', name, ctx);
    for (const name of subscriptions.patterns) this.forget('pattern', name, ctx);
    for (const name of subscriptions.shardChannels) this.forget('shard', name, ctx);
    ctx.subscriptions = undefined;
  }

  private forget(kind: SubscriptionKind, name: string, ctx: CommandContext): void {
    const table = this.table(kind);
    const clients = table.get(name);
    if (clients === undefined) return;
    clients.delete(ctx);
    if (clients.size === 0) table.delete(name);
  }

  publish(channel: string, message: string, shard = false): number {
    let receivers = 0;
    const clients = (shard ? this.shardChannels : this.channels).get(channel);
    if (clients !== undefined) {
      const value = clients.size === 1 ? new Push([shard ? 'smessage' : 'message', channel, message])
        : shared([shard ? 'smessage' : 'message', channel, message]);
      for (const client of clients) {
        client.connection?.push(value);
        receivers++;
      }
    }
    if (shard || this.patterns.size === 0) return receivers;
    for (const [pattern, subscribers] of this.patterns) {
      if (!matchGlob(pattern, channel)) continue;
      const value = subscribers.size === 1 ? new Push(['pmessage', pattern, channel, message])
        : shared(['pmessage', pattern, channel, message]);
      for (const client of subscribers) {
        client.connection?.push(value);
        receivers++;
      }
    }
    return receivers;
  }
}
