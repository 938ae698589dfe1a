// encodeCommand: a client request (`*n\r\n$len\r\narg\r\n...`) in one exactly sized Buffer, measured first, written once.
import type { FastBuffer } from './fast-buffer.js';
import { writeDigits } from './reply-writer.js';

/** Strings up to this length are measured and copied char by char in JS: cheaper than a call into C++. */
const SHORT_STRING = 32;

/** Byte lengths of the current command's arguments (reused scratch space, overwritten by every call). */
const lengths: number[] = [];

/** Digits of a non-negative safe integer. */
function digitCount(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}

/** The UTF-8 length of `text`: its length when ASCII (checked in JS for short strings), else Buffer.byteLength. */
function utf8Length(text: string): number {
  const length = text.length;
  if (length > SHORT_STRING) return Buffer.byteLength(text, 'utf8');
  for (let index = 0; index < length; index++) {
    if (text.charCodeAt(index) > 0x7f) return Buffer.byteLength(text, 'utf8');
  }
  return length;
}

/** Writes `$len\r\n` at `offset`; returns the offset after it. */
function writeBulkHeader(buffer: Buffer, offset: number, length: number): number {
  buffer[offset] = 0x24;
  offset = writeDigits(buffer, offset + 1, length);
  buffer[offset] = 0x0d;
  buffer[offset + 1] = 0x0a;
  return offset + 2;
}

/** Writes the `byteLength` bytes of `text` and CRLF at `offset`; returns the offset after them. */
function writeText(buffer: FastBuffer, offset: number, text: string, byteLength: number, latin1: boolean): number {
  if (byteLength === text.length && byteLength <= SHORT_STRING) {
    // one byte per char (latin1, or ASCII in UTF-8): a JS loop beats latin1Write/utf8Write for short strings
    for (let index = 0; index < byteLength; index++) buffer[offset + index] = text.charCodeAt(index);
    offset += byteLength;
  } else if (latin1) {
    offset += buffer.latin1Write(text, offset, byteLength);
  } else {
    offset += buffer.utf8Write(text, offset, byteLength);
  }
  buffer[offset] = 0x0d;
  buffer[offset + 1] = 0x0a;
  return offset + 2;
}

/**
 * Encodes a client command as a multibulk request (`*n\r\n$len\r\narg\r\n...`). Numbers are written as `String(n)`;
 * strings as UTF-8 (default) or latin1 (one byte per char).
 */
export function encodeCommand(
  args: ReadonlyArray<string | Buffer | number>,
  stringEncoding: 'utf8' | 'latin1' = 'utf8',
): Buffer {
  const latin1 = stringEncoding === 'latin1';
  const count = args.length;
  // pass 1: the exact size, so the result is allocated once (from Node's pool when small) and never copied
  let total = digitCount(count) + 3;
  for (let index = 0; index < count; index++) {
    const arg = args[index]!;
    const length =
      typeof arg === 'string'
        ? latin1
          ? arg.length
          : utf8Length(arg)
        : typeof arg === 'number'
          ? String(arg).length
          : arg.length;
    lengths[index] = length;
    total += digitCount(length) + length + 5; // `$` len CRLF payload CRLF
  }
  // pass 2: write in place
  const buffer = Buffer.allocUnsafe(total) as FastBuffer;
  buffer[0] = 0x2a;
  let offset = writeDigits(buffer, 1, count);
  buffer[offset] = 0x0d;
  buffer[offset + 1] = 0x0a;
  offset += 2;
  for (let index = 0; index < count; index++) {
    const arg = args[index]!;
    const length = lengths[index]!;
    offset = writeBulkHeader(buffer, offset, length);
    if (typeof arg === 'string') {
      offset = writeText(buffer, offset, arg, length, latin1);
    } else if (typeof arg === 'number') {
      offset = writeText(buffer, offset, String(arg), length, true); // String(n) is ASCII
    } else {
      buffer.set(arg, offset);
      buffer[offset + length] = 0x0d;
      buffer[offset + length + 1] = 0x0a;
      offset += length + 2;
    }
  }
  return buffer;
}
