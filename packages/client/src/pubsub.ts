/**
 * Subscriptions: handlers by channel (or pattern, or shard channel), the SUBSCRIBE/UNSUBSCRIBE commands, message
 * dispatch, and resubscription on every (re)connection. Runs on the main connection under RESP3 (messages are
 * pushes) and on a dedicated connection under RESP2 (subscriber mode).
 */
import { encodeCommand, SimpleString, type RespValue } from '@mini-redis/protocol';
import { SUBSCRIBE } from './command-record.js';
import type { ReplyQueue } from './reply-queue.js';
import type { EventEmitter } from 'node:events';
import type { Connection } from './connection.js';

/** A message handler: `message`, then the channel it came on (for patterns: the matching channel). */
export type MessageHandler<S = string> = (message: S, channel: S) => void;

/** Subscription kinds: channels, patterns, shard channels. */
export type SubscriptionKind = 'subscribe' | 'psubscribe' | 'ssubscribe';

const UNSUBSCRIBE: Record<SubscriptionKind, string> = {
  subscribe: 'unsubscribe',
  psubscribe: 'punsubscribe',
  ssubscribe: 'sunsubscribe',
};

const KIND_OF_MESSAGE: Record<string, SubscriptionKind> = {
  message: 'subscribe',
  pmessage: 'psubscribe',
  smessage: 'ssubscribe',
};

/** The first item of a pub/sub message or confirmation that says which it is (`message`, `subscribe`, ...). */
const PUBSUB_MESSAGES = new Set(['message', 'pmessage', 'smessage']);
const PUBSUB_CONFIRMATIONS = new Set([
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
]);

/** The kind named by a pub/sub reply's first item ('' when it names none). */
function pubsubKindOf(value: RespValue | undefined): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (value instanceof SimpleString) return value.value;
  return '';
}

/**
 * Routes a pub/sub message (emitted as `pubsub` with its kind and items) or confirmation (counted against the reply
 * queue's subscribe command); false when `items` is neither (a RESP3 push, or a RESP2 array in subscriber mode).
 */
export function routePubSub(items: RespValue[], connection: EventEmitter, replies: ReplyQueue): boolean {
  const kind = pubsubKindOf(items[0]);
  if (PUBSUB_MESSAGES.has(kind)) {
    connection.emit('pubsub', kind, items);
    return true;
  }
  if (!PUBSUB_CONFIRMATIONS.has(kind)) return false;
  replies.confirm(kind);
  return true;
}

function keyOf(value: RespValue | string | Buffer): string {
  return Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
}

export class Subscriptions {
  readonly #handlers: Record<SubscriptionKind, Map<string, Set<MessageHandler<any>>>> = {
    subscribe: new Map(),
    psubscribe: new Map(),
    ssubscribe: new Map(),
  };
  /** The original channel values (kept as given, so Buffers resubscribe as Buffers). */
  readonly #names = new Map<string, string | Buffer>();
  #connection: Connection | undefined;

  /** Binds to the connection that carries subscriptions (resubscribing on each `ready`). */
  attach(connection: Connection): void {
    if (this.#connection === connection) return;
    this.#connection = connection;
    connection.on('pubsub', (kind: string, items: RespValue[]) => this.#dispatch(kind, items));
    connection.on('ready', () => {
      for (const kind of ['subscribe', 'psubscribe', 'ssubscribe'] as const) {
        const channels = [...this.#handlers[kind].keys()].map((key) => this.#names.get(key) ?? key);
        if (channels.length > 0) this.#send(kind, channels).catch(() => {});
      }
    });
  }

  get connection(): Connection | undefined {
    return this.#connection;
  }

  /** Subscribes `handler`; sends the command for the channels not yet subscribed. */
  async subscribe(kind: SubscriptionKind, channels: (string | Buffer)[], handler: MessageHandler<any>): Promise<void> {
    const map = this.#handlers[kind];
    const fresh: (string | Buffer)[] = [];
    for (const channel of channels) {
      const key = keyOf(channel);
      let set = map.get(key);
      if (set === undefined) {
        set = new Set();
        map.set(key, set);
        this.#names.set(key, channel);
        fresh.push(channel);
      }
      set.add(handler);
    }
    if (fresh.length > 0) await this.#send(kind, fresh);
  }

  /** Removes `handler` (or every handler) from the channels (or all of this kind); unsubscribes emptied ones. */
  async unsubscribe(
    kind: SubscriptionKind,
    channels: (string | Buffer)[] | undefined,
    handler?: MessageHandler<any>,
  ): Promise<void> {
    const map = this.#handlers[kind];
    const targets = channels ?? [...map.keys()].map((key) => this.#names.get(key) ?? key);
    const emptied: (string | Buffer)[] = [];
    for (const channel of targets) {
      const key = keyOf(channel);
      const set = map.get(key);
      if (set === undefined) continue;
      if (handler !== undefined) set.delete(handler);
      if (handler === undefined || set.size === 0) {
        map.delete(key);
        emptied.push(channel);
      }
    }
    if (emptied.length > 0) await this.#send(UNSUBSCRIBE[kind], emptied);
  }

  /** Subscribed channel count, all kinds. */
  get size(): number {
    return this.#handlers.subscribe.size + this.#handlers.psubscribe.size + this.#handlers.ssubscribe.size;
  }

  #send(command: string, channels: (string | Buffer)[]): Promise<unknown> {
    const connection = this.#connection!;
    if (connection.protocol === 2) connection.subscriberMode = true;
    const record = connection.record(
      encodeCommand([command.toUpperCase(), ...channels]),
      command,
      undefined,
      false,
      0,
      SUBSCRIBE,
    );
    record.expected = channels.length;
    return connection.sendRecord(record);
  }

  #dispatch(kind: string, items: RespValue[]): void {
    const subscription = KIND_OF_MESSAGE[kind];
    if (subscription === undefined) return;
    const pattern = subscription === 'psubscribe';
    const handlers = this.#handlers[subscription].get(keyOf(items[1]!));
    if (handlers === undefined) return;
    const channel = pattern ? items[2] : items[1];
    const message = pattern ? items[3] : items[2];
    for (const handler of handlers) {
      try {
        handler(message, channel);
      } catch (error) {
        // a throwing handler must not break the connection's decoding: report it as an `error` event
        this.#connection?.reportError(error as Error);
      }
    }
  }
}
