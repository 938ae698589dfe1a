/** Unit tests of number formatting and parsing (expected texts are what redis-server 7.0.15 prints for them). */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatDouble, parseBigInteger, parseFloatStrict, parseInteger } from './format.js';

describe('formatDouble (%.17g as ZSCORE prints)', () => {
  test.each([
    [0.1, '0.10000000000000001'],
    [1.5, '1.5'],
    [1e21, '1e+21'],
    [3, '3'],
    [1e-7, '9.9999999999999995e-08'],
    [123456789012345678, '1.2345678901234568e+17'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [1795554704.9223616, '1795554704.9223616'],
    [-2.5, '-2.5'],
  ])('%s -> %s', (value, text) => {
    expect(formatDouble(value)).toBe(text);
  });

  test('17 significant digits round-trip every finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(Number(formatDouble(value))).toBe(value);
      }),
    );
  });
});

describe('parseInteger (string2ll)', () => {
  test.each(['0', '-1', '42', '9007199254740991', '-9007199254740991'])('accepts %s', (text) => {
    expect(parseInteger(text)).toBe(Number(text));
  });
  test('accepts the int64 extremes (as approximate numbers: parseBigInteger is exact)', () => {
    expect(parseInteger('9223372036854775807')).toBeGreaterThan(2 ** 62);
    expect(parseInteger('-9223372036854775808')).toBeLessThan(-(2 ** 62));
  });
  test.each(['', ' 1', '1 ', '+1', '01', '-0', '1.0', '9223372036854775808', '-9223372036854775809', 'abc', '1e3'])(
    'refuses %j',
    (text) => {
      expect(parseInteger(text)).toBeUndefined();
    },
  );
  test('parseBigInteger keeps int64 precision', () => {
    expect(parseBigInteger('9223372036854775807')).toBe(9223372036854775807n);
    expect(parseBigInteger('9223372036854775808')).toBeUndefined();
  });
  test('agrees with a BigInt reference on random int64 texts', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        expect(parseBigInteger(String(value))).toBe(value);
      }),
    );
  });
});

describe('parseFloatStrict (strtold, no NaN)', () => {
  test.each([
    ['1.5', 1.5],
    ['1e3', 1000],
    ['-inf', -Infinity],
    ['+inf', Infinity],
    ['inf', Infinity],
    ['.5', 0.5],
  ])('%s -> %s', (text, value) => {
    expect(parseFloatStrict(text)).toBe(value);
  });
  test.each(['', 'abc', 'nan', '1.5x', ' 1'])('refuses %j', (text) => {
    expect(parseFloatStrict(text)).toBeUndefined();
  });
});
