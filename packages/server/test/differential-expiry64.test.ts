/**
 * Differential test of expiry times over the whole signed 64-bit range against redis-server 7.0.15: random sequences
 * of SET EX/PX/EXAT/PXAT/KEEPTTL, GETEX, SETEX, PSETEX, EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT with NX/XX/GT/LT, TTL, PTTL,
 * EXPIRETIME, PEXPIRETIME, PERSIST, RENAME(NX), COPY (also to another database), MOVE and scripts, with
 * times at the edges of Redis's arithmetic: 2^53 +- k, 2^62, 2^63-1, -2^63, the overflow limits of `when * 1000` and of
 * `when + now`, times near now and in the past. Replies are compared byte for byte in RESP2 and RESP3, except:
 *
 * - TTL and PTTL replies (and EXPIRETIME/PEXPIRETIME of a key that may hold a relative time: see `Marks`) depend on
 *   the moment each server ran the command: two positive values may differ by a little (50 ms, 1 s), nothing else
 *   may differ.
 * - An argument `@now+N` / `@snow+N` is the current time in ms / s plus N, and `@rmax+N` / `@rsmax+N` is
 *   INT64_MAX - now (ms / whole s) plus N: the overflow limit of a relative time, with a margin of N. Both servers get
 *   the same text, resolved when the sequence is sent.
 *
 * DEBUG DIGEST runs only in the fixed sequence: after SET ... PXAT with a past time Redis 7.0 keeps the key until
 * something looks it up (the digest still counts it), while the store removes it at once. RESTORE ... ABSTTL is not
 * covered: the server has no DUMP/RESTORE.
 */
import fc from 'fast-check';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { showCommand } from './differential/compare.js';
import { RawClient, showBytes, startTestServer } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

const RUNS = Number(process.env['DIFF_RUNS'] ?? 400);
const INT64_MAX = 2n ** 63n - 1n;

let redis: RedisProcess;
let server: MiniRedisServer;
let theirs: RawClient;
let ours: RawClient;

beforeAll(async () => {
  redis = await startRedisServer(['--enable-debug-command', 'yes']);
  server = await startTestServer();
  theirs = await RawClient.connect(redis.port);
  ours = await RawClient.connect(server.port);
});

afterAll(async () => {
  await theirs?.close();
  await ours?.close();
  await server?.close();
  await redis?.stop();
});

type Command = string[];

const key = fc.constantFrom('k0', 'k1', 'k2');
const value = fc.constantFrom('v', '1', '');

/** Integers around a boundary: base + k for small k (base as a decimal string). */
function around(base: bigint, spread: number): fc.Arbitrary<string> {
  return fc.integer({ min: -spread, max: spread }).map((offset) => String(base + BigInt(offset)));
}

const BAD = fc.constantFrom('abc', '1.5', '', '+5', '05', '9223372036854775808', '-9223372036854775809');

/** A time in ms (absolute for PEXPIREAT/PXAT, relative for PEXPIRE/PX/PSETEX). */
const ms = fc.oneof(
  { weight: 3, arbitrary: around(2n ** 53n, 4) },
  { weight: 1, arbitrary: around(2n ** 54n, 2) },
  { weight: 1, arbitrary: around(2n ** 62n, 2) },
  { weight: 2, arbitrary: around(INT64_MAX, 3) },
  { weight: 1, arbitrary: fc.constantFrom('9223372036854775308', '9223372036854775307', '9223372036854775499') },
  { weight: 1, arbitrary: around(-(2n ** 63n), 2) },
  { weight: 1, arbitrary: around(-(2n ** 53n), 2) },
  { weight: 1, arbitrary: fc.constantFrom('0', '1', '-1', '100000', '99999999999999', '-100000') },
  { weight: 2, arbitrary: fc.constantFrom('@now+100000', '@now+50000000', '@now-100000') },
  { weight: 1, arbitrary: fc.constantFrom('@rmax-100000', '@rmax+100000', '@rmax-9007199254740993') },
  { weight: 1, arbitrary: BAD },
);

