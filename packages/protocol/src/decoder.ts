// Decoder: a resumable streaming RESP2/RESP3 decoder (client side and tools). A cursor walks each chunk; a value that
// spans chunks resumes from an explicit stack of open aggregates plus a pending line or payload, never from scratch.
import { ProtocolError } from './errors.js';
import type { FastBuffer } from './fast-buffer.js';
import { lineEnd, MAX_LINE, readInteger, readLength, STREAMED } from './decoder-scan.js';
import { aggregateOf, bulkValue, FastPath, payloadValue } from './decoder-fast.js';
import { Frames } from './decoder-frames.js';
import { enumKind, error, lineValue, type Kind, type StringEncoding } from './decoder-values.js';
import { NULL_ARRAY, type Push, type RespValue } from './values.js';

/** Options of a {@link Decoder}. */
export interface DecoderOptions {
  /** Receives every top-level value in order, error replies included (they are not thrown). */
  onReply: (value: RespValue) => void;
  /** When given, top-level pushes go here instead of `onReply`. */
  onPush?: (push: Push) => void;
  /** Bulk strings and verbatim strings as Buffer (default) or decoded strings. */
  stringEncoding?: StringEncoding;
  /** The longest bulk string, blob error or verbatim string (default 512 MiB). */
  maxBulkLength?: number;
  /** The most elements in one aggregate (default 2^31-1). */
  maxMultibulkLength?: number;
  /** The deepest nesting of aggregates and attributes (default 128). */
  maxDepth?: number;
}

/**
 * A streaming RESP2/RESP3 decoder: `write()` chunks as they arrive; each complete top-level value goes to `onReply` (or
 * `onPush`). Throws {@link ProtocolError} on malformed input, after which it is unusable until `reset()`.
 */
export class Decoder {
  readonly #stringEncoding: StringEncoding;
  readonly #maxBulkLength: number;
  readonly #maxMultibulkLength: number;
  readonly #frames: Frames;
  readonly #fast: FastPath;
  /** An incomplete line: its bytes so far (from the type byte). */
  #lineParts: Buffer[] | undefined;
  #lineBytes = 0;
  /** An incomplete payload: its type byte (0 for none), bytes so far, bytes left, CRLF bytes left. */
  #payloadType = 0;
  #payloadParts: Buffer[] = [];
  #payloadRemaining = 0;
  #crlfRemaining = 0;
  #failure: ProtocolError | undefined;

