// Decoder: a resumable streaming RESP2/RESP3 decoder (client side and tools). A cursor walks each chunk; a value that
// spans chunks resumes from an explicit stack of open aggregates plus a pending line or payload, never from scratch.
import { BlobErrorReply, ErrorReply, ProtocolError } from './errors.js';
import { sliceOf, type FastBuffer } from './fast-buffer.js';
import { formatDouble } from './format-double.js';
import { latin1String, utf8String } from './short-string.js';
import {
  Attributed,
  BigNumber,
  NULL_ARRAY,
  Push,
  RespDouble,
  RespMap,
  RespSet,
  SimpleString,
  VerbatimString,
  type RespValue,
} from './values.js';

/** Options of a {@link Decoder}. */
export interface DecoderOptions {
  /** Receives every top-level value in order, error replies included (they are not thrown). */
  onReply: (value: RespValue) => void;
  /** When given, top-level pushes go here instead of `onReply`. */
  onPush?: (push: Push) => void;
  /** Bulk strings and verbatim strings as Buffer (default) or decoded strings. */
  stringEncoding?: 'buffer' | 'utf8' | 'latin1';
  /** The longest bulk string, blob error or verbatim string (default 512 MiB). */
  maxBulkLength?: number;
  /** The most elements in one aggregate (default 2^31-1). */
  maxMultibulkLength?: number;
  /** The deepest nesting of aggregates and attributes (default 128). */
  maxDepth?: number;
}

/** The longest line (count, integer, double...) other than simple strings and errors. */
const MAX_LINE = 64 * 1024;
const STREAMED = -0.5; // readLength's result for `?`

const enumKind = {
  ARRAY: 0,
  MAP: 1,
  SET: 2,
  PUSH: 3,
  ATTRIBUTE: 4, // collecting the attribute map
  ATTRIBUTED: 5, // waiting for the value the attributes belong to
  STREAMED_STRING: 6,
} as const;
type Kind = (typeof enumKind)[keyof typeof enumKind];

interface Frame {
  kind: Kind;
  items: RespValue[];
  /** Elements still expected; Infinity for a streamed aggregate ended by `.`. */
  remaining: number;
  attributes: RespMap | undefined;
  parts: Buffer[] | undefined;
}

const DOUBLE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const BIG_NUMBER = /^[+-]?\d+$/;

/** Position after the CRLF of the last line read by readLength/readInteger, or -1 when the line is incomplete. */
// eslint-disable-next-line no-var -- a `var` avoids TDZ checks on this hot module-level variable
var after = -1;

const error = (message: string): ProtocolError => new ProtocolError(`Protocol error: ${message}`);

/** Reads a length line after a type byte: `-1`, digits, or `?`. Sets `after`. */
function readLength(buffer: Buffer, start: number): number {
  const length = buffer.length;
  let position = start;
  let negative = false;
  if (position < length && buffer[position] === 0x2d) {
    negative = true;
    position++;
  } else if (position < length && buffer[position] === 0x3f) {
    position++;
    if (position + 1 < length) {
      if (buffer[position] !== 0x0d || buffer[position + 1] !== 0x0a) throw error('invalid length');
      after = position + 2;
      return STREAMED;
    }
    after = -1;
    return 0;
  }
  const digitsStart = position;
  let value = 0;
  while (position < length) {
    const code = buffer[position]!;
    if (code < 0x30 || code > 0x39) break;
    value = value * 10 + code - 0x30;
    position++;
  }
  if (position - digitsStart > 15) throw error('invalid length');
  if (position + 1 >= length) {
    after = -1;
    return 0;
  }
  if (position === digitsStart || buffer[position] !== 0x0d || buffer[position + 1] !== 0x0a) throw error('invalid length');
  after = position + 2;
  if (negative) {
    if (value !== 1) throw error('invalid length');
    return -1;
  }
  return value;
}