/** A time in seconds (absolute for EXPIREAT/EXAT, relative for EXPIRE/EX/SETEX). */
const seconds = fc.oneof(
  { weight: 2, arbitrary: around(9223372036854775n, 2) },
  { weight: 1, arbitrary: around(-9223372036854775n, 2) },
  { weight: 2, arbitrary: around(9007199254740n, 2) },
  { weight: 1, arbitrary: around(2n ** 53n, 2) },
  { weight: 1, arbitrary: around(4611686018427387n, 1) },
  { weight: 1, arbitrary: fc.constantFrom('9223372036854775807', '-9223372036854775808') },
  { weight: 1, arbitrary: fc.constantFrom('0', '1', '-1', '100000', '99999999999', '-100000') },
  { weight: 2, arbitrary: fc.constantFrom('@snow+100', '@snow+50000', '@snow-100') },
  { weight: 1, arbitrary: fc.constantFrom('@rsmax-100', '@rsmax+100') },
  { weight: 1, arbitrary: BAD },
);

const unitTime = fc.oneof(
  fc.tuple(fc.constantFrom('EX', 'EXAT', 'ex', 'exat'), seconds),
  fc.tuple(fc.constantFrom('PX', 'PXAT', 'px', 'pxat'), ms),
);

const expireFlags = fc.oneof(
  { weight: 4, arbitrary: fc.constant<string[]>([]) },
  { weight: 4, arbitrary: fc.constantFrom<string[]>(['NX'], ['XX'], ['GT'], ['LT'], ['gt'], ['lt']) },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(['XX', 'GT'], ['XX', 'LT'], ['NX', 'GT'], ['GT', 'LT'], ['YY']) },
);

const PEXPIRETIME_SCRIPT = "return redis.call('pexpiretime', KEYS[1])";
const PEXPIREAT_SCRIPT = "return redis.call('pexpireat', KEYS[1], ARGV[1])";

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 1, arbitrary: fc.tuple(key, value).map(([k, v]) => ['SET', k, v]) },
  { weight: 3, arbitrary: fc.tuple(key, value, unitTime).map(([k, v, [unit, t]]) => ['SET', k, v, unit, t]) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(key, value, fc.constantFrom<string[]>(['KEEPTTL'], ['NX'], ['XX'], ['GET'], []), fc.option(unitTime))
      .map(([k, v, extra, time]) => ['SET', k, v, ...(time === null ? [] : time), ...extra]),
  },
  { weight: 2, arbitrary: fc.tuple(key, unitTime).map(([k, [unit, t]]) => ['GETEX', k, unit, t]) },
  { weight: 1, arbitrary: key.map((k) => ['GETEX', k, 'PERSIST']) },
  { weight: 1, arbitrary: fc.tuple(key, seconds, value).map(([k, t, v]) => ['SETEX', k, t, v]) },
  { weight: 1, arbitrary: fc.tuple(key, ms, value).map(([k, t, v]) => ['PSETEX', k, t, v]) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom('EXPIRE', 'EXPIREAT', 'expire'), key, seconds, expireFlags)
      .map(([name, k, t, flags]) => [name, k, t, ...flags]),
  },
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom('PEXPIRE', 'PEXPIREAT', 'pexpireat'), key, ms, expireFlags)
      .map(([name, k, t, flags]) => [name, k, t, ...flags]),
  },
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom('TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME'), key) },
  { weight: 1, arbitrary: key.map((k) => ['PERSIST', k]) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('RENAME', 'RENAMENX'), key, key) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(key, key, fc.constantFrom<string[]>([], ['REPLACE'], ['DB', '1'], ['DB', '1', 'REPLACE']))
      .map(([a, b, extra]) => ['COPY', a, b, ...extra]),
  },
  { weight: 1, arbitrary: key.map((k) => ['MOVE', k, '1']) },
  { weight: 1, arbitrary: fc.constantFrom<Command>(['SELECT', '0'], ['SELECT', '1']) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('DEL', 'EXISTS', 'GET'), key) },
  { weight: 1, arbitrary: key.map((k) => ['EVAL', PEXPIRETIME_SCRIPT, '1', k]) },
  { weight: 1, arbitrary: fc.tuple(key, ms).map(([k, t]) => ['EVAL', PEXPIREAT_SCRIPT, '1', k, t]) },
);

