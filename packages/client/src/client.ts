/**
 * The client: typed command methods (installed from the command table), `sendCommand`, explicit batches, blocking
 * commands on a pool, pub/sub, scripts, scan iterators and the connection lifecycle. Views (`withBuffers()`,
 * `withTimeout()`) share the client's connections and state (client-core.ts).
 */
import { createHash } from 'node:crypto';
import { Multi, Pipeline } from './batch.js';
import { blockTime } from './blocking-pool.js';
import { ClientCore } from './client-core.js';
import { BLOCKING, READ, type Arg, type CommandMethods } from './command-table.js';
import { ReplyError } from './errors.js';
import { installCommands } from './install-commands.js';
import { resolveOptions, resolvePartial, type ClientOptions, type ResolvedOptions } from './options.js';
import type { MessageHandler } from './pubsub.js';
import { readOnlyName } from './read-only.js';
import { plain, type RedisReply, type Transform } from './reply.js';
import { scan, scanArgs, type ScanOptions } from './scan.js';

export type { ScanOptions } from './scan.js';

/** Per-call options of `sendCommand`. */
export interface CommandOptions {
  /** Timeout in ms (0 = none); default: the client's commandTimeout. */
  timeout?: number;
  /** Retry after a reconnect even though the command may write (it may run twice). Default: only read-only ones. */
  retryOnReconnect?: boolean;
}

