// Property: random command batches give the same results through automatic pipelining (all in one tick), an
// explicit pipeline, and one-by-one awaits. Seeded by FC_SEED (vitest.setup.ts).
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createClient, ReplyError, type RedisClient } from '@mini-redis/client';
import { targetsFor, type RunningServer } from './targets.js';

const key = fc.constantFrom('a', 'b', 'c', 'n');
const value = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -5, max: 5 }).map(String));
const command = fc.oneof(
  fc.tuple(fc.constant('SET'), key, value),
  fc.tuple(fc.constant('GET'), key),
  fc.tuple(fc.constant('INCR'), key),
  fc.tuple(fc.constant('APPEND'), key, value),
  fc.tuple(fc.constant('DEL'), key),
  fc.tuple(fc.constant('STRLEN'), key),
  fc.tuple(fc.constant('EXISTS'), key, key),
  fc.tuple(fc.constant('MGET'), key, key),
  fc.tuple(fc.constant('SETNX'), key, value),
);

const normalize = (result: unknown) => (result instanceof ReplyError ? `error:${result.message}` : result);

describe.each(targetsFor('strings'))('same results three ways against $name', (target) => {
  let server: RunningServer;
  let client: RedisClient;
  beforeAll(async () => {
    server = await target.start();
    client = createClient({ port: server.port, commandTimeout: 5000 });
  });
  afterAll(async () => {
    await client.quit();
    await server.stop();
  });

  test.prop([fc.array(command, { minLength: 1, maxLength: 40 })])('auto-pipelined, pipeline(), awaited', async (commands) => {
    // arrange
    const run = async (mode: 'auto' | 'pipeline' | 'await') => {
      await client.del('a', 'b', 'c', 'n');
      if (mode === 'auto') {
        const settled = await Promise.allSettled(commands.map((args) => client.sendCommand(args)));
        return settled.map((outcome) => normalize(outcome.status === 'fulfilled' ? outcome.value : outcome.reason));
      }
      if (mode === 'pipeline') {
        const pipeline = client.pipeline();
        for (const args of commands) pipeline.addCommand(args);
        return (await pipeline.exec()).map(normalize);
      }
      const results: unknown[] = [];
      for (const args of commands) results.push(normalize(await client.sendCommand(args).catch((error: unknown) => error)));
      return results;
    };
    // act
    const auto = await run('auto');
    const pipelined = await run('pipeline');
    const awaited = await run('await');
    // assert
    expect(pipelined).toEqual(awaited);
    expect(auto).toEqual(awaited);
  });
});
