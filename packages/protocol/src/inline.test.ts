import { fc, it } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { ProtocolError } from './errors.js';
import { encodeInline, parseInline } from './inline.js';

describe('parseInline', () => {
  test.each([
    ['SET a "b c"', ['SET', 'a', 'b c']],
    ['  a   b  ', ['a', 'b']],
    ['"\\n\\r\\t\\b\\a\\\\\\"\\q"', ['\n\r\t\b\x07\\"q']],
    ['"\\x4a\\x4A\\xZZ"', ['JJxZZ']],
    ["'a\\'b' '\\n'", ["a'b", '\\n']],
    ['ab"cd"', ['abcd']],
    ['a\vb', ['a\vb']],
    ['""', ['']],
    ['a\0b c', ['a']],
    ['', []],
  ])('%j', (line, expected) => {
    expect(parseInline(line)).toEqual(expected);
  });

  test.each(['"a"b', '"ab', "'ab", "'a'b", '"\\"'])('%j is unbalanced', (line) => {
    expect(() => parseInline(line)).toThrow(new ProtocolError('Protocol error: unbalanced quotes in request'));
  });

  const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)) });
  it.prop([fc.array(latin1, { maxLength: 8 })])('parseInline(encodeInline(args)) equals args', (args) => {
    expect(parseInline(encodeInline(args))).toEqual(args);
  });
});