/**
 * A Redis client. `S` is the type of string replies: `string` (UTF-8, the default) or `Buffer` (`withBuffers()`).
 * Create it with {@link createClient}; it connects at once and queues commands until it is ready.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class RedisClient<S = string> {
  /** @internal */
  readonly _core: ClientCore;
  /** @internal */
  readonly _timeout: number | undefined;

  /** @internal use createClient */
  constructor(core: ClientCore, timeout?: number) {
    this._core = core;
    this._timeout = timeout;
  }

  /** Resolved options (URL applied, defaults filled in). */
  get options(): Readonly<ResolvedOptions> {
    return this._core.options;
  }

  /** `connecting`, `handshake`, `ready`, `reconnecting`, `closing` or `closed`. */
  get status(): string {
    return this._core.main.state;
  }

  /** The protocol in use (after `ready`): 3, or 2 when asked for or when the server has no HELLO. */
  get protocol(): 2 | 3 {
    return this._core.main.protocol;
  }

  /** Resolves once connected and the handshake is done. */
  ready(): Promise<this> {
    return this._core.main.ready().then(() => this);
  }

  /** Listens to `connect`, `ready`, `error`, `reconnecting` ({ attempt, delay }) or `end`. */
  on(event: 'connect' | 'ready' | 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'reconnecting', listener: (info: { attempt: number; delay: number }) => void): this;
  on(event: string, listener: (...args: any[]) => void): this {
    this._core.on(event, listener);
    return this;
  }

  once(event: string, listener: (...args: any[]) => void): this {
    this._core.once(event, listener);
    return this;
  }

  off(event: string, listener: (...args: any[]) => void): this {
    this._core.off(event, listener);
    return this;
  }

  /** A view whose string replies are Buffers (it uses a second connection, opened on first use). */
  withBuffers(): RedisClient<Buffer> {
    return new RedisClient<Buffer>(this._core.sibling(), this._timeout);
  }

  /** A view whose commands use this timeout (ms, 0 = none) instead of the client's commandTimeout. */
  withTimeout(timeout: number): RedisClient<S> {
    return new RedisClient<S>(this._core, timeout);
  }

  /** Sends any command; the reply as plain JavaScript (RESP3 maps become `Map`s). */
  sendCommand(args: readonly Arg[], options?: CommandOptions): Promise<RedisReply<S>> {
    const retry = options?.retryOnReconnect ?? readOnlyName(args);
    return this._core.main.send(args, plain, retry, options?.timeout ?? this._timeout);
  }

  /** @internal the typed methods' path */
  _run(args: Arg[], transform: Transform, flags: number): Promise<any> {
    if ((flags & BLOCKING) !== 0) {
      const block = blockTime(flags, args);
      if (block !== undefined) {
        const base = this._timeout ?? this._core.options.commandTimeout;
        return this._core.pool.run(args, transform, block === 0 ? 0 : base === 0 ? 0 : block + base);
      }
    }
    return this._core.main.send(args, transform, (flags & READ) !== 0, this._timeout);
  }

  /** A non-atomic batch: chain typed commands, then `exec()`. */
  pipeline(): Pipeline<S> {
    return new Pipeline<S>(() => this._core.main, this._timeout);
  }

  /** A MULTI/EXEC transaction: chain typed commands, then `exec()`. Use `watch()` before it for optimistic locking. */
  multi(): Multi<S> {
    return new Multi<S>(() => this._core.main, this._timeout);
  }

  // ---- pub/sub ----

  /** Subscribes `handler` to channels (`SUBSCRIBE`). Resubscribed after every reconnect. */
  async subscribe(channels: string | Buffer | (string | Buffer)[], handler: MessageHandler<S>): Promise<void> {
    await this._core.subscriptionConnection();
    await this._core.subscriptions.subscribe('subscribe', list(channels), handler);
  }

  /** Subscribes `handler` to patterns (`PSUBSCRIBE`); it gets (message, channel). */
  async psubscribe(patterns: string | Buffer | (string | Buffer)[], handler: MessageHandler<S>): Promise<void> {
    await this._core.subscriptionConnection();
    await this._core.subscriptions.subscribe('psubscribe', list(patterns), handler);
  }

  /** Subscribes `handler` to shard channels (`SSUBSCRIBE`, Redis 7). */
  async ssubscribe(channels: string | Buffer | (string | Buffer)[], handler: MessageHandler<S>): Promise<void> {
    await this._core.subscriptionConnection();
    await this._core.subscriptions.subscribe('ssubscribe', list(channels), handler);
  }

  /** Removes `handler` (or all handlers) from channels (or all channels). */
  async unsubscribe(channels?: string | Buffer | (string | Buffer)[], handler?: MessageHandler<S>): Promise<void> {
    if (this._core.subscriptions.connection === undefined) return;
    await this._core.subscriptions.unsubscribe(
      'subscribe',
      channels === undefined ? undefined : list(channels),
      handler,
    );
  }

  async punsubscribe(patterns?: string | Buffer | (string | Buffer)[], handler?: MessageHandler<S>): Promise<void> {
    if (this._core.subscriptions.connection === undefined) return;
    await this._core.subscriptions.unsubscribe(
      'psubscribe',
      patterns === undefined ? undefined : list(patterns),
      handler,
    );
  }

  async sunsubscribe(channels?: string | Buffer | (string | Buffer)[], handler?: MessageHandler<S>): Promise<void> {
    if (this._core.subscriptions.connection === undefined) return;
    await this._core.subscriptions.unsubscribe(
      'ssubscribe',
      channels === undefined ? undefined : list(channels),
      handler,
    );
  }

  // ---- scripts ----

  /**
   * A Lua script as a function: `(keys, args) => reply`. Runs EVALSHA, and EVAL when the server answers NOSCRIPT
   * (first use, after SCRIPT FLUSH or a restart). `transform` shapes the reply.
   */
  defineScript<R = RedisReply<S>>(
    body: string,
    transform?: (reply: RedisReply<S>) => R,
  ): (keys?: readonly Arg[], args?: readonly Arg[]) => Promise<R> {
    const sha = createHash('sha1').update(body).digest('hex');
    const shape = transform ?? ((reply: RedisReply<S>) => reply as R);
    return async (keys = [], args = []) => {
      try {
        return shape(await this._run(['EVALSHA', sha, keys.length, ...keys, ...args], plain, 0));
      } catch (error) {
        if (!(error instanceof ReplyError) || error.code !== 'NOSCRIPT') throw error;
        return shape(await this._run(['EVAL', body, keys.length, ...keys, ...args], plain, 0));
      }
    };
  }

  // ---- scan iterators ----

  /** Every key (SCAN), as an async iterable. Keys may repeat if the keyspace changes meanwhile (SCAN's guarantee). */
  async *scanIterator(options: ScanOptions = {}): AsyncIterableIterator<S> {
    const extra = scanArgs(options);
    if (options.type !== undefined) extra.push('TYPE', options.type);
    yield* scan(this, ['SCAN'], extra, 1) as AsyncIterable<S>;
  }

  /** Every field and value of a hash (HSCAN). */
  async *hscanIterator(key: Arg, options: ScanOptions = {}): AsyncIterableIterator<{ field: S; value: S }> {
    for await (const [field, value] of scan(this, ['HSCAN', key], scanArgs(options), 2)) {
      yield { field: field as S, value: value as S };
    }
  }

  /** Every member of a set (SSCAN). */
  async *sscanIterator(key: Arg, options: ScanOptions = {}): AsyncIterableIterator<S> {
    yield* scan(this, ['SSCAN', key], scanArgs(options), 1) as AsyncIterable<S>;
  }

  /** Every member and score of a sorted set (ZSCAN). */
  async *zscanIterator(key: Arg, options: ScanOptions = {}): AsyncIterableIterator<{ value: S; score: number }> {
    for await (const [value, score] of scan(this, ['ZSCAN', key], scanArgs(options), 2)) {
      yield { value: value as S, score: Number(String(score)) };
    }
  }

  // ---- lifecycle ----

  /** Waits for the replies to everything sent, then closes (QUIT). */
  quit(): Promise<void> {
    return this._core.close(true);
  }

  /** Closes at once; pending commands reject with ConnectionClosedError. */
  disconnect(): Promise<void> {
    return this._core.close(false);
  }

  /** A new client with the same options (its own connections). */
  duplicate(overrides: ClientOptions = {}): RedisClient<S> {
    return new RedisClient<S>(new ClientCore({ ...this._core.options, ...resolvePartial(overrides) }));
  }
}

function list(channels: string | Buffer | (string | Buffer)[]): (string | Buffer)[] {
  return Array.isArray(channels) ? channels : [channels];
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RedisClient<S> extends CommandMethods<S> {}

// Single-token rows (most) take the short path: one array, no spread of tokens.
installCommands(RedisClient.prototype, ({ tokens, suffix, flags }, transform) => {
  const token = tokens[0]!;
  return tokens.length === 1 && suffix.length === 0
    ? function (this: RedisClient<unknown>, ...args: Arg[]) {
        args.unshift(token);
        return this._run(args, transform, flags);
      }
    : function (this: RedisClient<unknown>, ...args: Arg[]) {
        return this._run([...tokens, ...args, ...suffix], transform, flags);
      };
});

/** Creates a client and starts connecting (commands issued meanwhile are queued). */
export function createClient(options: ClientOptions = {}): RedisClient<string> {
  return new RedisClient<string>(new ClientCore(resolveOptions(options)));
}

export type { ClientCore };
