/**
 * Interop of the set and sorted-set commands with real Node clients: ioredis (RESP2) and node-redis v6 (RESP3 by
 * default, where scores come back as doubles and ZSETs with scores as pairs), round-tripping a few commands each.
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
  let client: Redis;

  beforeAll(async () => {
    client = new Redis({ port: server.port, host: '127.0.0.1', keyPrefix: 'io:', maxRetriesPerRequest: 0 });
    await new Promise((resolve) => client.once('ready', resolve));
  });

  afterAll(() => {
    client.disconnect();
  });

  test('sets', async () => {
    expect(await client.sadd('s', 'a', 'b', 'c')).toBe(3);
    expect((await client.smembers('s')).sort()).toEqual(['a', 'b', 'c']);
    expect(await client.sismember('s', 'b')).toBe(1);
    expect(await client.smismember('s', 'a', 'x')).toEqual([1, 0]);
    expect(await client.sadd('t', 'b', 'c', 'd')).toBe(3);
    expect((await client.sinter('s', 't')).sort()).toEqual(['b', 'c']);
    expect(await client.sunionstore('u', 's', 't')).toBe(4);
    expect(await client.srem('u', 'a')).toBe(1);
    expect(await client.scard('u')).toBe(3);
    const [cursor, members] = await client.sscan('u', 0);
    expect(cursor).toBe('0');
    expect(members.sort()).toEqual(['b', 'c', 'd']);
  });

  test('sorted sets', async () => {
    expect(await client.zadd('z', 1, 'a', 2.5, 'b', 3, 'c')).toBe(3);
    expect(await client.zscore('z', 'b')).toBe('2.5');
    expect(await client.zrange('z', '0', '-1', 'WITHSCORES')).toEqual(['a', '1', 'b', '2.5', 'c', '3']);
    expect(await client.zrangebyscore('z', '(1', '+inf')).toEqual(['b', 'c']);
    expect(await client.zincrby('z', 1, 'a')).toBe('2');
    expect(await client.zrank('z', 'c')).toBe(2);
    expect(await client.zpopmin('z')).toEqual(['a', '2']);
    expect(await client.zunionstore('w', 2, 'z', 'z', 'WEIGHTS', 1, 2)).toBe(2);
    expect(await client.zrange('w', '0', '-1', 'WITHSCORES')).toEqual(['b', '7.5', 'c', '9']);
    await expect(client.zadd('z', 'NX', 'XX', 1, 'a')).rejects.toThrow(
      'ERR XX and NX options at the same time are not compatible',
    );
  });
});

describe('node-redis (RESP3)', () => {
  const connect = (port: number) => createClient({ url: `redis://127.0.0.1:${port}`, RESP: 3 });
  let client: ReturnType<typeof connect>;

  beforeAll(async () => {
    client = connect(server.port);
    await client.connect();
  });

  afterAll(async () => {
    client.destroy();
  });

  test('sets', async () => {
    expect(await client.sAdd('s', ['a', 'b', 'c'])).toBe(3);
    expect([...(await client.sMembers('s'))].sort()).toEqual(['a', 'b', 'c']);
    expect(await client.sCard('s')).toBe(3);
    expect(await client.sMove('s', 't', 'a')).toBe(1);
    expect([...(await client.sDiff(['s', 't']))].sort()).toEqual(['b', 'c']);
  });

  test('sorted sets', async () => {
    expect(await client.zAdd('z', [{ score: 1, value: 'a' }, { score: 2.5, value: 'b' }])).toBe(2);
    expect(await client.zScore('z', 'b')).toBe(2.5);
    expect(await client.zRangeWithScores('z', 0, -1)).toEqual([
      { value: 'a', score: 1 },
      { value: 'b', score: 2.5 },
    ]);
    expect(await client.zCount('z', '-inf', '+inf')).toBe(2);
    expect(await client.zPopMax('z')).toEqual({ value: 'b', score: 2.5 });
    expect(await client.zCard('z')).toBe(1);
  });
});
