import { describe, expect, test } from 'vitest';
import { commandKeys, type KeySpec } from './keys.js';
import { crc16, keySlot } from './slot.js';

describe('hash slots', () => {
  test('CRC16-XMODEM check value and Redis slot examples', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('bar')).toBe(5061);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}')); // empty first tag: the whole key
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
    expect(keySlot(Buffer.from([0xff, 0x00]))).toBe(crc16(Buffer.from([0xff, 0x00])) & 16383);
  });
});

describe('command keys', () => {
  const specs = new Map<string, KeySpec>([
    ['GET', [1, 1, 1]],
    ['MSET', [1, -1, 2]],
    ['MGET', [1, -1, 1]],
    ['BLPOP', [1, -2, 1]],
    ['OBJECT', [0, 0, 0]],
    ['OBJECT|ENCODING', [2, 2, 1]],
    ['PING', [0, 0, 0]],
  ]);
  test('from key specs, numkeys and STREAMS', () => {
    expect(commandKeys(['GET', 'a'], specs)).toEqual(['a']);
    expect(commandKeys(['MSET', 'a', '1', 'b', '2'], specs)).toEqual(['a', 'b']);
    expect(commandKeys(['MGET', 'a', 'b', 'c'], specs)).toEqual(['a', 'b', 'c']);
    expect(commandKeys(['BLPOP', 'a', 'b', 5], specs)).toEqual(['a', 'b']);
    expect(commandKeys(['OBJECT', 'ENCODING', 'k'], specs)).toEqual(['k']);
    expect(commandKeys(['PING'], specs)).toEqual([]);
    expect(commandKeys(['EVAL', 'return 1', 2, 'k1', 'k2', 'arg'], specs)).toEqual(['k1', 'k2']);
    expect(commandKeys(['ZUNIONSTORE', 'dest', 2, 'a', 'b', 'WEIGHTS', 1, 2], specs)).toEqual(['dest', 'a', 'b']);
    expect(commandKeys(['XREAD', 'COUNT', 2, 'STREAMS', 's1', 's2', '0', '0'], specs)).toEqual(['s1', 's2']);
    expect(commandKeys(['UNKNOWN', 'x'], specs)).toEqual([]);
  });
});
