/**
 * Client benchmark: @mini-redis/client (per-command timeouts on) against ioredis (default, and with
 * enableAutoPipelining) and node-redis v5 (`redis`), on the same redis-server pinned to core 0 (this process runs on
 * core 1: `taskset -c 1`, set by the script). Workloads: sequential SET then GET, 1000 GETs in flight, explicit
 * pipelines of 100 SETs, sequential SET/GET of 100 KB values. Prints ops/s and ratios (ours / theirs).
 *
 * BENCH_SLICE: ms per slice (default 100); BENCH_SLICES: slices per client and workload (default 30). Clients take
 * turns slice by slice, so load from other processes on a shared machine hits them alike.
 */
import { Redis } from 'ioredis';
import { createClient as createNodeRedis } from 'redis';
import { createClient } from '@mini-redis/client';
import { freePort, requireProgram, startPinned } from './server-processes.js';

const SLICE_MS = Number(process.env['BENCH_SLICE'] ?? 100);
const SLICES = Number(process.env['BENCH_SLICES'] ?? 30);
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

/** Runs `workload` on `driver` for about `ms` ms; returns [operations, elapsed ms]. */
async function slice(workload: Workload, driver: Driver, ms: number): Promise<[number, number]> {
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    await workload.run(driver);
    calls++;
    now = performance.now();
  }
  return [calls * workload.ops, now - start];
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
    const rows = [];
    for (const workload of workloads) {
      for (const driver of all) await slice(workload, driver, 200); // warm-up
      // short slices, client order rotating every slice: a burst of load on this shared machine hits every client
      // alike; the ratio is the median of the per-slice ratios (neighbouring slices), ops/s the total
      const totals = all.map(() => [0, 0]);
      const perSlice: number[][] = all.map(() => []);
      for (let index = 0; index < SLICES; index++) {
        for (let step = 0; step < all.length; step++) {
          const position = (index + step) % all.length;
          const [ops, elapsed] = await slice(workload, all[position]!, SLICE_MS);
          totals[position]![0]! += ops;
          totals[position]![1]! += elapsed;
          perSlice[position]!.push((ops * 1000) / elapsed);
        }
      }
      const rate = (position: number) => (totals[position]![0]! * 1000) / totals[position]![1]!;
      const row: Record<string, string> = { workload: workload.name, ours: rate(0).toFixed(0) };
      for (let position = 1; position < all.length; position++) {
        const ratio = median(perSlice[0]!.map((ours, index) => ours / perSlice[position]![index]!));
        row[all[position]!.name] = `${rate(position).toFixed(0)} (${ratio.toFixed(2)}x)`;
      }
      rows.push(row);
    }
    console.log(
      `ops/s over ${SLICES} slices of ${SLICE_MS} ms per client; (ratio) = median per-slice ours / theirs; Node ${process.version}`,
    );
    console.table(rows);
    await Promise.all(all.map((driver) => driver.close()));
  } finally {
    await server.stop();
  }
}

await main();
