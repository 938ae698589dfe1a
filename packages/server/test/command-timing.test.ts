/**
 * Command timing with few clock readings (src/command-timer.ts), over a real socket: fast commands of a pipeline
 * share their batch's time, slow ones are timed on their own, so commandstats and the slow log still name the
 * command that took the time.
 */
import { SimpleString } from '@mini-redis/protocol';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { MiniRedisServer } from '@mini-redis/server';
import { RawClient, startTestServer } from './helpers.js';

let server: MiniRedisServer;
let client: RawClient;

beforeAll(async () => {
  server = await startTestServer();
  client = await RawClient.connect(server.port);
});

afterAll(async () => {
  client?.raw.destroy();
  await server?.close();
});

/** calls and usec of one command from INFO commandstats. */
async function stat(name: string): Promise<{ calls: number; usec: number }> {
  const text = String(await client.call('INFO', 'commandstats'));
  const match = new RegExp(`cmdstat_${name}:calls=(\\d+),usec=(\\d+)`).exec(text);
  return match === null ? { calls: 0, usec: 0 } : { calls: Number(match[1]), usec: Number(match[2]) };
}

/** A script that keeps the server busy for about `ms` milliseconds. */
const busy = (ms: number) => ['EVAL', `local t = redis.call('TIME'); local s = t[1] * 1000000 + t[2]; ` +
  `repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - s >= ${ms * 1000}; return 1`, '0'];

test('a slow command in a pipeline of fast ones keeps its own time; the fast ones share little', async () => {
  await client.call('CONFIG', 'RESETSTAT');
  await client.call('SLOWLOG', 'RESET');
  await client.call('CONFIG', 'SET', 'slowlog-log-slower-than', '15000');
  const gets = Array.from({ length: 20 }, () => ['GET', 'k']);
  const replies = await client.pipeline([...gets, busy(30), ...gets, ['SET', 'k', 'v'], ['INCR', 'n']]);
  expect(replies.length).toBe(43);
  // Read the slow log first: the INFO calls below are commands too, and a loaded machine can make one slow.
  const log = (await client.call('SLOWLOG', 'GET', '-1')) as unknown[][];
  const get = await stat('get');
  const evalStat = await stat('eval');
  expect(get.calls).toBe(40);
  expect(evalStat.calls).toBe(1);
  expect(evalStat.usec).toBeGreaterThanOrEqual(30000);
  // The 40 GETs took microseconds, not a share of the script's 30 ms.
  expect(get.usec).toBeLessThan(15000);
  expect((await stat('set')).calls).toBe(1);
  expect((await stat('incr')).calls).toBe(1);
  // The script's own TIME calls are logged too when one of them is slow (a loaded machine): only they may join EVAL.
  expect(log.map((entry) => (entry[3] as string[])[0]).filter((name) => name !== 'TIME')).toEqual(['EVAL']);
});

test('a batch of one command is timed exactly, and reaches the slow log under its own name', async () => {
  await client.call('SLOWLOG', 'RESET');
  await client.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
  await client.call('SET', 'k', 'v');
  const log = (await client.call('SLOWLOG', 'GET', '-1')) as unknown[][];
  // Newest first; the CONFIG SET that enabled logging is logged too (the threshold is read after the run, as Redis).
  expect(log.map((entry) => (entry[3] as string[]).join(' '))).toEqual(['SET k v', 'CONFIG SET slowlog-log-slower-than 0']);
  await client.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
});

test('commands inside EXEC and scripts are counted and timed one by one', async () => {
  await client.call('CONFIG', 'RESETSTAT');
  const replies = await client.pipeline([['MULTI'], ['GET', 'k'], ['INCR', 'n'], busy(5), ['EXEC']]);
  expect(replies.at(-1)).toHaveLength(3);
  expect((await stat('get')).calls).toBe(1);
  expect((await stat('exec')).calls).toBe(1);
  expect((await stat('exec')).usec).toBeGreaterThanOrEqual(5000);
  // The script's TIME calls are counted like Redis counts them: every call.
  expect((await stat('time')).calls).toBeGreaterThan(1);
});

test('DEBUG SLEEP is timed to its end and reaches the slow log, as in Redis (the Redis test suite relies on it)', async () => {
  await client.call('CONFIG', 'RESETSTAT');
  await client.call('SLOWLOG', 'RESET');
  await client.call('CONFIG', 'SET', 'slowlog-log-slower-than', '100000');
  await client.call('PING');
  expect(await client.call('SLOWLOG', 'LEN')).toBe(0);
  await client.call('DEBUG', 'SLEEP', '0.2');
  expect(await client.call('SLOWLOG', 'LEN')).toBe(1);
  const log = (await client.call('SLOWLOG', 'GET')) as unknown[][];
  expect(log[0]![3]).toEqual(['DEBUG', 'SLEEP', '0.2']);
  expect(log[0]![2]).toBeGreaterThanOrEqual(200000);
  expect((await stat('debug')).usec).toBeGreaterThanOrEqual(200000);
  await client.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
});

test('a blocking command is timed for its run, not for its wait', async () => {
  await client.call('CONFIG', 'RESETSTAT');
  await client.call('BLPOP', 'nothing-here', '0.2'); // a null array after 0.2 s
  const blpop = await stat('blpop');
  expect(blpop.calls).toBe(1);
  expect(blpop.usec).toBeLessThan(100000);
});

test('DEBUG SLEEP inside MULTI/EXEC sleeps in place (as Redis): EXEC replies OK for it and the slow log shows it, not EXEC', async () => {
  await client.call('SLOWLOG', 'RESET');
  await client.call('CONFIG', 'SET', 'slowlog-log-slower-than', '40000');
  const started = performance.now();
  const replies = await client.pipeline([['MULTI'], ['DEBUG', 'SLEEP', '0.05'], ['EXEC']]);
  expect(performance.now() - started).toBeGreaterThanOrEqual(50);
  expect(replies).toEqual([new SimpleString('OK'), new SimpleString('QUEUED'), [new SimpleString('OK')]]);
  const log = (await client.call('SLOWLOG', 'GET', '-1')) as unknown[][];
  expect(log.map((entry) => (entry[3] as string[]).join(' '))).toEqual(['DEBUG SLEEP 0.05']);
  await client.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
});

test('commands a script calls are slow-logged too, before the script (as redis-server 7.0.15 logs them)', async () => {
  await client.call('SLOWLOG', 'RESET');
  await client.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
  await client.call('EVAL', "redis.call('SET', 'inner', '1') return redis.call('GET', 'inner')", '0');
  const log = (await client.call('SLOWLOG', 'GET', '-1')) as unknown[][];
  await client.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
  expect(log.map((entry) => (entry[3] as string[])[0]).reverse()).toEqual(['CONFIG', 'SET', 'GET', 'EVAL']);
});
