// The typed methods, family by family, against every server that implements the family (see targets.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, test } from 'vitest';
import { createClient, type RedisClient } from '@mini-redis/client';
import { targetsFor, type Family, type RunningServer } from './targets.js';

/** Runs `body` once per target implementing `family`, with a connected client on a flushed server. */
function family(name: Family, body: (context: { client: () => RedisClient }) => void): void {
  describe.each(targetsFor(name))(`${name} against $name`, (target) => {
    let server: RunningServer;
    let client: RedisClient;
    beforeAll(async () => {
      server = await target.start();
      client = createClient({ port: server.port, commandTimeout: 5000 });
    });
    beforeEach(async () => {
      await client.flushall();
    });
    afterAll(async () => {
      await client.quit();
      await server.stop();
    });
    body({ client: () => client });
  });
}

family('strings', ({ client }) => {
  test('get/set/mget/mset/incr/append/getrange', async () => {
    const redis = client();
    expect(await redis.set('a', 'x')).toBe('OK');
    expect(await redis.set('a', 'y', 'NX')).toBeNull();
    expect(await redis.set('a', 'z', 'GET')).toBe('x');
    expect(await redis.set('ttl', 'v', 'EX', 100)).toBe('OK');
    expect(await redis.setnx('a', '1')).toBe(false);
    expect(await redis.mset('b', '1', 'c', '2')).toBe('OK');
    expect(await redis.mget('a', 'b', 'nope')).toEqual(['z', '1', null]);
    expect(await redis.incr('b')).toBe(2);
    expect(await redis.incrby('b', 10)).toBe(12);
    expect(await redis.incrbyfloat('b', 0.5)).toBe(12.5);
    expect(await redis.append('a', 'ed')).toBe(3);
    expect(await redis.getrange('a', 0, 1)).toBe('ze');
    expect(await redis.strlen('a')).toBe(3);
    expect(await redis.getdel('a')).toBe('zed');
    expect(await redis.get('a')).toBeNull();
    expect(await redis.set('unicode', 'héllo ✓')).toBe('OK');
    expect(await redis.get('unicode')).toBe('héllo ✓');
    expectTypeOf(redis.get).returns.resolves.toEqualTypeOf<string | null>();
    expectTypeOf(redis.mget).returns.resolves.toEqualTypeOf<(string | null)[]>();
    expectTypeOf(redis.incr).returns.resolves.toEqualTypeOf<number>();
    expectTypeOf(redis.withBuffers().get).returns.resolves.toEqualTypeOf<Buffer | null>();
  });
});

family('keys', ({ client }) => {
  test('del/exists/expire/ttl/type/rename/scan', async () => {
    const redis = client();
    await redis.mset('k1', 'v', 'k2', 'v', 'other', 'v');
    expect(await redis.exists('k1', 'k2', 'nope')).toBe(2);
    expect(await redis.expire('k1', 100)).toBe(true);
    expect(await redis.expire('nope', 100)).toBe(false);
    expect(await redis.ttl('k1')).toBeGreaterThan(90);
    expect(await redis.pttl('k2')).toBe(-1);
    expect(await redis.persist('k1')).toBe(true);
    expect(await redis.type('k1')).toBe('string');
    expect(await redis.type('nope')).toBe('none');
    expect(await redis.rename('k2', 'k3')).toBe('OK');
    expect((await redis.keys('k*')).sort()).toEqual(['k1', 'k3']);
    const [cursor, keys] = await redis.scan(0, 'MATCH', 'k*', 'COUNT', 100);
    expect(cursor).toBe('0');
    expect(keys.sort()).toEqual(['k1', 'k3']);
    const seen: string[] = [];
    for (let index = 0; index < 300; index++) await redis.set(`many:${index}`, 'x');
    for await (const key of redis.scanIterator({ match: 'many:*', count: 20 })) seen.push(key);
    expect(new Set(seen).size).toBe(300);
    expect(await redis.del('k1', 'k3', 'nope')).toBe(2);
    expect(await redis.dbsize()).toBe(301);
    expectTypeOf(redis.type).returns.resolves.toEqualTypeOf<'none' | 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream'>();
  });
});

family('server', ({ client }) => {
  test('ping/echo/info/time/config/client', async () => {
    const redis = client();
    expect(await redis.ping()).toBe('PONG');
    expect(await redis.echo('hi')).toBe('hi');
    expect(await redis.info('server')).toMatch(/redis_version:/);
    const [seconds, micros] = await redis.time();
    expect(Number(seconds)).toBeGreaterThan(1_600_000_000);
    expect(Number(micros)).toBeGreaterThanOrEqual(0);
    expect(await redis.configGet('maxmemory')).toEqual({ maxmemory: '0' });
    expect(typeof (await redis.clientId())).toBe('number');
    expect(await redis.clientList()).toMatch(/id=/);
  });
});

