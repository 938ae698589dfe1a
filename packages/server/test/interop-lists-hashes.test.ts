/**
 * ioredis (RESP2) and node-redis v6 (RESP3 and RESP2) round-trip list and hash commands against our server: the
 * clients' own reply transformers (HGETALL to an object or map, LPOP with a count, LMPOP, HRANDFIELD WITHVALUES, HSCAN)
 * get what they expect.
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer } from './helpers.js';

let server: MiniRedisServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

describe('ioredis', () => {
  test('lists and hashes', async () => {
    const client = new Redis({ port: server.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    try {
      expect(await client.rpush('io:l', 'a', 'b', 'c')).toBe(3);
      expect(await client.lpush('io:l', 'z')).toBe(4);
      expect(await client.lrange('io:l', 0, -1)).toEqual(['z', 'a', 'b', 'c']);
      expect(await client.lpop('io:l', 2)).toEqual(['z', 'a']);
      expect(await client.lmove('io:l', 'io:l2', 'RIGHT', 'LEFT')).toBe('c');
      expect(await client.lpos('io:l', 'b')).toBe(0);
      expect(await client.lmpop(2, 'io:none', 'io:l2', 'LEFT', 'COUNT', 5)).toEqual(['io:l2', ['c']]);
      expect(await client.hset('io:h', { f: '1', g: 'x' })).toBe(2);
      expect(await client.hgetall('io:h')).toEqual({ f: '1', g: 'x' });
      expect(await client.hincrby('io:h', 'f', 41)).toBe(42);
      expect(await client.hincrbyfloat('io:h', 'f', '0.5')).toBe('42.5');
      expect(await client.hmget('io:h', 'f', 'none')).toEqual(['42.5', null]);
      expect(await client.hscan('io:h', 0)).toEqual(['0', ['f', '42.5', 'g', 'x']]);
      await expect(client.hincrby('io:h', 'g', 1)).rejects.toThrow('ERR hash value is not an integer');
      expect(await client.hdel('io:h', 'f', 'g')).toBe(2);
      expect(await client.exists('io:h')).toBe(0);
    } finally {
      client.disconnect();
    }
  });
});

describe('node-redis', () => {
  for (const RESP of [3, 2] as const) {
    test(`lists and hashes (RESP${RESP})`, async () => {
      const client = createClient({ socket: { port: server.port, host: '127.0.0.1' }, RESP });
      await client.connect();
      try {
        const list = `nr${RESP}:l`;
        const hash = `nr${RESP}:h`;
        expect(await client.rPush(list, ['a', 'b', 'c'])).toBe(3);
        expect(await client.lRange(list, 0, -1)).toEqual(['a', 'b', 'c']);
        expect(await client.rPopCount(list, 2)).toEqual(['c', 'b']);
        expect(await client.lPopCount(`nr${RESP}:none`, 2)).toBeNull();
        expect(await client.lInsert(list, 'AFTER', 'a', 'x')).toBe(2);
        expect(await client.lmPop([list], 'RIGHT', { COUNT: 1 })).toEqual([list, ['x']]);
        expect(await client.hSet(hash, { f: 'v', n: '1' })).toBe(2);
        expect(await client.hGetAll(hash)).toEqual({ f: 'v', n: '1' });
        expect(await client.hIncrBy(hash, 'n', 9)).toBe(10);
        expect(await client.hLen(hash)).toBe(2);
        const pairs = await client.hRandFieldCountWithValues(hash, 2);
        expect(pairs).toHaveLength(2);
        for (const { field, value } of pairs) expect({ f: 'v', n: '10' }).toHaveProperty(field, value);
        expect(await client.hScan(hash, '0')).toEqual({
          cursor: '0',
          entries: [{ field: 'f', value: 'v' }, { field: 'n', value: '10' }],
        });
      } finally {
        await client.quit();
      }
    });
  }
});
