/**
 * Test helpers: start an in-process server on a free port, and a raw RESP client that sends commands over a real
 * socket and returns the decoded replies, or the raw bytes of each reply (for byte-exact assertions and for the
 * differential test against the real redis-server).
 */
import { connect, type Socket } from 'node:net';
import { Decoder, encodeCommand, type RespValue } from '@mini-redis/protocol';
import { startServer, type MiniRedisServer, type ServerOptions } from '@mini-redis/server';

/** Starts a server on 127.0.0.1 and a free port. */
export function startTestServer(options: ServerOptions = {}): Promise<MiniRedisServer> {
  return startServer({ port: 0, host: '127.0.0.1', ...options });
}

/** A command as sent: its arguments (strings are sent as latin1 bytes). */
export type Command = Array<string | Buffer | number>;

const CR = 0x0d;

/** Reads the decimal number between `start` and `end` (a RESP length or count line). */
function readNumber(buffer: Buffer, start: number, end: number): number {
  return Number(buffer.toString('latin1', start, end));
}

/**
 * Where the RESP2/RESP3 reply starting at `offset` ends: the index just past it, or, when the buffer does not hold all
 * of it yet, a negative number `-n` meaning "need at least n bytes in the buffer". Throws on a byte that starts no
 * reply type.
 */
export function frameEnd(buffer: Buffer, offset: number): number {
  if (offset >= buffer.length) return -(offset + 1);
  const lineEnd = buffer.indexOf(CR, offset + 1);
  if (lineEnd < 0 || lineEnd + 1 >= buffer.length) return -(Math.max(lineEnd, buffer.length) + 2);
  const next = lineEnd + 2;
  const type = String.fromCharCode(buffer[offset]!);
  switch (type) {
    case '+':
    case '-':
    case ':':
    case ',':
    case '_':
    case '#':
    case '(':
      return next;
    case '$':
    case '!':
    case '=': {
      const length = readNumber(buffer, offset + 1, lineEnd);
      if (length < 0) return next;
      const end = next + length + 2;
      return end <= buffer.length ? end : -end;
    }
    case '*':
    case '~':
    case '>':
    case '%':
    case '|': {
      const count = readNumber(buffer, offset + 1, lineEnd);
      if (count < 0) return next;
      const elements = type === '%' || type === '|' ? count * 2 : count;
      let position = next;
      for (let index = 0; index < elements; index++) {
        position = frameEnd(buffer, position);
        if (position < 0) return position;
      }
      // Attributes precede the value they describe: the reply goes on.
      return type === '|' ? frameEnd(buffer, position) : position;
    }
    default:
      throw new Error(
        `not a RESP reply at byte ${offset}: ${JSON.stringify(buffer.toString('latin1', offset, offset + 40))}`,
      );
  }
}

/** Splits a buffer holding whole replies into one Buffer per reply (throws when the last one is incomplete). */
export function splitReplies(buffer: Buffer): Buffer[] {
  const replies: Buffer[] = [];
  let position = 0;
  while (position < buffer.length) {
    const end = frameEnd(buffer, position);
    if (end < 0) throw new Error(`incomplete reply at byte ${position}`);
    replies.push(buffer.subarray(position, end));
    position = end;
  }
  return replies;
}

/** Shows reply bytes readably in failure messages: CRLF kept visible, other control and high bytes escaped. */
export function showBytes(bytes: Buffer | string): string {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x0d) out += '\\r';
    else if (code === 0x0a) out += '\\n';
    else if (code === 0x5c) out += '\\\\';
    else if (code < 0x20 || code > 0x7e) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += text[index];
  }
  return out;
}

type Waiter =
  | { kind: 'reply'; resolve: (bytes: Buffer) => void }
  | { kind: 'bytes'; bytes: number; resolve: (bytes: Buffer) => void };

/**
 * A minimal RESP client over a real socket: one pending reply per command sent, in order. Incoming bytes are framed
 * reply by reply, so decoded calls, raw calls and raw byte reads can be mixed on one connection.
 */
