/**
 * One TCP connection: its socket, request decoder and reply writer, around the client's CommandContext. Reads are
 * decoded into commands and handed to the dispatcher in order; every reply of one read is flushed with a single
 * socket write; a full socket pauses reading (backpressure).
 */
import type { Socket } from 'node:net';
import { ProtocolError, ReplyWriter, RequestDecoder, type RespValue } from '@mini-redis/protocol';
import { dispatch, escapeMonitorArg, type Outcome } from '../commands/dispatch.js';
import { isPushReply } from '../commands/pubsub/pubsub.js';
import { clientLine } from '../commands/server/admin-client.js';
import { CommandContext, type ClientConnection, type ServerContext } from '../context.js';
import { ConnectionFault } from '../faults.js';
import { formatDouble } from '../format.js';

/** Flush the reply buffer mid-read once it holds this much, so a long pipeline does not buffer without bound. */
const FLUSH_THRESHOLD = 64 * 1024;

/** A closing connection drops at most this much input before it is cut off. */
const DISCARD_LIMIT = 64 * 1024;
/** How long a closing connection waits for the peer to close after the last reply. */
const CLOSE_GRACE_MS = 1000;

/**
 * Every connection reads into this one buffer (each read is decoded before the next one happens; what the decoder
 * still needs afterwards is copied), instead of Node allocating a 64 KB buffer per read and pushing it through the
 * socket's readable stream.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

interface UserBufferSymbols {
  readonly buffer: symbol;
  readonly callback: symbol;
}

let userBufferSymbols: UserBufferSymbols | null | undefined;

/**
 * The private fields behind the `onread` option of Node's net.Socket (a caller-supplied read buffer and callback),
 * which Node offers for sockets it connects but not for accepted ones: found by name on the first socket, or null
 * when this Node has no such fields (reads then go through the stream as usual).
 */
function findUserBufferSymbols(socket: Socket): UserBufferSymbols | null {
  let buffer: symbol | undefined;
  let callback: symbol | undefined;
  for (const symbol of Object.getOwnPropertySymbols(socket)) {
    if (symbol.description === 'kBuffer') buffer = symbol;
    else if (symbol.description === 'kBufferCb') callback = symbol;
  }
  return buffer !== undefined && callback !== undefined ? { buffer, callback } : null;
}

/**
 * Makes `socket` (accepted paused) read into READ_BUFFER and call `onData` with each read, as `net.connect({ onread })`
 * does. False when this Node does not support it.
 */
function readIntoSharedBuffer(socket: Socket, onData: (chunk: Buffer) => void): boolean {
  if (userBufferSymbols === undefined) userBufferSymbols = findUserBufferSymbols(socket);
  const symbols = userBufferSymbols;
  const handle = (socket as unknown as { _handle?: { useUserBuffer?: (buffer: Uint8Array) => void } })._handle;
  if (symbols === null || typeof handle?.useUserBuffer !== 'function') return false;
  const fields = socket as unknown as Record<symbol, unknown>;
  if (fields[symbols.buffer] !== null || fields[symbols.callback] !== null) return false;
  handle.useUserBuffer(READ_BUFFER);
  fields[symbols.buffer] = READ_BUFFER;
  fields[symbols.callback] = (bytes: number, buffer: Buffer): void => {
    onData(buffer.subarray(0, bytes));
  };
  return true;
}

/** Connections whose replies wait for the end of the current event-loop turn. */
const deferred: Connection[] = [];

function flushDeferred(): void {
  for (let i = 0; i < deferred.length; i++) deferred[i]!.writeDeferred();
  deferred.length = 0;
}

export class Connection implements ClientConnection {
  readonly ctx: CommandContext;
  readonly address: string;
  readonly localAddress: string;
  /** Connected through the Unix socket (CLIENT LIST flag U). */
  readonly unix: boolean;
  private readonly socket: Socket;
  private readonly writer: ReplyWriter;
  private readonly decoder: RequestDecoder;
  /** Closing: replies already buffered are flushed, then the socket ends; no more commands run. */
  private closing = false;
  /** A command is running asynchronously (blocking, DEBUG SLEEP): later commands wait for it, in order. */
  private busy = false;
  /** The socket was ended (after a protocol error, QUIT, CLIENT KILL): it is destroyed once the last reply is out. */
  private ended = false;
  /** Bytes received and dropped since closing began. */
  private discarded = 0;
  /** The config generation the limits below were read at (they are re-read when it moves). */
  private configGeneration = -1;
  /** client-query-buffer-limit, in bytes. */
  private queryBufferLimit = 0;