/** Reads an integer line (`:`): a number when safe, else a bigint. Sets `after`. */
function readInteger(buffer: FastBuffer, start: number): number | bigint {
  const length = buffer.length;
  let position = start;
  let negative = false;
  const sign = buffer[position];
  if (sign === 0x2d || sign === 0x2b) {
    negative = sign === 0x2d;
    position++;
  }
  const digitsStart = position;
  let value = 0;
  while (position < length) {
    const code = buffer[position]!;
    if (code < 0x30 || code > 0x39) break;
    value = value * 10 + code - 0x30;
    position++;
  }
  if (position + 1 >= length) {
    if (position - start > MAX_LINE) throw error('too big integer');
    after = -1;
    return 0;
  }
  if (position === digitsStart || buffer[position] !== 0x0d || buffer[position + 1] !== 0x0a) throw error('invalid integer');
  after = position + 2;
  if (position - digitsStart <= 15) return negative ? -value : value;
  const big = BigInt(buffer.latin1Slice(start, position));
  return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
}

/**
 * The fast path's answer when a value is not entirely in the buffer, or is of a kind (or malformed in a way) that the
 * resumable slow path handles. The slow path then takes over at that value's first byte; only aggregates cut short keep
 * their decoded items (see Decoder#leavePartial), so no work is redone and errors are raised by the slow path alone.
 */
const SLOW = Symbol('slow');
/** Where the last fast attempt gave up; after Decoder#leavePartial, where the slow path resumes. */
// eslint-disable-next-line no-var -- a `var` avoids TDZ checks on this hot module-level variable
var slowAt = 0;

function slow(position: number): typeof SLOW {
  slowAt = position;
  return SLOW;
}

/**
 * The fast path's length/count line after a type byte: digits (at most 15) or `-1`, then CRLF, all in `buffer`. Returns
 * the value (setting `after`), or -2 for anything else (incomplete, `?`, malformed: the slow path decides).
 * Inlined digit loop rather than readLength: no `?`/error branches, one pass, no re-scan for the CR.
 */
function fastLength(buffer: Buffer, start: number): number {
  const length = buffer.length;
  let position = start;
  let value = 0;
  while (position < length) {
    const code = buffer[position]!;
    if (code < 0x30 || code > 0x39) break;
    value = value * 10 + code - 0x30;
    position++;
  }
  const digits = position - start;
  if (digits === 0) {
    // only `-1` (null) is valid; anything else goes to the slow path for its error
    if (position + 3 < length && buffer[position] === 0x2d && buffer[position + 1] === 0x31 && buffer[position + 2] === 0x0d && buffer[position + 3] === 0x0a) {
      after = position + 4;
      return -1;
    }
    slowAt = position;
    return -2;
  }
  if (digits > 15 || position + 1 >= length || buffer[position] !== 0x0d || buffer[position + 1] !== 0x0a) {
    slowAt = position;
    return -2;
  }
  after = position + 2;
  return value;
}

/**
 * Decodes consecutive integers (`:` lines) at `position` into `items` from `index` (below `count`); returns the index
 * after the last one (`index` when the first needs the slow path: incomplete, 16+ digits for a bigint, malformed) and
 * sets `after` past it. Integers dominate array replies, so this loop is tuned and self-contained:
 * - the digit loop is written out here, not called: in the large, recursive #fastValue a helper is not inlined once
 *   other kinds of values have been seen, and a call per integer costs as much as parsing it;
 * - two digits per iteration, each tested with one unsigned compare (`(code - 0x30) >>> 0 > 9` is "not a digit"), reads
 *   bounded by `limit` rather than checked one by one.
 */
