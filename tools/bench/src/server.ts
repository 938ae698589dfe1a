/**
 * Server benchmark: redis-benchmark against the real redis-server and against ours (the built CLI, a separate
 * process), each server pinned to core 0 and redis-benchmark to core 1, at pipeline depths 1 and 16. Prints
 * requests per second and ours/redis ratios. Run `pnpm build` first, then `pnpm --filter @mini-redis/bench run
 * bench:server`. Environment: BENCH_REQUESTS (default 200000), BENCH_CLIENTS (50), BENCH_TESTS (set,get,incr,mset,sadd,spop,zadd,zpopmin),
 * BENCH_PROFILE=1 to run ours under `node --cpu-prof` (profile written to tools/bench/profiles/), BENCH_BASELINE=path of
 * another build's dist/cli.js to measure it too in the same run (before/after comparisons of a change).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, requireProgram, runRedisBenchmark, startPinned, type ServerProcess } from './server-processes.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = resolve(root, 'packages/server/dist/cli.js');
const requests = process.env['BENCH_REQUESTS'] ?? '200000';
const clients = process.env['BENCH_CLIENTS'] ?? '50';
const tests = process.env['BENCH_TESTS'] ?? 'set,get,incr,mset,sadd,spop,zadd,zpopmin';
const profile = process.env['BENCH_PROFILE'] === '1';
const baselineCli = process.env['BENCH_BASELINE'];
const PIPELINES = [1, 16];
const SERVER_CORE = 0;
const BENCHMARK_CORE = 1;

async function measure(server: ServerProcess, pipeline: number): Promise<Map<string, number>> {
  const args = ['-p', String(server.port), '-q', '-c', clients, '-n', requests, '-t', tests, '-P', String(pipeline)];
  return runRedisBenchmark(BENCHMARK_CORE, args);
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
  const node = profile ? [process.execPath, '--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [process.execPath];
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
      `redis-benchmark -q -c ${clients} -n ${requests} -t ${tests}; servers on core ${SERVER_CORE}, benchmark on core ${BENCHMARK_CORE}\n`,
    );
    const rows: Array<Record<string, string | number>> = [];
    for (const pipeline of PIPELINES) {
      const theirs = await measure(redis, pipeline);
      const mine = await measure(ours, pipeline);
      const before = baseline ? await measure(baseline, pipeline) : undefined;
      for (const [test, redisRate] of theirs) {
        const oursRate = mine.get(test) ?? 0;
        const row: Record<string, string | number> = {
          test,
          P: pipeline,
          'redis req/s': Math.round(redisRate),
          'ours req/s': Math.round(oursRate),
          'ours/redis': Number((oursRate / redisRate).toFixed(2)),
        };
        if (before) row['baseline/redis'] = Number(((before.get(test) ?? 0) / redisRate).toFixed(2));
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
