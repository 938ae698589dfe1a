/**
 * Start-up benchmark (issues 18 and 12).
 *
 * In-process, the embedding API: `startServer({ port: 0 })` to listening and `close()`, the first start in a fresh
 * process (import included and not) and later ones; ioredis-mock (an in-process fake: construct + first reply);
 * redis-memory-server driving the system redis-server binary.
 *
 * Spawned, spawn to first PONG (the client polls with PING until a reply comes), medians over BENCH_SPAWNS runs
 * (default 20) taken round-robin after one warm-up round so each kind sees the same load: the mini-redis-server CLI (packages/server's
 * bin), a bare Node TCP server script answering +PONG, as an ES module and as CommonJS (the floor: Node's own start,
 * same node and flags), and
 * redis-server, with each child's main-thread CPU time at its first PONG (Linux /proc schedstat; steadier than the wall
 * time when other jobs load the machine); BENCH_BASELINE=path of another build's dist/cli.js (or bundle) adds it to the rounds, and its
 * dist/index.js to the in-process rows (before/after in the same run). BENCH_NODE_FLAGS (space separated) are passed to every Node child. The CLI rows are reported as
 * the difference from the bare Node server of their entry's kind (CommonJS for a .cjs bin) and as a ratio to it.
 *
 * Run `pnpm build` first, then `pnpm --filter @mini-redis/bench run bench:startup`. BENCH_CYCLES (default 200) sets
 * the in-process repetitions, BENCH_FRESH (default 9) the fresh processes whose medians the first-start and import rows
 * report; BENCH_ONLY=spawn skips the in-process part.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import RedisMock from 'ioredis-mock';
import { RedisMemoryServer } from 'redis-memory-server';
import { freePort, requireProgram } from './server-processes.js';

const cycles = Number(process.env['BENCH_CYCLES'] ?? 200);
const spawns = Number(process.env['BENCH_SPAWNS'] ?? 20);
const nodeFlags = (process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter((flag) => flag !== '');
const baselineCli = process.env['BENCH_BASELINE'];
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
/** The package's bin, as `npx mini-redis-server` runs it. */
const serverPackage = JSON.parse(readFileSync(resolve(root, 'packages/server/package.json'), 'utf8')) as { bin: Record<string, string> };
const cli = resolve(root, 'packages/server', serverPackage.bin['mini-redis-server']!);

/**
 * The floor: a Node TCP server answering +PONG to whatever it reads, started like the CLI (port as --port N), as an ES
 * module and as a CommonJS script: Node starts a CommonJS entry about 4 ms sooner (no ES module loader), so each CLI
 * is compared with the bare server of its own entry's kind (a .cjs file: CommonJS; otherwise an ES module).
 */
// Bound as the CLI binds by default (redis-server's `bind * -::*`): every IPv4 address, and every IPv6 one.
const BARE_SERVER_BODY = `const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
const serve = (socket) => socket.on('data', () => socket.write('+PONG\\r\\n'));
createServer(serve).listen(port, '0.0.0.0');
createServer(serve).on('error', () => {}).listen({ port, host: '::', ipv6Only: true });
process.on('SIGTERM', () => process.exit(0));
`;
const BARE_SERVER_ESM = `import { createServer } from 'node:net';\n${BARE_SERVER_BODY}`;
const BARE_SERVER_CJS = `const { createServer } = require('node:net');\n${BARE_SERVER_BODY}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const ms = (value: number) => Number(value.toFixed(3));

/** Fresh processes for the in-process rows (each field's median is reported). */
const freshRuns = Number(process.env['BENCH_FRESH'] ?? 9);

type InProcess = { importMs: number; firstStartMs: number; laterStartMs: number; closeMs: number };

/** `oursInFreshProcess` in `freshRuns` processes: each field's median. */
function inFreshProcesses(specifier?: string): InProcess {
  const runs = Array.from({ length: freshRuns }, () => oursInFreshProcess(specifier));
  const field = (name: keyof InProcess) => median(runs.map((run) => run[name]));
  return { importMs: field('importMs'), firstStartMs: field('firstStartMs'), laterStartMs: field('laterStartMs'), closeMs: field('closeMs') };
}

/** The floor of a first start: a bare Node TCP server's first listen on 127.0.0.1 port 0 in a fresh process. */
function bareFirstListen(): number {
  const script = `
    const { createServer } = await import('node:net');
    const a = performance.now();
    const server = createServer();
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      console.log(performance.now() - a);
      server.close();
    });
  `;
  const runs = Array.from({ length: freshRuns }, () =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })),
  );
  return median(runs);
}

/** Ours, in a fresh Node process: import, first start, later starts and closes. */
function oursInFreshProcess(specifier = '@mini-redis/server'): { importMs: number; firstStartMs: number; laterStartMs: number; closeMs: number } {
  const script = `
    const t0 = performance.now();
    const { startServer } = await import(${JSON.stringify(specifier)});
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

