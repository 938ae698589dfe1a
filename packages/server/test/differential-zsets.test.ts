/**
 * Differential test of the sorted-set family: random sequences of zset commands (with sets as ZUNION/ZINTER inputs,
 * keys of other types, bad scores, ranges and options, wrong arities) against redis-server 7.0.15 and ours, reply
 * bytes compared in RESP2 and RESP3 (random replies normalised, see collections-compare.ts). DIFF_RUNS for longer.
 */
import fc from 'fast-check';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { CollectionSession } from './differential/collections-compare.js';
import { collectionSequence, zsetCommands } from './differential/collections-generators.js';
import { startTestServer } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

const RUNS = Number(process.env['DIFF_RUNS'] ?? 300);

let redis: RedisProcess;
let server: MiniRedisServer;
let session: CollectionSession;

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startTestServer();
  session = new CollectionSession(redis.port, server);
});

afterAll(async () => {
  await session?.close();
  await redis?.stop();
  await server?.close();
});

describe('sorted-set commands against redis-server', () => {
  test(`${RUNS} random sorted-set command sequences reply the same bytes`, async () => {
    await fc.assert(
      fc.asyncProperty(collectionSequence(zsetCommands), (sequence) => session.check(sequence)),
      { numRuns: RUNS },
    );
  }, 600_000);
});