/** A command whose time is relative to now (its PEXPIRETIME then depends on when each server ran it). */
function isRelative(args: Command): boolean {
  const name = args[0]!.toUpperCase();
  if (name === 'EXPIRE' || name === 'PEXPIRE' || name === 'SETEX' || name === 'PSETEX') return true;
  if (name === 'SET' || name === 'GETEX') return args.some((arg) => /^(ex|px)$/i.test(arg));
  return false;
}

const TTL_COMMANDS = new Set(['ttl', 'pttl']);
const ABSOLUTE_COMMANDS = new Set(['expiretime', 'pexpiretime']);

/**
 * Which keys may hold a time set relative to now (whose EXPIRETIME/PEXPIRETIME then depends on the moment): a key is
 * marked by a relative command, the mark follows RENAME, COPY and MOVE, and only a plain SET or DEL clears it (a
 * conditional or failing command may leave the old time in place). Every other key's time is exact on both servers.
 */
class Marks {
  private db = 0;
  private readonly marked = [new Set<string>(), new Set<string>()];

  /** Updates the marks for a command; returns whether the command's reply may depend on the moment. */
  apply(args: Command): boolean {
    const name = args[0]!.toUpperCase();
    const here = this.marked[this.db]!;
    const [, first, second] = args;
    if (isRelative(args)) here.add(first!);
    else if ((name === 'SET' && args.length === 3) || name === 'DEL') here.delete(first!);
    else if (name === 'SELECT') this.db = Number(first);
    else if ((name === 'RENAME' || name === 'RENAMENX' || name === 'COPY') && here.has(first!)) {
      const index = args.findIndex((arg) => arg.toUpperCase() === 'DB');
      this.marked[index === -1 ? this.db : Number(args[index + 1])]!.add(second!);
    } else if (name === 'MOVE' && here.has(first!)) this.marked[Number(second)]!.add(first!);
    else if (name === 'EVAL') return args[1] === PEXPIRETIME_SCRIPT && here.has(args[3]!);
    return TTL_COMMANDS.has(name.toLowerCase()) || (ABSOLUTE_COMMANDS.has(name.toLowerCase()) && here.has(first!));
  }
}

/** Resolves the `@now`-style tokens (see the file comment) at the moment of sending. */
function resolve(arg: string, now: number): string {
  const match = /^@(now|snow|rmax|rsmax)([+-]\d+)$/.exec(arg);
  if (match === null) return arg;
  const offset = BigInt(match[2]!);
  const nowMs = BigInt(now);
  switch (match[1]) {
    case 'now':
      return String(nowMs + offset);
    case 'snow':
      return String(nowMs / 1000n + offset);
    case 'rmax':
      return String(INT64_MAX - nowMs + offset);
    default:
      return String((INT64_MAX - nowMs) / 1000n + offset);
  }
}

/**
 * Whether two replies agree: byte for byte, except time readings that depend on the moment (see the file comment),
 * which must both be positive integers close to each other.
 */
function agree(args: Command, expected: Buffer, actual: Buffer, momentary: boolean): boolean {
  if (expected.equals(actual)) return true;
  if (!momentary) return false;
  const name = args[0]!.toLowerCase();
  const pattern = /^:([1-9]\d*)\r\n$/;
  const want = pattern.exec(expected.toString('latin1'));
  const got = pattern.exec(actual.toString('latin1'));
  if (want === null || got === null) return false;
  const tolerance = name.startsWith('p') || name === 'eval' ? 50n : 1n;
  const difference = BigInt(want[1]!) - BigInt(got[1]!);
  return difference <= tolerance && difference >= -tolerance;
}

async function check(resp3: boolean, commands: Command[]): Promise<void> {
  const now = Date.now();
  const sent = commands.map((args) => args.map((arg) => resolve(arg, now)));
  // Every key starts out existing, so that the times land on something.
  const keys = ['k0', 'k1', 'k2'].map((name) => ['SET', name, 'v']);
  const setup: Command[] = [['RESET'], ['FLUSHALL'], ...keys, ...(resp3 ? [['HELLO', '3']] : [])];
  await Promise.all([theirs.pipelineRaw(setup), ours.pipelineRaw(setup)]);
  const [expected, actual] = await Promise.all([theirs.pipelineRaw(sent), ours.pipelineRaw(sent)]);
  const marks = new Marks();
  sent.forEach((args, index) => {
    if (agree(args, expected[index]!, actual[index]!, marks.apply(args))) return;
    const listing = sent.map((line, at) => `${at === index ? '>>' : '  '} ${showCommand(line)}`).join('\n');
    expect.fail(
      `replies differ at #${index + 1} (${resp3 ? 'RESP3' : 'RESP2'}):\n${listing}\n` +
        `redis-server: ${showBytes(expected[index]!)}\nours:         ${showBytes(actual[index]!)}`,
    );
  });
}

