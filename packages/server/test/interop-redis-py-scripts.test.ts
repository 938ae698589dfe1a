/**
 * Python code that relies on scripts, through redis-py (Debian's python3-redis, run by /usr/bin/python3):
 * huey's schedule pop (`register_script`: EVALSHA with the NOSCRIPT -> SCRIPT LOAD fallback) with huey's queue and
 * result store around it, redis-py's Lock (its acquire/extend/release are Lua scripts), and scripts in a pipeline
 * (fixtures/redis_py_scripts.py). Every step must return the same on mini-redis as on redis-server. A missing
 * interpreter or module fails loudly: `apt-get install python3-redis`.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./fixtures/redis_py_scripts.py', import.meta.url));

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
  [redis, server] = await Promise.all([startRedisServer(), startTestServer()]);
});

afterAll(async () => {
  await redis?.stop();
  await server?.close();
});

test('huey schedule pop, redis-py Lock and pipelined scripts behave as on redis-server', async () => {
  const expected = await runScript(redis.port);
  const actual = await runScript(server.port);
  expect(expected.length).toBeGreaterThan(30);
  // The huey script really ran on Redis: the due tasks came back in score order, the later one stayed.
  expect(expected).toContain('["read_schedule_due", "[b\'t-early\', b\'t-due\']"]');
  expect(expected).toContain('["exists_reloaded", "[True]"]');
  expect(actual).toEqual(expected);
}, 60_000);
