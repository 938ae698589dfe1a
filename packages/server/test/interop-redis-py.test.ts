/**
 * redis-py (Debian's python3-redis, run by Debian's /usr/bin/python3) drives the real redis-server and ours with
 * the same script (fixtures/redis_py_check.py); what every call returned must be the same. A missing interpreter or
 * module fails loudly: `apt-get install python3-redis` (.ci/run does it).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./fixtures/redis_py_check.py', import.meta.url));

function runScript(port: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, String(port)], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`redis-py script failed (needs ${PYTHON} with python3-redis: apt-get install python3-redis): ${stderr || error.message}`));
        return;
      }
      resolve(stdout.trim().split('\n'));
    });
  });
}

let redis: RedisProcess;
let server: MiniRedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startTestServer();
});

afterAll(async () => {
  await redis?.stop();
  await server?.close();
});

test('redis-py sees the same results from mini-redis as from redis-server', async () => {
  const expected = await runScript(redis.port);
  const actual = await runScript(server.port);
  expect(expected.length).toBeGreaterThan(50);
  expect(actual).toEqual(expected);
}, 60_000);
