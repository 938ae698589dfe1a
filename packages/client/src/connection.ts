/**
 * One Redis connection: the socket and its lifecycle (connect, handshake, close, reconnection with backoff, QUIT),
 * automatic pipelining and the offline queue.
 *
 * Commands become {@link CommandRecord}s: `send` encodes them at once and appends them to `pending`; a microtask
 * writes everything issued in the same tick with one `socket.write`, moving the records to the reply queue
 * (reply-queue.ts), where replies settle them in order. Timeouts are in command-timeouts.ts, the handshake in
 * connection-handshake.ts.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { Decoder, encodeCommand, type RespValue } from '@mini-redis/protocol';
import {
  CommandRecord,
  CUSTOM_TIMEOUT,
  INTERNAL,
  rejectUnsettled,
  RETRYABLE,
  SINGLE,
  whenSettled,
} from './command-record.js';
import { CommandTimeouts } from './command-timeouts.js';
import { handshake } from './connection-handshake.js';
import { openSocket, Reconnect } from './connection-socket.js';
import { ConnectionClosedError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { routePubSub } from './pubsub.js';
import type { Transform } from './reply.js';
import { writeNow, writeRecords } from './record-writer.js';
import { ReplyQueue } from './reply-queue.js';

/** Connection states. */
export type ConnectionState = 'connecting' | 'handshake' | 'ready' | 'reconnecting' | 'closing' | 'closed';

/**
 * Events: `connect` (TCP up), `ready` (handshake done, queued commands flow), `error` (Error), `reconnecting`
 * ({ attempt, delay }), `end` (closed for good), `pubsub` (kind, items).
 */
export class Connection extends EventEmitter {
  readonly options: ResolvedOptions;
  #state: ConnectionState = 'connecting';
  #socket: Socket | undefined;
  readonly #decoder: Decoder;
  /** The protocol the handshake settled on. */
  protocol: 2 | 3 = 2;
  /** Records not yet written (this tick's batch, or the offline queue). */
  #pending: CommandRecord[] = [];
  /** Records written and not yet answered. */
  readonly #replies = new ReplyQueue();
  readonly #timeouts = new CommandTimeouts(this.#replies, () => this.#pending);
  #flushQueued = false;
  /** Date.now() of the current tick's first command (one clock read per tick). */
  #clock = 0;
  readonly #reconnect = new Reconnect();
  #connectTimer: NodeJS.Timeout | undefined;
  /** RESP2 subscriber mode: replies that are pub/sub arrays are messages or confirmations. */
  subscriberMode = false;
  #quitting: (() => void) | undefined;
  readonly #flushBound = () => this.#flush();

  constructor(options: ResolvedOptions) {
    super();
    this.options = options;
    this.#decoder = new Decoder({
      onReply: (value) => this.#onReply(value),
      onPush: (push) => routePubSub(push.items, this, this.#replies),
      stringEncoding: options.returnBuffers ? 'buffer' : 'utf8',
    });
    this.#connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Commands written and not yet answered (timed-out ones included until their reply arrives). */
  get inFlight(): number {
    return this.#replies.size;
  }