family('lists', ({ client }) => {
  test('push/pop/range/index/move and blocking pops on the pool', async () => {
    const redis = client();
    expect(await redis.rpush('l', 'a', 'b', 'c')).toBe(3);
    expect(await redis.lpush('l', 'z')).toBe(4);
    expect(await redis.lrange('l', 0, -1)).toEqual(['z', 'a', 'b', 'c']);
    expect(await redis.lindex('l', 1)).toBe('a');
    expect(await redis.llen('l')).toBe(4);
    expect(await redis.lpop('l')).toBe('z');
    expect(await redis.rpopCount('l', 2)).toEqual(['c', 'b']);
    expect(await redis.lmove('l', 'm', 'LEFT', 'RIGHT')).toBe('a');
    expect(await redis.lpop('l')).toBeNull();
    expect(await redis.lpos('m', 'a')).toBe(0);
    // a blocking pop does not stall the main connection
    const blocked = redis.blpop('queue', 2);
    const started = Date.now();
    expect(await redis.ping()).toBe('PONG');
    expect(Date.now() - started).toBeLessThan(200);
    await redis.rpush('queue', 'job');
    expect(await blocked).toEqual(['queue', 'job']);
    expect(await redis.brpop('empty', 0.05)).toBeNull();
    expect(await redis.blmove('m', 'n', 'LEFT', 'LEFT', 1)).toBe('a');
    expectTypeOf(redis.blpop).returns.resolves.toEqualTypeOf<[key: string, element: string] | null>();
  });
});

family('hashes', ({ client }) => {
  test('hset/hget/hgetall/hincrby/hscanIterator', async () => {
    const redis = client();
    expect(await redis.hset('h', 'f1', 'v1', 'f2', 'v2')).toBe(2);
    expect(await redis.hget('h', 'f1')).toBe('v1');
    expect(await redis.hmget('h', 'f1', 'nope')).toEqual(['v1', null]);
    expect(await redis.hgetall('h')).toEqual({ f1: 'v1', f2: 'v2' });
    expect(await redis.hgetall('nope')).toEqual({});
    expect(await redis.hincrby('h', 'n', 5)).toBe(5);
    expect(await redis.hincrbyfloat('h', 'n', 1.5)).toBe(6.5);
    expect(await redis.hexists('h', 'f1')).toBe(true);
    expect((await redis.hkeys('h')).sort()).toEqual(['f1', 'f2', 'n']);
    expect(await redis.hlen('h')).toBe(3);
    expect(await redis.hdel('h', 'f1')).toBe(1);
    const fields: Record<string, string> = {};
    for await (const { field, value } of redis.hscanIterator('h')) fields[field] = value;
    expect(fields).toEqual({ f2: 'v2', n: '6.5' });
    expectTypeOf(redis.hgetall).returns.resolves.toEqualTypeOf<Record<string, string>>();
  });
});

family('sets', ({ client }) => {
  test('sadd/smembers/sismember/sinter/sscanIterator', async () => {
    const redis = client();
    expect(await redis.sadd('s', 'a', 'b', 'c')).toBe(3);
    expect(await redis.sadd('t', 'b', 'c', 'd')).toBe(3);
    expect((await redis.smembers('s')).sort()).toEqual(['a', 'b', 'c']);
    expect(await redis.sismember('s', 'a')).toBe(true);
    expect(await redis.smismember('s', 'a', 'z')).toEqual([true, false]);
    expect((await redis.sinter('s', 't')).sort()).toEqual(['b', 'c']);
    expect(await redis.scard('s')).toBe(3);
    expect(await redis.srem('s', 'a')).toBe(1);
    const members: string[] = [];
    for await (const member of redis.sscanIterator('t')) members.push(member);
    expect(members.sort()).toEqual(['b', 'c', 'd']);
  });
});

family('zsets', ({ client }) => {
  test('zadd/zrange/zscore/zpop/bzpopmin/zscanIterator', async () => {
    const redis = client();
    expect(await redis.zadd('z', 1, 'a', 2, 'b', 3.5, 'c')).toBe(3);
    expect(await redis.zscore('z', 'c')).toBe(3.5);
    expect(await redis.zscore('z', 'nope')).toBeNull();
    expect(await redis.zmscore('z', 'a', 'nope')).toEqual([1, null]);
    expect(await redis.zrange('z', 0, -1)).toEqual(['a', 'b', 'c']);
    expect(await redis.zrangeWithScores('z', 0, 1)).toEqual([
      { value: 'a', score: 1 },
      { value: 'b', score: 2 },
    ]);
    expect(await redis.zincrby('z', 1, 'a')).toBe(2);
    expect(await redis.zrank('z', 'c')).toBe(2);
    expect(await redis.zcard('z')).toBe(3);
    expect(await redis.zpopmin('z')).toHaveLength(1);
    expect(await redis.zpopmax('z', 5)).toEqual([
      { value: 'c', score: 3.5 },
      { value: 'b', score: 2 },
    ]);
    await redis.zadd('y', 7, 'seven');
    expect(await redis.bzpopmin('y', 1)).toEqual({ key: 'y', value: 'seven', score: 7 });
    await redis.zadd('x', 1, 'one', 2, 'two');
    const seen: { value: string; score: number }[] = [];
    for await (const entry of redis.zscanIterator('x')) seen.push(entry);
    expect(seen).toEqual([
      { value: 'one', score: 1 },
      { value: 'two', score: 2 },
    ]);
  });
});

