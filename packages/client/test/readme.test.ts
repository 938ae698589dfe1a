// The README's examples run as they are: each ```js block is written to a file (importing the built package) and
// run with node against a real redis-server (REDIS_URL) and a real 3-master cluster (CLUSTER_NODES); it must exit 0.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startRedisCluster, type RedisClusterProcesses } from './cluster-process.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]!);
const entry = pathToFileURL(join(packageDir, 'dist/index.js')).href;

describe('README examples', () => {
  let server: RedisProcess;
  let cluster: RedisClusterProcesses;
  const dir = mkdtempSync(join(tmpdir(), 'mini-redis-readme-'));
  beforeAll(async () => {
    server = await startRedisServer();
    cluster = await startRedisCluster(3);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('there are examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  test.each(blocks.map((code, index) => ({ index, code })))('example $index runs', async ({ index, code }) => {
    const file = join(dir, `example-${index}.mjs`);
    writeFileSync(file, code.replaceAll("'@mini-redis/client'", `'${entry}'`));
    const { stdout } = await run(process.execPath, [file], {
      timeout: 20_000,
      env: {
        ...process.env,
        REDIS_URL: `redis://127.0.0.1:${server.port}`,
        CLUSTER_NODES: cluster.ports.map((port) => `127.0.0.1:${port}`).join(','),
      },
    });
    expect(stdout.length).toBeGreaterThan(0);
  }, 30_000);
});
