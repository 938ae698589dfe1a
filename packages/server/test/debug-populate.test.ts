/**
 * DEBUG POPULATE and CHANGE-REPL-ID compared with redis-server: the keys and values created (prefix, size cut or
 * padded with zero bytes, existing keys kept) and the error texts.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { MiniRedisServer } from '@mini-redis/server';
import { RawClient, startTestServer, type Command } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

let redis: RedisProcess;
let server: MiniRedisServer;
let real: RawClient;
let mine: RawClient;

beforeAll(async () => {
  redis = await startRedisServer(['--enable-debug-command', 'yes']);
  server = await startTestServer();
  real = await RawClient.connect(redis.port);
  mine = await RawClient.connect(server.port);
});

afterAll(async () => {
  await real?.close();
  await mine?.close();
  await server?.close();
  await redis?.stop();
});

test('DEBUG POPULATE and CHANGE-REPL-ID reply and create what redis-server does', async () => {
  const commands: Command[] = [
    ['FLUSHALL'],
    ['SET', 'key:1', 'mine'],
    ['DEBUG', 'POPULATE', '5'],
    ['DEBUG', 'POPULATE', '3', 'p'],
    ['DEBUG', 'POPULATE', '3', 'z', '3'],
    ['DEBUG', 'POPULATE', '2', 'w', '12'],
    ['DEBUG', 'POPULATE', '0'],
    ['DEBUG', 'POPULATE', '-1'],
    ['DEBUG', 'POPULATE', 'abc'],
    ['DEBUG', 'POPULATE', '2', 'q', '-3'],
    ['DEBUG', 'POPULATE', '1', 'x', '1', 'extra'],
    ['DEBUG', 'POPULATE'],
    ['DEBUG', 'CHANGE-REPL-ID'],
    ['DBSIZE'],
    ['MGET', 'key:0', 'key:1', 'key:4', 'key:5', 'p:2', 'z:0', 'z:2', 'w:1', 'w:2'],
    ['STRLEN', 'w:0'],
  ];
  const [expected, actual] = await Promise.all([real.pipelineRaw(commands), mine.pipelineRaw(commands)]);
  commands.forEach((command, index) => {
    expect(actual[index]!.toString('latin1'), command.join(' ')).toBe(expected[index]!.toString('latin1'));
  });
});
