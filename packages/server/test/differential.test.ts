/**
 * Differential test: random command sequences (strings, bits, keys, transactions, connection commands, wrong arities
 * and bad arguments) run against Debian's real redis-server 7.0.15 and against ours; every reply must be the same
 * bytes, in RESP2 and in RESP3. Seeded by the global fast-check config (FC_SEED); DIFF_RUNS=5000 runs it longer.
 */
import fc from 'fast-check';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DifferentialSession, normalise } from './differential/compare.js';
import { sequenceArbitrary } from './differential/generators.js';
import { startTestServer } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

const RUNS = Number(process.env['DIFF_RUNS'] ?? 1000);

let redis: RedisProcess;
let server: MiniRedisServer;
let session: DifferentialSession;

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startTestServer();
  session = new DifferentialSession({ redisPort: redis.port, oursPort: server.port });
});

afterAll(async () => {
  await session?.close();
  await redis?.stop();
  await server?.close();
});

describe('differential against redis-server', () => {
  test(`${RUNS} random command sequences reply the same bytes`, async () => {
    await fc.assert(
      fc.asyncProperty(sequenceArbitrary(), (sequence) => session.check(sequence)),
      { numRuns: RUNS },
    );
  }, 600_000);

  test('normalisation: TTL by sign, KEYS sorted', () => {
    expect(normalise(['TTL', 'k0'], Buffer.from(':99999\r\n'))).toBe(':<positive>\r\n');
    expect(normalise(['ttl', 'k0'], Buffer.from(':-2\r\n'))).toBe(':-2\r\n');
    expect(normalise(['KEYS', '*'], Buffer.from('*2\r\n$2\r\nk1\r\n$2\r\nk0\r\n'))).toBe(
      '*2\r\n$2\r\nk0\r\n$2\r\nk1\r\n',
    );
  });
});
