/**
 * One Redis connection with automatic pipelining, per-command timeouts, reconnection and an offline queue.
 *
 * Commands become {@link CommandRecord}s: `send` encodes them at once and appends them to `pending`; a microtask
 * writes everything issued in the same tick with one `socket.write`, moving the records to `sent`, where replies
 * settle them in order. Timeouts use one timer per connection: records with the default timeout are in deadline
 * order in both queues, so a tick looks only at the oldest; the few with another timeout are scanned apart. A timed-out
 * record stays queued (flagged DONE) so that its late reply is matched and dropped.
 */
import { EventEmitter } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Decoder, encodeCommand, ErrorReply, Push, SimpleString, type RespValue } from '@mini-redis/protocol';
import { ConnectionClosedError, ReplyError, TimeoutError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { BATCH, CommandRecord, CUSTOM_TIMEOUT, DONE, INTERNAL, RETRYABLE, SINGLE, SUBSCRIBE } from './command-record.js';
import type { Transform } from './reply.js';

/** Connection states. */
export type ConnectionState = 'connecting' | 'handshake' | 'ready' | 'reconnecting' | 'closing' | 'closed';

/** Above this many bytes, a batch is written as separate chunks (corked) instead of being copied into one Buffer. */
const CONCAT_LIMIT = 256 * 1024;

const PUBSUB_MESSAGES = new Set(['message', 'pmessage', 'smessage']);
const PUBSUB_CONFIRMATIONS = new Set([
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
]);

function kindOf(value: RespValue | undefined): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (value instanceof SimpleString) return value.value;
  return '';
}

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
  /** Records written and not yet answered, from `#head`. */
  #sent: (CommandRecord | undefined)[] = [];
  #head = 0;
  /** Where the timeout scan of `#sent` resumes (everything before it is settled, custom or without a deadline). */
  #scan = 0;
  #custom: CommandRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  #timerAt = 0;
  #flushQueued = false;
  /** Date.now() of the current tick's first command (one clock read per tick). */
  #clock = 0;
  #attempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #connectTimer: NodeJS.Timeout | undefined;
  /** RESP2 subscriber mode: replies that are pub/sub arrays are messages or confirmations. */
  subscriberMode = false;
  #quitting: (() => void) | undefined;
  readonly #chunks: Buffer[] = [];
  readonly #flushBound = () => this.#flush();
  readonly #timerBound = () => this.#onTimer();

  constructor(options: ResolvedOptions) {
    super();
    this.options = options;
    this.#decoder = new Decoder({
      onReply: (value) => this.#onReply(value),
      onPush: (push) => this.#onPush(push),
      stringEncoding: options.returnBuffers ? 'buffer' : 'utf8',
    });
    this.#connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Commands written and not yet answered (timed-out ones included until their reply arrives). */
  get inFlight(): number {
    return this.#sent.length - this.#head;
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
        return Promise.reject(new ConnectionClosedError('The connection is not ready and the offline queue is disabled'));
      }
      if (this.#pending.length >= this.options.maxOfflineQueue) {
        return Promise.reject(new ConnectionClosedError(`The offline queue is full (${this.options.maxOfflineQueue})`));
      }
    }
    const promise = new Promise<any>((resolve, reject) => {
      record.resolve = resolve;
      record.reject = reject;
    });
    this.#pending.push(record);
    if (record.deadline !== 0) this.#track(record);
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
    const sent = this.#sent;
    if (count === 1) {
      const record = pending[0]!;
      pending.length = 0;
      if ((record.flags & DONE) === 0) {
        sent.push(record);
        socket.write(record.chunk);
      }
      return;
    }
    const chunks = this.#chunks;
    let total = 0;
    for (let index = 0; index < count; index++) {
      const record = pending[index]!;
      if ((record.flags & DONE) !== 0) continue;
      sent.push(record);
      chunks.push(record.chunk);
      total += record.chunk.length;
    }
    pending.length = 0;
    if (chunks.length === 1) socket.write(chunks[0]!);
    else if (total <= CONCAT_LIMIT) socket.write(Buffer.concat(chunks, total));
    else {
      socket.cork();
      for (const chunk of chunks) socket.write(chunk);
      socket.uncork();
    }
    chunks.length = 0;
  }

  #onReply(value: RespValue): void {
    if (this.subscriberMode && Array.isArray(value) && this.#onPubSub(value)) return;
    const sent = this.#sent;
    const head = this.#head;
    const record = sent[head];
    if (record === undefined) {
      this.#fail(new Error('Received a reply with no command waiting for it (protocol desynchronised)'));
      return;
    }
    if (record.kind === BATCH) {
      const batch = record.batch!;
      batch.push(value);
      if (batch.length < record.expected) return;
    }
    this.#shift(head);
    if ((record.flags & DONE) !== 0) return;
    record.flags |= DONE;
    if (record.kind !== BATCH && value instanceof ErrorReply) {
      record.reject(new ReplyError(value.message, record.name));
      return;
    }
    const transform = record.transform;
    if (transform === undefined) {
      record.resolve(record.kind === BATCH ? record.batch : value);
      return;
    }
    try {
      record.resolve(transform(record.kind === BATCH ? (record.batch as RespValue) : value));
    } catch (error) {
      record.reject(error as Error);
    }
  }

  /** Removes the answered head record. */
  #shift(head: number): void {
    const sent = this.#sent;
    sent[head] = undefined;
    const next = head + 1;
    if (next === sent.length) {
      sent.length = 0;
      this.#head = 0;
      this.#scan = 0;
    } else if (next >= 4096 && next * 2 >= sent.length) {
      sent.splice(0, next);
      this.#head = 0;
      this.#scan = Math.max(0, this.#scan - next);
    } else {
      this.#head = next;
    }
  }

  #onPush(push: Push): void {
    this.#onPubSub(push.items);
  }

  /** A pub/sub message or confirmation (RESP3 push, or RESP2 array in subscriber mode); false if it is neither. */
  #onPubSub(items: RespValue[]): boolean {
    const kind = kindOf(items[0]);
    if (PUBSUB_MESSAGES.has(kind)) {
      this.emit('pubsub', kind, items);
      return true;
    }
    if (!PUBSUB_CONFIRMATIONS.has(kind)) return false;
    const head = this.#head;
    const record = this.#sent[head];
    if (record !== undefined && record.kind === SUBSCRIBE && record.name === kind) {
      if (--record.expected > 0) return true;
      this.#shift(head);
      if ((record.flags & DONE) === 0) {
        record.flags |= DONE;
        record.resolve(undefined);
      }
    }
    return true;
  }

  // ---- timeouts: one timer per connection ----

  #track(record: CommandRecord): void {
    if ((record.flags & CUSTOM_TIMEOUT) !== 0) this.#custom.push(record);
    if (this.#timer === undefined) this.#arm(record.deadline);
    else if (record.deadline < this.#timerAt) {
      clearTimeout(this.#timer);
      this.#arm(record.deadline);
    }
  }

  #arm(deadline: number): void {
    this.#timerAt = deadline;
    this.#timer = setTimeout(this.#timerBound, Math.max(1, deadline - Date.now()));
    this.#timer.unref();
  }

  #onTimer(): void {
    this.#timer = undefined;
    const now = Date.now();
    let next = Infinity;
    // sent: default-timeout records are in deadline order from the scan point
    const sent = this.#sent;
    let index = Math.max(this.#scan, this.#head);
    for (; index < sent.length; index++) {
      const record = sent[index];
      if (record === undefined || record.deadline === 0 || (record.flags & (DONE | CUSTOM_TIMEOUT)) !== 0) continue;
      if (record.deadline > now) {
        next = record.deadline;
        break;
      }
      this.#expire(record);
    }
    this.#scan = index;
    // pending (offline queue): the same, from its start
    for (const record of this.#pending) {
      if (record.deadline === 0 || (record.flags & (DONE | CUSTOM_TIMEOUT)) !== 0) continue;
      if (record.deadline > now) {
        next = Math.min(next, record.deadline);
        break;
      }
      this.#expire(record);
    }
    if (this.#custom.length > 0) {
      const kept: CommandRecord[] = [];
      for (const record of this.#custom) {
        if ((record.flags & DONE) !== 0) continue;
        if (record.deadline <= now) this.#expire(record);
        else {
          kept.push(record);
          next = Math.min(next, record.deadline);
        }
      }
      this.#custom = kept;
    }
    if (next !== Infinity) this.#arm(next);
  }

  #expire(record: CommandRecord): void {
    record.flags |= DONE;
    record.reject(new TimeoutError(`${record.name} timed out`));
  }

  // ---- connection lifecycle ----

  #connect(): void {
    const { host, port, tls, connectTimeout } = this.options;
    const socket = tls !== undefined ? tlsConnect({ host, port, ...tls }) : netConnect({ host, port });
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    if (connectTimeout > 0) {
      this.#connectTimer = setTimeout(() => {
        socket.destroy(new ConnectionClosedError(`Connection to ${host}:${port} timed out after ${connectTimeout} ms`));
      }, connectTimeout);
      this.#connectTimer.unref();
    }
    socket.once(tls !== undefined ? 'secureConnect' : 'connect', () => {
      if (this.#socket !== socket) return;
      this.#state = 'handshake';
      this.emit('connect');
      this.#handshake().then(
        () => {
          if (this.#socket !== socket) return;
          clearTimeout(this.#connectTimer);
          this.#attempt = 0;
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
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.#socket !== socket) return;
      try {
        this.#decoder.write(chunk);
      } catch (error) {
        this.#fail(error as Error);
      }
    });
    socket.on('error', (error) => {
      if (this.#socket === socket) this.#emitError(error);
    });
    socket.on('close', () => this.#onClose(socket));
  }

  /** Sends a handshake command now (before the queued ones). */
  #direct(args: (string | number)[]): Promise<any> {
    const record = new CommandRecord(encodeCommand(args), String(args[0]), undefined, INTERNAL, 0, SINGLE);
    const promise = new Promise<any>((resolve, reject) => {
      record.resolve = resolve;
      record.reject = reject;
    });
    this.#sent.push(record);
    this.#socket!.write(record.chunk);
    return promise;
  }

  /** HELLO (falling back to RESP2 on NOPROTO or an unknown command), AUTH, SELECT, CLIENT SETNAME/SETINFO. */
  async #handshake(): Promise<void> {
    const { username, password, name, db, clientInfo } = this.options;
    let helloDone = false;
    this.protocol = 2;
    if (this.options.protocol === 3) {
      const args: (string | number)[] = ['HELLO', 3];
      if (password !== undefined) args.push('AUTH', username ?? 'default', password);
      if (name !== undefined) args.push('SETNAME', name);
      try {
        await this.#direct(args);
        helloDone = true;
        this.protocol = 3;
      } catch (error) {
        const refused =
          error instanceof ReplyError &&
          (error.code === 'NOPROTO' || /unknown command/i.test(error.message) || /HELLO/.test(error.message));
        if (!refused) throw error;
      }
    }
    const steps: Promise<unknown>[] = [];
    if (!helloDone) {
      if (password !== undefined) {
        steps.push(this.#direct(username !== undefined ? ['AUTH', username, password] : ['AUTH', password]));
      }
      if (name !== undefined) steps.push(this.#direct(['CLIENT', 'SETNAME', name]));
    }
    if (db !== 0) steps.push(this.#direct(['SELECT', db]));
    if (clientInfo !== false) {
      // an older server refuses CLIENT SETINFO: ignored
      steps.push(this.#direct(['CLIENT', 'SETINFO', 'LIB-NAME', clientInfo.name]).catch(() => {}));
      steps.push(this.#direct(['CLIENT', 'SETINFO', 'LIB-VER', clientInfo.version]).catch(() => {}));
    }
    await Promise.all(steps);
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
    const retry: CommandRecord[] = [];
    const sent = this.#sent;
    for (let index = this.#head; index < sent.length; index++) {
      const record = sent[index];
      if (record === undefined || (record.flags & DONE) !== 0) continue;
      if ((record.flags & RETRYABLE) !== 0 && record.kind !== SUBSCRIBE) {
        if (record.batch !== undefined) record.batch.length = 0;
        retry.push(record);
      } else {
        record.flags |= DONE;
        record.reject(new ConnectionClosedError(`The connection closed before ${record.name} was answered`));
      }
    }
    this.#sent = [];
    this.#head = 0;
    this.#scan = 0;
    if (retry.length > 0) this.#pending = retry.concat(this.#pending);
    if (this.#state === 'closing' || this.#state === 'closed') {
      this.#end();
      return;
    }
    const strategy = this.options.reconnectStrategy;
    const delay = strategy === false ? false : strategy(++this.#attempt, undefined);
    if (delay === false) {
      this.#end();
      return;
    }
    if (!this.options.enableOfflineQueue) this.#rejectPending('The connection closed and the offline queue is disabled');
    this.#state = 'reconnecting';
    this.emit('reconnecting', { attempt: this.#attempt, delay });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#state !== 'reconnecting') return;
      this.#state = 'connecting';
      this.#connect();
    }, delay);
  }

  #rejectPending(message: string): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const record of pending) {
      if ((record.flags & DONE) !== 0) continue;
      record.flags |= DONE;
      record.reject(new ConnectionClosedError(message));
    }
  }

  #end(): void {
    const wasClosed = this.#state === 'closed';
    this.#state = 'closed';
    this.#rejectPending('The client is closed');
    clearTimeout(this.#timer);
    clearTimeout(this.#reconnectTimer);
    this.#timer = undefined;
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
