/**
 * One connected client: its socket, request decoder, reply buffer and per-connection state (database, protocol,
 * name, transaction, watched keys). Reads are decoded into commands, run in order, and every reply of one read is
 * flushed with a single socket write.
 */
import type { Socket } from 'node:net';
import { ProtocolError, ReplyWriter, RequestDecoder } from '@mini-redis/protocol';
import type { Database } from '@mini-redis/store';
import type { CommandSpec } from './commands/types.js';
import { formatDouble } from './format.js';
import type { MiniRedisServer } from './server.js';

/** A command queued by MULTI. */
export interface QueuedCommand {
  readonly spec: CommandSpec;
  readonly args: string[];
}

/** Flush the reply buffer mid-read once it holds this much, so a long pipeline does not buffer without bound. */
const FLUSH_THRESHOLD = 64 * 1024;

export class Client {
  readonly id: number;
  readonly server: MiniRedisServer;
  readonly socket: Socket | undefined;
  readonly writer: ReplyWriter;
  readonly createdAt: number;
  readonly address: string;
  readonly localAddress: string;
  db: Database;
  protocol: 2 | 3 = 2;
  name = '';
  libName = '';
  libVersion = '';
  authenticated: boolean;
  user = 'default';
  /** Commands queued since MULTI; undefined outside a transaction. */
  multi: QueuedCommand[] | undefined;
  /** A command failed to queue: EXEC answers EXECABORT. */
  multiError = false;
  /** Keys WATCHed, as "db\0key" strings... kept by the server's watch registry; this is the client's own list. */
  readonly watched: Array<{ db: number; key: string }> = [];
  /** A watched key was touched: EXEC fails. */
  watchDirty = false;
  lastInteraction: number;
  /** The last command run (CLIENT LIST cmd=). */
  lastCommand: CommandSpec | undefined;
  monitor = false;
  noEvict = false;
  noTouch = false;
  /** Closing: replies already buffered are flushed, then the socket ends; no more commands run. */
  closing = false;
  /** A command is running asynchronously (blocking, DEBUG SLEEP): later commands wait for it, in order. */
  private busy = false;
  private readonly decoder: RequestDecoder;

  constructor(server: MiniRedisServer, id: number, socket: Socket | undefined) {
    this.server = server;
    this.id = id;
    this.socket = socket;
    this.writer = new ReplyWriter({ protocol: 2, stringEncoding: 'latin1', formatDouble });
    this.decoder = new RequestDecoder();
    this.authenticated = !server.requiresAuth();
    if (!this.authenticated) this.decoder.setAuthenticated(false);
    this.db = server.store.db(0);
    this.createdAt = server.clock.now();
    this.lastInteraction = this.createdAt;
    this.address = socket ? `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}` : '';
    this.localAddress = socket ? `${socket.localAddress ?? '?'}:${socket.localPort ?? 0}` : '';
    if (socket) {
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
      socket.on('drain', () => {
        if (!this.closing) socket.resume();
      });
      socket.on('error', () => {});
      socket.on('close', () => server.removeClient(this));
    }
  }

  /** Sets whether the client passed AUTH (and lifts the unauthenticated protocol limits). */
  setAuthenticated(authenticated: boolean): void {
    this.authenticated = authenticated;
    this.decoder.setAuthenticated(authenticated);
  }

  /** Switches the reply protocol (HELLO). */
  setProtocol(protocol: 2 | 3): void {
    this.protocol = protocol;
    this.writer.protocol = protocol;
  }

  /** Bytes received but not yet decoded (CLIENT LIST qbuf). */
  get queryBufferLength(): number {
    return this.decoder.buffered;
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    this.decoder.push(chunk);
    this.lastInteraction = this.server.clock.now();
    this.server.slowlog.mark();
    this.processInput();
    this.flush();
  }

  /** Runs every complete command buffered, in order, until one goes asynchronous. */
  private processInput(): void {
    const server = this.server;
    while (!this.busy && !this.closing) {
      let args: string[] | undefined;
      try {
        args = this.decoder.next();
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        this.writer.error(`ERR ${error.message}`);
        this.close();
        return;
      }
      if (args === undefined) return;
      let pending: Promise<void> | undefined;
      try {
        pending = server.dispatch(this, args);
      } catch (error) {
        // A bug outside any handler (a reply the writer cannot encode): the reply stream of this connection may be
        // cut mid-value, so say so and close it; the server and the other connections carry on.
        server.log(`# internal error on client ${this.id}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        this.writer.error(`ERR internal error: ${error instanceof Error ? error.message : String(error)}`);
        this.close();
        return;
      }
      if (pending !== undefined) {
        this.busy = true;
        pending.then(
          () => this.resume(),
          () => this.resume(),
        );
        return;
      }
      if (this.writer.length >= FLUSH_THRESHOLD) this.flush();
    }
  }

  private resume(): void {
    this.busy = false;
    this.server.slowlog.mark();
    this.processInput();
    this.flush();
  }

  /** Writes out every buffered reply in one go. Pauses reading while the socket cannot take more. */
  flush(): void {
    const socket = this.socket;
    if (socket === undefined) return;
    if (this.writer.length === 0) {
      if (this.closing) socket.end();
      return;
    }
    const chunks = this.writer.take();
    if (socket.destroyed) return;
    let writable = true;
    if (chunks.length === 1) {
      writable = socket.write(chunks[0]!);
    } else {
      socket.cork();
      for (const chunk of chunks) writable = socket.write(chunk);
      socket.uncork();
    }
    if (!writable && !this.closing) socket.pause();
    if (this.closing) socket.end();
  }

  /** Stops reading, flushes what is buffered, then closes the connection (QUIT, protocol errors, CLIENT KILL). */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    // The reply of the command that asked to close is written after its handler returns: end after that.
    process.nextTick(() => this.flush());
  }

  /** Closes at once, dropping buffered replies. */
  destroy(): void {
    this.closing = true;
    this.socket?.destroy();
  }

  /** Sends a value to the client outside the request/reply flow (MONITOR lines, pub/sub pushes). */
  send(write: (writer: ReplyWriter) => void): void {
    write(this.writer);
    if (!this.busy) this.flush();
  }

  /** The client's flags for CLIENT LIST ('N' for none). */
  flagString(): string {
    let flags = '';
    if (this.monitor) flags += 'O';
    if (this.multi !== undefined) flags += 'x';
    if (this.watchDirty) flags += 'd';
    if (this.busy) flags += 'b';
    if (this.noEvict) flags += 'e';
    if (this.noTouch) flags += 'T';
    return flags === '' ? 'N' : flags;
  }
}
