// The Decoder's fast path: whole values decoded in place when they lie entirely in the chunk, skipping the slow path's
// frames, callbacks and continuations. Attributes and streamed values, values cut short by the chunk and malformed ones
// are left to the slow path (decoder.ts), which takes over at the same byte.
// Its readers (lengths, integers, line ends, payload bounds) return a value and leave where it ends in `after`, a
// variable of this module (not exported: the slow path's readers ask lastReadEnd()). The values it builds per element
// (bulk strings, aggregates) are built here too: with `after` exported, or these functions in another module, decoding
// measured 5-10% slower on replies of bulk strings (bench:decoder-ab).
import type { Frames } from './decoder-frames.js';
import { enumKind, error, lineValue, textValue, type Frame, type Kind, type StringEncoding } from './decoder-values.js';
import { BlobErrorReply } from './errors.js';
import { sliceOf, type FastBuffer } from './fast-buffer.js';
import { latin1String, utf8String } from './short-string.js';
import { NULL_ARRAY, Push, RespMap, RespSet, VerbatimString, type RespValue } from './values.js';

/** Position after the CRLF of the last value or line read. */
// eslint-disable-next-line no-var -- a `var` avoids TDZ checks on this hot module-level variable
var after = -1;

/**
 * The fast path's answer when a value is not entirely in the buffer, or is of a kind (or malformed in a way) that the
 * resumable slow path handles. The slow path then takes over at that value's first byte; only aggregates cut short keep
 * their decoded items (see Decoder#leavePartial), so no work is redone and errors are raised by the slow path alone.
 */
export const SLOW = Symbol('slow');
/** Where the last fast attempt gave up; after Decoder#leavePartial, where the slow path resumes. */
// eslint-disable-next-line no-var -- a `var` avoids TDZ checks on this hot module-level variable
var slowAt = 0;

/** Records where the fast path gave up and returns SLOW. */
export function slow(position: number): typeof SLOW {
  slowAt = position;
  return SLOW;
}

/**
 * `after` for the slow path's readers (decoder-scan.ts). `after` and `slowAt` are not exported: an exported binding is
 * a module cell, slower to read and write than this module's own variable (several times per value here).
 */
export function lastReadEnd(): number {
  return after;
}

/**
 * A length/count line after a type byte: digits (at most 15) or `-1`, then CRLF, all in `buffer`. Returns the value
 * (setting `after`), or -2 for anything else (incomplete, `?`, malformed: readLength or the slow path decides).
 * One pass, no `?`/error branches, no re-scan for the CR.
 */
