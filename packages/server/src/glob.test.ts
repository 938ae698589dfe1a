/** Unit tests of Redis's glob (stringmatchlen): fixed cases and a property test against a regex reference. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { matchGlob } from './glob.js';

describe('matchGlob', () => {
  test.each([
    ['h?llo', 'hello', true],
    ['h*llo', 'heeeello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hallo', true],
    ['h\\*llo', 'h*llo', true],
    ['h\\*llo', 'hello', false],
    // stringmatchlen never enters its loop for an empty string, so even '*' fails (KEYS ** skips the key ""; only
    // KEYS * and SCAN MATCH * short-cut the match).
    ['*', '', false],
    ['a*', 'a', true],
    ['?', '', false],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY', false],
  ])('%j ~ %j is %s', (pattern, text, expected) => {
    expect(matchGlob(pattern, text)).toBe(expected);
  });

  test('case folding', () => {
    expect(matchGlob('HELLO*', 'hello world', true)).toBe(true);
    expect(matchGlob('HELLO*', 'hello world')).toBe(false);
  });

  test('deeply nested stars do not blow up', () => {
    expect(matchGlob('a*'.repeat(50) + 'b', 'a'.repeat(200))).toBe(false);
  });

  test('agrees with a regex reference for patterns of literals, ? and *', () => {
    const char = fc.constantFrom('a', 'b', 'c');
    const patternChar = fc.constantFrom('a', 'b', 'c', '?', '*');
    fc.assert(
      fc.property(fc.array(patternChar, { maxLength: 8 }), fc.array(char, { maxLength: 10 }), (pattern, text) => {
        const source = pattern.map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c)).join('');
        const expected = text.length === 0 ? pattern.length === 0 : new RegExp(`^${source}$`, 's').test(text.join(''));
        expect(matchGlob(pattern.join(''), text.join(''))).toBe(expected);
      }),
    );
  });
});
