// RequestDecoder: the server side of the protocol. Splits a client's byte stream into commands (multibulk or inline)
// with the same limits and error messages as Redis 7.0's networking.c (processMultibulkBuffer, processInlineBuffer).
import { ProtocolError } from './errors.js';
import type { FastBuffer } from './fast-buffer.js';
import { parseInline } from './inline.js';
import { latin1String } from './short-string.js';

/** Limits of a {@link RequestDecoder}; the defaults are Redis's. */
export interface RequestDecoderOptions {
  /** proto-max-bulk-len: the longest argument (default 512 MiB). */
  maxBulkLength?: number;
  /** The most arguments in one multibulk command (default 2^31-1, as Redis 7.0). */
  maxMultibulkLength?: number;
  /** PROTO_INLINE_MAX_SIZE: the longest inline line, and count line, without a newline (default 64 KiB). */
  maxInlineLength?: number;
}

/** Redis's limits before AUTH (networking.c). */
const UNAUTHENTICATED_MULTIBULK = 10;
const UNAUTHENTICATED_BULK = 16384;

const EMPTY = Buffer.alloc(0) as FastBuffer;
const INVALID = -0x20000000000000; // returned by readInteger for a malformed number

// What the parser waits for when it returns undefined.
const WAIT_ANY = 0; // any byte
const WAIT_BYTES = 1; // #need bytes from #position
const WAIT_CR = 2; // a '\r' (count lines)
const WAIT_LF = 3; // a '\n' (inline lines)

/** Index of the '\r' ending the last number read by readInteger, or -1 when there is none yet. */
let lineEnd = -1;

/**
 * Reads a number like Redis's string2ll from `start` up to the next '\r' (stored in `lineEnd`): an optional '-', then
 * `0` or digits without a leading zero. Returns INVALID for anything else.
 */
