/**
 * Broad differential test: every deterministic command of this server, called with random arguments (edge numbers,
 * floats, option keywords, binary) on keys of every type, against Debian's real redis-server 7.0.15. Both servers
 * hold the same data (ours seeded through the store, Redis through commands), and every reply must be the same
 * bytes, in RESP2 and RESP3: argument parsing order, error texts and WRONGTYPE paths included.
 * BROAD_RUNS=5000 runs it longer.
 */
import fc from 'fast-check';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { normalise, showCommand } from './differential/compare.js';
import { RawClient, showBytes, startTestServer } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';
import { SEED_COMMANDS, seedEveryType } from './side-by-side.js';

const RUNS = Number(process.env['BROAD_RUNS'] ?? 1000);

/** Commands whose replies are deterministic given the data (no clocks, ids, hash order or server internals). */
const COMMANDS = [
  'get', 'set', 'setnx', 'setex', 'psetex', 'getset', 'getdel', 'getex', 'mget', 'mset', 'msetnx', 'append', 'strlen',
  'getrange', 'substr', 'setrange', 'incr', 'decr', 'incrby', 'decrby', 'incrbyfloat', 'lcs', 'setbit', 'getbit',
  'bitcount', 'bitpos', 'bitop', 'bitfield', 'bitfield_ro', 'del', 'unlink', 'exists', 'type', 'touch', 'expire',
  'pexpire', 'expireat', 'pexpireat', 'ttl', 'pttl', 'expiretime', 'pexpiretime', 'persist', 'keys', 'rename',
  'renamenx', 'copy', 'dbsize', 'echo', 'ping', 'object', 'move', 'swapdb', 'flushdb',
];

const KEYS = ['s', 'n', 'b', 'l', 'h', 'S', 'z', 'e', 'missing', 'new'];
const NUMBERS = [
  '0', '1', '-1', '2', '3', '7', '10', '-100', '100', '9223372036854775807', '-9223372036854775808',
  '9223372036854775808', '1.5', '-0.5', '0.1', 'inf', '-inf', '+inf', 'nan', '1e308', '1e-5', '0x10', '007', '',
  ' 1', 'abc', '4611686018427387904', '-4611686018427387905',
];
const KEYWORDS = [
  'EX', 'PX', 'EXAT', 'PXAT', 'NX', 'XX', 'GT', 'LT', 'KEEPTTL', 'GET', 'PERSIST', 'REPLACE', 'DB', 'LEN', 'IDX',
  'MINMATCHLEN', 'WITHMATCHLEN', 'BYTE', 'BIT', 'AND', 'OR', 'XOR', 'NOT', 'OVERFLOW', 'WRAP', 'SAT', 'FAIL', 'SET',
  'INCRBY', 'u8', 'i16', 'i64', 'u63', 'u64', 'i8', 'u1', '#1', '#-1', 'encoding', 'refcount', 'freq', 'help', 'ASYNC',
  'SYNC', '*', '?', 'n*', '[a-z]', '\\s',
];
const BYTES = ['\x00', '\xff\xfe', 'xyzzy'.repeat(12), 'hello', '\r\n', 'héllo'];

const argument = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...KEYWORDS) },
  { weight: 1, arbitrary: fc.constantFrom(...BYTES) },
  { weight: 2, arbitrary: fc.integer({ min: -20, max: 200 }).map(String) },
);

const command = fc
  .tuple(fc.constantFrom(...COMMANDS), fc.array(argument, { maxLength: 7 }))
  .map(([name, args]) => [name.toUpperCase(), ...args]);

const sequence = fc.record({
  resp3: fc.boolean(),
  commands: fc.array(command, { minLength: 1, maxLength: 12 }),
});

let redis: RedisProcess;
let server: MiniRedisServer;
let theirs: RawClient;
let ours: RawClient;

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startTestServer();
  theirs = await RawClient.connect(redis.port);
  ours = await RawClient.connect(server.port);
});

afterAll(async () => {
  await theirs?.close();
  await ours?.close();
  await redis?.stop();
  await server?.close();
});

test(`${RUNS} random sequences over every key type reply the same bytes as redis-server`, async () => {
  await fc.assert(
    fc.asyncProperty(sequence, async ({ resp3, commands }) => {
      const setup = [['RESET'], ['FLUSHALL'], ...SEED_COMMANDS];
      if (resp3) setup.push(['HELLO', '3']);
      await theirs.pipelineRaw(setup);
      await ours.pipelineRaw([['RESET'], ...(resp3 ? [['HELLO', '3']] : [])]);
      seedEveryType(server);
      const [expected, actual] = await Promise.all([theirs.pipelineRaw(commands), ours.pipelineRaw(commands)]);
      commands.forEach((args, index) => {
        const want = normalise(args, expected[index]!);
        const got = normalise(args, actual[index]!);
        if (want !== got) {
          const listing = commands.map((line, at) => `${at === index ? '>>' : '  '} ${showCommand(line)}`).join('\n');
          expect.fail(
            `replies differ at #${index + 1} (${resp3 ? 'RESP3' : 'RESP2'}):\n${listing}\n` +
              `redis-server: ${showBytes(expected[index]!)}\nours:         ${showBytes(actual[index]!)}`,
          );
        }
      });
    }),
    { numRuns: RUNS },
  );
}, 300_000);
