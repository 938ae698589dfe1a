/**
 * DEBUG OBJECT against redis-server 7.0.15: the encoding of every kind of value, and serializedlength (rdbSavedObjectLen):
 * strings of any length (LZF-compressed as Redis does, with rdbcompression yes or no), and containers whose blobs Redis
 * does not compress (listpack/intset blobs of at most 20 bytes, hash tables). Longer compressible container blobs
 * differ: their listpack bytes are counted, not compressed.
 */
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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

const SETUP: Command[] = [
  ['FLUSHALL'],
  ['SET', 's', 'hello'], ['SET', 'n', '12345'], ['SET', 'big', '12345678901234'], ['SET', 'neg', '-5'],
  ['SET', 'long', 'a'.repeat(105)], ['SET', 'text', 'abcdefghijklmnopqrstuvwxyz0123456789'],
  ['RPUSH', 'l', 'a', 'b', 'c', '1', '2'], ['RPUSH', 'l2', '-5000', '300', '70000', 'x'],
  ['SADD', 'S', 'x', 'y', 'z'], ['SADD', 'I', '1', '2', '3'], ['SADD', 'I2', '1', '70000'], ['SADD', 'I3', '1', '5000000000'],
  ['HSET', 'h', 'f', 'v', 'g', 'w'], ['HSET', 'h2', 'a', '1', 'b', '-200'],
  ['ZADD', 'z', '1', 'a', '2.5', 'b'], ['ZADD', 'zbig', ...Array.from({ length: 200 }, (_, i) => [String(i), `m${i}`]).flat()],
];

/** encoding and serializedlength of DEBUG OBJECT's line. */
function fields(reply: Buffer): string {
  const text = reply.toString('latin1');
  const encoding = /encoding:(\S+)/.exec(text)?.[1];
  const length = /serializedlength:(\d+)/.exec(text)?.[1];
  expect(encoding, text).toBeDefined();
  return `${encoding} ${length}`;
}

describe('DEBUG OBJECT against redis-server', () => {
  test('encoding and serializedlength of uncompressed values', async () => {
    const keys = ['s', 'n', 'big', 'neg', 'l', 'l2', 'S', 'I', 'I2', 'I3', 'h', 'h2', 'z'];
    const commands: Command[] = [...SETUP, ...keys.map((key): Command => ['DEBUG', 'OBJECT', key])];
    const [expected, actual] = await Promise.all([real.pipelineRaw(commands), mine.pipelineRaw(commands)]);
    keys.forEach((key, index) => {
      const at = SETUP.length + index;
      expect(fields(actual[at]!), key).toBe(fields(expected[at]!));
    });
  });

  test('encodings of compressed and large values', async () => {
    const keys = ['long', 'text', 'zbig'];
    const commands: Command[] = [...SETUP, ...keys.map((key): Command => ['DEBUG', 'OBJECT', key])];
    const [expected, actual] = await Promise.all([real.pipelineRaw(commands), mine.pipelineRaw(commands)]);
    keys.forEach((key, index) => {
      const at = SETUP.length + index;
      expect(fields(actual[at]!).split(' ')[0], key).toBe(fields(expected[at]!).split(' ')[0]);
    });
  });

  test('serializedlength of long strings, compressible or not, with rdbcompression yes and no', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const values = [
      'a'.repeat(21), 'a'.repeat(200), 'ab'.repeat(500), 'abcdefghijklmnopqrstuvwxyz0123456789',
      Array.from({ length: 300 }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join(''),
      Array.from({ length: 64 }, (_, i) => `field:${i % 7}`).join(','), '12345678901234567890123', 'x'.repeat(20),
      Array.from({ length: 5000 }, () => 'abcd'[Math.floor(random() * 4)]).join(''),
    ];
    for (const compression of ['yes', 'no']) {
      const commands: Command[] = [['CONFIG', 'SET', 'rdbcompression', compression]];
      values.forEach((value, index) => commands.push(['SET', `v${index}`, value], ['DEBUG', 'OBJECT', `v${index}`]));
      const [expected, actual] = await Promise.all([real.pipelineRaw(commands), mine.pipelineRaw(commands)]);
      values.forEach((_, index) => {
        const at = 2 + index * 2;
        expect(fields(actual[at]!), `v${index} rdbcompression ${compression}`).toBe(fields(expected[at]!));
      });
    }
  });
});
