/**
 * DEBUG OBJECT against redis-server 7.0.15: the encoding of every kind of value, and serializedlength (rdbSavedObjectLen):
 * strings of any length (LZF-compressed as Redis does, with rdbcompression yes or no), container blobs (listpacks,
 * intsets: their exact bytes, compressed as Redis compresses a saved string) and hash tables' elements.
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

  test('serializedlength of containers whose blobs or elements compress, with rdbcompression yes and no', async () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const word = (length: number) => Array.from({ length }, () => 'abc'[Math.floor(random() * 3)]).join('');
    const build: Command[] = [
      ['FLUSHALL'],
      // quicklist node listpacks: repeated, random, integers of every width, negative ones, long strings
      ['RPUSH', 'cl1', ...Array.from({ length: 40 }, () => 'job:payload')],
      ['RPUSH', 'cl2', ...Array.from({ length: 30 }, () => word(12))],
      ['RPUSH', 'cl3', '0', '127', '128', '-1', '-4096', '4095', '4096', '-32768', '32767', '40000', '-8388608', '8388607', '9000000', '-2147483648', '2147483647', '3000000000', '-9223372036854775808', '9223372036854775807', '9223372036854775808', '007', '-0', '1.5'],
      ['RPUSH', 'cl4', 'x'.repeat(70), 'y'.repeat(5000), 'short'],
      ['LPUSH', 'cl5', ...Array.from({ length: 25 }, (_, i) => `item-${i % 5}`)],
      // listpack hashes and zsets, intsets, and their table encodings with long elements
      ['HSET', 'ch1', ...Array.from({ length: 20 }, (_, i) => [`field:${i}`, 'value-value-value']).flat()],
      ['HSET', 'ch2', ...Array.from({ length: 10 }, (_, i) => [`f${i}`, word(60)]).flat()],
      ['HSET', 'ch3', 'big', 'v'.repeat(100), 'other', 'w'.repeat(30)],
      ['ZADD', 'cz1', ...Array.from({ length: 30 }, (_, i) => [String(i % 4), `member:${i}`]).flat()],
      ['ZADD', 'cz2', '1.5', 'a'.repeat(40), '-2', 'b'.repeat(40), '3e10', 'c'],
      ['ZADD', 'cz3', '1', 'm'.repeat(80), '2', 'n'.repeat(80)],
      ['SADD', 'ci1', ...Array.from({ length: 100 }, (_, i) => String(i * 3))],
      ['SADD', 'ci2', ...Array.from({ length: 40 }, (_, i) => String(100000 + (i % 20) * 65536))],
      ['SADD', 'ci3', ...Array.from({ length: 30 }, (_, i) => String(-(2 ** 40) + i))],
      ['SADD', 'cs1', ...Array.from({ length: 10 }, (_, i) => `${'s'.repeat(30)}${i}`)],
    ];
    const keys = ['cl1', 'cl2', 'cl3', 'cl4', 'cl5', 'ch1', 'ch2', 'ch3', 'cz1', 'cz2', 'cz3', 'ci1', 'ci2', 'ci3', 'cs1'];
    for (const compression of ['yes', 'no']) {
      const commands: Command[] = [['CONFIG', 'SET', 'rdbcompression', compression], ...build, ...keys.map((key): Command => ['DEBUG', 'OBJECT', key])];
      const [expected, actual] = await Promise.all([real.pipelineRaw(commands), mine.pipelineRaw(commands)]);
      keys.forEach((key, index) => {
        const at = 1 + build.length + index;
        expect(fields(actual[at]!), `${key} rdbcompression ${compression}`).toBe(fields(expected[at]!));
      });
    }
    await Promise.all([real.call('CONFIG', 'SET', 'rdbcompression', 'yes'), mine.call('CONFIG', 'SET', 'rdbcompression', 'yes')]);
  });

  test('lists over one quicklist node: the node split, compressed interior nodes and the ql_ fields (lists built by RPUSH)', async () => {
    /** DEBUG OBJECT's line without the address and the LRU fields. */
    const line = (reply: Buffer) =>
      reply.toString('latin1').replace(/at:0x[0-9a-f]+/, 'at:X').replace(/ lru:\d+ lru_seconds_idle:\d+/, '').trim();
    const numbers = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
    const cases: Array<{ fill: string; depth: string; compression: string; items: string[] }> = [
      { fill: '-2', depth: '0', compression: 'yes', items: numbers(1, 3000) },
      { fill: '-2', depth: '0', compression: 'yes', items: numbers(1, 2000).map((i) => `abcdefgh${i}`) },
      { fill: '-2', depth: '0', compression: 'no', items: numbers(1, 2000).map((i) => `abcdefgh${i}`) },
      { fill: '-2', depth: '1', compression: 'yes', items: numbers(1, 3000).map(() => 'job:payload') },
      { fill: '-2', depth: '1', compression: 'no', items: numbers(1, 6000) },
      { fill: '-2', depth: '2', compression: 'yes', items: numbers(1, 9000).map((i) => `k${Number(i) % 50}`) },
      { fill: '128', depth: '1', compression: 'yes', items: numbers(1, 300) },
      { fill: '5', depth: '0', compression: 'yes', items: numbers(1, 23).map((i) => `value-${i}`) },
      { fill: '0', depth: '0', compression: 'yes', items: ['a', 'b', 'c'] },
      { fill: '-1', depth: '0', compression: 'yes', items: numbers(1, 2000).map((i) => `x${i}`) },
      { fill: '-5', depth: '1', compression: 'yes', items: numbers(1, 30000) },
      { fill: '-2', depth: '0', compression: 'yes', items: ['small', 'y'.repeat(9000), 'z'.repeat(300), 'small'] },
    ];
    for (const [index, { fill, depth, compression, items }] of cases.entries()) {
      const commands: Command[] = [
        ['CONFIG', 'SET', 'list-max-listpack-size', fill, 'list-compress-depth', depth, 'rdbcompression', compression],
        ['DEL', 'ql'],
        ['RPUSH', 'ql', ...items],
        ['DEBUG', 'OBJECT', 'ql'],
      ];
      const [expected, actual] = await Promise.all([real.pipelineRaw(commands), mine.pipelineRaw(commands)]);
      expect(line(actual[3]!), `case ${index}: fill ${fill} depth ${depth} rdbcompression ${compression}`).toBe(line(expected[3]!));
    }
    const reset: Command = ['CONFIG', 'SET', 'list-max-listpack-size', '-2', 'list-compress-depth', '0', 'rdbcompression', 'yes'];
    await Promise.all([real.pipelineRaw([reset]), mine.pipelineRaw([reset])]);
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