  /** Resolves when the connection is ready (rejects if it closes for good first). */
  ready(): Promise<void> {
    if (this.#state === 'ready') return Promise.resolve();
    if (this.#state === 'closed') return Promise.reject(new ConnectionClosedError('The client is closed'));
    return new Promise((resolve, reject) => {
      const onReady = () => {
        this.off('end', onEnd);
        resolve();
      };
      const onEnd = () => {
        this.off('ready', onReady);
        reject(new ConnectionClosedError('The connection closed before it was ready'));
      };
      this.once('ready', onReady);
      this.once('end', onEnd);
    });
  }

  /**
   * Sends a command; resolves with its transformed reply or rejects with ReplyError / TimeoutError /
   * ConnectionClosedError. `timeout` undefined means the default.
   */
  send(
    args: ReadonlyArray<string | Buffer | number>,
    transform: Transform | undefined,
    retryable: boolean,
    timeout?: number,
  ): Promise<any> {
    return this.sendRecord(this.record(encodeCommand(args), String(args[0]), transform, retryable, timeout, SINGLE));
  }

  /** Builds a record (deadline from this tick's clock). */
  record(
    chunk: Buffer,
    name: string,
    transform: Transform | undefined,
    retryable: boolean,
    timeout: number | undefined,
    kind: number,
  ): CommandRecord {
    let flags = retryable || this.options.retryWritesOnReconnect ? RETRYABLE : 0;
    let deadline = 0;
    const ms = timeout ?? this.options.commandTimeout;
    if (ms > 0) {
      if (this.#clock === 0) {
        this.#clock = Date.now();
        this.#queueFlush();
      }
      deadline = this.#clock + ms;
      if (timeout !== undefined && timeout !== this.options.commandTimeout) flags |= CUSTOM_TIMEOUT;
    }
    return new CommandRecord(chunk, name, transform, flags, deadline, kind);
  }

  /** Queues a record for the next write; resolves when it is settled. */
  sendRecord(record: CommandRecord): Promise<any> {
    const state = this.#state;
    if (state !== 'ready') {
      if (state === 'closing' || state === 'closed') {
        return Promise.reject(new ConnectionClosedError('The client is closed'));
      }
      if (!this.options.enableOfflineQueue) {
        return Promise.reject(
          new ConnectionClosedError('The connection is not ready and the offline queue is disabled'),
        );
      }
      if (this.#pending.length >= this.options.maxOfflineQueue) {
        return Promise.reject(new ConnectionClosedError(`The offline queue is full (${this.options.maxOfflineQueue})`));
      }
    }
    const promise = whenSettled(record);
    this.#pending.push(record);
    if (record.deadline !== 0) this.#timeouts.track(record);
    if (state === 'ready') this.#queueFlush();
    return promise;
  }

  #queueFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(this.#flushBound);
  }

  /** Writes every pending record in one write (or one corked run when large). */
  #flush(): void {
    this.#flushQueued = false;
    this.#clock = 0;
    const socket = this.#socket;
    if ((this.#state !== 'ready' && this.#state !== 'closing') || socket === undefined) return;
    const pending = this.#pending;
    const count = pending.length;
    if (count === 0) return;
    writeRecords(socket, pending, this.#replies.records);
  }

  #onReply(value: RespValue): void {
    if (this.subscriberMode && Array.isArray(value) && routePubSub(value, this, this.#replies)) return;
    if (!this.#replies.settle(value)) {
      this.#fail(new Error('Received a reply with no command waiting for it (protocol desynchronised)'));
    }
  }

  // ---- connection lifecycle ----

  #connect(): void {
    const { socket, connectTimer } = openSocket(this.options, {
      connected: () => {
        if (this.#socket === socket) this.#onConnected(socket);
      },
      data: (chunk) => {
        if (this.#socket !== socket) return;
        try {
          this.#decoder.write(chunk);
        } catch (error) {
          this.#fail(error as Error);
        }
      },
      error: (error) => {
        if (this.#socket === socket) this.#emitError(error);
      },
      closed: () => this.#onClose(socket),
    });
    this.#socket = socket;
    this.#connectTimer = connectTimer;
  }

  /** The socket is up: runs the handshake, then lets the queued commands flow. */
  #onConnected(socket: Socket): void {
    this.#state = 'handshake';
    this.emit('connect');
    this.protocol = 2;
    handshake(this.options, (args) => this.#direct(args)).then(
      (protocol) => {
        if (this.#socket !== socket) return;
        this.protocol = protocol;
        clearTimeout(this.#connectTimer);
        this.#reconnect.attempt = 0;
        this.#state = 'ready';
        this.emit('ready');
        this.#queueFlush();
      },
      (error: Error) => {
        if (this.#socket !== socket) return;
        this.#emitError(error);
        socket.destroy();
      },
    );
  }

  /** Sends a handshake command now (before the queued ones). */
  #direct(args: (string | number)[]): Promise<any> {
    const record = new CommandRecord(encodeCommand(args), String(args[0]), undefined, INTERNAL, 0, SINGLE);
    return writeNow(this.#socket!, record, this.#replies.records);
  }

  /** Emits `error` when someone listens (used for errors raised by message handlers too). */
  reportError(error: Error): void {
    this.#emitError(error);
  }

  #emitError(error: Error): void {
    // an `error` event with no listener would throw: only emit when someone listens
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  #fail(error: Error): void {
    this.#emitError(error);
    this.#socket?.destroy();
  }

  #onClose(socket: Socket): void {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    clearTimeout(this.#connectTimer);
    this.#decoder.reset();
    this.subscriberMode = false;
    // in flight: retry when safe, else reject
    const retry = this.#replies.drain();
    if (retry.length > 0) this.#pending = retry.concat(this.#pending);
    if (this.#state === 'closing' || this.#state === 'closed') {
      this.#end();
      return;
    }
    const delay = this.#reconnect.schedule(this.options.reconnectStrategy, () => {
      if (this.#state !== 'reconnecting') return;
      this.#state = 'connecting';
      this.#connect();
    });
    if (delay === false) {
      this.#end();
      return;
    }
    if (!this.options.enableOfflineQueue)
      this.#rejectPending('The connection closed and the offline queue is disabled');
    this.#state = 'reconnecting';
    this.emit('reconnecting', { attempt: this.#reconnect.attempt, delay });
  }

  #rejectPending(message: string): void {
    const pending = this.#pending;
    this.#pending = [];
    rejectUnsettled(pending, () => new ConnectionClosedError(message));
  }

  #end(): void {
    const wasClosed = this.#state === 'closed';
    this.#state = 'closed';
    this.#rejectPending('The client is closed');
    this.#timeouts.stop();
    this.#reconnect.cancel();
    this.#quitting?.();
    this.#quitting = undefined;
    if (!wasClosed) this.emit('end');
  }

  /** Sends QUIT after the queued commands, waits for its reply and for the server to close. */
  async quit(): Promise<void> {
    if (this.#state === 'closed') return;
    if ((this.#state === 'connecting' || this.#state === 'handshake') && this.#pending.length > 0) {
      // commands are queued for this first connection: let them run, then QUIT
      await this.ready().catch(() => {});
    }
    if (this.#state !== 'ready') {
      this.disconnect();
      return;
    }
    const closed = new Promise<void>((resolve) => (this.#quitting = resolve));
    const reply = this.send(['QUIT'], undefined, false).catch(() => {});
    this.#state = 'closing';
    await reply;
    this.#socket?.end();
    await closed;
  }

  /** Closes at once: everything in flight or queued is rejected with ConnectionClosedError. */
  disconnect(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closing';
    const socket = this.#socket;
    if (socket !== undefined) {
      socket.destroy();
      // close arrives asynchronously: reject now so callers don't wait
      this.#onClose(socket);
    } else {
      this.#end();
    }
  }
}