export function fastLength(buffer: Buffer, start: number): number {
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
    if (
      position + 3 < length &&
      buffer[position] === 0x2d &&
      buffer[position + 1] === 0x31 &&
      buffer[position + 2] === 0x0d &&
      buffer[position + 3] === 0x0a
    ) {
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
 * - the digit loop is written out here, not called: in the large, recursive Decoder#fastValue a helper is not inlined
 *   once other kinds of values have been seen, and a call per integer costs as much as parsing it;
 * - two digits per iteration, each tested with one unsigned compare (`(code - 0x30) >>> 0 > 9` is "not a digit"), reads
 *   bounded by `limit` rather than checked one by one.
 */
export function integerRun(buffer: Buffer, position: number, items: RespValue[], index: number, count: number): number {
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
export function fastInteger(buffer: Buffer, position: number): RespValue | typeof SLOW {
  return integerRun(buffer, position, oneInteger, 0, 1) === 1 ? oneInteger[0]! : SLOW;
}

/**
 * The fast path's line (`+`, `-`, `,`, `(`, `_`, `#` at `start`): returns where its CR is, setting `after` past the LF,
 * or -1 (SLOW's slowAt set) when the buffer cuts it short or it does not end with CRLF.
 */
export function fastLineEnd(buffer: Buffer, start: number): number {
  // lines are short: a JS scan for the CR beats the call into C++ of indexOf
  const length = buffer.length;
  let position = start + 1;
  while (position < length && buffer[position] !== 0x0d) position++;
  if (position + 1 >= length || buffer[position + 1] !== 0x0a) {
    slowAt = position;
    return -1;
  }
  after = position + 2;
  return position;
}

/**
 * The fast path's bulk string, blob error or verbatim string (`$`, `!`, `=` at `start`) in `buffer`. Sets `after` past it
 * and returns where its payload starts, or -1 for `$-1` (null), or -2 for the slow path.
 */
export function fastPayloadStart(buffer: Buffer, start: number, maxBulkLength: number): number {
  const size = fastLength(buffer, start + 1);
  if (size === -2) return -2;
  if (size === -1) return buffer[start] === 0x24 ? -1 : -2; // `!-1`, `=-1`: the slow path's error
  const payloadStart = after;
  const payloadEnd = payloadStart + size;
  if (size > maxBulkLength || payloadEnd + 2 > buffer.length) {
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

/** A bulk string's payload as the decoder's `stringEncoding` asks. */
export function bulkValue(encoding: StringEncoding, buffer: FastBuffer, start: number, end: number): Buffer | string {
  switch (encoding) {
    case 'buffer':
      return sliceOf(buffer, start, end);
    case 'utf8':
      return utf8String(buffer, start, end);
    default:
      return latin1String(buffer, start, end);
  }
}

/** A blob error (`!`) or verbatim string (`=`) from its payload. */
export function payloadValue(
  encoding: StringEncoding,
  type: number,
  buffer: FastBuffer,
  start: number,
  end: number,
): RespValue {
  if (type === 0x21) return new BlobErrorReply(textValue(encoding, buffer, start, end));
  if (end - start < 4 || buffer[start + 3] !== 0x3a) throw error('invalid verbatim string');
  return new VerbatimString(latin1String(buffer, start, start + 3), bulkValue(encoding, buffer, start + 4, end));
}

/** The value of a complete aggregate of type `type` (`*`, `%`, `~`, `>`) with `items`. */
export function aggregateOf(type: number, items: RespValue[]): RespValue {
  if (type === 0x2a) return items;
  if (type === 0x25) return new RespMap(items);
  return type === 0x7e ? new RespSet(items) : new Push(items);
}

export class FastPath {
  readonly #frames: Frames;
  readonly #stringEncoding: StringEncoding;
  readonly #maxBulkLength: number;
  readonly #maxMultibulkLength: number;
  readonly #maxDepth: number;
  /** Aggregates left unfinished (innermost first), to become frames; see #aggregate. */
  #partial: Frame[] = [];

  constructor(
    frames: Frames,
    stringEncoding: StringEncoding,
    maxBulkLength: number,
    maxMultibulkLength: number,
    maxDepth: number,
  ) {
    this.#frames = frames;
    this.#stringEncoding = stringEncoding;
    this.#maxBulkLength = maxBulkLength;
    this.#maxMultibulkLength = maxMultibulkLength;
    this.#maxDepth = maxDepth;
  }

  reset(): void {
    this.#partial = [];
  }

  /**
   * The fast path: decodes the whole value at `start` when it lies entirely in `buffer` (sets `after`), else returns
   * SLOW and the slow path takes over at the same byte. It skips the slow path's frames, callbacks and continuations;
   * attributes and streamed values are left to the slow path. `depth` is the value's nesting (for maxDepth, checked as
   * #open does). Its only side effect: an aggregate cut short leaves its items in #partial, so no work is redone.
   */
  #value(buffer: FastBuffer, start: number, depth: number): RespValue | typeof SLOW {
    const type = buffer[start];
    switch (type) {
      case 0x3a: // : integer
        return fastInteger(buffer, start);
      case 0x24: // $ bulk string
        return this.#bulk(buffer, start);
      case 0x21: // ! blob error
      case 0x3d: {
        // = verbatim string
        const payloadStart = fastPayloadStart(buffer, start, this.#maxBulkLength);
        if (payloadStart < 0) return SLOW;
        return payloadValue(this.#stringEncoding, type, buffer, payloadStart, after - 2);
      }
      case 0x2a: // * array
      case 0x25: // % map
      case 0x7e: // ~ set
      case 0x3e: {
        // > push
        const size = fastLength(buffer, start + 1);
        if (size === -2) return SLOW;
        if (size === -1) return type === 0x2a ? NULL_ARRAY : slow(start);
        return this.#aggregate(type, buffer, after, size, depth);
      }
      case 0x2b: // + simple string
      case 0x2d: // - error
      case 0x2c: // , double
      case 0x28: // ( big number
      case 0x5f: // _ null
      case 0x23: {
        // # boolean
        const carriageReturn = fastLineEnd(buffer, start);
        return carriageReturn === -1 ? SLOW : lineValue(this.#stringEncoding, type, buffer, start + 1, carriageReturn);
      }
      default:
        return slow(start);
    }
  }

  /**
   * The fast path's value at `position`. Integers and bulk strings, the most common values, skip #value: a call into
   * its large switch (rarely inlined, as it is recursive) costs about as much as decoding them.
   */
  #item(buffer: FastBuffer, position: number, depth: number): RespValue | typeof SLOW {
    const type = buffer[position];
    if (type === 0x24) return this.#bulk(buffer, position);
    if (type === 0x3a) return fastInteger(buffer, position);
    return this.#value(buffer, position, depth);
  }

  /** The fast path of a bulk string (`$` at `start`), its own small method as it is the most common value. */
  #bulk(buffer: FastBuffer, start: number): RespValue | typeof SLOW {
    const payloadStart = fastPayloadStart(buffer, start, this.#maxBulkLength);
    if (payloadStart < 0) return payloadStart === -1 ? null : SLOW;
    return bulkValue(this.#stringEncoding, buffer, payloadStart, after - 2);
  }

  /**
   * Runs the fast path from `position` while values lie in the buffer: the items of the open aggregate `top` in a tight
   * loop while they do not complete it (an aggregate split over chunks continues here), then values that complete
   * aggregates or are top-level through #value. Returns the position reached: `position` itself when the first value
   * needs the slow path.
   */
  run(top: Frame | undefined, buffer: FastBuffer, position: number): number {
    const length = buffer.length;
    const depth = this.#frames.stack.length;
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
        const item = this.#item(buffer, position, depth);
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
      const item = this.#item(buffer, position, this.#frames.stack.length);
      if (item === SLOW) return this.#partial.length > 0 ? this.#resumePartial() : position;
      position = after;
      this.#frames.value(item);
    } while (this.#frames.top === undefined && position < length);
    return position;
  }

  /** The fast path of an aggregate whose count line ends at `start`: every element decoded in place, or SLOW. */
  #aggregate(type: number, buffer: FastBuffer, start: number, size: number, depth: number): RespValue | typeof SLOW {
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
      // integers are decoded here without the dispatch of #value (arrays of integers are common and cheap per item)
      if (buffer[position] === 0x3a) {
        const end = integerRun(buffer, position, items, index, count);
        if (end === index) return this.#leavePartial(type, items, index, count, position);
        index = end - 1; // the loop's index++ moves past the last integer
        position = after;
        continue;
      }
      const item = this.#item(buffer, position, depth + 1);
      if (item === SLOW) return this.#leavePartial(type, items, index, count, position);
      items[index] = item;
      position = after;
    }
    return aggregateOf(type, items); // `after` is already past the last item
  }

  /**
   * Records an aggregate the fast path could not finish (the item at `position` is incomplete or needs the slow path):
   * its first `index` items become an open frame. Called innermost first; the innermost sets where to resume.
   */
  #leavePartial(type: number, items: RespValue[], index: number, count: number, position: number): typeof SLOW {
    if (this.#partial.length === 0) slow(position);
    items.length = index; // the slow path appends with push()
    this.#partial.push({
      kind: type as Kind,
      items,
      remaining: count - index,
      attributes: undefined,
      parts: undefined,
    });
    return SLOW;
  }

  /** Opens the frames #leavePartial recorded (outermost first) and returns where the slow path resumes. */
  #resumePartial(): number {
    this.#frames.adopt(this.#partial);
    this.#partial = [];
    return slowAt;
  }
}