function integerRun(buffer: Buffer, position: number, items: RespValue[], index: number, count: number): number {
  const bufferLength = buffer.length;
  let next = position;
  while (index < count && buffer[next] === 0x3a) {
    let cursor = next + 1;
    const sign = buffer[cursor];
    const negative = sign === 0x2d;
    if (negative || sign === 0x2b) cursor++;
    const digitsStart = cursor;
    // cursor + 1 < limit keeps both reads in the buffer; 16 digits is already too many for a safe number
    const limit = Math.min(bufferLength - 1, cursor + 16);
    let value = 0;
    while (cursor < limit) {
      const high = buffer[cursor]! - 0x30;
      if (high >>> 0 > 9) break;
      const low = buffer[cursor + 1]! - 0x30;
      if (low >>> 0 > 9) {
        value = value * 10 + high;
        cursor++;
        break;
      }
      value = value * 100 + high * 10 + low;
      cursor += 2;
    }
    const digits = cursor - digitsStart;
    if (digits === 0 || digits > 15 || cursor >= limit || buffer[cursor] !== 0x0d || buffer[cursor + 1] !== 0x0a) {
      slowAt = cursor;
      break;
    }
    items[index++] = negative ? -value : value;
    next = cursor + 2;
  }
  after = next;
  return index;
}

/** integerRun's output for a single integer. */
const oneInteger: RespValue[] = [0];

/** The fast path's integer at `position` (a `:` line in `buffer`), else SLOW. Sets `after`. */
function fastInteger(buffer: Buffer, position: number): RespValue | typeof SLOW {
  return integerRun(buffer, position, oneInteger, 0, 1) === 1 ? oneInteger[0]! : SLOW;
}

/** The value of a complete aggregate of type `type` (`*`, `%`, `~`, `>`) with `items`. */
function aggregateOf(type: number, items: RespValue[]): RespValue {
  if (type === 0x2a) return items;
  if (type === 0x25) return new RespMap(items);
  return type === 0x7e ? new RespSet(items) : new Push(items);
}

/**
 * A streaming RESP2/RESP3 decoder: `write()` chunks as they arrive; each complete top-level value goes to `onReply` (or
 * `onPush`). Throws {@link ProtocolError} on malformed input, after which it is unusable until `reset()`.
 */
