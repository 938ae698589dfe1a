/**
 * Test helpers: start an in-process server on a free port, and a raw RESP client that sends commands over a real
 * socket and returns the decoded replies (or the raw bytes, for byte-exact assertions).
 */
import { connect, type Socket } from 'node:net';
import { Decoder, encodeCommand, type RespValue } from '@mini-redis/protocol';
import { startServer, type MiniRedisServer, type ServerOptions } from '@mini-redis/server';

/** Starts a server on 127.0.0.1 and a free port. */
export function startTestServer(options: ServerOptions = {}): Promise<MiniRedisServer> {
  return startServer({ port: 0, host: '127.0.0.1', ...options });
}

/** A minimal RESP client over a real socket: one pending reply per command sent, in order. */
export class RawClient {
  private readonly socket: Socket;
  private readonly waiting: Array<(value: RespValue) => void> = [];
  private readonly decoder: Decoder;
  private rawWaiters: Array<{ bytes: number; resolve: (buffer: Buffer) => void }> = [];
  private raw: Buffer[] = [];
  private rawMode = false;
  readonly closed: Promise<void>;

  private constructor(socket: Socket, stringEncoding: 'latin1' | 'buffer') {
    this.socket = socket;
    this.decoder = new Decoder({
      stringEncoding,
      onReply: (value) => {
        const resolve = this.waiting.shift();
        if (resolve) resolve(value);
      },
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      if (this.rawMode) {
        this.raw.push(chunk);
        this.drainRaw();
      } else {
        this.decoder.write(chunk);
      }
    });
    socket.on('error', () => {});
  }

  /** Connects to a server (bulk strings come back as latin1 strings by default). */
  static connect(port: number, stringEncoding: 'latin1' | 'buffer' = 'latin1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => resolve(new RawClient(socket, stringEncoding)));
      socket.once('error', reject);
    });
  }

  /** Sends one command and resolves with its decoded reply (error replies resolve as ErrorReply values). */
  call(...args: Array<string | Buffer | number>): Promise<RespValue> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.socket.write(encodeCommand(args, 'latin1'));
    });
  }

  /** Sends many commands in one write and resolves with all replies. */
  pipeline(commands: Array<Array<string | Buffer | number>>): Promise<RespValue[]> {
    const replies = commands.map(
      () => new Promise<RespValue>((resolve) => this.waiting.push(resolve)),
    );
    this.socket.write(Buffer.concat(commands.map((args) => encodeCommand(args, 'latin1'))));
    return Promise.all(replies);
  }

  /** Switches to raw mode: sends bytes as they are, and resolves with exactly `bytes` bytes of the answer. */
  sendRaw(data: string | Buffer, bytes: number): Promise<Buffer> {
    this.rawMode = true;
    return new Promise((resolve) => {
      this.rawWaiters.push({ bytes, resolve });
      this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
      this.drainRaw();
    });
  }

  /** Reads whatever arrives within `ms` milliseconds (raw mode). */
  async readFor(ms: number): Promise<Buffer> {
    this.rawMode = true;
    await new Promise((resolve) => setTimeout(resolve, ms));
    const all = Buffer.concat(this.raw);
    this.raw = [];
    return all;
  }

  private drainRaw(): void {
    let all = Buffer.concat(this.raw);
    while (this.rawWaiters.length > 0 && all.length >= this.rawWaiters[0]!.bytes) {
      const { bytes, resolve } = this.rawWaiters.shift()!;
      resolve(all.subarray(0, bytes));
      all = all.subarray(bytes);
    }
    this.raw = all.length > 0 ? [all] : [];
  }

  /** Closes the socket. */
  close(): Promise<void> {
    this.socket.end();
    return this.closed;
  }
}
