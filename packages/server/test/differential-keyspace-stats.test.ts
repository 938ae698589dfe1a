/**
 * INFO keyspace_hits / keyspace_misses against redis-server 7.0.15: after the same random command sequence (strings,
 * bits, keys, lists, hashes, sets, sorted sets; MULTI/EXEC and errors included) both servers report the same counts.
 * Replies are compared by the family differential tests; this one compares the counters.
 */
import fc from 'fast-check';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectionSequence, setCommands, zsetCommands } from './differential/collections-generators.js';
import { sequenceArbitrary, type GeneratedCommand } from './differential/generators.js';
import { hashCommands, listCommands } from './differential/lists-hashes-generators.js';
import { RawClient, startTestServer } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

const RUNS = Number(process.env['DIFF_RUNS'] ?? 150);

let redis: RedisProcess;
let server: MiniRedisServer;
let real: RawClient;
let mine: RawClient;

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startTestServer();
  real = await RawClient.connect(redis.port);
  mine = await RawClient.connect(server.port);
});

afterAll(async () => {
  await real?.close();
  await mine?.close();
  await server?.close();
  await redis?.stop();
});

const FIELDS = ['keyspace_hits', 'keyspace_misses'];

function fields(info: Buffer): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of info.toString('latin1').split('\r\n')) {
    const [name, value] = line.split(':');
    if (name !== undefined && FIELDS.includes(name)) result[name] = value!;
  }
  return result;
}

async function counters(client: RawClient, commands: GeneratedCommand[]): Promise<Record<string, string>> {
  const replies = await client.pipelineRaw([
    ['MULTI'], ['DISCARD'], ['SELECT', '0'], ['FLUSHALL'], ['CONFIG', 'RESETSTAT'], ...commands, ['DISCARD'],
    ['INFO', 'stats'],
  ]);
  return fields(replies.at(-1)!);
}

async function check(commands: GeneratedCommand[]): Promise<void> {
  const [expected, actual] = await Promise.all([counters(real, commands), counters(mine, commands)]);
  expect(expected.keyspace_hits).toBeDefined();
  expect(actual, commands.map((command) => command.join(' ')).join('\n')).toEqual(expected);
}

describe('INFO keyspace_hits and keyspace_misses against redis-server', () => {
  test(`${RUNS} random string/bit/key sequences count the same hits and misses`, async () => {
    await fc.assert(fc.asyncProperty(sequenceArbitrary(), (sequence) => check(sequence.commands)), { numRuns: RUNS });
  }, 600_000);

  test(`${RUNS} random list/hash/set/zset sequences count the same hits and misses`, async () => {
    const pool = [...listCommands, ...hashCommands, ...setCommands, ...zsetCommands];
    await fc.assert(fc.asyncProperty(collectionSequence(pool, 30), (sequence) => check(sequence.commands)), {
      numRuns: RUNS,
    });
  }, 600_000);

  test('reads count, writes do not, a wrong type is a hit', async () => {
    await check([
      ['SET', 'a', '1'], ['GET', 'a'], ['GET', 'nope'], ['MGET', 'a', 'nope', 'a'], ['INCR', 'a'], ['LPUSH', 'l', 'x'],
      ['GET', 'l'], ['LRANGE', 'a', '0', '-1'], ['EXISTS', 'a', 'l', 'z', 'a'], ['TYPE', 'z'], ['TTL', 'a'],
      ['SET', 'a', '2', 'GET'], ['SET', 'l', '2', 'GET'], ['GETDEL', 'a'], ['GETEX', 'a'], ['SUNIONSTORE', 'd', 'x', 'y'],
      ['SORT', 'l', 'ALPHA'], ['COPY', 'l', 'l2'], ['OBJECT', 'ENCODING', 'l'], ['MEMORY', 'USAGE', 'l'],
      ['PFCOUNT', 'h'], ['PFCOUNT', 'h', 'h2'], ['PFMERGE', 'h3', 'h4'], ['ZUNIONSTORE', 'z', '2', 'z1', 'z2'],
      ['GETRANGE', 'a', 'x', 'y'], ['BITOP', 'AND', 'd2', 'a', 'b'], ['GETSET', 'g', 'v'], ['TOUCH', 'g', 'nope'],
    ]);
  });
});