describe('expiry times over the int64 range, against redis-server', () => {
  test(`${RUNS} random sequences reply the same bytes`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(command, { minLength: 1, maxLength: 20 }), (resp3, commands) =>
        check(resp3, commands),
      ),
      { numRuns: RUNS },
    );
  }, 300_000);

  test('the edges, one by one', async () => {
    const k = 'k0';
    const reads = (name = k): Command[] => [
      ['PEXPIRETIME', name],
      ['EXPIRETIME', name],
      ['TTL', name],
      ['PTTL', name],
    ];
    const sequence: Command[] = [];
    for (const at of [
      '9007199254740991',
      '9007199254740992',
      '9007199254740993',
      '9007199254740995',
      '18014398509481985',
      '4611686018427387905',
      '9223372036854775307',
      '9223372036854775308',
      '9223372036854775806',
      '9223372036854775807',
    ]) {
      sequence.push(['SET', k, 'v'], ['PEXPIREAT', k, at], ...reads());
      sequence.push(['SET', k, 'v', 'PXAT', at], ...reads());
      sequence.push(['GETEX', k, 'PXAT', at], ...reads());
      sequence.push(['RENAME', k, 'k1'], ...reads('k1'), ['COPY', 'k1', k], ...reads());
      sequence.push(['MOVE', 'k1', '1'], ['SELECT', '1'], ...reads('k1'), ['DEL', 'k1'], ['SELECT', '0']);
    }
    for (const at of ['9007199254740', '9007199254741', '9223372036854775', '9223372036854776', '-9223372036854775']) {
      sequence.push(['SET', k, 'v'], ['EXPIREAT', k, at], ...reads(), ['SET', k, 'v', 'EXAT', at], ...reads());
    }
    sequence.push(
      ['SET', k, 'v', 'PXAT', '9007199254740993'],
      ['PEXPIREAT', k, '9007199254740992', 'GT'],
      ['PEXPIREAT', k, '9007199254740993', 'GT'],
      ['PEXPIREAT', k, '9007199254740994', 'GT'],
      ['PEXPIREAT', k, '9007199254740994', 'LT'],
      ['PEXPIREAT', k, '9007199254740993', 'LT'],
      ['PEXPIRETIME', k],
      ['PEXPIREAT', k, '9223372036854775807', 'XX'],
      ['PEXPIREAT', k, '9223372036854775806', 'NX'],
      ['PEXPIRETIME', k],
      ['PERSIST', k],
      ['PEXPIRETIME', k],
      ['PEXPIREAT', k, '-9223372036854775808'],
      ['EXISTS', k],
      ['SET', k, 'v'],
      ['PEXPIRE', k, '@rmax+100000'],
      ['PEXPIRE', k, '@rmax-100000'],
      ['EXPIRE', k, '@rsmax+100'],
      ['EXPIRE', k, '@rsmax-100'],
      ['EXPIRE', k, '9223372036854776'],
      ['EXPIRE', k, '-9223372036854776'],
      ['SET', k, 'v', 'PX', '@rmax+100000'],
      ['SET', k, 'v', 'EX', '9223372036854776'],
      ['SETEX', k, '9223372036854775', 'v'],
      ['PSETEX', k, '9223372036854775807', 'v'],
      ['GETEX', k, 'PX', '9223372036854775807'],
      ['GETEX', k, 'EXAT', '9223372036854775807'],
      ['EVAL', PEXPIREAT_SCRIPT, '1', k, '9007199254740993'],
      ['EVAL', PEXPIRETIME_SCRIPT, '1', k],
      ['PEXPIRETIME', k],
      ['SET', 'k1', 'w', 'PXAT', '9223372036854775807'],
      ['DEBUG', 'DIGEST'],
      ['PERSIST', k],
      ['DEBUG', 'DIGEST'],
    );
    await check(false, sequence);
    await check(true, sequence);
  });
});