  constructor(options: DecoderOptions) {
    this.#stringEncoding = options.stringEncoding ?? 'buffer';
    this.#maxBulkLength = options.maxBulkLength ?? 512 * 1024 * 1024;
    this.#maxMultibulkLength = options.maxMultibulkLength ?? 0x7fffffff;
    const maxDepth = options.maxDepth ?? 128;
    this.#frames = new Frames(options.onReply, options.onPush, maxDepth);
    this.#fast = new FastPath(
      this.#frames,
      this.#stringEncoding,
      this.#maxBulkLength,
      this.#maxMultibulkLength,
      maxDepth,
    );
  }

  /** Forgets any partial value and a previous failure. */
  reset(): void {
    this.#frames.reset();
    this.#fast.reset();
    this.#lineParts = undefined;
    this.#lineBytes = 0;
    this.#payloadType = 0;
    this.#payloadParts = [];
    this.#failure = undefined;
  }

  /** Decodes a chunk, calling `onReply`/`onPush` for each complete top-level value. */
  write(chunk: Buffer): void {
    if (this.#failure !== undefined) throw this.#failure;
    try {
      let position = 0;
      const lineParts = this.#lineParts;
      if (lineParts !== undefined) {
        const newline = chunk.indexOf(0x0a);
        if (newline === -1) {
          this.#stashLine(chunk, 0);
          return;
        }
        lineParts.push(chunk.subarray(0, newline + 1));
        const line = Buffer.concat(lineParts) as FastBuffer;
        this.#lineParts = undefined;
        this.#lineBytes = 0;
        this.#parse(line, 0);
        if (this.#lineParts !== undefined) throw error('expected CRLF');
        position = newline + 1;
      }
      this.#parse(chunk as FastBuffer, position);
    } catch (caught) {
      if (caught instanceof ProtocolError) this.#failure = caught;
      throw caught;
    }
  }

  #bulkValue(buffer: FastBuffer, start: number, end: number): Buffer | string {
    return bulkValue(this.#stringEncoding, buffer, start, end);
  }

  #stashLine(buffer: Buffer, start: number): void {
    const part = buffer.subarray(start);
    if (this.#lineParts === undefined) this.#lineParts = [];
    this.#lineParts.push(part);
    this.#lineBytes += part.length;
    const type = this.#lineParts[0]![0];
    const limit = type === 0x2b || type === 0x2d || type === 0x28 ? this.#maxBulkLength : MAX_LINE;
    if (this.#lineBytes > limit) throw error('too big line');
  }

  #parse(buffer: FastBuffer, start: number): void {
    const length = buffer.length;
    let position = start;
    if (this.#payloadType !== 0) {
      position = this.#continuePayload(buffer, position);
      if (position === -1) return;
    }
    while (position < length) {
      const type = buffer[position]!;
      const top = this.#frames.top;
      if (top === undefined || top.kind !== enumKind.STREAMED_STRING) {
        const next = this.#fast.run(top, buffer, position);
        if (next !== position) {
          position = next;
          continue;
        }
      }
      if (top !== undefined && top.kind === enumKind.STREAMED_STRING && type !== 0x3b) {
        throw error(`expected ';' in a streamed string, got '${String.fromCharCode(type)}'`);
      }
      switch (type) {
        case 0x24: // $ bulk string
        case 0x21: // ! blob error
        case 0x3d: // = verbatim string
        case 0x3b: {
          // ; streamed string part
          const size = readLength(buffer, position + 1);
          if (lineEnd === -1) return this.#stashLine(buffer, position);
          if (size === STREAMED) {
            if (type !== 0x24) throw error('invalid length');
            this.#frames.open(enumKind.STREAMED_STRING, Infinity);
            this.#frames.top!.parts = [];
            position = lineEnd;
            continue;
          }
          if (type === 0x3b && (top === undefined || top.kind !== enumKind.STREAMED_STRING)) {
            throw error("unexpected ';' outside a streamed string");
          }
          if (size === -1) {
            if (type !== 0x24) throw error('invalid length');
            position = lineEnd;
            this.#frames.value(null);
            continue;
          }
          if (size > this.#maxBulkLength) throw error('invalid bulk length');
          if (type === 0x3b && size === 0) {
            position = lineEnd;
            const frame = this.#frames.pop();
            const parts = frame.parts!;
            const content = Buffer.concat(parts) as FastBuffer;
            this.#frames.value(this.#bulkValue(content, 0, content.length));
            continue;
          }
          const payloadStart = lineEnd;
          const payloadEnd = payloadStart + size;
          if (payloadEnd + 2 <= length) {
            if (buffer[payloadEnd] !== 0x0d || buffer[payloadEnd + 1] !== 0x0a) throw error('expected CRLF after bulk');
            position = payloadEnd + 2;
            if (type === 0x24) this.#frames.value(this.#bulkValue(buffer, payloadStart, payloadEnd));
            else this.#finishPayload(type, buffer, payloadStart, payloadEnd);
            continue;
          }
          this.#payloadType = type;
          this.#payloadRemaining = size;
          this.#crlfRemaining = 2;
          this.#payloadParts = [];
          position = this.#continuePayload(buffer, payloadStart);
          if (position === -1) return;
          continue;
        }
        case 0x3a: {
          // : integer
          const value = readInteger(buffer, position);
          if (lineEnd === -1) return this.#stashLine(buffer, position);
          position = lineEnd;
          this.#frames.value(value);
          continue;
        }
        case 0x2a: // * array
        case 0x25: // % map
        case 0x7e: // ~ set
        case 0x3e: // > push
        case 0x7c: {
          // | attribute
          const size = readLength(buffer, position + 1);
          if (lineEnd === -1) return this.#stashLine(buffer, position);
          position = lineEnd;
          if (size === -1) {
            if (type !== 0x2a) throw error('invalid length');
            this.#frames.value(NULL_ARRAY);
            continue;
          }
          if (size > this.#maxMultibulkLength) throw error('invalid multibulk length');
          const pairs = type === 0x25 || type === 0x7c ? 2 : 1;
          const kind = type as Kind; // an aggregate's kind is its type byte
          if (size === STREAMED) {
            if (type === 0x7c) throw error('invalid length');
            this.#frames.open(kind, Infinity);
          } else if (size === 0) {
            this.#frames.empty(kind);
          } else {
            this.#frames.open(kind, size * pairs);
          }
          continue;
        }
        case 0x2e: {
          // . end of a streamed aggregate
          if (position + 2 >= length) return this.#stashLine(buffer, position);
          if (buffer[position + 1] !== 0x0d || buffer[position + 2] !== 0x0a) throw error('expected CRLF');
          position += 3;
          if (top === undefined || top.remaining !== Infinity || top.kind === enumKind.STREAMED_STRING) {
            throw error("unexpected '.' outside a streamed aggregate");
          }
          if (top.kind === enumKind.MAP && top.items.length % 2 !== 0) throw error('odd number of map items');
          this.#frames.pop();
          this.#frames.value(aggregateOf(top.kind, top.items));
          continue;
        }
        case 0x2b: // + simple string
        case 0x2d: // - error
        case 0x2c: // , double
        case 0x28: // ( big number
        case 0x5f: // _ null
        case 0x23: {
          // # boolean
          const carriageReturn = buffer.indexOf(0x0d, position + 1);
          if (carriageReturn === -1 || carriageReturn + 1 >= length) return this.#stashLine(buffer, position);
          if (buffer[carriageReturn + 1] !== 0x0a) throw error('expected CRLF');
          const lineStart = position + 1;
          position = carriageReturn + 2;
          this.#frames.value(lineValue(this.#stringEncoding, type, buffer, lineStart, carriageReturn));
          continue;
        }
        default:
          throw error(`invalid type byte '${String.fromCharCode(type)}'`);
      }
    }
  }

  /** Copies payload bytes from `buffer`; returns the position after the value, or -1 when more bytes are needed. */
  #continuePayload(buffer: FastBuffer, start: number): number {
    const length = buffer.length;
    let position = start;
    if (this.#payloadRemaining > 0) {
      const take = Math.min(this.#payloadRemaining, length - position);
      if (take > 0) this.#payloadParts.push(buffer.subarray(position, position + take));
      this.#payloadRemaining -= take;
      position += take;
      if (this.#payloadRemaining > 0) return -1;
    }
    while (this.#crlfRemaining > 0) {
      if (position >= length) return -1;
      if (buffer[position] !== (this.#crlfRemaining === 2 ? 0x0d : 0x0a)) throw error('expected CRLF after bulk');
      position++;
      this.#crlfRemaining--;
    }
    const parts = this.#payloadParts;
    const content = (parts.length === 1 ? parts[0]! : Buffer.concat(parts)) as FastBuffer;
    const type = this.#payloadType;
    this.#payloadType = 0;
    this.#payloadParts = [];
    if (type === 0x24) this.#frames.value(this.#bulkValue(content, 0, content.length));
    else this.#finishPayload(type, content, 0, content.length);
    return position;
  }

  #finishPayload(type: number, buffer: FastBuffer, start: number, end: number): void {
    if (type === 0x3b)
      this.#frames.top!.parts!.push(buffer.subarray(start, end)); // a streamed string part
    else this.#frames.value(payloadValue(this.#stringEncoding, type, buffer, start, end));
  }
}
