/**
 * Scripting benchmark (issue 16): EVALSHA of `return 1`, of a script doing 10 redis.call, and of a cjson
 * decode/encode of a 1 KB document, with redis-benchmark against redis-server and mini-redis-server (each pinned to
 * core 0, redis-benchmark to core 1), at -P 1 and -P 16; calls per second and ours/redis. Run `pnpm build` first,
 * then `pnpm --filter @mini-redis/bench run bench:scripting`. BENCH_REQUESTS (default 100000), BENCH_CLIENTS (50).
 */
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, requireProgram, runRedisBenchmark, startPinned, type ServerProcess } from './server-processes.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = resolve(root, 'packages/server/dist/cli.js');
const requests = process.env['BENCH_REQUESTS'] ?? '100000';
const clients = process.env['BENCH_CLIENTS'] ?? '50';

const document = JSON.stringify({
  id: 12345,
  name: 'benchmark document',
  tags: Array.from({ length: 20 }, (_, i) => `tag-${i}`),
  items: Array.from({ length: 12 }, (_, i) => ({ sku: `sku-${i}`, quantity: i, price: i * 1.25, note: 'x'.repeat(20) })),
});

const SCRIPTS: Array<{ name: string; body: string; args: string[] }> = [
  { name: 'return 1', body: 'return 1', args: ['0'] },
  {
    name: '10 redis.call',
    body: "for i = 1, 5 do redis.call('SET', KEYS[1], ARGV[1]) redis.call('GET', KEYS[1]) end return 1",
    args: ['1', 'bench:key', 'value'],
  },
  { name: 'cjson 1 KB', body: 'return cjson.encode(cjson.decode(ARGV[1]))', args: ['0', document] },
];

/** SCRIPT LOAD on one server (raw RESP over a socket). */
function scriptLoad(port: number, body: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`*3\r\n$6\r\nSCRIPT\r\n$4\r\nLOAD\r\n$${Buffer.byteLength(body)}\r\n${body}\r\n`);
    });
    socket.once('data', () => {
      socket.end();
      resolvePromise();
    });
    socket.once('error', reject);
  });
}

async function main(): Promise<void> {
  const hint = 'install redis-server, redis-tools and util-linux';
  requireProgram('taskset', hint);
  const redisServer = requireProgram('redis-server', hint);
  requireProgram('redis-benchmark', hint);
  const redisPort = await freePort();
  const oursPort = await freePort();
  const servers: ServerProcess[] = [
    await startPinned('redis-server', 0, redisPort, [redisServer, '--port', String(redisPort), '--save', '', '--appendonly', 'no']),
    await startPinned('mini-redis', 0, oursPort, [process.execPath, cli, '--port', String(oursPort)]),
  ];
  try {
    const rows: Array<Record<string, string | number>> = [];
    for (const script of SCRIPTS) {
      const sha = createHash('sha1').update(script.body).digest('hex');
      for (const server of servers) await scriptLoad(server.port, script.body);
      for (const pipeline of [1, 16]) {
        const rate = async (server: ServerProcess) => {
          const results = await runRedisBenchmark(1, ['-p', String(server.port), '-q', '-c', clients, '-n', requests, '-P', String(pipeline), 'EVALSHA', sha, ...script.args]);
          return [...results.values()][0] ?? 0;
        };
        const theirs = await rate(servers[0]!);
        const ours = await rate(servers[1]!);
        rows.push({ script: script.name, P: pipeline, 'redis calls/s': Math.round(theirs), 'ours calls/s': Math.round(ours), 'ours/redis': Number((ours / theirs).toFixed(2)) });
      }
    }
    console.table(rows);
    console.log('\n| script | P | redis calls/s | ours calls/s | ours/redis |\n| --- | --- | --- | --- | --- |');
    for (const row of rows) console.log(`| ${Object.values(row).join(' | ')} |`);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
