/**
 * Server benchmark: redis-benchmark against the real redis-server and against ours (the built CLI, a separate
 * process), each server pinned to core 0 and redis-benchmark to core 1, at pipeline depths 1 and 16. Prints
 * requests per second and ours/redis ratios. Run `pnpm build` first, then `pnpm --filter @mini-redis/bench run
 * bench:server`. Environment: BENCH_REQUESTS (default 200000 at P=1, 1000000 at P=16), BENCH_CLIENTS (50), BENCH_TESTS (set,get,incr,mset,sadd,spop,zadd,zpopmin),
 * BENCH_ROUNDS (1: interleaved rounds per test, medians reported), BENCH_PROFILE=1 to run ours under `node --cpu-prof` (profile written to tools/bench/profiles/), BENCH_BASELINE=path of
 * another build's dist/cli.js to measure it too in the same run (before/after comparisons of a change).
 * Besides requests per second, each test reports the server's CPU time per request (user + system from /proc, 10 ms
 * ticks): throughput says what a client sees, but with redis-benchmark sharing a 2-core machine it is partly the
 * client's speed; CPU per request is the server's own cost, steadier under load. `cpu redis/ours` reads like a
 * throughput ratio (1.0 = as efficient as redis-server).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, requireProgram, runRedisBenchmark, startPinned, type ServerProcess } from './server-processes.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = resolve(root, 'packages/server/dist/cli.js');
// Requests per test: 200k at P=1 (~4 s per run), 1M at P=16 (200k pipelined take ~0.3 s, short enough that the
// start of a run weighs on the rate: runs of 200k moved P=16 ratios by 0.3 between rounds). BENCH_REQUESTS sets both.
const requestsFor = (pipeline: number): string => process.env['BENCH_REQUESTS'] ?? (pipeline === 1 ? '200000' : '1000000');
const clients = process.env['BENCH_CLIENTS'] ?? '50';
const tests = process.env['BENCH_TESTS'] ?? 'set,get,incr,mset,sadd,spop,zadd,zpopmin';
const profile = process.env['BENCH_PROFILE'] === '1';
const baselineCli = process.env['BENCH_BASELINE'];
const PIPELINES = [1, 16];
const SERVER_CORE = 0;
const BENCHMARK_CORE = 1;

const rounds = Number(process.env['BENCH_ROUNDS'] ?? 1);

/** CPU seconds (user + system) the process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100)
}

/** One test on one server: requests per second, and the server's CPU microseconds per request. */
async function measure(server: ServerProcess, pipeline: number, test: string): Promise<{ rate: number; cpu: number }> {
  const requests = requestsFor(pipeline);
  const args = ['-p', String(server.port), '-q', '-c', clients, '-n', requests, '-t', test, '-P', String(pipeline)];
  const before = cpuSeconds(server.child.pid!);
  const results = await runRedisBenchmark(BENCHMARK_CORE, args);
  const cpu = ((cpuSeconds(server.child.pid!) - before) * 1e6) / Number(requests);
  const rate = [...results.values()][0] ?? 0;
  return { rate, cpu };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const hint = 'install redis-server, redis-tools and util-linux (apt-get install redis-server redis-tools util-linux)';
  requireProgram('taskset', hint);
  const redisServer = requireProgram('redis-server', hint);
  requireProgram('redis-benchmark', hint);
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`pnpm build\` first`);

  const redisPort = await freePort();
  const oursPort = await freePort();
  const profileDir = resolve(root, 'tools/bench/profiles');
  if (profile) mkdirSync(profileDir, { recursive: true });
  // BENCH_NODE_FLAGS: extra node flags for ours (not the baseline), e.g. to measure a V8 flag's cost against BENCH_BASELINE.
  const nodeFlags = (process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter((flag) => flag !== '');
  const node = profile
    ? [process.execPath, ...nodeFlags, '--cpu-prof', `--cpu-prof-dir=${profileDir}`]
    : [process.execPath, ...nodeFlags];
  const servers = [
    await startPinned('redis-server', SERVER_CORE, redisPort, [
      redisServer,
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ]),
    await startPinned('mini-redis', SERVER_CORE, oursPort, [...node, cli, '--port', String(oursPort)]),
  ];
  const [redis, ours] = servers as [ServerProcess, ServerProcess];
  const baselinePort = await freePort();
  const baseline = baselineCli
    ? await startPinned('baseline', SERVER_CORE, baselinePort, [process.execPath, baselineCli, '--port', String(baselinePort)])
    : undefined;
  if (baseline) servers.push(baseline);
  try {
    console.log(
      `redis-benchmark -q -c ${clients} -n ${requestsFor(1)} (P=1) / ${requestsFor(16)} (P=16) -t ${tests}; servers on core ${SERVER_CORE}, benchmark on core ${BENCHMARK_CORE}\n`,
    );
    // Warm-up (JIT, allocation sites) before anything is measured.
    for (const server of servers) {
      await runRedisBenchmark(BENCHMARK_CORE, ['-p', String(server.port), '-q', '-c', clients, '-n', '50000', '-t', tests, '-P', '16']);
    }
    const rows: Array<Record<string, string | number>> = [];
    const names = tests.split(',');
    for (const pipeline of PIPELINES) {
      for (const test of names) {
        const samples: Record<string, Array<{ rate: number; cpu: number }>> = { redis: [], ours: [], baseline: [] };
        // Interleaved rounds: a change of machine load hits every server alike.
        for (let round = 0; round < rounds; round++) {
          samples['redis']!.push(await measure(redis, pipeline, test));
          samples['ours']!.push(await measure(ours, pipeline, test));
          if (baseline) samples['baseline']!.push(await measure(baseline, pipeline, test));
        }
        const rate = (name: string) => median(samples[name]!.map((sample) => sample.rate));
        const cpu = (name: string) => median(samples[name]!.map((sample) => sample.cpu));
        const row: Record<string, string | number> = {
          test,
          P: pipeline,
          'redis req/s': Math.round(rate('redis')),
          'ours req/s': Math.round(rate('ours')),
          'ours/redis': Number((rate('ours') / rate('redis')).toFixed(2)),
          'redis cpu us/req': Number(cpu('redis').toFixed(3)),
          'ours cpu us/req': Number(cpu('ours').toFixed(3)),
          'cpu redis/ours': Number((cpu('redis') / cpu('ours')).toFixed(2)),
        };
        if (baseline) {
          row['baseline/redis'] = Number((rate('baseline') / rate('redis')).toFixed(2));
          row['cpu redis/baseline'] = Number((cpu('redis') / cpu('baseline')).toFixed(2));
        }
        rows.push(row);
      }
    }
    console.table(rows);
    const columns = Object.keys(rows[0] ?? {});
    console.log(`\n| ${columns.join(' | ')} |\n|${columns.map(() => ' --- |').join('')}`);
    for (const row of rows) console.log(`| ${columns.map((column) => row[column]).join(' | ')} |`);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
  if (profile) console.log(`\nCPU profile of ours written to ${profileDir}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
