// ReplyWriter: appends RESP2/RESP3 replies into slab buffers and hands them over as chunks (server hot path).
import { BlobErrorReply, ErrorReply } from './errors.js';
import type { FastBuffer } from './fast-buffer.js';
import { formatDouble as defaultFormatDouble } from './format-double.js';
import {
  Attributed,
  BigNumber,
  NullArray,
  Push,
  RawReply,
  RespDouble,
  RespMap,
  RespSet,
  SimpleString,
  VerbatimString,
  type RespValue,
} from './values.js';

/** Options shared by every encoder. */
export interface EncodeOptions {
  /** Protocol version of the output (default 2). */
  protocol?: 2 | 3;
  /** How strings are turned into bytes (default `utf8`). `latin1` writes one byte per char. */
  stringEncoding?: 'utf8' | 'latin1';
  /** Text of a double (default: `inf`, `-inf`, `nan`, else the shortest JS form). */
  formatDouble?: (value: number) => string;
}

/** Options of a {@link ReplyWriter}. */
export interface ReplyWriterOptions extends EncodeOptions {
  /** Size of each slab buffer (default 16 KiB). */
  chunkSize?: number;
  /** Buffers and strings longer than this become their own chunk instead of being copied (default 16 KiB). */
  copyThreshold?: number;
}

const SMALL_STRING = 32;
const MAX_HEADER = 24; // type byte + sign + 20 digits + CRLF

const POWERS_OF_TEN = Array.from({ length: 17 }, (_, exponent) => 10 ** exponent); // exact as doubles

/** Writes `n` (a safe integer) as decimal digits at `offset`; returns the offset after it. */
export function writeDigits(buffer: Buffer, offset: number, n: number): number {
  if (n < 0) {
    buffer[offset++] = 0x2d;
    n = -n;
  }
  if (n < 10) {
    buffer[offset] = 0x30 + n;
    return offset + 1;
  }
  let digits = 2;
  while (digits < 16 && n >= POWERS_OF_TEN[digits]!) digits++;
  const end = offset + digits;
  let position = end;
  while (n > 0) {
    const quotient = Math.floor(n / 10);
    buffer[--position] = 0x30 + (n - quotient * 10);
    n = quotient;
  }
  return end;
}

/**
 * Accumulates replies in slab buffers. `take()` hands over everything written since the previous call; the writer never
 * writes into a taken region again, so the chunks can go straight to `socket.write`.
 */
export class ReplyWriter {
  /** Protocol of the following writes; HELLO may switch it. */
  protocol: 2 | 3;
  /** @internal */ stringEncoding: 'utf8' | 'latin1';
  /** @internal */ formatDouble: (value: number) => string;
  readonly #chunkSize: number;
  readonly #copyThreshold: number;
  #buffer: FastBuffer;
  #start = 0;
  #offset = 0;
  #chunks: Buffer[] = [];
  #chunkBytes = 0;

  constructor(options: ReplyWriterOptions = {}) {
    this.protocol = options.protocol ?? 2;
    this.stringEncoding = options.stringEncoding ?? 'utf8';
    this.formatDouble = options.formatDouble ?? defaultFormatDouble;
    this.#chunkSize = Math.max(64, options.chunkSize ?? 16 * 1024);
    this.#copyThreshold = options.copyThreshold ?? 16 * 1024;
    this.#buffer = Buffer.allocUnsafeSlow(this.#chunkSize) as FastBuffer;
  }

  /** Bytes written and not taken yet. */
  get length(): number {
    return this.#chunkBytes + this.#offset - this.#start;
  }

  /** Hands over everything written since the last call, in order (usually one chunk), and resets. */
  take(): Buffer[] {
    const chunks = this.#chunks;
    if (this.#offset > this.#start) chunks.push(this.#buffer.subarray(this.#start, this.#offset));
    this.#start = this.#offset;
    this.#chunks = [];
    this.#chunkBytes = 0;
    return chunks;
  }

  /** @internal Discards pending bytes and reuses the slab; only safe when nothing taken still references it. */
  rewind(): void {
    this.#chunks = [];
    this.#chunkBytes = 0;
    this.#start = this.#offset = 0;
  }

  #ensure(bytes: number): void {
    if (this.#offset + bytes > this.#buffer.length) this.#newSlab(bytes);
  }

  #closeRegion(): void {
    if (this.#offset > this.#start) {
      this.#chunks.push(this.#buffer.subarray(this.#start, this.#offset));
      this.#chunkBytes += this.#offset - this.#start;
    }
    this.#start = this.#offset;
  }

