/** Unit tests of INCRBYFLOAT's long double arithmetic (expected texts are what redis-server 7.0.15 answers). */
import { describe, expect, test } from 'vitest';
import { incrementLongDouble } from './long-double.js';

describe('incrementLongDouble', () => {
  test.each([
    ['10.50', '0.1', '10.6'],
    ['5.0e3', '2.0e2', '5200'],
    ['1', '0.1', '1.1'],
    ['3.0e3', '-3000', '0'],
    ['0', '1e-10', '0.0000000001'],
  ])('%s + %s = %s', (current, increment, sum) => {
    expect(incrementLongDouble(current, increment)).toBe(sum);
  });

  test('80-bit range: 1e308 + 1e308 does not overflow and prints every digit', () => {
    expect(incrementLongDouble('1e308', '1e308')).toBe(
      '199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096',
    );
  });

  test('invalid numbers and non-finite results', () => {
    expect(incrementLongDouble('10', 'abc')).toBe('invalid');
    expect(incrementLongDouble('x', '1')).toBe('invalid');
    expect(incrementLongDouble('inf', '1')).toBe('nan-or-infinity');
  });
});
