/**
 * Client benchmark: @mini-redis/client (per-command timeouts on) against ioredis (default, and with
 * enableAutoPipelining) and node-redis v5 (`redis`), on the same redis-server pinned to core 0 (this process runs on
 * core 1: `taskset -c 1`, set by the script). Workloads: sequential SET then GET, 1000 GETs in flight, explicit
 * pipelines of 100 SETs, sequential SET/GET of 100 KB values. Prints ops/s and ratios (ours / theirs).
 *
 * BENCH_TIME: ms per measurement (default 1000); BENCH_ROUNDS: rounds, alternating clients (default 3, median kept).
 */
import { Redis } from 'ioredis';
import { createClient as createNodeRedis } from 'redis';
import { createClient } from '@mini-redis/client';
import { freePort, requireProgram, startPinned } from './server-processes.js';

const TIME = Number(process.env['BENCH_TIME'] ?? 1000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const BIG = 'x'.repeat(100 * 1024);

interface Driver {
  name: string;
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
  pipelineSets(keys: string[], value: string): Promise<unknown>;
  close(): Promise<unknown>;
}

async function drivers(port: number): Promise<Driver[]> {
  const ours = createClient({ port, commandTimeout: 10_000 });
  await ours.ready();
  const oursNoTimeouts = createClient({ port });
  await oursNoTimeouts.ready();
  const ioDefault = new Redis({ port, lazyConnect: true });
  await ioDefault.connect();
  const ioAuto = new Redis({ port, lazyConnect: true, enableAutoPipelining: true });
  await ioAuto.connect();
  const nodeRedis = createNodeRedis({ socket: { port } });
  await nodeRedis.connect();
  return [
    {
      name: 'mini-redis client',
      set: (key, value) => ours.set(key, value),
      get: (key) => ours.get(key),
      pipelineSets: (keys, value) => {
        const batch = ours.pipeline();
        for (const key of keys) batch.set(key, value);
        return batch.exec();
      },
      close: () => ours.quit(),
    },
    {
      name: 'ours, timeouts off',
      set: (key, value) => oursNoTimeouts.set(key, value),
      get: (key) => oursNoTimeouts.get(key),
      pipelineSets: (keys, value) => {
        const batch = oursNoTimeouts.pipeline();
        for (const key of keys) batch.set(key, value);
        return batch.exec();
      },
      close: () => oursNoTimeouts.quit(),
    },
    {
      name: 'ioredis',
      set: (key, value) => ioDefault.set(key, value),
      get: (key) => ioDefault.get(key),
      pipelineSets: (keys, value) => {
        const batch = ioDefault.pipeline();
        for (const key of keys) batch.set(key, value);
        return batch.exec();
      },
      close: () => ioDefault.quit(),
    },
    {
      name: 'ioredis autopipelining',
      set: (key, value) => ioAuto.set(key, value),
      get: (key) => ioAuto.get(key),
      pipelineSets: (keys, value) => {
        const batch = ioAuto.pipeline();
        for (const key of keys) batch.set(key, value);
        return batch.exec();
      },
      close: () => ioAuto.quit(),
    },
    {
      name: 'node-redis 5',
      set: (key, value) => nodeRedis.set(key, value),
      get: (key) => nodeRedis.get(key),
      pipelineSets: (keys, value) => {
        const batch = nodeRedis.multi();
        for (const key of keys) batch.set(key, value);
        return batch.execAsPipeline();
      },
      close: () => nodeRedis.quit(),
    },
  ];
}

interface Workload {
  name: string;
  /** Operations (commands) per call of `run`. */
  ops: number;
  run(driver: Driver): Promise<unknown>;
}

const keys1000 = Array.from({ length: 1000 }, (_, index) => `key:${index % 100}`);
const keys100 = Array.from({ length: 100 }, (_, index) => `pkey:${index}`);

const workloads: Workload[] = [
  {
    name: 'sequential SET then GET',
    ops: 2,
    run: async (driver) => {
      await driver.set('seq', 'value');
      await driver.get('seq');
    },
  },
  {
    name: '1000 GETs in flight',
    ops: 1000,
    run: (driver) => Promise.all(keys1000.map((key) => driver.get(key))),
  },
  {
    name: 'pipelines of 100 SETs',
    ops: 100,
    run: (driver) => driver.pipelineSets(keys100, 'value'),
  },
  {
    name: '100 KB SET then GET',
    ops: 2,
    run: async (driver) => {
      await driver.set('big', BIG);
      await driver.get('big');
    },
  },
];

async function measure(workload: Workload, driver: Driver): Promise<number> {
  // warm-up, then run for TIME ms
  const warmEnd = performance.now() + Math.min(300, TIME / 3);
  while (performance.now() < warmEnd) await workload.run(driver);
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < TIME) {
    await workload.run(driver);
    calls++;
    now = performance.now();
  }
  return (calls * workload.ops * 1000) / (now - start);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const redisServer = requireProgram('redis-server', 'install it with `apt-get install redis-server`');
  requireProgram('taskset', 'install util-linux');
  const port = await freePort();
  const server = await startPinned('redis-server', 0, port, [
    redisServer,
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  try {
    const all = await drivers(port);
    const results = new Map<string, Map<string, number[]>>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const workload of workloads) {
        const order = round % 2 === 0 ? all : [...all].reverse();
        for (const driver of order) {
          const opsPerSecond = await measure(workload, driver);
          const byDriver = results.get(workload.name) ?? new Map<string, number[]>();
          results.set(workload.name, byDriver);
          byDriver.set(driver.name, [...(byDriver.get(driver.name) ?? []), opsPerSecond]);
        }
      }
    }
    const rows = [];
    for (const workload of workloads) {
      const byDriver = results.get(workload.name)!;
      const ours = median(byDriver.get('mini-redis client')!);
      const row: Record<string, string> = { workload: workload.name, ours: ours.toFixed(0) };
      for (const driver of all.slice(1)) {
        const theirs = median(byDriver.get(driver.name)!);
        row[driver.name] = `${theirs.toFixed(0)} (${(ours / theirs).toFixed(2)}x)`;
      }
      rows.push(row);
    }
    console.log(`ops/s, median of ${ROUNDS} rounds of ${TIME} ms; (ratio) = ours / theirs; Node ${process.version}`);
    console.table(rows);
    await Promise.all(all.map((driver) => driver.close()));
  } finally {
    await server.stop();
  }
}

await main();