  #newSlab(bytes: number): void {
    this.#closeRegion();
    this.#buffer = Buffer.allocUnsafeSlow(Math.max(this.#chunkSize, bytes)) as FastBuffer;
    this.#start = this.#offset = 0;
  }

  #appendChunk(chunk: Buffer): void {
    this.#closeRegion();
    this.#chunks.push(chunk);
    this.#chunkBytes += chunk.length;
  }

  /** Writes a type byte, a length/integer and CRLF. */
  #header(type: number, n: number): void {
    if (this.#offset + MAX_HEADER > this.#buffer.length) this.#newSlab(MAX_HEADER);
    const buffer = this.#buffer;
    buffer[this.#offset] = type;
    const offset = writeDigits(buffer, this.#offset + 1, n);
    buffer[offset] = 0x0d;
    buffer[offset + 1] = 0x0a;
    this.#offset = offset + 2;
  }

  #crlf(): void {
    if (this.#offset + 2 > this.#buffer.length) this.#newSlab(2);
    this.#buffer[this.#offset++] = 0x0d;
    this.#buffer[this.#offset++] = 0x0a;
  }

  /** Writes the bytes of `text` (whose encoded length is `byteLength`) followed by CRLF. */
  #stringBody(text: string, byteLength: number): void {
    if (byteLength > this.#copyThreshold) {
      this.#appendChunk(Buffer.from(text, this.stringEncoding));
      this.#crlf();
      return;
    }
    this.#ensure(byteLength + 2);
    const buffer = this.#buffer;
    let offset = this.#offset;
    if (byteLength === text.length && byteLength < SMALL_STRING) {
      // one byte per char (latin1, or ASCII in utf8): a JS loop beats a call into C++ for short strings
      for (let index = 0; index < byteLength; index++) buffer[offset++] = text.charCodeAt(index);
    } else if (this.stringEncoding === 'latin1') {
      offset += buffer.latin1Write(text, offset, byteLength);
    } else {
      offset += buffer.utf8Write(text, offset, byteLength);
    }
    buffer[offset] = 0x0d;
    buffer[offset + 1] = 0x0a;
    this.#offset = offset + 2;
  }

  #byteLength(text: string): number {
    return this.stringEncoding === 'latin1' ? text.length : Buffer.byteLength(text, 'utf8');
  }

  /** Writes a line (`+text`, `-text`) with CR/LF replaced by spaces. */
  #line(type: number, text: string): void {
    if (text.indexOf('\r') !== -1 || text.indexOf('\n') !== -1) text = text.replace(/[\r\n]/g, ' ');
    const byteLength = this.#byteLength(text);
    this.#ensure(byteLength + 3);
    this.#buffer[this.#offset++] = type;
    this.#stringBody(text, byteLength);
  }

  /** `+text`. */
  simple(text: string): void {
    this.#line(0x2b, text);
  }

  /** `-message`; the message includes the code (`ERR ...`). */
  error(message: string): void {
    this.#line(0x2d, message);
  }

  /** `:n`. */
  integer(n: number | bigint): void {
    if (typeof n === 'number' && n <= Number.MAX_SAFE_INTEGER && n >= -Number.MAX_SAFE_INTEGER) {
      if (!Number.isInteger(n)) throw new TypeError(`Not an integer: ${n}`);
      this.#header(0x3a, n);
      return;
    }
    if (typeof n === 'number' && !Number.isInteger(n)) throw new TypeError(`Not an integer: ${n}`);
    const text = BigInt(n).toString();
    this.#ensure(text.length + 3);
    this.#buffer[this.#offset++] = 0x3a;
    this.#stringBody(text, text.length);
  }

  /** `$len\r\nbytes\r\n`. */
  bulk(value: string | Buffer): void {
    if (typeof value === 'string') {
      const byteLength = this.#byteLength(value);
      this.#header(0x24, byteLength);
      this.#stringBody(value, byteLength);
      return;
    }
    const length = value.length;
    this.#header(0x24, length);
    if (length > this.#copyThreshold) {
      this.#appendChunk(value);
      this.#crlf();
      return;
    }
    this.#ensure(length + 2);
    const buffer = this.#buffer;
    buffer.set(value, this.#offset);
    const offset = this.#offset + length;
    buffer[offset] = 0x0d;
    buffer[offset + 1] = 0x0a;
    this.#offset = offset + 2;
  }

  #null(resp2Type: number): void {
    if (this.protocol === 3) {
      this.#ensure(3);
      const buffer = this.#buffer;
      buffer[this.#offset] = 0x5f;
      buffer[this.#offset + 1] = 0x0d;
      buffer[this.#offset + 2] = 0x0a;
      this.#offset += 3;
    } else {
      this.#header(resp2Type, -1);
    }
  }

  /** RESP2 `$-1`, RESP3 `_`. */
  nullBulk(): void {
    this.#null(0x24);
  }

  /** RESP2 `*-1`, RESP3 `_`. */
  nullArray(): void {
    this.#null(0x2a);
  }

  /** `*n`. */
  arrayHeader(n: number): void {
    this.#header(0x2a, n);
  }

  /** RESP2 `*2n`, RESP3 `%n`. */
  mapHeader(pairs: number): void {
    if (this.protocol === 3) this.#header(0x25, pairs);
    else this.#header(0x2a, pairs * 2);
  }

  /** RESP2 `*n`, RESP3 `~n`. */
  setHeader(n: number): void {
    this.#header(this.protocol === 3 ? 0x7e : 0x2a, n);
  }

  /** RESP2 `*n`, RESP3 `>n`. */
  pushHeader(n: number): void {
    this.#header(this.protocol === 3 ? 0x3e : 0x2a, n);
  }

  /** RESP3 `,text`, RESP2 a bulk string of the text. */
  double(n: number, text: string = this.formatDouble(n)): void {
    if (this.protocol === 3) {
      this.#ensure(text.length + 3);
      this.#buffer[this.#offset++] = 0x2c;
      this.#stringBody(text, text.length);
    } else {
      this.#header(0x24, text.length);
      this.#stringBody(text, text.length);
    }
  }

  /** RESP3 `#t`/`#f`, RESP2 `:1`/`:0`. */
  boolean(value: boolean): void {
    this.#ensure(4);
    const buffer = this.#buffer;
    const offset = this.#offset;
    if (this.protocol === 3) {
      buffer[offset] = 0x23;
      buffer[offset + 1] = value ? 0x74 : 0x66;
    } else {
      buffer[offset] = 0x3a;
      buffer[offset + 1] = value ? 0x31 : 0x30;
    }
    buffer[offset + 2] = 0x0d;
    buffer[offset + 3] = 0x0a;
    this.#offset = offset + 4;
  }

  /** Verbatim bytes. */
  raw(bytes: Buffer): void {
    const length = bytes.length;
    if (length > this.#copyThreshold) {
      this.#appendChunk(bytes);
      return;
    }
    this.#ensure(length);
    if (length < SMALL_STRING) {
      const buffer = this.#buffer;
      let offset = this.#offset;
      for (let index = 0; index < length; index++) buffer[offset++] = bytes[index]!;
      this.#offset = offset;
    } else {
      this.#buffer.set(bytes, this.#offset);
      this.#offset += length;
    }
  }

  #items(items: readonly RespValue[]): void {
    for (let index = 0; index < items.length; index++) this.value(items[index]!);
  }

  /** Any value, nested. */
  value(value: RespValue): void {
    switch (typeof value) {
      case 'string':
        this.bulk(value);
        return;
      case 'number':
      case 'bigint':
        this.integer(value);
        return;
      case 'boolean':
        this.boolean(value);
        return;
      case 'object':
        break;
      default:
        throw new TypeError(`Cannot encode a ${typeof value} as RESP`);
    }
    if (value === null) return this.nullBulk();
    if (Array.isArray(value)) {
      this.#header(0x2a, value.length);
      return this.#items(value);
    }
    if (value instanceof Uint8Array) return this.bulk(value);
    if (value instanceof RawReply) return this.raw(this.protocol === 3 ? value.resp3 : value.resp2);
    if (value instanceof SimpleString) return this.simple(value.value);
    if (value instanceof ErrorReply) {
      if (value instanceof BlobErrorReply && this.protocol === 3) {
        const byteLength = this.#byteLength(value.message);
        this.#header(0x21, byteLength);
        return this.#stringBody(value.message, byteLength);
      }
      return this.error(value.message);
    }
    if (value instanceof RespMap) {
      if (value.items.length % 2 !== 0) throw new TypeError('RespMap needs an even number of items');
      this.mapHeader(value.items.length / 2);
      return this.#items(value.items);
    }
    if (value instanceof RespSet) {
      this.setHeader(value.items.length);
      return this.#items(value.items);
    }
    if (value instanceof Push) {
      this.pushHeader(value.items.length);
      return this.#items(value.items);
    }
    if (value instanceof RespDouble) return this.double(value.value, value.text ?? this.formatDouble(value.value));
    if (value instanceof BigNumber) {
      const digits = value.value.toString();
      if (this.protocol === 3) {
        this.#ensure(digits.length + 3);
        this.#buffer[this.#offset++] = 0x28;
      } else {
        this.#header(0x24, digits.length);
      }
      return this.#stringBody(digits, digits.length);
    }
    if (value instanceof VerbatimString) return this.#verbatim(value);
    if (value instanceof NullArray) return this.nullArray();
    if (value instanceof Attributed) {
      if (this.protocol === 3) {
        if (value.attributes.items.length % 2 !== 0) throw new TypeError('RespMap needs an even number of items');
        this.#header(0x7c, value.attributes.items.length / 2);
        this.#items(value.attributes.items);
      }
      return this.value(value.value);
    }
    throw new TypeError('Cannot encode this object as RESP');
  }

  #verbatim(value: VerbatimString): void {
    if (this.protocol !== 3) return this.bulk(value.value);
    if (value.format.length !== 3) throw new TypeError('VerbatimString format must be 3 characters');
    const content = value.value;
    const byteLength = typeof content === 'string' ? this.#byteLength(content) : content.length;
    this.#header(0x3d, byteLength + 4);
    this.#ensure(4);
    const buffer = this.#buffer;
    for (let index = 0; index < 3; index++) buffer[this.#offset++] = value.format.charCodeAt(index);
    buffer[this.#offset++] = 0x3a;
    if (typeof content === 'string') return this.#stringBody(content, byteLength);
    if (byteLength > this.#copyThreshold) {
      this.#appendChunk(content);
    } else {
      this.#ensure(byteLength);
      this.#buffer.set(content, this.#offset);
      this.#offset += byteLength;
    }
    this.#crlf();
  }
}
