/**
 * Start-up benchmark of the embedding API (issue 18): `startServer({ port: 0 })` to listening and `close()`, the
 * first start in a fresh process (import included and not) and later ones, against spawning redis-server (spawn
 * to first PONG, SIGTERM to exit), redis-memory-server driving the same system redis-server binary, and
 * ioredis-mock (an in-process fake: construct + first reply). Run `pnpm build` first, then
 * `pnpm --filter @mini-redis/bench run bench:startup`. BENCH_CYCLES (default 200) sets the in-process repetitions.
 */
import { execFileSync, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import RedisMock from 'ioredis-mock';
import { RedisMemoryServer } from 'redis-memory-server';
import { freePort, requireProgram } from './server-processes.js';

const cycles = Number(process.env['BENCH_CYCLES'] ?? 200);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const ms = (value: number) => Number(value.toFixed(3));

/** Ours, in a fresh Node process: import, first start, later starts and closes. */
function oursInFreshProcess(): { importMs: number; firstStartMs: number; laterStartMs: number; closeMs: number } {
  const script = `
    const t0 = performance.now();
    const { startServer } = await import('@mini-redis/server');
    const t1 = performance.now();
    const first = await startServer({ port: 0 });
    const t2 = performance.now();
    await first.close();
    const starts = [], closes = [];
    for (let i = 0; i < ${cycles}; i++) {
      const a = performance.now();
      const server = await startServer({ port: 0 });
      const b = performance.now();
      await server.close();
      const c = performance.now();
      starts.push(b - a); closes.push(c - b);
    }
    const median = (v) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
    console.log(JSON.stringify({ importMs: t1 - t0, firstStartMs: t2 - t1, laterStartMs: median(starts), closeMs: median(closes) }));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(output) as { importMs: number; firstStartMs: number; laterStartMs: number; closeMs: number };
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function redisServerSpawn(binary: string): Promise<{ startMs: number; stopMs: number }> {
  const starts: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < 10; i++) {
    const port = await freePort();
    const a = performance.now();
    const child = spawn(binary, ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    while (!(await ping(port))) await new Promise((resolve) => setImmediate(resolve));
    const b = performance.now();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    starts.push(b - a);
    stops.push(performance.now() - b);
  }
  return { startMs: median(starts), stopMs: median(stops) };
}

async function redisMemoryServer(binary: string): Promise<{ startMs: number; stopMs: number }> {
  const starts: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < 5; i++) {
    const a = performance.now();
    const server = await RedisMemoryServer.create({ binary: { systemBinary: binary } });
    await server.getPort();
    const b = performance.now();
    await server.stop();
    starts.push(b - a);
    stops.push(performance.now() - b);
  }
  return { startMs: median(starts), stopMs: median(stops) };
}

async function ioredisMock(): Promise<{ startMs: number; stopMs: number }> {
  const starts: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < cycles; i++) {
    const a = performance.now();
    const mock = new RedisMock();
    await mock.ping();
    const b = performance.now();
    mock.disconnect();
    starts.push(b - a);
    stops.push(performance.now() - b);
  }
  return { startMs: median(starts), stopMs: median(stops) };
}

async function main(): Promise<void> {
  const binary = requireProgram('redis-server', 'apt-get install redis-server');
  const ours = oursInFreshProcess();
  const spawned = await redisServerSpawn(binary);
  const memory = await redisMemoryServer(binary);
  const mock = await ioredisMock();
  const rows = [
    { what: 'mini-redis startServer, first in a process (import excluded)', 'start ms': ms(ours.firstStartMs), 'close ms': '' },
    { what: 'mini-redis import of @mini-redis/server', 'start ms': ms(ours.importMs), 'close ms': '' },
    { what: `mini-redis startServer, later starts (median of ${cycles})`, 'start ms': ms(ours.laterStartMs), 'close ms': ms(ours.closeMs) },
    { what: 'redis-server spawn to first PONG (median of 10)', 'start ms': ms(spawned.startMs), 'close ms': ms(spawned.stopMs) },
    { what: 'redis-memory-server, system redis-server (median of 5)', 'start ms': ms(memory.startMs), 'close ms': ms(memory.stopMs) },
    { what: `ioredis-mock construct + PING (median of ${cycles}; no server)`, 'start ms': ms(mock.startMs), 'close ms': ms(mock.stopMs) },
  ];
  console.table(rows);
  console.log('\n| what | start ms | close ms |\n| --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.what} | ${row['start ms']} | ${row['close ms']} |`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