interface Spawnable {
  what: string;
  command: string;
  args: (port: number) => string[];
  starts: number[];
  stops: number[];
  /** The child's main-thread CPU time at its first PONG (Linux: /proc/<pid>/schedstat), ms. */
  cpu: number[];
}

/**
 * The main thread's CPU time so far (ns in /proc/<pid>/schedstat's first field), in ms; undefined where /proc has no
 * schedstat. Much less sensitive than the wall time to other jobs on the machine: on a loaded machine the wall times
 * of the same build moved by 10-30 ms between runs.
 */
function mainThreadCpuMs(pid: number | undefined): number | undefined {
  const file = `/proc/${String(pid)}/schedstat`;
  if (pid === undefined || !existsSync(file)) return undefined;
  return Number(readFileSync(file, 'utf8').split(' ')[0]) / 1e6;
}

/** Spawn to first PONG, then SIGTERM to exit. */
async function spawnOnce(target: Spawnable): Promise<void> {
  const port = await freePort();
  const a = performance.now();
  const child = spawn(target.command, target.args(port), { stdio: 'ignore' });
  let failed = false;
  child.once('exit', () => (failed = true));
  while (!(await ping(port))) {
    if (failed) throw new Error(`${target.what} exited before answering`);
    // 1 ms between attempts: a busy loop here would take the CPU the child needs (the same for every kind).
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const b = performance.now();
  const cpu = mainThreadCpuMs(child.pid);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  target.starts.push(b - a);
  target.stops.push(performance.now() - b);
  if (cpu !== undefined) target.cpu.push(cpu);
}

/** Spawn-to-first-PONG of the CLI (and a baseline build), a bare Node server and redis-server, round-robin. */
async function spawnRounds(binary: string): Promise<Spawnable[]> {
  const directory = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  const bareEsm = join(directory, 'bare-server.mjs');
  const bareCjs = join(directory, 'bare-server.cjs');
  writeFileSync(bareEsm, BARE_SERVER_ESM);
  writeFileSync(bareCjs, BARE_SERVER_CJS);
  const node = (script: string) => (port: number) => [...nodeFlags, script, '--port', String(port), '--save', ''];
  const targets: Spawnable[] = [
    { what: 'bare Node TCP server (+PONG), ES module', command: process.execPath, args: node(bareEsm), starts: [], stops: [], cpu: [] },
    { what: 'bare Node TCP server (+PONG), CommonJS', command: process.execPath, args: node(bareCjs), starts: [], stops: [], cpu: [] },
    { what: 'mini-redis-server CLI', command: process.execPath, args: node(cli), starts: [], stops: [], cpu: [] },
    ...(baselineCli !== undefined
      ? [{ what: `baseline CLI (${baselineCli})`, command: process.execPath, args: node(baselineCli), starts: [], stops: [], cpu: [] }]
      : []),
    { what: 'redis-server', command: binary, args: (port: number) => ['--port', String(port), '--save', '', '--appendonly', 'no'], starts: [], stops: [], cpu: [] },
  ];
  try {
    for (const target of targets) await spawnOnce(target); // warm-up (file cache), not counted
    for (const target of targets) target.starts.length = target.stops.length = target.cpu.length = 0;
    for (let round = 0; round < spawns; round++) for (const target of targets) await spawnOnce(target);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return targets;
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
  const rounds = await spawnRounds(binary);
  const floors = rounds.slice(0, 2);
  const spawnRows = rounds.map((target) => {
    const start = median(target.starts);
    const cpu = target.cpu.length > 0 ? median(target.cpu) : undefined;
    // The bare server of the same entry kind (redis-server, not a Node script: the ES module floor, as before).
    const entry = target.args(0).find((arg) => /\.(c|m)?js$/.test(arg)) ?? '';
    const floor = entry.endsWith('.cjs') ? rounds[1]! : rounds[0]!;
    const bare = median(floor.starts);
    const bareCpu = floor.cpu.length > 0 ? median(floor.cpu) : undefined;
    const isFloor = floors.includes(target);
    return {
      what: `${target.what}, spawn to first PONG (median of ${spawns})${isFloor ? '' : ` vs ${floor === rounds[1] ? 'CommonJS' : 'ES module'} bare`}`,
      'start ms': ms(start),
      'vs bare Node ms': isFloor ? '' : ms(start - bare),
      'ratio to bare Node': isFloor ? '' : Number((start / bare).toFixed(2)),
      'main-thread CPU ms': cpu === undefined ? '' : ms(cpu),
      'CPU vs bare Node ms': cpu === undefined || bareCpu === undefined || isFloor ? '' : ms(cpu - bareCpu),
      'stop ms': ms(median(target.stops)),
    };
  });
  console.log(`Spawned, node ${process.version}${nodeFlags.length > 0 ? ` ${nodeFlags.join(' ')}` : ''}; CLI ${cli}`);
  console.table(spawnRows);
  console.log(
    '\n| what | start ms | vs bare Node ms | ratio to bare Node | main-thread CPU ms | CPU vs bare Node ms | stop ms |\n' +
      '| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const row of spawnRows) {
    console.log(
      `| ${row.what} | ${row['start ms']} | ${row['vs bare Node ms']} | ${row['ratio to bare Node']} | ` +
        `${row['main-thread CPU ms']} | ${row['CPU vs bare Node ms']} | ${row['stop ms']} |`,
    );
  }
  if (process.env['BENCH_ONLY'] === 'spawn') return;
  const ours = inFreshProcesses();
  const bareListen = bareFirstListen();
  // The baseline build's package entry, next to its CLI (dist/index.js).
  const before = baselineCli !== undefined ? inFreshProcesses(pathToFileURL(resolve(dirname(baselineCli), 'index.js')).href) : undefined;
  const spawned = await redisServerSpawn(binary);
  const memory = await redisMemoryServer(binary);
  const mock = await ioredisMock();
  const rows = [
    { what: `mini-redis startServer, first in a process (import excluded; median of ${freshRuns} processes)`, 'start ms': ms(ours.firstStartMs), 'close ms': '' },
    { what: `bare Node net.Server first listen on 127.0.0.1:0 (median of ${freshRuns} processes)`, 'start ms': ms(bareListen), 'close ms': '' },
    { what: 'mini-redis import of @mini-redis/server', 'start ms': ms(ours.importMs), 'close ms': '' },
    { what: `mini-redis startServer, later starts (median of ${cycles})`, 'start ms': ms(ours.laterStartMs), 'close ms': ms(ours.closeMs) },
    ...(before !== undefined
      ? [
          { what: `baseline startServer, first in a process (import excluded; median of ${freshRuns} processes)`, 'start ms': ms(before.firstStartMs), 'close ms': '' },
          { what: 'baseline import of @mini-redis/server', 'start ms': ms(before.importMs), 'close ms': '' },
          { what: `baseline startServer, later starts (median of ${cycles})`, 'start ms': ms(before.laterStartMs), 'close ms': ms(before.closeMs) },
        ]
      : []),
    { what: 'redis-server spawn to first PONG (median of 10)', 'start ms': ms(spawned.startMs), 'close ms': ms(spawned.stopMs) },
    { what: 'redis-memory-server, system redis-server (median of 5)', 'start ms': ms(memory.startMs), 'close ms': ms(memory.stopMs) },
    { what: `ioredis-mock construct + PING (median of ${cycles}; no server)`, 'start ms': ms(mock.startMs), 'close ms': ms(mock.stopMs) },
  ];
  console.log('\nIn-process');
  console.table(rows);
  console.log('\n| what | start ms | close ms |\n| --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.what} | ${row['start ms']} | ${row['close ms']} |`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