export class RawClient {
  private readonly socket: Socket;
  private readonly waiters: Waiter[] = [];
  private decoder: Decoder | undefined;
  private readonly stringEncoding: 'latin1' | 'buffer';
  private decoded: RespValue[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Do not try to frame before this many bytes are buffered (a large bulk string arriving in pieces). */
  private needAtLeast = 0;
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(socket: Socket, stringEncoding: 'latin1' | 'buffer') {
    this.socket = socket;
    this.stringEncoding = stringEncoding;
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        resolve();
      }),
    );
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered >= this.needAtLeast) this.drain();
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

  /** True once the server closed the connection. */
  get isClosed(): boolean {
    return this.ended;
  }

  /** The underlying socket (for tests that pause reading or write by hand). */
  get raw(): Socket {
    return this.socket;
  }

  /** Sends one command and resolves with its decoded reply (error replies resolve as ErrorReply values). */
  call(...args: Command): Promise<RespValue> {
    return this.callRaw(...args).then((bytes) => this.decode(bytes));
  }

  /** Sends one command and resolves with the exact bytes of its reply. */
  callRaw(...args: Command): Promise<Buffer> {
    const reply = this.nextReply();
    this.socket.write(encodeCommand(args, 'latin1'));
    return reply;
  }

  /** Sends many commands in one write and resolves with all replies. */
  pipeline(commands: Command[]): Promise<RespValue[]> {
    return this.pipelineRaw(commands).then((replies) => replies.map((bytes) => this.decode(bytes)));
  }

  /** Sends many commands in one write and resolves with the exact bytes of each reply. */
  pipelineRaw(commands: Command[]): Promise<Buffer[]> {
    const replies = commands.map(() => this.nextReply());
    this.socket.write(Buffer.concat(commands.map((args) => encodeCommand(args, 'latin1'))));
    return Promise.all(replies);
  }

  /** Sends bytes as they are (e.g. inline commands) and resolves with the bytes of the next `count` replies. */
  sendRawReplies(data: string | Buffer, count: number): Promise<Buffer[]> {
    const replies = Array.from({ length: count }, () => this.nextReply());
    this.write(data);
    return Promise.all(replies);
  }

  /** Sends bytes as they are, and resolves with exactly `bytes` bytes of the answer. */
  sendRaw(data: string | Buffer, bytes: number): Promise<Buffer> {
    const answer = new Promise<Buffer>((resolve) => this.waiters.push({ kind: 'bytes', bytes, resolve }));
    this.write(data);
    this.drain();
    return answer;
  }

  /** Writes bytes without waiting for anything. */
  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** Resolves with the bytes of the next reply (one already sent for, or one the server sends by itself). */
  nextReply(): Promise<Buffer> {
    const reply = new Promise<Buffer>((resolve) => this.waiters.push({ kind: 'reply', resolve }));
    this.drain();
    return reply;
  }

  /** Reads whatever arrives within `ms` milliseconds that no pending call claims. */
  async readFor(ms: number): Promise<Buffer> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const all = Buffer.concat(this.chunks);
    this.chunks = [];
    this.buffered = 0;
    this.needAtLeast = 0;
    return all;
  }

  /** Decodes one reply's bytes into a value. */
  decode(bytes: Buffer): RespValue {
    this.decoder ??= new Decoder({
      stringEncoding: this.stringEncoding,
      onReply: (value: RespValue) => {
        this.decoded.push(value);
      },
    });
    this.decoded = [];
    this.decoder.write(bytes);
    if (this.decoded.length !== 1) throw new Error(`expected one reply in ${showBytes(bytes)}`);
    return this.decoded[0]!;
  }

  private drain(): void {
    if (this.waiters.length === 0) return;
    let all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    let position = 0;
    while (this.waiters.length > 0) {
      const waiter = this.waiters[0]!;
      const end = waiter.kind === 'bytes' ? position + waiter.bytes : frameEnd(all, position);
      if (end < 0 || end > all.length) {
        this.needAtLeast = (end < 0 ? -end : end) - position;
        break;
      }
      this.waiters.shift();
      waiter.resolve(all.subarray(position, end));
      position = end;
    }
    all = all.subarray(position);
    this.chunks = all.length > 0 ? [all] : [];
    this.buffered = all.length;
    if (this.waiters.length === 0) this.needAtLeast = 0;
  }

  /** Closes the socket. */
  close(): Promise<void> {
    this.socket.end();
    return this.closed;
  }
}
