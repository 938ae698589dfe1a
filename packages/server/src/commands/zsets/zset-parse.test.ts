import { fc, it } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parseDouble } from './zset-parse.js';

describe('parseDouble', () => {
  it.prop([fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double({ noNaN: true, noDefaultInfinity: true }))])(
    'reads a number as Number() does',
    (value) => {
      const text = String(value);
      if (/e/.test(text)) return; // exponent forms are covered by the differential tests
      expect(Object.is(parseDouble(text), Number(text))).toBe(true);
    },
  );

  it.prop([fc.stringMatching(/^-?[0-9]{1,20}$/)])('reads digit strings of any length as Number() does', (text) => {
    expect(Object.is(parseDouble(text), Number(text))).toBe(true);
  });

  it.prop([fc.constantFrom('', '-', '--1', '1-', ' 1', '1 ', '1a', 'nan', '+-1')])('refuses what is not a double', (text) => {
    expect(() => parseDouble(text)).toThrow();
  });
});
