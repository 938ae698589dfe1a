import { fc, it } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { FastBuffer } from './fast-buffer.js';
import { latin1String, utf8String } from './short-string.js';

describe('short strings', () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 40 }),
    fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map((text) => new Uint8Array(Buffer.from(text))),
  );
  it.prop([bytes, fc.nat(), fc.nat()])('equal latin1Slice and utf8Slice on any range', (array, a, b) => {
    // arrange
    const buffer = Buffer.from(array) as FastBuffer;
    const start = a % (buffer.length + 1);
    const end = start + (b % (buffer.length - start + 1));
    // act, assert
    expect(latin1String(buffer, start, end)).toBe(buffer.latin1Slice(start, end));
    expect(utf8String(buffer, start, end)).toBe(buffer.utf8Slice(start, end));
  });
});