export class Decoder {
  readonly #onReply: (value: RespValue) => void;
  readonly #onPush: ((push: Push) => void) | undefined;
  readonly #stringEncoding: 'buffer' | 'utf8' | 'latin1';
  readonly #maxBulkLength: number;
  readonly #maxMultibulkLength: number;
  readonly #maxDepth: number;
  #stack: Frame[] = [];
  /** Aggregates the fast path left unfinished (innermost first), to become frames; see #fastAggregate. */
  #partial: Frame[] = [];
  /** The innermost open aggregate (the stack's last frame). */
  #top: Frame | undefined = undefined;
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
    this.#onReply = options.onReply;
    this.#onPush = options.onPush;
    this.#stringEncoding = options.stringEncoding ?? 'buffer';
    this.#maxBulkLength = options.maxBulkLength ?? 512 * 1024 * 1024;
    this.#maxMultibulkLength = options.maxMultibulkLength ?? 0x7fffffff;
    this.#maxDepth = options.maxDepth ?? 128;
  }

  /** Forgets any partial value and a previous failure. */
  reset(): void {
    this.#stack = [];
    this.#partial = [];
    this.#top = undefined;
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

  #stashLine(buffer: Buffer, start: number): void {
    const part = buffer.subarray(start);
    if (this.#lineParts === undefined) this.#lineParts = [];
    this.#lineParts.push(part);
    this.#lineBytes += part.length;
    const type = this.#lineParts[0]![0];
    const limit = type === 0x2b || type === 0x2d || type === 0x28 ? this.#maxBulkLength : MAX_LINE;
    if (this.#lineBytes > limit) throw error('too big line');
  }

  #bulkValue(buffer: FastBuffer, start: number, end: number): Buffer | string {
    switch (this.#stringEncoding) {
      case 'buffer':
        return sliceOf(buffer, start, end);
      case 'utf8':
        return utf8String(buffer, start, end);
      default:
        return latin1String(buffer, start, end);
    }
  }

  #text(buffer: FastBuffer, start: number, end: number): string {
    return this.#stringEncoding === 'latin1' ? latin1String(buffer, start, end) : utf8String(buffer, start, end);
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
      const top = this.#top;
      if (top === undefined || top.kind !== enumKind.STREAMED_STRING) {
        const next = this.#fastRun(top, buffer, position);
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
          if (after === -1) return this.#stashLine(buffer, position);
          if (size === STREAMED) {
            if (type !== 0x24) throw error('invalid length');
            this.#open(enumKind.STREAMED_STRING, Infinity);
            this.#top!.parts = [];
            position = after;
            continue;
          }
          if (type === 0x3b && (top === undefined || top.kind !== enumKind.STREAMED_STRING)) {
            throw error("unexpected ';' outside a streamed string");
          }
          if (size === -1) {
            if (type !== 0x24) throw error('invalid length');
            position = after;
            this.#value(null);
            continue;
          }
          if (size > this.#maxBulkLength) throw error('invalid bulk length');
          if (type === 0x3b && size === 0) {
            position = after;
            const frame = this.#pop();
            const parts = frame.parts!;
            const content = Buffer.concat(parts) as FastBuffer;
            this.#value(this.#bulkValue(content, 0, content.length));
            continue;
          }
          const payloadStart = after;
          const payloadEnd = payloadStart + size;
          if (payloadEnd + 2 <= length) {
            if (buffer[payloadEnd] !== 0x0d || buffer[payloadEnd + 1] !== 0x0a) throw error('expected CRLF after bulk');
            position = payloadEnd + 2;
            if (type === 0x24) this.#value(this.#bulkValue(buffer, payloadStart, payloadEnd));
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
          const value = readInteger(buffer, position + 1);
          if (after === -1) return this.#stashLine(buffer, position);
          position = after;
          this.#value(value);
          continue;
        }
        case 0x2a: // * array
        case 0x25: // % map
        case 0x7e: // ~ set
        case 0x3e: // > push
        case 0x7c: {
          // | attribute
          const size = readLength(buffer, position + 1);
          if (after === -1) return this.#stashLine(buffer, position);
          position = after;
          if (size === -1) {
            if (type !== 0x2a) throw error('invalid length');
            this.#value(NULL_ARRAY);
            continue;
          }
          if (size > this.#maxMultibulkLength) throw error('invalid multibulk length');
          const pairs = type === 0x25 || type === 0x7c ? 2 : 1;
          const kind =
            type === 0x2a
              ? enumKind.ARRAY
              : type === 0x25
                ? enumKind.MAP
                : type === 0x7e
                  ? enumKind.SET
                  : type === 0x3e
                    ? enumKind.PUSH
                    : enumKind.ATTRIBUTE;
          if (size === STREAMED) {
            if (type === 0x7c) throw error('invalid length');
            this.#open(kind, Infinity);
          } else if (size === 0) {
            this.#empty(kind);
          } else {
            this.#open(kind, size * pairs);
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
          this.#pop();
          this.#value(this.#build(top));
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
          this.#value(this.#lineValue(type, buffer, lineStart, carriageReturn));
          continue;
        }
        default:
          throw error(`invalid type byte '${String.fromCharCode(type)}'`);
      }
    }
  }

  #lineValue(type: number, buffer: FastBuffer, start: number, end: number): RespValue {
    switch (type) {
      case 0x2b:
        return new SimpleString(this.#text(buffer, start, end));
      case 0x2d:
        return new ErrorReply(this.#text(buffer, start, end));
      case 0x5f:
        if (end !== start) throw error('invalid null');
        return null;
      case 0x23: {
        const value = end === start + 1 ? buffer[start] : 0;
        if (value === 0x74) return true;
        if (value === 0x66) return false;
        throw error('invalid boolean');
      }
      case 0x2c: {
        const text = latin1String(buffer, start, end);
        const value = parseDouble(text);
        return formatDouble(value) === text ? new RespDouble(value) : new RespDouble(value, text);
      }
      default: {
        const text = latin1String(buffer, start, end);
        if (!BIG_NUMBER.test(text)) throw error('invalid big number');
        return new BigNumber(BigInt(text));
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
    if (type === 0x24) this.#value(this.#bulkValue(content, 0, content.length));
    else this.#finishPayload(type, content, 0, content.length);
    return position;
  }

  #finishPayload(type: number, buffer: FastBuffer, start: number, end: number): void {
    if (type === 0x3b) this.#top!.parts!.push(buffer.subarray(start, end)); // a streamed string part
    else this.#value(this.#payloadValue(type, buffer, start, end));
  }

  /** A blob error (`!`) or verbatim string (`=`) from its payload. */
  #payloadValue(type: number, buffer: FastBuffer, start: number, end: number): RespValue {
    if (type === 0x21) return new BlobErrorReply(this.#text(buffer, start, end));
    if (end - start < 4 || buffer[start + 3] !== 0x3a) throw error('invalid verbatim string');
    return new VerbatimString(latin1String(buffer, start, start + 3), this.#bulkValue(buffer, start + 4, end));
  }

  /**
   * The fast path: decodes the whole value at `start` when it lies entirely in `buffer` (sets `after`), else returns
   * SLOW and the slow path takes over at the same byte. It skips the slow path's frames, callbacks and continuations;
   * attributes and streamed values are left to the slow path. `depth` is the value's nesting (for maxDepth, checked as
   * #open does). Its only side effect: an aggregate cut short leaves its items in #partial, so no work is redone.
   */
  #fastValue(buffer: FastBuffer, start: number, depth: number): RespValue | typeof SLOW {
    const type = buffer[start];
    switch (type) {
      case 0x3a: // : integer
        return fastInteger(buffer, start);
      case 0x24: // $ bulk string
        return this.#fastBulk(buffer, start);
      case 0x21: // ! blob error
      case 0x3d: {
        // = verbatim string
        const payloadStart = this.#fastPayloadStart(buffer, start);
        if (payloadStart < 0) return SLOW;
        return this.#payloadValue(type, buffer, payloadStart, after - 2);
      }
      case 0x2a: // * array
      case 0x25: // % map
      case 0x7e: // ~ set
      case 0x3e: {
        // > push
        const size = fastLength(buffer, start + 1);
        if (size === -2) return SLOW;
        if (size === -1) return type === 0x2a ? NULL_ARRAY : slow(start);
        return this.#fastAggregate(type, buffer, after, size, depth);
      }
      case 0x2b: // + simple string
      case 0x2d: // - error
      case 0x2c: // , double
      case 0x28: // ( big number
      case 0x5f: // _ null
      case 0x23: {
        // # boolean
        // lines are short: a JS scan for the CR beats the call into C++ of indexOf
        const length = buffer.length;
        let position = start + 1;
        while (position < length && buffer[position] !== 0x0d) position++;
        if (position + 1 >= length || buffer[position + 1] !== 0x0a) return slow(position);
        after = position + 2;
        return this.#lineValue(type, buffer, start + 1, position);
      }
      default:
        return slow(start);
    }
  }

  /**
   * The fast path's value at `position`. Integers and bulk strings, the most common values, skip #fastValue: a call into
   * its large switch (rarely inlined, as it is recursive) costs about as much as decoding them.
   */
  #fastItem(buffer: FastBuffer, position: number, depth: number): RespValue | typeof SLOW {
    const type = buffer[position];
    if (type === 0x24) return this.#fastBulk(buffer, position);
    if (type === 0x3a) return fastInteger(buffer, position);
    return this.#fastValue(buffer, position, depth);
  }

  /**
   * The fast path of a bulk string, blob error or verbatim string (`$`, `!`, `=` at `start`) in `buffer`. Sets `after`
   * past it and returns where its payload starts, or -1 for `$-1` (null), or -2 for the slow path.
   */
  #fastPayloadStart(buffer: FastBuffer, start: number): number {
    const size = fastLength(buffer, start + 1);
    if (size === -2) return -2;
    if (size === -1) return buffer[start] === 0x24 ? -1 : -2; // `!-1`, `=-1`: the slow path's error
    const payloadStart = after;
    const payloadEnd = payloadStart + size;
    if (size > this.#maxBulkLength || payloadEnd + 2 > buffer.length) {
      slowAt = buffer.length;
      return -2;
    }
    if (buffer[payloadEnd] !== 0x0d || buffer[payloadEnd + 1] !== 0x0a) {
      slowAt = payloadEnd;
      return -2;
    }
    after = payloadEnd + 2;
    return payloadStart;
  }

  /** The fast path of a bulk string (`$` at `start`), its own small method as it is the most common value. */
  #fastBulk(buffer: FastBuffer, start: number): RespValue | typeof SLOW {
    const payloadStart = this.#fastPayloadStart(buffer, start);
    if (payloadStart < 0) return payloadStart === -1 ? null : SLOW;
    return this.#bulkValue(buffer, payloadStart, after - 2);
  }

  /**
   * Runs the fast path from `position` while values lie in the buffer: the items of the open aggregate `top` in a tight
   * loop while they do not complete it (an aggregate split over chunks continues here), then values that complete
   * aggregates or are top-level through #value. Returns the position reached: `position` itself when the first value
   * needs the slow path.
   */
  #fastRun(top: Frame | undefined, buffer: FastBuffer, position: number): number {
    const length = buffer.length;
    const depth = this.#stack.length;
    if (top !== undefined && top.kind !== enumKind.ATTRIBUTED) {
      const items = top.items;
      let remaining = top.remaining;
      while (remaining > 1 && position < length) {
        if (buffer[position] === 0x3a) {
          const filled = items.length;
          const end = integerRun(buffer, position, items, filled, filled + remaining - 1);
          if (end !== filled) {
            remaining -= end - filled;
            position = after;
            continue;
          }
        }
        const item = this.#fastItem(buffer, position, depth);
        if (item === SLOW) break;
        items.push(item);
        remaining--;
        position = after;
      }
      top.remaining = remaining;
      if (remaining > 1 && this.#partial.length > 0) return this.#resumePartial();
      if (remaining > 1 || position >= length) return position;
    }
    // a value that completes `top`, then top-level values one after another
    do {
      const item = this.#fastItem(buffer, position, this.#stack.length);
      if (item === SLOW) return this.#partial.length > 0 ? this.#resumePartial() : position;
      position = after;
      this.#value(item);
    } while (this.#top === undefined && position < length);
    return position;
  }

  /** The fast path of an aggregate whose count line ends at `start`: every element decoded in place, or SLOW. */
  #fastAggregate(type: number, buffer: FastBuffer, start: number, size: number, depth: number): RespValue | typeof SLOW {
    if (size > this.#maxMultibulkLength) return slow(start);
    const count = type === 0x25 ? size * 2 : size;
    if (count === 0) return aggregateOf(type, []);
    if (depth >= this.#maxDepth) return slow(start);
    // each element takes 3 bytes or more (`_\r\n`): a count the buffer cannot hold goes to the slow path, which never
    // allocates a declared count up front
    if (count * 3 > buffer.length - start) return slow(buffer.length);
    // preallocated and written by index: no push/grow per element (as redis-parser does)
    const items: RespValue[] = new Array<RespValue>(count);
    let position = start;
    for (let index = 0; index < count; index++) {
      // integers are decoded here without the dispatch of #fastValue (arrays of integers are common and cheap per item)
      if (buffer[position] === 0x3a) {
        const end = integerRun(buffer, position, items, index, count);
        if (end === index) return this.#leavePartial(type, items, index, count, position);
        index = end - 1; // the loop's index++ moves past the last integer
        position = after;
        continue;
      }
      const item = this.#fastItem(buffer, position, depth + 1);
      if (item === SLOW) return this.#leavePartial(type, items, index, count, position);
      items[index] = item;
      position = after;
    }
    after = position;
    return aggregateOf(type, items);
  }

  /**
   * Records an aggregate the fast path could not finish (the item at `position` is incomplete or needs the slow path):
   * its first `index` items become an open frame. Called innermost first; the innermost sets where to resume.
   */
  #leavePartial(type: number, items: RespValue[], index: number, count: number, position: number): typeof SLOW {
    if (this.#partial.length === 0) slowAt = position;
    items.length = index; // the slow path appends with push()
    const kind = type === 0x2a ? enumKind.ARRAY : type === 0x25 ? enumKind.MAP : type === 0x7e ? enumKind.SET : enumKind.PUSH;
    this.#partial.push({ kind, items, remaining: count - index, attributes: undefined, parts: undefined });
    return SLOW;
  }

  /** Opens the frames #leavePartial recorded (outermost first) and returns where the slow path resumes. */
  #resumePartial(): number {
    const partial = this.#partial;
    for (let index = partial.length - 1; index >= 0; index--) this.#stack.push(partial[index]!);
    this.#top = this.#stack[this.#stack.length - 1];
    this.#partial = [];
    return slowAt;
  }

  #open(kind: Kind, remaining: number, attributes?: RespMap): void {
    if (this.#stack.length >= this.#maxDepth) throw error(`nesting deeper than ${this.#maxDepth}`);
    const frame: Frame = { kind, items: [], remaining, attributes, parts: undefined };
    this.#stack.push(frame);
    this.#top = frame;
  }

  #pop(): Frame {
    const frame = this.#stack.pop()!;
    const stack = this.#stack;
    this.#top = stack.length === 0 ? undefined : stack[stack.length - 1];
    return frame;
  }

  #empty(kind: Kind): void {
    if (kind === enumKind.ATTRIBUTE) {
      this.#open(enumKind.ATTRIBUTED, 1, new RespMap([]));
      return;
    }
    this.#value(this.#build({ kind, items: [], remaining: 0, attributes: undefined, parts: undefined }));
  }

  #build(frame: Frame): RespValue {
    switch (frame.kind) {
      case enumKind.MAP:
        return new RespMap(frame.items);
      case enumKind.SET:
        return new RespSet(frame.items);
      case enumKind.PUSH:
        return new Push(frame.items);
      default:
        return frame.items;
    }
  }

  /** Hands a complete value to the innermost open aggregate, closing those it completes, or to the callbacks. */
  #value(value: RespValue): void {
    let frame = this.#top;
    while (frame !== undefined) {
      if (frame.kind === enumKind.ATTRIBUTED) {
        this.#pop();
        value = new Attributed(frame.attributes!, value);
        frame = this.#top;
        continue;
      }
      frame.items.push(value);
      if (--frame.remaining !== 0) return;
      this.#pop();
      if (frame.kind === enumKind.ATTRIBUTE) {
        this.#open(enumKind.ATTRIBUTED, 1, new RespMap(frame.items));
        return;
      }
      value = this.#build(frame);
      frame = this.#top;
    }
    if (this.#onPush !== undefined && value instanceof Push) this.#onPush(value);
    else this.#onReply(value);
  }
}

/** Parses a RESP3 double (`1.5`, `-1e10`, `inf`, `-inf`, `nan`). */
function parseDouble(text: string): number {
  switch (text) {
    case 'inf':
    case '+inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
    case '-nan':
      return NaN;
  }
  if (!DOUBLE.test(text)) throw error('invalid double');
  return Number(text);
}