function readInteger(buffer: Buffer, start: number): number {
  const length = buffer.length;
  let position = start;
  let negative = false;
  if (position < length && buffer[position] === 0x2d) {
    negative = true;
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
  if (position < length && buffer[position] === 0x0d) {
    lineEnd = position;
  } else {
    lineEnd = buffer.indexOf(0x0d, position);
    return INVALID;
  }
  const digits = position - digitsStart;
  if (digits === 0 || digits > 19 || value > 9223372036854775807) return INVALID;
  if (buffer[digitsStart] === 0x30 && (digits > 1 || negative)) return INVALID;
  return negative ? -value : value;
}

/**
 * The fast path's number: `0` or up to 15 digits without a leading zero, then a '\r' that is not the buffer's last byte
 * (as the general parser requires before going on). Returns it and sets `lineEnd`, or -1 for anything else (signs,
 * big or malformed numbers, a line cut short), which the general parser then handles with its checks and errors.
 */
function readSmallNumber(buffer: Buffer, start: number): number {
  const limit = Math.min(buffer.length - 1, start + 15);
  let position = start;
  let value = 0;
  while (position < limit) {
    const digit = buffer[position]! - 0x30;
    if (digit >>> 0 > 9) break; // one unsigned compare: not a digit
    value = value * 10 + digit;
    position++;
  }
  const digits = position - start;
  if (digits === 0 || position >= limit || buffer[position] !== 0x0d || (digits > 1 && buffer[start] === 0x30)) return -1;
  lineEnd = position;
  return value;
}

/**
 * Decodes commands from a client's byte stream. `push()` received chunks, then call `next()` until it returns undefined.
 * Arguments are latin1 strings (one char per byte), sliced straight from the received chunk when a command lies in one.
 */
export class RequestDecoder {
  #maxBulkLength: number;
  readonly #maxMultibulkLength: number;
  readonly #maxInlineLength: number;
  #authenticated = true;
  #buffer: FastBuffer = EMPTY;
  #position = 0;
  /** Chunks received after #buffer, not merged yet. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #scanned = 0;
  #waitFor = WAIT_ANY;
  #need = 0;
  /** Arguments still expected in the current multibulk command, and those read so far. */
  #remaining = 0;
  #args: string[] = [];
  /** Bytes of the arguments already read of the command in progress (they count toward the query buffer). */
  #argsBytes = 0;
  /** Length of the bulk whose header was read, or -1. */
  #bulkLength = -1;
  /**
   * The previous command's name: a pipeline usually repeats it, and returning the same string (its hash already
   * computed) saves building a string and hashing it again in the command table.
   */
  #lastName = '';
  #failure: ProtocolError | undefined;

  constructor(options: RequestDecoderOptions = {}) {
    this.#maxBulkLength = options.maxBulkLength ?? 512 * 1024 * 1024;
    this.#maxMultibulkLength = options.maxMultibulkLength ?? 0x7fffffff;
    this.#maxInlineLength = options.maxInlineLength ?? 64 * 1024;
  }

  /** Bytes received but not consumed yet. */
  get buffered(): number {
    return this.#buffer.length - this.#position + this.#pendingBytes;
  }

  /**
   * Bytes held for commands not run yet: the unconsumed input plus the arguments already read of a command still
   * incomplete (what Redis's client-query-buffer-limit compares).
   */
  get pendingBytes(): number {
    return this.buffered + this.#argsBytes;
  }

  /** The first `limit` unconsumed bytes as a latin1 string (Redis logs them when it closes a client). */
  preview(limit: number): string {
    let text = this.#buffer.latin1Slice(this.#position, Math.min(this.#buffer.length, this.#position + limit));
    for (let index = 0; index < this.#pending.length && text.length < limit; index++) {
      const chunk = this.#pending[index]!;
      text += chunk.toString('latin1', 0, Math.min(chunk.length, limit - text.length));
    }
    return text;
  }

  /** Changes proto-max-bulk-len (it applies from the next bulk header read). */
  setMaxBulkLength(maxBulkLength: number): void {
    this.#maxBulkLength = maxBulkLength;
  }

  /** Before AUTH Redis caps a multibulk at 10 arguments and a bulk at 16384 bytes. Default: authenticated. */
  setAuthenticated(authenticated: boolean): void {
    this.#authenticated = authenticated;
  }

  /** Appends received bytes (kept by reference; nothing is parsed here). */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.#position >= this.#buffer.length && this.#pendingBytes === 0) {
      this.#buffer = chunk as FastBuffer;
      this.#position = 0;
      return;
    }
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
  }

  /**
   * The caller is about to reuse the memory of `chunk`, pushed last (a read buffer shared by every read): the bytes of
   * it the decoder still needs are copied, once, so the decoder owns them. Earlier chunks were already released.
   */
  release(chunk: Buffer): void {
    if (this.#buffer === chunk) {
      const leftover = this.#buffer.length - this.#position;
      this.#buffer = leftover === 0 ? EMPTY : (Buffer.from(chunk.subarray(this.#position)) as FastBuffer);
      this.#position = 0;
      return;
    }
    const pending = this.#pending;
    const last = pending.length - 1;
    if (last >= 0 && pending[last] === chunk) pending[last] = Buffer.from(chunk);
  }

  /**
   * The next complete command, or undefined when more bytes are needed. Throws {@link ProtocolError} on malformed input;
   * the decoder then stays failed (reply the error and close the connection, as Redis does).
   */
  next(): string[] | undefined {
    if (this.#failure !== undefined) throw this.#failure;
    try {
      for (;;) {
        const command = this.#parse();
        if (command !== undefined) return command;
        if (this.#pendingBytes === 0 || !this.#shouldMerge()) return undefined;
        this.#merge();
      }
    } catch (error) {
      if (error instanceof ProtocolError) this.#failure = error;
      throw error;
    }
  }

  /** Whether the pending chunks may complete what the parser waits for (each chunk is scanned once). */
  #shouldMerge(): boolean {
    const available = this.#buffer.length - this.#position + this.#pendingBytes;
    switch (this.#waitFor) {
      case WAIT_BYTES:
        return available >= this.#need;
      case WAIT_CR:
      case WAIT_LF: {
        if (available > this.#maxInlineLength) return true;
        const delimiter = this.#waitFor === WAIT_CR ? 0x0d : 0x0a;
        const pending = this.#pending;
        while (this.#scanned < pending.length) {
          if (pending[this.#scanned]!.indexOf(delimiter) !== -1) return true;
          this.#scanned++;
        }
        return false;
      }
      default:
        return true;
    }
  }

  /** Joins the unconsumed bytes and the pending chunks into one buffer (one copy per byte, so big bulks stay O(n)). */
  #merge(): void {
    const leftover = this.#buffer.length - this.#position;
    const pending = this.#pending;
    if (leftover === 0 && pending.length === 1) {
      this.#buffer = pending[0]! as FastBuffer;
    } else {
      const merged = Buffer.allocUnsafe(leftover + this.#pendingBytes) as FastBuffer;
      let offset = 0;
      if (leftover > 0) {
        merged.set(this.#buffer.subarray(this.#position), 0);
        offset = leftover;
      }
      for (let index = 0; index < pending.length; index++) {
        const chunk = pending[index]!;
        merged.set(chunk, offset);
        offset += chunk.length;
      }
      this.#buffer = merged;
    }
    this.#position = 0;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#scanned = 0;
  }

  #wait(position: number, waitFor: number, need = 0): undefined {
    this.#position = position;
    this.#waitFor = waitFor;
    this.#need = need;
    return undefined;
  }

  #parse(): string[] | undefined {
    const buffer = this.#buffer;
    const length = buffer.length;
    let position = this.#position;
    for (;;) {
      if (this.#remaining === 0) {
        if (position >= length) return this.#wait(position, WAIT_ANY);
        if (buffer[position] === 0x2a) {
          const args = this.#fastCommand(buffer, position);
          if (args !== undefined) return args;
        } else {
          const inline = this.#inline(buffer, position);
          if (inline === undefined) return undefined;
          position = this.#position;
          if (inline.length > 0) return inline;
          continue; // an empty line
        }
        const count = readInteger(buffer, position + 1);
        if (lineEnd === -1) {
          if (length - position > this.#maxInlineLength) throw new ProtocolError('Protocol error: too big mbulk count string');
          return this.#wait(position, WAIT_CR);
        }
        if (lineEnd > length - 2) return this.#wait(position, WAIT_BYTES, lineEnd + 2 - position);
        if (count === INVALID || count > this.#maxMultibulkLength) {
          throw new ProtocolError('Protocol error: invalid multibulk length');
        }
        if (count > UNAUTHENTICATED_MULTIBULK && !this.#authenticated) {
          throw new ProtocolError('Protocol error: unauthenticated multibulk length');
        }
        position = lineEnd + 2;
        if (count <= 0) continue; // `*0`, `*-1`: skipped silently
        this.#remaining = count;
      }
      while (this.#remaining > 0) {
        let bulkLength = this.#bulkLength;
        if (bulkLength < 0) {
          if (position >= length) return this.#wait(position, WAIT_CR);
          if (buffer[position] !== 0x24) {
            const carriageReturn = buffer.indexOf(0x0d, position);
            if (carriageReturn === -1) {
              if (length - position > this.#maxInlineLength) throw new ProtocolError('Protocol error: too big bulk count string');
              return this.#wait(position, WAIT_CR);
            }
            if (carriageReturn > length - 2) return this.#wait(position, WAIT_BYTES, carriageReturn + 2 - position);
            throw new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(buffer[position]!)}'`);
          }
          bulkLength = readInteger(buffer, position + 1);
          if (lineEnd === -1) {
            if (length - position > this.#maxInlineLength) throw new ProtocolError('Protocol error: too big bulk count string');
            return this.#wait(position, WAIT_CR);
          }
          if (lineEnd > length - 2) return this.#wait(position, WAIT_BYTES, lineEnd + 2 - position);
          if (bulkLength < 0 || bulkLength > this.#maxBulkLength) throw new ProtocolError('Protocol error: invalid bulk length');
          if (bulkLength > UNAUTHENTICATED_BULK && !this.#authenticated) {
            throw new ProtocolError('Protocol error: unauthenticated bulk length');
          }
          position = lineEnd + 2;
          this.#bulkLength = bulkLength;
        }
        // like Redis, the two bytes after the payload are skipped unchecked
        if (length - position < bulkLength + 2) return this.#wait(position, WAIT_BYTES, bulkLength + 2);
        this.#args.push(latin1String(buffer, position, position + bulkLength));
        this.#argsBytes += bulkLength;
        position += bulkLength + 2;
        this.#bulkLength = -1;
        this.#remaining--;
      }
      const args = this.#args;
      this.#args = [];
      this.#argsBytes = 0;
      this.#position = position;
      return args;
    }
  }

  /**
   * The common case in one pass: a whole multibulk command in the buffer, its count and lengths small and valid. Returns
   * its arguments and moves #position past it, or undefined without side effects: the general parser then reads the
   * command from the same byte (waiting for more bytes, or raising Redis's error). The arguments array is allocated
   * once at its size, which only happens when the buffer holds at least 6 bytes (`$0\r\n\r\n`) per declared argument.
   */
  #fastCommand(buffer: FastBuffer, start: number): string[] | undefined {
    const length = buffer.length;
    const count = readSmallNumber(buffer, start + 1);
    if (count <= 0 || count > this.#maxMultibulkLength || (count > UNAUTHENTICATED_MULTIBULK && !this.#authenticated)) {
      return undefined;
    }
    let position = lineEnd + 2; // like Redis, the byte after '\r' is not checked
    if (count * 6 > length - position) return undefined;
    const args = new Array<string>(count);
    for (let index = 0; index < count; index++) {
      if (buffer[position] !== 0x24) return undefined;
      const bulkLength = readSmallNumber(buffer, position + 1);
      if (bulkLength < 0 || bulkLength > this.#maxBulkLength || (bulkLength > UNAUTHENTICATED_BULK && !this.#authenticated)) {
        return undefined;
      }
      position = lineEnd + 2;
      const end = position + bulkLength;
      if (end + 2 > length) return undefined;
      if (index === 0) args[0] = this.#name(buffer, position, end);
      else args[index] = latin1String(buffer, position, end);
      position = end + 2; // the two bytes after the payload are skipped unchecked, as below and in Redis
    }
    this.#position = position;
    return args;
  }

  /** The command name at buffer[start, end): the previous one again when the bytes are the same. */
  #name(buffer: FastBuffer, start: number, end: number): string {
    const last = this.#lastName;
    if (end - start === last.length) {
      let index = 0;
      while (index < last.length && buffer[start + index] === last.charCodeAt(index)) index++;
      if (index === last.length) return last;
    }
    const name = latin1String(buffer, start, end);
    if (name.length <= 32) this.#lastName = name;
    return name;
  }

  /** Reads one inline line at `position`: its arguments (empty for a blank line), or undefined to wait for '\n'. */
  #inline(buffer: FastBuffer, position: number): string[] | undefined {
    const newline = buffer.indexOf(0x0a, position);
    if (newline === -1) {
      if (buffer.length - position > this.#maxInlineLength) throw new ProtocolError('Protocol error: too big inline request');
      return this.#wait(position, WAIT_LF);
    }
    const end = newline > position && buffer[newline - 1] === 0x0d ? newline - 1 : newline;
    const args = end === position ? [] : parseInline(buffer.latin1Slice(position, end));
    this.#position = newline + 1;
    return args;
  }
}
