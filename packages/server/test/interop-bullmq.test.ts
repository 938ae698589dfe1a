/**
 * BullMQ 5 (a devDependency) end to end: a Queue and a Worker with real jobs (plain, delayed, prioritised, one that
 * fails), their return values read back, QueueEvents (XREAD BLOCK on BullMQ's event stream), job counts. BullMQ runs
 * everything through its Lua scripts (cmsgpack, lists, sorted sets, hashes, streams), so this is the scripting
 * engine under a real workload. The same run goes against redis-server, and both must agree.
 */
import { createRequire } from 'node:module';
import type * as BullMQ from 'bullmq';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

// BullMQ's ESM build uses directory imports Node's loader refuses; its CommonJS build is the one Node runs.
const { Queue, Worker, QueueEvents } = createRequire(import.meta.url)('bullmq') as typeof BullMQ;

let redis: RedisProcess;
let server: MiniRedisServer;

beforeAll(async () => {
  [redis, server] = await Promise.all([startRedisServer(), startTestServer()]);
});

afterAll(async () => {
  await redis?.stop();
  await server?.close();
});

interface Outcome {
  completed: [string, unknown][];
  failed: [string, string][];
  events: string[];
  counts: Record<string, number>;
  returnValues: unknown[];
  order: string[];
}

async function roundTrip(port: number): Promise<Outcome> {
  const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
  const name = 'jobs';
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  const errors: Error[] = [];
  queue.on('error', (error) => errors.push(error));
  events.on('error', (error) => errors.push(error));
  await events.waitUntilReady();
  const completed: [string, unknown][] = [];
  const failed: [string, string][] = [];
  const seen: string[] = [];
  const order: string[] = [];
  events.on('completed', ({ jobId }) => seen.push(`completed:${jobId}`));
  events.on('failed', ({ jobId, failedReason }) => seen.push(`failed:${jobId}:${failedReason}`));
  const worker = new Worker(
    name,
    async (job) => {
      order.push(job.name);
      if (job.data.fail) throw new Error(`job ${job.name} failed`);
      return { doubled: job.data.x * 2, name: job.name };
    },
    { connection, autorun: false },
  );
  worker.on('error', (error) => errors.push(error));
  const done = new Promise<void>((resolve) => {
    const check = () => {
      if (completed.length + failed.length === 5) resolve();
    };
    worker.on('completed', (job, result) => {
      completed.push([job.name, result]);
      check();
    });
    worker.on('failed', (job, error) => {
      failed.push([job?.name ?? '?', error.message]);
      check();
    });
  });
  try {
    const added = [
      await queue.add('a', { x: 1 }, { jobId: 'job-a' }),
      await queue.add('b', { x: 2 }, { jobId: 'job-b' }),
      await queue.add('delayed', { x: 3 }, { jobId: 'job-delayed', delay: 400 }),
      await queue.add('urgent', { x: 4 }, { jobId: 'job-urgent', priority: 1 }),
      await queue.add('bad', { fail: true }, { jobId: 'job-bad', attempts: 1 }),
    ];
    expect(await queue.getJobCounts('wait', 'delayed', 'prioritized')).toEqual({ wait: 3, delayed: 1, prioritized: 1 });
    void worker.run();
    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out; errors: ${errors.map((e) => e.message).join('; ')}`)), 10_000))]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const returnValues = await Promise.all(added.map(async (job) => (await queue.getJob(job.id!))?.returnvalue ?? null));
    return {
      completed: completed.sort(),
      failed,
      events: seen.sort(),
      counts: await queue.getJobCounts('completed', 'failed', 'wait', 'delayed', 'active'),
      returnValues,
      order,
    };
  } finally {
    await worker.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
    expect(errors.map((error) => error.message)).toEqual([]);
  }
}

test('BullMQ Queue + Worker round trip: same jobs, results, events and counts as on redis-server', async () => {
  const expected = await roundTrip(redis.port);
  expect(expected.completed).toEqual([
    ['a', { doubled: 2, name: 'a' }],
    ['b', { doubled: 4, name: 'b' }],
    ['delayed', { doubled: 6, name: 'delayed' }],
    ['urgent', { doubled: 8, name: 'urgent' }],
  ]);
  const actual = await roundTrip(server.port);
  expect(actual).toEqual(expected);
}, 60_000);
