/**
 * Scripts as real users write them, sent by real clients, against redis-server and ours with the same assertions:
 * a fixed-window rate limiter (INCR + EXPIRE), a lock released by compare-and-delete, ioredis `defineCommand`
 * (EVALSHA, falling back to EVAL on NOSCRIPT, also in pipelines and MULTI), and node-redis `scripts` / `functions`
 * (defineScript's EVALSHA with NOSCRIPT fallback; FCALL / FCALL_RO of a loaded library), in RESP2 and RESP3.
 */
import { Redis, ReplyError } from 'ioredis';
import { createClient, defineScript, type CommandParser } from 'redis';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

let redis: RedisProcess;
let server: MiniRedisServer;

beforeAll(async () => {
  [redis, server] = await Promise.all([startRedisServer(), startTestServer()]);
});

afterAll(async () => {
  await redis?.stop();
  await server?.close();
});

/** Runs the same check against redis-server and ours (each gets a port). */
function onBoth(name: string, check: (port: number) => Promise<void>, timeout = 20_000): void {
  test.each([
    ['redis-server', () => redis.port],
    ['mini-redis', () => server.port],
  ])(`${name} (%s)`, async (_label, port) => check(port()), timeout);
}

async function ioredis(port: number): Promise<Redis> {
  const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 0, lazyConnect: true });
  await client.connect();
  await client.flushall();
  await client.script('FLUSH');
  return client;
}

const RATE_LIMIT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
if current > tonumber(ARGV[2]) then
  return {0, current, redis.call('TTL', KEYS[1])}
end
return {1, current, redis.call('TTL', KEYS[1])}
`;

const UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

describe('everyday scripts through ioredis', () => {
  onBoth('rate limiter: INCR + EXPIRE, allowed until the limit, then refused with the TTL', async (port) => {
    const client = await ioredis(port);
    try {
      client.defineCommand('rateLimit', { numberOfKeys: 1, lua: RATE_LIMIT });
      const limit = (client as unknown as { rateLimit(key: string, window: number, max: number): Promise<number[]> }).rateLimit.bind(client);
      const replies = [];
      for (let i = 0; i < 5; i++) replies.push(await limit('rl:user:1', 60, 3));
      expect(replies).toEqual([[1, 1, 60], [1, 2, 60], [1, 3, 60], [0, 4, 60], [0, 5, 60]]);
      expect(await client.ttl('rl:user:1')).toBe(60);
      expect(await limit('rl:user:2', 60, 3)).toEqual([1, 1, 60]);
      await client.pexpire('rl:user:1', 50);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(await limit('rl:user:1', 60, 3)).toEqual([1, 1, 60]);
    } finally {
      client.disconnect();
    }
  });

  onBoth('lock: SET NX PX, compare-and-delete releases only with the owner token', async (port) => {
    const client = await ioredis(port);
    try {
      expect(await client.set('lock:res', 'token-a', 'PX', 10_000, 'NX')).toBe('OK');
      expect(await client.set('lock:res', 'token-b', 'PX', 10_000, 'NX')).toBeNull();
      expect(await client.eval(UNLOCK, 1, 'lock:res', 'token-b')).toBe(0);
      expect(await client.get('lock:res')).toBe('token-a');
      expect(await client.eval(UNLOCK, 1, 'lock:res', 'token-a')).toBe(1);
      expect(await client.exists('lock:res')).toBe(0);
      expect(await client.eval(UNLOCK, 1, 'lock:res', 'token-a')).toBe(0);
      await client.set('lock:res', 'not-a-string-check');
      await client.del('lock:res');
      await client.rpush('lock:res', 'x');
      await expect(client.eval(UNLOCK, 1, 'lock:res', 'token-a')).rejects.toThrow(
        /^WRONGTYPE Operation against a key holding the wrong kind of value script: /,
      );
    } finally {
      client.disconnect();
    }
  });

  onBoth('defineCommand: EVALSHA after NOSCRIPT falls back to EVAL, pipelines and MULTI, binary args', async (port) => {
    const client = await ioredis(port);
    const monitor = await ioredis(port);
    try {
      client.defineCommand('echoKeys', { numberOfKeys: 2, lua: 'return {KEYS[1], KEYS[2], ARGV[1], #ARGV}' });
      client.defineCommand('dynamic', { lua: "return redis.call('MGET', unpack(KEYS))" });
      type Custom = {
        echoKeys(a: string, b: string, ...args: string[]): Promise<unknown>;
        echoKeysBuffer(a: string, b: Buffer, ...args: string[]): Promise<unknown>;
        dynamic(count: number, ...keys: string[]): Promise<unknown>;
      };
      const custom = client as unknown as Custom;
      expect(await custom.echoKeys('k1', 'k2', 'a1', 'a2')).toEqual(['k1', 'k2', 'a1', 2]);
      // The script is cached now: a second call is one EVALSHA; after SCRIPT FLUSH ioredis retries with EVAL.
      expect(await custom.echoKeys('x', 'y', 'z')).toEqual(['x', 'y', 'z', 1]);
      await monitor.script('FLUSH');
      expect(await custom.echoKeys('p', 'q', 'r')).toEqual(['p', 'q', 'r', 1]);
      const binary = Buffer.from([0, 255, 128, 10, 13]);
      expect(await custom.echoKeysBuffer('b1', binary, 'v')).toEqual([Buffer.from('b1'), binary, Buffer.from('v'), 1]);
      await client.mset('m1', 'one', 'm2', 'two');
      expect(await custom.dynamic(3, 'm1', 'nope', 'm2')).toEqual(['one', null, 'two']);
      const pipeline = client.pipeline() as unknown as Custom & { exec(): Promise<unknown> };
      pipeline.echoKeys('a', 'b', 'c');
      pipeline.dynamic(1, 'm1');
      expect(await pipeline.exec()).toEqual([[null, ['a', 'b', 'c', 1]], [null, ['one']]]);
      const multi = client.multi() as unknown as Custom & { exec(): Promise<unknown> };
      multi.echoKeys('a', 'b', 'c');
      expect(await multi.exec()).toEqual([[null, ['a', 'b', 'c', 1]]]);
      // Inside MULTI ioredis sends EVALSHA and cannot retry: a flushed script surfaces as NOSCRIPT from EXEC.
      await monitor.script('FLUSH');
      const flushed = client.multi() as unknown as Custom & { exec(): Promise<[Error | null, unknown][]> };
      flushed.echoKeys('a', 'b', 'c');
      const results = await flushed.exec();
      expect(results[0]?.[0]?.message).toBe('NOSCRIPT No matching script. Please use EVAL.');
      client.defineCommand('broken', { numberOfKeys: 0, lua: "return redis.call('INCR', 'm1')" });
      const error = await (client as unknown as { broken(): Promise<unknown> }).broken().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReplyError);
      expect((error as Error).message).toMatch(/^ERR value is not an integer or out of range script: [0-9a-f]{40}, on @user_script:1\.$/);
    } finally {
      client.disconnect();
      monitor.disconnect();
    }
  });
});

const INCR_BY_SCRIPT = defineScript({
  SCRIPT: "return redis.call('INCRBY', KEYS[1], ARGV[1])",
  NUMBER_OF_KEYS: 1,
  parseCommand(parser: CommandParser, key: string, by: number) {
    parser.pushKey(key);
    parser.push(String(by));
  },
  transformReply: (reply: unknown) => reply as number,
});

const PAIRS_SCRIPT = defineScript({
  SCRIPT: "return {{map={[KEYS[1]]=ARGV[1], n=3}}, {set={a=true}}, {double=1.5}, redis.status_reply('FINE')}",
  NUMBER_OF_KEYS: 1,
  IS_READ_ONLY: true,
  parseCommand(parser: CommandParser, key: string, value: string) {
    parser.pushKey(key);
    parser.push(value);
  },
  transformReply: (reply: unknown) => reply,
});

const LIBRARY = `#!lua name=counters
local function bump(keys, args)
  return redis.call('INCRBY', keys[1], args[1])