family('streams', ({ client }) => {
  test('xadd/xrange/xread (BLOCK on the pool)/xgroup', async () => {
    const redis = client();
    const id = await redis.xadd('st', '1-1', 'f', 'v');
    expect(id).toBe('1-1');
    await redis.xadd('st', '2-1', 'a', '1', 'b', '2');
    expect(await redis.xlen('st')).toBe(2);
    expect(await redis.xrange('st', '-', '+')).toEqual([
      { id: '1-1', fields: { f: 'v' } },
      { id: '2-1', fields: { a: '1', b: '2' } },
    ]);
    expect(await redis.xread('STREAMS', 'st', '1-1')).toEqual([{ name: 'st', entries: [{ id: '2-1', fields: { a: '1', b: '2' } }] }]);
    // (an explicit id, not `$`: the pool's connection may open after the XADD below)
    const blocked = redis.xread('BLOCK', 2000, 'STREAMS', 'st', '2-1');
    expect(await redis.ping()).toBe('PONG');
    await redis.xadd('st', '3-1', 'late', 'yes');
    expect(await blocked).toEqual([{ name: 'st', entries: [{ id: '3-1', fields: { late: 'yes' } }] }]);
    expect(await redis.xread('BLOCK', 20, 'STREAMS', 'st', '$')).toBeNull();
    expect(await redis.xgroupCreate('st', 'g', '0')).toBe('OK');
    const batch = await redis.xreadgroup('GROUP', 'g', 'c', 'COUNT', 1, 'STREAMS', 'st', '>');
    expect(batch?.[0]?.entries[0]?.id).toBe('1-1');
    expect(await redis.xack('st', 'g', '1-1')).toBe(1);
  });
});

family('scripting', ({ client }) => {
  test('defineScript: EVALSHA, falls back to EVAL on NOSCRIPT; fcall', async () => {
    const redis = client();
    const incrTwice = redis.defineScript("return redis.call('INCRBY', KEYS[1], ARGV[1]) * 2", (reply) => Number(reply));
    await redis.scriptFlush();
    expect(await incrTwice(['counter'], [5])).toBe(10);
    expect(await incrTwice(['counter'], [1])).toBe(12);
    await redis.scriptFlush();
    expect(await incrTwice(['counter'], [1])).toBe(14);
    expect(await redis.eval("return {1, 'two', {3}}", 0)).toEqual([1, 'two', [3]]);
    await redis.functionFlush();
    const library = "#!lua name=lib\nredis.register_function('hello', function(keys, args) return 'hi ' .. args[1] end)";
    expect(await redis.functionLoad(library)).toBe('lib');
    expect(await redis.fcall('hello', 0, 'you')).toBe('hi you');
    expect(await redis.fcallRo('hello', 0, 'me').catch((error: Error) => error.message)).toMatch(/write flag|hi me/);
  });
});

family('pubsub', ({ client }) => {
  test('subscribe/psubscribe/ssubscribe with handlers, unsubscribe', async () => {
    const redis = client();
    for (const protocol of [2, 3] as const) {
      const subscriber = redis.duplicate({ protocol });
      const messages: string[] = [];
      const handler = (message: string, channel: string) => messages.push(`${channel}=${message}`);
      await subscriber.subscribe(['c1', 'c2'], handler);
      await subscriber.psubscribe('p.*', handler);
      await subscriber.ssubscribe('shard', handler);
      expect(await redis.publish('c1', 'one')).toBe(1);
      expect(await redis.publish('p.x', 'two')).toBe(1);
      expect(await redis.spublish('shard', 'three')).toBe(1);
      await subscriber.unsubscribe('c1');
      expect(await redis.publish('c1', 'gone')).toBe(0);
      expect(await redis.publish('c2', 'four')).toBe(1);
      // under RESP3 the same connection still runs commands
      if (protocol === 3) expect(await subscriber.get('nothing')).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(messages).toEqual(['c1=one', 'p.x=two', 'shard=three', 'c2=four']);
      await subscriber.quit();
    }
  });

  test('a throwing handler is reported as an error event and the connection keeps working', async () => {
    const redis = client();
    const subscriber = redis.duplicate();
    const errors: Error[] = [];
    subscriber.on('error', (error) => errors.push(error));
    const good: string[] = [];
    await subscriber.subscribe('boom', () => {
      throw new Error('handler failed');
    });
    await subscriber.subscribe('boom', (message) => good.push(message));
    await redis.publish('boom', 'x');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(errors.map((error) => error.message)).toEqual(['handler failed']);
    expect(good).toEqual(['x']);
    expect(await subscriber.ping()).toBe('PONG');
    await subscriber.quit();
  });
});
