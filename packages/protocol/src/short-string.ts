// Short strings from bytes without a call into C++: for a few bytes, String.fromCharCode on the byte values beats
// Buffer's latin1Slice/utf8Slice, whose per-call cost (binding, checks) dwarfs the copy. Longer strings use them.
import type { FastBuffer } from './fast-buffer.js';

/** Up to this many bytes, strings are built in JS. */
const SHORT = 24;

/** One reusable array of char codes per length (filled and consumed within a call, so never shared across calls). */
const codes: number[][] = Array.from({ length: SHORT + 1 }, (_, length) => new Array<number>(length).fill(0));

/** `buffer.latin1Slice(start, end)`: one char per byte. */
export function latin1String(buffer: FastBuffer, start: number, end: number): string {
  const length = end - start;
  if (length > SHORT) return buffer.latin1Slice(start, end);
  const chars = codes[length]!;
  for (let index = 0; index < length; index++) chars[index] = buffer[start + index]!;
  return String.fromCharCode.apply(null, chars);
}

/** `buffer.utf8Slice(start, end)`: built in JS when the bytes are short and ASCII (the same string then). */
export function utf8String(buffer: FastBuffer, start: number, end: number): string {
  const length = end - start;
  if (length > SHORT) return buffer.utf8Slice(start, end);
  const chars = codes[length]!;
  for (let index = 0; index < length; index++) {
    const code = buffer[start + index]!;
    if (code > 0x7f) return buffer.utf8Slice(start, end);
    chars[index] = code;
  }
  return String.fromCharCode.apply(null, chars);
}