end
local function peek(keys)
  return redis.call('GET', keys[1])
end
redis.register_function('bump', bump)
redis.register_function{function_name='peek', callback=peek, flags={'no-writes'}}
`;

const FUNCTIONS = {
  counters: {
    bump: {
      NUMBER_OF_KEYS: 1,
      parseCommand(parser: CommandParser, key: string, by: number) {
        parser.pushKey(key);
        parser.push(String(by));
      },
      transformReply: (reply: unknown) => reply as number,
    },
    peek: {
      NUMBER_OF_KEYS: 1,
      IS_READ_ONLY: true,
      parseCommand(parser: CommandParser, key: string) {
        parser.pushKey(key);
      },
      transformReply: (reply: unknown) => reply as string | null,
    },
  },
};

describe('node-redis scripts and functions', () => {
  for (const RESP of [2, 3] as const) {
    onBoth(`RESP${RESP}: defineScript (EVALSHA, NOSCRIPT -> EVAL), FCALL and FCALL_RO of a library`, async (port) => {
      const client = createClient({ socket: { port, host: '127.0.0.1', reconnectStrategy: false }, RESP, scripts: { incrBy: INCR_BY_SCRIPT, pairs: PAIRS_SCRIPT }, functions: FUNCTIONS });
      await client.connect();
      try {
        await client.flushAll();
        await client.scriptFlush();
        await client.functionFlush();
        expect(await client.incrBy('n', 5)).toBe(5);
        expect(await client.incrBy('n', 2)).toBe(7);
        await client.scriptFlush();
        expect(await client.incrBy('n', 1)).toBe(8);
        const pairs = await client.pairs('field', 'value');
        if (RESP === 3) {
          const [map, set, double, status] = pairs as [Record<string, unknown>, unknown[], number, string];
          expect(Object.fromEntries(Object.entries(map).sort())).toEqual({ field: 'value', n: 3 });
          expect(set).toEqual(['a']);
          expect(double).toBe(1.5);
          expect(status).toBe('FINE');
        } else {
          // RESP2 clients get maps as flat arrays, sets as arrays, doubles as bulk strings.
          const [map, set, double, status] = pairs as [unknown[], unknown[], string, string];
          expect(map.length).toBe(4);
          expect(set).toEqual(['a']);
          expect(double).toBe('1.5');
          expect(status).toBe('FINE');
        }
        expect(await client.functionLoad(LIBRARY)).toBe('counters');
        expect(await client.counters.bump('c', 3)).toBe(3);
        expect(await client.counters.bump('c', 4)).toBe(7);
        expect(await client.counters.peek('c')).toBe('7');
        expect(await client.counters.peek('nothing')).toBeNull();
        await expect(client.fCallRo('bump', { keys: ['c'], arguments: ['1'] })).rejects.toThrow(
          'ERR Can not execute a script with write flag using *_ro command.',
        );
        await expect(client.incrBy('c', 1)).resolves.toBe(8);
        await client.set('s', 'text');
        await expect(client.counters.bump('s', 1)).rejects.toThrow(/^ERR value is not an integer or out of range script: bump, on @user_function:3\.$/);
      } finally {
        client.destroy();
      }
    });
  }
});