  /** Reads land in READ_BUFFER, reused by the next read (see readIntoSharedBuffer). */
  private readonly sharedReads: boolean;
  private readonly onClose: (connection: Connection) => void;
  private released = false;

  /**
   * `onClose` runs once, as soon as the client is gone for the server (its last reply flushed after QUIT, killed, or
   * the socket closed): the listener forgets it and its subscriptions and blocked state, as Redis frees a client
   * before serving anybody else.
   */
  constructor(
    server: ServerContext, id: number, socket: Socket, onClose: (connection: Connection) => void, unixPath?: string,
  ) {
    this.socket = socket;
    this.writer = new ReplyWriter({ protocol: 2, stringEncoding: 'latin1', formatDouble });
    this.decoder = new RequestDecoder();
    // A Unix socket client's address is the socket's path, port 0, both ways (Redis's connFormatFdAddr).
    this.unix = unixPath !== undefined;
    this.address = unixPath !== undefined ? `${unixPath}:0` : `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.localAddress = unixPath !== undefined ? `${unixPath}:0` : `${socket.localAddress ?? '?'}:${socket.localPort ?? 0}`;
    this.ctx = new CommandContext(server, id, this);
    if (!this.ctx.authenticated) this.decoder.setAuthenticated(false);
    socket.setNoDelay(true);
    const keepAlive = Number(server.config.get('tcp-keepalive'));
    if (keepAlive > 0) socket.setKeepAlive(true, keepAlive * 1000);
    this.sharedReads = readIntoSharedBuffer(socket, (chunk) => this.onData(chunk));
    if (!this.sharedReads) socket.on('data', (chunk: Buffer) => this.onData(chunk));
    if (socket.isPaused()) socket.resume();
    socket.on('drain', () => {
      if (!this.closing) socket.resume();
    });
    socket.on('error', () => {});
    this.onClose = onClose;
    socket.on('close', () => this.release());
  }

  get fd(): number {
    const handle = (this.socket as unknown as { _handle?: { fd?: unknown } })._handle;
    return typeof handle?.fd === 'number' ? handle.fd : -1;
  }

  get queryBufferLength(): number {
    return this.decoder.buffered;
  }

  get outputLength(): number {
    return this.socket.writableLength + this.writer.length;
  }

  get blocked(): boolean {
    return this.busy;
  }

  /** Never closed for being idle (`timeout`): blocked in a command, or a monitor. */
  get idleExempt(): boolean {
    return this.busy || this.ctx.monitor;
  }

  stateChanged(): void {
    this.writer.protocol = this.ctx.protocol;
    this.decoder.setAuthenticated(this.ctx.authenticated);
  }

  private onData(chunk: Buffer): void {
    if (this.closing) {
      // Closing after a reply (protocol error, QUIT): what the peer still sends is dropped, and a peer that keeps
      // sending is cut off, so its writes fail instead of being read for ever.
      this.discarded += chunk.length;
      if (this.discarded > DISCARD_LIMIT) this.socket.destroy();
      return;
    }
    const server = this.ctx.server;
    if (server.config.generation !== this.configGeneration) this.readLimits();
    const stats = server.stats;
    stats.netInputBytes += chunk.length;
    stats.readsProcessed++;
    this.decoder.push(chunk);
    this.ctx.lastInteraction = server.cachedClock.now();
    server.timer.open(this.ctx);
    this.processInput();
    server.timer.close();
    if (this.sharedReads) this.decoder.release(chunk);
    if (this.decoder.pendingBytes > this.queryBufferLimit && !this.closing) this.queryBufferFull();
    this.deferFlush();
  }

  /** Set while this connection waits in `deferred` for the end of the event-loop turn. */
  private flushDeferred = false;

  /**
   * The replies of a read are written once every socket that was readable in this event-loop turn has been read, as
   * Redis writes in beforeSleep: the peers are woken in one burst rather than once per read.
   */
  private deferFlush(): void {
    if (this.writer.length === 0 || this.closing) {
      this.flush();
      return;
    }
    if (this.flushDeferred) return;
    this.flushDeferred = true;
    deferred.push(this);
    if (deferred.length === 1) setImmediate(flushDeferred);
  }

  /** Called for each deferred connection at the end of the turn. */
  writeDeferred(): void {
    this.flushDeferred = false;
    this.flush();
  }

  /** Reads the limits Redis applies to every client's input (proto-max-bulk-len, client-query-buffer-limit). */
  private readLimits(): void {
    const config = this.ctx.server.config;
    this.configGeneration = config.generation;
    this.decoder.setMaxBulkLength(Number(config.get('proto-max-bulk-len')));
    this.queryBufferLimit = Number(config.get('client-query-buffer-limit'));
  }

  /** Unprocessed input past client-query-buffer-limit: Redis logs the client and closes it without a reply. */
  private queryBufferFull(): void {
    const preview = escapeMonitorArg(this.decoder.preview(64));
    this.ctx.server.log(
      `# Closing client that reached max query buffer length: ${clientLine(this.ctx).trimEnd()} (qbuf initial bytes: "${preview}")`,
    );
    this.destroy();
  }

  /** Runs every complete command buffered, in order, until one goes asynchronous. */
  private processInput(): void {
    const ctx = this.ctx;
    const writer = this.writer;
    while (!this.busy && !this.closing) {
      let args: string[] | undefined;
      try {
        args = this.decoder.next();
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        ctx.server.stats.countError(`ERR ${error.message}`);
        writer.error(`ERR ${error.message}`);
        this.close();
        return;
      }
      if (args === undefined) return;
      try {
        const reply = dispatch(ctx, args);
        // CLIENT REPLY OFF|SKIP: this command's reply is dropped (pushes still go out); SKIP covers the next one.
        const silent = ctx.replyOff || ctx.replySkip;
        ctx.replySkip = ctx.replySkipNext;
        ctx.replySkipNext = false;
        if (reply instanceof Promise) {
          if (ctx.trackingPending !== undefined) ctx.server.tracking.flushPending(ctx);
          this.busy = true;
          reply.then(
            (value) => this.resume(value, silent),
            (error: unknown) => this.internalError(error),
          );
          return;
        }
        if (reply instanceof ConnectionFault) {
          this.applyFault(reply);
          if (this.closing) return;
          continue;
        }
        // (Un)subscribe confirmations go out even under CLIENT REPLY OFF, in both protocols (Redis's CLIENT_PUSHING).
        if (!silent || isPushReply(reply)) writer.value(reply);
        // Invalidations of keys this client's own command modified follow its reply.
        if (ctx.trackingPending !== undefined) ctx.server.tracking.flushPending(ctx);
      } catch (error) {
        this.internalError(error);
        return;
      }
      if (writer.length >= FLUSH_THRESHOLD) this.flush();
    }
  }

  /**
   * A bug outside any handler (a reply the writer cannot encode): the reply stream of this connection may be cut
   * mid-value, so say so and close it; the server and the other connections carry on.
   */
  private internalError(error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.ctx.server.log(`# internal error on client ${this.ctx.id}: ${error instanceof Error ? (error.stack ?? text) : text}`);
    this.writer.error(`ERR internal error: ${text}`);
    this.busy = false;
    this.close();
    this.flush();
  }

  private resume(reply: Outcome, silent = false): void {
    try {
      if (reply instanceof ConnectionFault) this.applyFault(reply);
      else if (!silent) this.writer.value(reply);
      if (this.ctx.trackingPending !== undefined) this.ctx.server.tracking.flushPending(this.ctx);
    } catch (error) {
      this.internalError(error);
      return;
    }
    this.busy = false;
    const timer = this.ctx.server.timer;
    timer.open(this.ctx);
    this.processInput();
    timer.close();
    this.flush();
  }

  /** Fault injection: drop the reply, close, or write part of the reply then close. */
  private applyFault(fault: ConnectionFault): void {
    const action = fault.action;
    if (action.type === 'drop') return;
    if (action.type === 'partial' && fault.reply !== undefined) {
      const whole = new ReplyWriter({ protocol: this.ctx.protocol, stringEncoding: 'latin1', formatDouble });
      whole.value(fault.reply);
      this.flush();
      this.socket.write(Buffer.concat(whole.take()).subarray(0, action.bytes));
    } else {
      this.flush();
    }
    this.closing = true;
    this.socket.end(() => this.socket.destroy());
  }

  /** Writes out every buffered reply in one go. Pauses reading while the socket cannot take more. */
  private flush(): void {
    const socket = this.socket;
    if (this.writer.length === 0) {
      if (this.closing) this.end();
      return;
    }
    const chunks = this.writer.take();
    if (socket.destroyed) return;
    const stats = this.ctx.server.stats;
    stats.writesProcessed++;
    let writable = true;
    if (chunks.length === 1) {
      stats.netOutputBytes += chunks[0]!.length;
      writable = socket.write(chunks[0]!);
    } else {
      socket.cork();
      for (const chunk of chunks) {
        stats.netOutputBytes += chunk.length;
        writable = socket.write(chunk);
      }
      socket.uncork();
    }
    if (!writable && !this.closing) socket.pause();
    if (this.closing) this.end();
    else if (!writable) this.overOutputLimit();
  }

  /** When the soft limit was first exceeded (server clock), or -1. */
  private softLimitSince = -1;

  /**
   * client-output-buffer-limit: a client whose pending replies pass its class's hard limit, or stay past the soft
   * limit longer than allowed, is closed at once (Redis closes it asynchronously, before sending more), so one slow
   * reader cannot make the server's memory grow; nobody else notices.
   */
  private overOutputLimit(): boolean {
    const ctx = this.ctx;
    const server = ctx.server;
    const limit = server.outputLimits.limitFor(ctx.subscriptions !== undefined ? 'pubsub' : 'normal');
    if (limit.hard === 0 && limit.soft === 0) return false;
    const used = this.outputLength;
    let exceeded = limit.hard > 0 && used >= limit.hard;
    if (!exceeded && limit.soft > 0 && used >= limit.soft) {
      const now = server.clock.now();
      if (this.softLimitSince < 0) this.softLimitSince = now;
      else exceeded = Math.floor((now - this.softLimitSince) / 1000) > limit.softSeconds;
    } else if (!exceeded) {
      this.softLimitSince = -1;
    }
    if (!exceeded) return false;
    server.log(`Client id=${ctx.id} addr=${this.address} closed for overcoming of output buffer limits.`);
    this.destroy();
    return true;
  }

  /**
   * Closes as Redis's freeClient does once the last reply is written: the socket is closed for good, so whatever the
   * peer still sends is refused (its writes fail) rather than read and discarded.
   */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    const socket = this.socket;
    // FIN after the last reply; the peer then closes too (or is cut off: DISCARD_LIMIT, or CLOSE_GRACE_MS). Closing
    // at once with unread input would send a reset, which can make the peer lose the reply it has not read yet.
    socket.end();
    const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    // The reply of the command that asked to close is written after its handler returns: end after that.
    process.nextTick(() => {
      this.flush();
      this.release();
    });
  }

  destroy(): void {
    this.closing = true;
    this.socket.destroy();
    this.release();
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.onClose(this);
  }

  push(value: RespValue): void {
    if (this.socket.destroyed) return;
    this.writer.value(value);
    if (this.overOutputLimit()) return;
    // Pushes (pub/sub messages, MONITOR lines, invalidations) made during one event-loop turn go out in one write;
    // they are delivered even while this client waits on a blocking command, as Redis does.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(this.scheduledFlush);
    }
  }

  private flushScheduled = false;
  private readonly scheduledFlush = (): void => {
    this.flushScheduled = false;
    this.flush();
  };
}
