/**
 * The keyspace family over a real socket: DEL/UNLINK/EXISTS/TYPE/TOUCH, the EXPIRE and TTL families (time moved by a
 * ManualClock), KEYS/SCAN, RENAME/RENAMENX, MOVE/COPY, OBJECT, and the database commands. Expected replies and error
 * texts were taken from redis-server 7.0.15.
 */
import { encodeCommand, ErrorReply, SimpleString, type RespValue } from '@mini-redis/protocol';
import type { MiniRedisServer } from '@mini-redis/server';
import {
  createList,
  createSortedSet,
  ManualClock,
  type Database,
  type HashValue,
  type ListValue,
  type SetValue,
  type SortedSetValue,
  type Value,
} from '@mini-redis/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RawClient, startTestServer } from './helpers.js';

const START = 1_700_000_000_000;
let server: MiniRedisServer;
let client: RawClient;
let clock: ManualClock;

/** Database `index` of the server's store, for seeding values without depending on other families' commands. */
function db(index = 0): Database {
  return server.store.db(index);
}

function list(...items: string[]): ListValue {
  return createList(items);
}

function zset(...pairs: Array<[string, number]>): SortedSetValue {
  const value = createSortedSet();
  for (const [member, score] of pairs) value.add(member, score);
  return value;
}

/** Seeds several keys of database 0. */
function seed(values: Record<string, Value>): void {
  for (const [key, value] of Object.entries(values)) db().set(key, value);
}

function call(...args: Array<string | number>): Promise<RespValue> {
  return client.call(...args);
}

/** Asserts an error reply with exactly this text. */
async function expectError(reply: Promise<RespValue>, text: string): Promise<void> {
  const value = await reply;
  expect(value).toBeInstanceOf(ErrorReply);
  expect((value as ErrorReply).message).toBe(text);
}

/** Sends one command on a fresh connection (after HELLO 3 when asked) and returns `bytes` bytes of its raw reply. */
async function rawReply(args: string[], resp3: boolean, bytes: number): Promise<string> {
  const raw = await RawClient.connect(server.port);
  try {
    if (resp3) await raw.call('HELLO', '3');
    const reply = await raw.sendRaw(encodeCommand(args, 'latin1'), bytes);
    return reply.toString('latin1');
  } finally {
    await raw.close();
  }
}

beforeAll(async () => {
  clock = new ManualClock(START);
  server = await startTestServer({ clock });
  client = await RawClient.connect(server.port);
});

afterAll(async () => {
  await client.close();
  await server.close();
});

beforeEach(async () => {
  clock.set(START);
  server.config.set('maxmemory-policy', 'noeviction');
  server.config.set('maxmemory', '0');
  await call('SELECT', 0);
  expect(await call('FLUSHALL')).toEqual(new SimpleString('OK'));
});

describe('DEL, UNLINK, EXISTS, TOUCH, TYPE', () => {
  it('DEL and UNLINK count the keys removed', async () => {
    seed({ a: '1', b: list('x'), c: new Map([['f', 'v']]) });
    expect(await call('DEL', 'a', 'a', 'nokey')).toBe(1);
    expect(await call('UNLINK', 'b', 'c', 'b')).toBe(2);
    expect(db().size()).toBe(0);
    await expectError(call('DEL'), "ERR wrong number of arguments for 'del' command");
    await expectError(call('UNLINK'), "ERR wrong number of arguments for 'unlink' command");
  });

  it('EXISTS and TOUCH count duplicates', async () => {
    seed({ a: '1', b: '2' });
    expect(await call('EXISTS', 'a', 'a', 'a', 'nokey')).toBe(3);
    expect(await call('EXISTS', 'nokey')).toBe(0);
    expect(await call('TOUCH', 'a', 'b', 'nokey', 'b')).toBe(3);
    await expectError(call('EXISTS'), "ERR wrong number of arguments for 'exists' command");
    await expectError(call('TOUCH'), "ERR wrong number of arguments for 'touch' command");
  });

  it('TYPE names every type as a simple string', async () => {
    seed({
      s: 'v',
      b: Buffer.from('bytes'),
      l: list('a'),
      h: new Map([['f', 'v']]),
      set: new Set(['m']),
      z: zset(['m', 1]),
    });
    expect(await call('TYPE', 's')).toEqual(new SimpleString('string'));
    expect(await call('TYPE', 'b')).toEqual(new SimpleString('string'));
    expect(await call('TYPE', 'l')).toEqual(new SimpleString('list'));
    expect(await call('TYPE', 'h')).toEqual(new SimpleString('hash'));
    expect(await call('TYPE', 'set')).toEqual(new SimpleString('set'));
    expect(await call('TYPE', 'z')).toEqual(new SimpleString('zset'));
    expect(await call('TYPE', 'nokey')).toEqual(new SimpleString('none'));
    await expectError(call('TYPE', 'a', 'b'), "ERR wrong number of arguments for 'type' command");
  });

  it('keys are binary-safe', async () => {
    const key = 'k\u0000\u00ff\r\n';
    seed({ [key]: 'v' });
    expect(await call('EXISTS', key)).toBe(1);
    expect(await call('KEYS', '*')).toEqual([key]);
    expect(await call('DEL', key)).toBe(1);
  });
});

describe('EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT', () => {
  it('sets a TTL that the clock runs down', async () => {
    seed({ k: 'v' });
    expect(await call('EXPIRE', 'k', 100)).toBe(1);
    expect(await call('TTL', 'k')).toBe(100);
    expect(await call('PTTL', 'k')).toBe(100_000);
    clock.advance(99_999);
    expect(await call('PTTL', 'k')).toBe(1);
    expect(await call('EXISTS', 'k')).toBe(1);
    clock.advance(1);
    expect(await call('EXISTS', 'k')).toBe(0);
    expect(await call('TTL', 'k')).toBe(-2);
  });

  it('PEXPIRE, EXPIREAT and PEXPIREAT take their units', async () => {
    seed({ a: 'v', b: 'v', c: 'v' });
    expect(await call('PEXPIRE', 'a', 1500)).toBe(1);
    expect(await call('PTTL', 'a')).toBe(1500);
    expect(await call('EXPIREAT', 'b', START / 1000 + 10)).toBe(1);
    expect(await call('PTTL', 'b')).toBe(10_000);
    expect(await call('PEXPIREAT', 'c', START + 42)).toBe(1);
    expect(await call('PTTL', 'c')).toBe(42);
    expect(await call('PEXPIRETIME', 'c')).toBe(START + 42);
  });

  it('TTL rounds to the nearest second as Redis does', async () => {
    seed({ k: 'v' });
    await call('PEXPIRE', 'k', 1499);
    expect(await call('TTL', 'k')).toBe(1);
    await call('PEXPIRE', 'k', 1500);
    expect(await call('TTL', 'k')).toBe(2);
    await call('PEXPIRE', 'k', 400);
    expect(await call('TTL', 'k')).toBe(0);
  });

  it('a time at or before now deletes the key and answers 1', async () => {
    seed({ a: 'v', b: 'v', c: 'v', d: 'v' });
    expect(await call('EXPIRE', 'a', 0)).toBe(1);
    expect(await call('EXPIRE', 'b', -10)).toBe(1);
    expect(await call('PEXPIREAT', 'c', 1)).toBe(1);
    expect(await call('EXPIREAT', 'd', START / 1000)).toBe(1);
    expect(await call('DBSIZE')).toBe(0);
    expect(await call('EXPIRE', 'nokey', 100)).toBe(0);
    expect(await call('EXPIRE', 'nokey', -1)).toBe(0);
  });

  it('NX, XX, GT and LT', async () => {
    seed({ k: 'v' });
    expect(await call('EXPIRE', 'k', 100, 'XX')).toBe(0);
    expect(await call('EXPIRE', 'k', 100, 'GT')).toBe(0); // no TTL counts as infinite
    expect(await call('TTL', 'k')).toBe(-1);
    expect(await call('EXPIRE', 'k', 100, 'lt')).toBe(1);
    expect(await call('TTL', 'k')).toBe(100);
    expect(await call('EXPIRE', 'k', 200, 'NX')).toBe(0);
    expect(await call('EXPIRE', 'k', 50, 'gt')).toBe(0);
    expect(await call('EXPIRE', 'k', 100, 'gt')).toBe(0);
    expect(await call('EXPIRE', 'k', 200, 'gt')).toBe(1);
    expect(await call('TTL', 'k')).toBe(200);
    expect(await call('EXPIRE', 'k', 300, 'xx')).toBe(1);
    expect(await call('EXPIRE', 'k', 300, 'lt')).toBe(0);
    expect(await call('EXPIRE', 'k', 10, 'lt', 'xx')).toBe(1);
    expect(await call('TTL', 'k')).toBe(10);
    expect(await call('PERSIST', 'k')).toBe(1);
    expect(await call('EXPIRE', 'k', 10, 'nx', 'nx')).toBe(1);
    expect(await call('EXPIRE', 'nokey', 10, 'nx')).toBe(0);
    // GT with a past time fails against no TTL; LT with a past time deletes.
    expect(await call('PERSIST', 'k')).toBe(1);
    expect(await call('EXPIRE', 'k', -1, 'gt')).toBe(0);
    expect(await call('EXPIRE', 'k', -1, 'lt')).toBe(1);
    expect(await call('EXISTS', 'k')).toBe(0);
  });

  it('rejects incompatible and unknown options before looking at the time', async () => {
    seed({ k: 'v' });
    const nxText = 'ERR NX and XX, GT or LT options at the same time are not compatible';
    await expectError(call('EXPIRE', 'k', 100, 'nx', 'xx'), nxText);
    await expectError(call('EXPIRE', 'k', 100, 'nx', 'gt'), nxText);
    await expectError(call('PEXPIRE', 'k', 100, 'lt', 'NX'), nxText);
    await expectError(call('EXPIRE', 'k', 100, 'gt', 'lt'), 'ERR GT and LT options at the same time are not compatible');
    await expectError(call('EXPIRE', 'k', 100, 'foo'), 'ERR Unsupported option foo');
    await expectError(call('EXPIRE', 'k', 'abc', 'foo'), 'ERR Unsupported option foo');
    await expectError(call('EXPIRE', 'nokey', 100, 'nx', 'Bar'), 'ERR Unsupported option Bar');
    await expectError(call('EXPIRE', 'k', 'abc'), 'ERR value is not an integer or out of range');
    await expectError(call('EXPIRE', 'k', '1.5'), 'ERR value is not an integer or out of range');
    await expectError(call('EXPIRE', 'k'), "ERR wrong number of arguments for 'expire' command");
    expect(await call('TTL', 'k')).toBe(-1);
  });

  it('reports int64 overflow as an invalid expire time', async () => {
    seed({ k: 'v' });
    await expectError(call('EXPIRE', 'k', '9223372036854775807'), "ERR invalid expire time in 'expire' command");
    await expectError(call('EXPIRE', 'k', '9223372036854775'), "ERR invalid expire time in 'expire' command");
    await expectError(call('EXPIRE', 'k', '-9223372036854775808'), "ERR invalid expire time in 'expire' command");
    await expectError(call('PEXPIRE', 'k', '9223372036854775807'), "ERR invalid expire time in 'pexpire' command");
    await expectError(call('EXPIREAT', 'k', '9223372036854775807'), "ERR invalid expire time in 'expireat' command");
    await expectError(call('EXPIRE', 'k', '9223372036854774'), "ERR invalid expire time in 'expire' command");
    expect(await call('EXISTS', 'k')).toBe(1);
    expect(await call('PEXPIREAT', 'k', '9223372036854775807')).toBe(1);
    expect(await call('PEXPIRETIME', 'k')).toBe(9223372036854775807n);
    expect(await call('EXPIRETIME', 'k')).toBe(9223372036854776n);
    expect(await call('EXPIRE', 'k', '-9223372036854775')).toBe(1);
    expect(await call('EXISTS', 'k')).toBe(0);
  });
});

describe('TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST', () => {
  it('answers -2 for a missing key and -1 for no TTL', async () => {
    seed({ k: 'v' });
    for (const command of ['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']) {
      expect(await call(command, 'nokey')).toBe(-2);
      expect(await call(command, 'k')).toBe(-1);
    }
    expect(await call('PERSIST', 'k')).toBe(0);
    expect(await call('PERSIST', 'nokey')).toBe(0);
  });

  it('EXPIRETIME rounds the absolute time to the nearest second', async () => {
    seed({ k: 'v' });
    await call('EXPIREAT', 'k', 4_000_000_000);
    expect(await call('EXPIRETIME', 'k')).toBe(4_000_000_000);
    expect(await call('PEXPIRETIME', 'k')).toBe(4_000_000_000_000);
    await call('PEXPIREAT', 'k', 4_000_000_000_499);
    expect(await call('EXPIRETIME', 'k')).toBe(4_000_000_000);
    await call('PEXPIREAT', 'k', 4_000_000_000_500);
    expect(await call('EXPIRETIME', 'k')).toBe(4_000_000_001);
  });

  it('PERSIST removes the TTL', async () => {
    seed({ k: 'v' });
    await call('EXPIRE', 'k', 10);
    expect(await call('PERSIST', 'k')).toBe(1);
    expect(await call('TTL', 'k')).toBe(-1);
    clock.advance(20_000);
    expect(await call('EXISTS', 'k')).toBe(1);
  });
});

describe('expiry times past 2^53 ms (exact int64 arithmetic, as redis-server 7.0.15)', () => {
  /** The raw integer reply of a command, as text without the framing. */
  async function integer(...args: string[]): Promise<string> {
    const reply = (await client.callRaw(...args)).toString('latin1');
    expect(reply).toMatch(/^:-?\d+\r\n$/);
    return reply.slice(1, -2);
  }

  it('PEXPIRETIME reads back the exact time; TTL and PTTL count from now exactly', async () => {
    seed({ k: 'v' });
    for (const at of [2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 53n + 3n, 2n ** 62n + 1n, 2n ** 63n - 2n]) {
      expect(await integer('PEXPIREAT', 'k', String(at))).toBe('1');
      expect(await integer('PEXPIRETIME', 'k')).toBe(String(at));
      expect(await integer('EXPIRETIME', 'k')).toBe(String((at + 500n) / 1000n));
      const ttl = at - BigInt(START);
      expect(await integer('PTTL', 'k')).toBe(String(ttl));
      expect(await integer('TTL', 'k')).toBe(String((ttl + 500n) / 1000n));
    }
  });

  it('rounding seconds near 2^63 does not overflow (Redis answers the exact quotient)', async () => {
    seed({ k: 'v' });
    await integer('PEXPIREAT', 'k', '9223372036854775807');
    expect(await integer('EXPIRETIME', 'k')).toBe('9223372036854776');
    expect(await integer('PEXPIRETIME', 'k')).toBe('9223372036854775807');
    await integer('PEXPIREAT', 'k', '9223372036854775308');
    expect(await integer('EXPIRETIME', 'k')).toBe('9223372036854775');
  });

  it('relative times add now exactly; EXPIRE multiplies exactly', async () => {
    seed({ k: 'v' });
    await integer('PEXPIRE', 'k', String(2n ** 53n + 1n - BigInt(START) + 2n));
    expect(await integer('PEXPIRETIME', 'k')).toBe(String(2n ** 53n + 3n));
    await integer('EXPIRE', 'k', '9007199254741');
    expect(await integer('PEXPIRETIME', 'k')).toBe(String(9007199254741000n + BigInt(START)));
    await integer('EXPIREAT', 'k', '9223372036854775');
    expect(await integer('PEXPIRETIME', 'k')).toBe('9223372036854775000');
    await expectError(call('EXPIRE', 'k', '9223372036854775'), "ERR invalid expire time in 'expire' command");
    await expectError(
      call('PEXPIRE', 'k', String(2n ** 63n - BigInt(START))),
      "ERR invalid expire time in 'pexpire' command",
    );
    expect(await integer('PEXPIRE', 'k', String(2n ** 63n - 1n - BigInt(START)))).toBe('1');
    expect(await integer('PEXPIRETIME', 'k')).toBe('9223372036854775807');
  });

  it('GT and LT compare exact times', async () => {
    seed({ k: 'v' });
    await integer('PEXPIREAT', 'k', '9007199254740993');
    expect(await integer('PEXPIREAT', 'k', '9007199254740992', 'GT')).toBe('0');
    expect(await integer('PEXPIREAT', 'k', '9007199254740993', 'GT')).toBe('0');
    expect(await integer('PEXPIREAT', 'k', '9007199254740993', 'LT')).toBe('0');
    expect(await integer('PEXPIREAT', 'k', '9007199254740994', 'LT')).toBe('0');
    expect(await integer('PEXPIREAT', 'k', '9007199254740992', 'LT')).toBe('1');
    expect(await integer('PEXPIREAT', 'k', '9007199254740993', 'GT')).toBe('1');
    expect(await integer('PEXPIRETIME', 'k')).toBe('9007199254740993');
  });

  it('SET, GETEX, SETEX and PSETEX keep exact times', async () => {
    await call('SET', 'k', 'v', 'PXAT', '9007199254740993');
    expect(await integer('PEXPIRETIME', 'k')).toBe('9007199254740993');
    await call('SET', 'k', 'v', 'EXAT', '9223372036854775');
    expect(await integer('PEXPIRETIME', 'k')).toBe('9223372036854775000');
    await call('SET', 'k', 'w', 'KEEPTTL');
    expect(await integer('PEXPIRETIME', 'k')).toBe('9223372036854775000');
    await call('GETEX', 'k', 'PXAT', '9007199254740995');
    expect(await integer('PEXPIRETIME', 'k')).toBe('9007199254740995');
    await call('GETEX', 'k', 'PX', String(2n ** 53n + 1n - BigInt(START)));
    expect(await integer('PEXPIRETIME', 'k')).toBe('9007199254740993');
    await call('PSETEX', 'k', String(2n ** 53n + 5n - BigInt(START)), 'v');
    expect(await integer('PEXPIRETIME', 'k')).toBe('9007199254740997');
    await call('SETEX', 'k', '9007199254741', 'v');
    expect(await integer('PEXPIRETIME', 'k')).toBe(String(9007199254741000n + BigInt(START)));
    await call('GETEX', 'k', 'PERSIST');
    expect(await integer('PEXPIRETIME', 'k')).toBe('-1');
  });

  it('RENAME, COPY and MOVE carry the exact time', async () => {
    seed({ k: 'v' });
    await integer('PEXPIREAT', 'k', '9007199254740993');
    await call('RENAME', 'k', 'r');
    expect(await integer('PEXPIRETIME', 'r')).toBe('9007199254740993');
    await call('COPY', 'r', 'c');
    expect(await integer('PEXPIRETIME', 'c')).toBe('9007199254740993');
    await call('COPY', 'r', 'c1', 'DB', '1');
    expect(await integer('MOVE', 'c', '2')).toBe('1');
    await call('SELECT', 2);
    expect(await integer('PEXPIRETIME', 'c')).toBe('9007199254740993');
    await call('SELECT', 1);
    expect(await integer('PEXPIRETIME', 'c1')).toBe('9007199254740993');
    expect(db(1).getExpireExact!('c1')).toBe(9007199254740993n);
  });
});

describe('expired keys are invisible', () => {
  it('to KEYS, SCAN, EXISTS, DBSIZE, RANDOMKEY, TYPE and TTL', async () => {
    seed({ live: 'v', gone1: 'v', gone2: list('a') });
    await call('PEXPIRE', 'gone1', 10);
    await call('PEXPIRE', 'gone2', 20);
    expect(await call('DBSIZE')).toBe(3);
    clock.advance(20);
    expect(await call('DBSIZE')).toBe(1);
    expect(await call('KEYS', '*')).toEqual(['live']);
    expect(await call('SCAN', 0)).toEqual(['0', ['live']]);
    expect(await call('EXISTS', 'gone1', 'gone2', 'live')).toBe(1);
    expect(await call('TYPE', 'gone2')).toEqual(new SimpleString('none'));
    expect(await call('TTL', 'gone1')).toBe(-2);
    for (let attempt = 0; attempt < 10; attempt++) expect(await call('RANDOMKEY')).toBe('live');
    expect(await call('DEL', 'gone1')).toBe(0);
    expect(await call('PERSIST', 'gone1')).toBe(0);
    expect(await call('EXPIRE', 'gone1', 10)).toBe(0);
    await expectError(call('RENAME', 'gone1', 'x'), 'ERR no such key');
  });

  it('to KEYS and SCAN even before anything reclaims them', async () => {
    seed({ a: 'v', b: 'v' });
    await call('PEXPIRE', 'a', 5);
    clock.advance(5);
    expect(await call('KEYS', '*')).toEqual(['b']);
    expect(await call('SCAN', 0, 'COUNT', 100)).toEqual(['0', ['b']]);
  });
});

describe('KEYS', () => {
  it('matches glob patterns', async () => {
    seed({ hello: '1', hallo: '2', hxllo: '3', heeeello: '4', other: '5' });
    const sorted = async (pattern: string) => ((await call('KEYS', pattern)) as string[]).sort();
    expect(await sorted('*')).toEqual(['hallo', 'heeeello', 'hello', 'hxllo', 'other']);
    expect(await sorted('h?llo')).toEqual(['hallo', 'hello', 'hxllo']);
    expect(await sorted('h*llo')).toEqual(['hallo', 'heeeello', 'hello', 'hxllo']);
    expect(await sorted('h[ae]llo')).toEqual(['hallo', 'hello']);
    expect(await sorted('h[^e]llo')).toEqual(['hallo', 'hxllo']);
    expect(await sorted('nomatch*')).toEqual([]);
    await expectError(call('KEYS'), "ERR wrong number of arguments for 'keys' command");
    await expectError(call('KEYS', 'a', 'b'), "ERR wrong number of arguments for 'keys' command");
  });
});

describe('SCAN', () => {
  /** Runs a SCAN to completion and returns every key seen (and how many calls it took). */
  async function scanAll(...options: Array<string | number>): Promise<{ keys: string[]; calls: number }> {
    let cursor = '0';
    const keys: string[] = [];
    let calls = 0;
    do {
      const reply = (await call('SCAN', cursor, ...options)) as [string, string[]];
      expect(typeof reply[0]).toBe('string');
      cursor = reply[0];
      keys.push(...reply[1]);
      calls++;
    } while (cursor !== '0');
    return { keys, calls };
  }

  it('a full iteration returns every key exactly once', async () => {
    const expected: string[] = [];
    for (let index = 0; index < 1000; index++) {
      db().set(`key:${index}`, String(index));
      expected.push(`key:${index}`);
    }
    const { keys, calls } = await scanAll();
    expect(keys.sort()).toEqual(expected.sort());
    expect(calls).toBeGreaterThan(10);
    const big = await scanAll('COUNT', 5000);
    expect(big.calls).toBe(1);
    expect(big.keys).toHaveLength(1000);
  });

  it('keys that exist for the whole scan are returned even when others come and go', async () => {
    for (let index = 0; index < 300; index++) db().set(`stay:${index}`, 'v');
    let cursor = '0';
    const seen = new Set<string>();
    let round = 0;
    do {
      const reply = (await call('SCAN', cursor, 'COUNT', 7)) as [string, string[]];
      cursor = reply[0];
      for (const key of reply[1]) seen.add(key);
      db().set(`temp:${round}`, 'v');
      if (round > 2) db().delete(`temp:${round - 2}`);
      round++;
    } while (cursor !== '0');
    for (let index = 0; index < 300; index++) expect(seen.has(`stay:${index}`)).toBe(true);
  });

  it('filters with MATCH and TYPE after the step, as Redis does', async () => {
    seed({ 'user:1': 'a', 'user:2': list('x'), 'item:1': 'b', 'user:3': new Map([['f', 'v']]) });
    expect((await scanAll('MATCH', 'user:*')).keys.sort()).toEqual(['user:1', 'user:2', 'user:3']);
    expect((await scanAll('MATCH', 'user:*', 'TYPE', 'string')).keys).toEqual(['user:1']);
    expect((await scanAll('type', 'LIST', 'count', 1)).keys).toEqual(['user:2']);
    expect((await scanAll('TYPE', 'nosuchtype')).keys).toEqual([]);
    expect((await scanAll('MATCH', '*')).keys).toHaveLength(4);
    // MATCH filters what the step found: a step may come back empty with a non-zero cursor.
    for (let index = 0; index < 100; index++) db().set(`filler:${index}`, 'v');
    const first = (await call('SCAN', 0, 'MATCH', 'nothing*', 'COUNT', 10)) as [string, string[]];
    expect(first[0]).not.toBe('0');
    expect(first[1]).toEqual([]);
  });

  it('parses the cursor as strtoul does', async () => {
    seed({ k: 'v' });
    expect(await call('SCAN', '')).toEqual(['0', ['k']]);
    expect(await call('SCAN', '+0')).toEqual(['0', ['k']]);
    expect(await call('SCAN', '00')).toEqual(['0', ['k']]);
    expect(((await call('SCAN', '-1')) as RespValue[])[0]).toBe('0');
    expect(((await call('SCAN', '18446744073709551615')) as RespValue[])[0]).toBe('0');
    for (const bad of ['abc', ' 0', '0 ', '+', '-', '1.5', '18446744073709551616', '-18446744073709551616']) {
      await expectError(call('SCAN', bad), 'ERR invalid cursor');
    }
    await expectError(call('SCAN', 'abc', 'COUNT', 0), 'ERR invalid cursor');
  });

  it('rejects bad options', async () => {
    await expectError(call('SCAN', 0, 'COUNT', 0), 'ERR syntax error');
    await expectError(call('SCAN', 0, 'COUNT', -1), 'ERR syntax error');
    await expectError(call('SCAN', 0, 'COUNT', 'abc'), 'ERR value is not an integer or out of range');
    await expectError(call('SCAN', 0, 'COUNT'), 'ERR syntax error');
    await expectError(call('SCAN', 0, 'MATCH'), 'ERR syntax error');
    await expectError(call('SCAN', 0, 'TYPE'), 'ERR syntax error');
    await expectError(call('SCAN', 0, 'foo', 'bar'), 'ERR syntax error');
    await expectError(call('SCAN'), "ERR wrong number of arguments for 'scan' command");
  });

  it('replies the cursor as a bulk string in RESP2 and RESP3', async () => {
    seed({ k: 'v' });
    const expected = '*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n';
    expect(await rawReply(['SCAN', '0'], false, expected.length)).toBe(expected);
    expect(await rawReply(['SCAN', '0'], true, expected.length)).toBe(expected);
  });
});

describe('RENAME and RENAMENX', () => {
  it('moves the value and keeps its TTL', async () => {
    seed({ a: 'v', b: 'old' });
    await call('PEXPIRE', 'a', 5000);
    await call('PEXPIRE', 'b', 9000);
    expect(await call('RENAME', 'a', 'b')).toEqual(new SimpleString('OK'));
    expect(db().get('b')).toBe('v');
    expect(await call('EXISTS', 'a')).toBe(0);
    expect(await call('PTTL', 'b')).toBe(5000);
    seed({ c: list('x') });
    expect(await call('RENAME', 'c', 'b')).toEqual(new SimpleString('OK'));
    expect(await call('TYPE', 'b')).toEqual(new SimpleString('list'));
    expect(await call('PTTL', 'b')).toBe(-1);
  });

  it('renaming a key to itself', async () => {
    seed({ a: 'v' });
    await call('EXPIRE', 'a', 10);
    expect(await call('RENAME', 'a', 'a')).toEqual(new SimpleString('OK'));
    expect(await call('RENAMENX', 'a', 'a')).toBe(0);
    expect(await call('TTL', 'a')).toBe(10);
    await expectError(call('RENAME', 'nokey', 'nokey'), 'ERR no such key');
    await expectError(call('RENAMENX', 'nokey', 'nokey'), 'ERR no such key');
  });

  it('RENAMENX only when the new name is free', async () => {
    seed({ a: 'v', b: 'w' });
    expect(await call('RENAMENX', 'a', 'b')).toBe(0);
    expect(db().get('a')).toBe('v');
    expect(await call('RENAMENX', 'a', 'c')).toBe(1);
    expect(db().get('c')).toBe('v');
    await expectError(call('RENAME', 'nokey', 'x'), 'ERR no such key');
    await expectError(call('RENAMENX', 'nokey', 'x'), 'ERR no such key');
    await expectError(call('RENAME', 'a'), "ERR wrong number of arguments for 'rename' command");
  });
});

describe('RANDOMKEY and DBSIZE', () => {
  it('RANDOMKEY answers a live key, or null when empty', async () => {
    expect(await call('RANDOMKEY')).toBeNull();
    seed({ a: '1', b: '2', c: '3' });
    const seen = new Set<RespValue>();
    for (let attempt = 0; attempt < 50; attempt++) seen.add(await call('RANDOMKEY'));
    expect([...seen].every((key) => ['a', 'b', 'c'].includes(key as string))).toBe(true);
    expect(seen.size).toBeGreaterThan(1);
    await expectError(call('RANDOMKEY', 'x'), "ERR wrong number of arguments for 'randomkey' command");
  });

  it('RANDOMKEY on an empty database is $-1 in RESP2 and _ in RESP3', async () => {
    expect(await rawReply(['RANDOMKEY'], false, 5)).toBe('$-1\r\n');
    expect(await rawReply(['RANDOMKEY'], true, 3)).toBe('_\r\n');
  });

  it('DBSIZE counts the selected database', async () => {
    seed({ a: '1', b: '2' });
    db(1).set('c', '3');
    expect(await call('DBSIZE')).toBe(2);
    await call('SELECT', 1);
    expect(await call('DBSIZE')).toBe(1);
    await expectError(call('DBSIZE', 'x'), "ERR wrong number of arguments for 'dbsize' command");
  });
});

describe('MOVE', () => {
  it('moves a key with its TTL to another database', async () => {
    seed({ k: 'v' });
    await call('PEXPIRE', 'k', 7000);
    expect(await call('MOVE', 'k', 1)).toBe(1);
    expect(await call('EXISTS', 'k')).toBe(0);
    expect(db(1).get('k')).toBe('v');
    expect(db(1).getExpire('k')).toBe(START + 7000);
  });

  it('answers 0 when the key is missing or already in the target', async () => {
    seed({ k: 'v' });
    db(2).set('k', 'other');
    expect(await call('MOVE', 'nokey', 1)).toBe(0);
    expect(await call('MOVE', 'k', 2)).toBe(0);
    expect(db().get('k')).toBe('v');
    expect(db(2).get('k')).toBe('other');
  });

  it('checks the DB index first', async () => {
    await expectError(call('MOVE', 'nokey', 0), 'ERR source and destination objects are the same');
    await expectError(call('MOVE', 'nokey', 16), 'ERR DB index is out of range');
    await expectError(call('MOVE', 'nokey', -1), 'ERR DB index is out of range');
    await expectError(call('MOVE', 'nokey', 'abc'), 'ERR value is not an integer or out of range');
    await expectError(
      call('MOVE', 'nokey', '2147483648'),
      'ERR value is out of range, value must between -2147483648 and 2147483647',
    );
    await expectError(call('MOVE', 'nokey'), "ERR wrong number of arguments for 'move' command");
  });
});

describe('COPY', () => {
  it('copies strings and keeps the TTL', async () => {
    seed({ s: 'v', b: Buffer.from('bytes') });
    await call('PEXPIRE', 's', 3000);
    expect(await call('COPY', 's', 's2')).toBe(1);
    expect(db().get('s2')).toBe('v');
    expect(await call('PTTL', 's2')).toBe(3000);
    expect(await call('COPY', 'b', 'b2')).toBe(1);
    const copy = db().get('b2') as Buffer;
    expect(copy.equals(Buffer.from('bytes'))).toBe(true);
    copy[0] = 0x42;
    expect((db().get('b') as Buffer).toString('latin1')).toBe('bytes');
  });

  it('deep-copies containers', async () => {
    seed({
      l: list('a', 'b', 'c'),
      h: new Map([['f', 'v'], ['g', 'w']]),
      set: new Set(['x', 'y']),
      z: zset(['m', 1], ['n', 2.5]),
    });
    for (const key of ['l', 'h', 'set', 'z']) expect(await call('COPY', key, `${key}:copy`)).toBe(1);
    const listCopy = db().get('l:copy') as ListValue;
    listCopy.pushBack('d');
    expect([...(db().get('l') as ListValue)]).toEqual(['a', 'b', 'c']);
    expect([...listCopy]).toEqual(['a', 'b', 'c', 'd']);
    const hashCopy = db().get('h:copy') as HashValue;
    hashCopy.set('new', '1');
    expect([...(db().get('h') as HashValue)]).toEqual([['f', 'v'], ['g', 'w']]);
    const setCopy = db().get('set:copy') as SetValue;
    setCopy.delete('x');
    expect([...(db().get('set') as SetValue)]).toEqual(['x', 'y']);
    const zsetCopy = db().get('z:copy') as SortedSetValue;
    expect([...zsetCopy]).toEqual([{ member: 'm', score: 1 }, { member: 'n', score: 2.5 }]);
    zsetCopy.add('o', 3);
    expect((db().get('z') as SortedSetValue).size).toBe(2);
    expect(await call('TYPE', 'z:copy')).toEqual(new SimpleString('zset'));
  });

  it('DB and REPLACE', async () => {
    seed({ a: 'v', b: 'taken' });
    await call('PEXPIRE', 'b', 1000);
    expect(await call('COPY', 'a', 'b')).toBe(0);
    expect(await call('COPY', 'a', 'b', 'REPLACE')).toBe(1);
    expect(db().get('b')).toBe('v');
    expect(await call('PTTL', 'b')).toBe(-1);
    expect(await call('COPY', 'a', 'a', 'DB', 3)).toBe(1);
    expect(db(3).get('a')).toBe('v');
    expect(await call('COPY', 'a', 'a', 'db', 3)).toBe(0);
    expect(await call('COPY', 'a', 'a', 'replace', 'db', 3, 'replace')).toBe(1);
    expect(await call('COPY', 'nokey', 'x')).toBe(0);
    expect(await call('COPY', 'nokey', 'x', 'REPLACE', 'REPLACE')).toBe(0);
  });

  it('errors', async () => {
    await expectError(call('COPY', 'nokey', 'nokey'), 'ERR source and destination objects are the same');
    await expectError(call('COPY', 'nokey', 'nokey', 'DB', 0), 'ERR source and destination objects are the same');
    await expectError(call('COPY', 'nokey', 'x', 'DB', 16), 'ERR DB index is out of range');
    await expectError(call('COPY', 'nokey', 'x', 'DB', -1), 'ERR DB index is out of range');
    await expectError(call('COPY', 'nokey', 'x', 'DB', 'abc'), 'ERR value is not an integer or out of range');
    await expectError(call('COPY', 'nokey', 'x', 'DB'), 'ERR syntax error');
    await expectError(call('COPY', 'nokey', 'x', 'foo'), 'ERR syntax error');
    await expectError(call('COPY', 'a'), "ERR wrong number of arguments for 'copy' command");
  });
});

describe('FLUSHDB, FLUSHALL, SWAPDB', () => {
  it('FLUSHDB empties the selected database only', async () => {
    seed({ a: '1' });
    db(1).set('b', '2');
    expect(await call('FLUSHDB')).toEqual(new SimpleString('OK'));
    expect(db().size()).toBe(0);
    expect(db(1).size()).toBe(1);
    seed({ a: '1' });
    expect(await call('FLUSHDB', 'ASYNC')).toEqual(new SimpleString('OK'));
    expect(await call('FLUSHDB', 'sync')).toEqual(new SimpleString('OK'));
    expect(db().size()).toBe(0);
    await expectError(call('FLUSHDB', 'foo'), 'ERR syntax error');
    await expectError(call('FLUSHDB', 'ASYNC', 'SYNC'), 'ERR syntax error');
  });

  it('FLUSHALL empties every database', async () => {
    seed({ a: '1' });
    db(5).set('b', '2');
    expect(await call('FLUSHALL', 'SYNC')).toEqual(new SimpleString('OK'));
    expect(db().size() + db(5).size()).toBe(0);
    expect(await call('FLUSHALL', 'async')).toEqual(new SimpleString('OK'));
    await expectError(call('FLUSHALL', 'x'), 'ERR syntax error');
    await expectError(call('FLUSHALL', 'async', 'x'), 'ERR syntax error');
  });

  it('SWAPDB exchanges contents, TTLs included', async () => {
    seed({ a: '1' });
    await call('PEXPIRE', 'a', 500);
    db(1).set('b', '2');
    expect(await call('SWAPDB', 0, 1)).toEqual(new SimpleString('OK'));
    expect(await call('KEYS', '*')).toEqual(['b']);
    await call('SELECT', 1);
    expect(await call('PTTL', 'a')).toBe(500);
    expect(await call('SWAPDB', 1, 1)).toEqual(new SimpleString('OK'));
    expect(await call('EXISTS', 'a')).toBe(1);
  });

  it('SWAPDB errors', async () => {
    await expectError(call('SWAPDB', 'a', 'b'), 'ERR invalid first DB index');
    await expectError(call('SWAPDB', 0, 'b'), 'ERR invalid second DB index');
    await expectError(call('SWAPDB', 16, 'b'), 'ERR invalid second DB index');
    await expectError(call('SWAPDB', 0, '2147483648'), 'ERR invalid second DB index');
    await expectError(call('SWAPDB', 0, 16), 'ERR DB index is out of range');
    await expectError(call('SWAPDB', -1, 0), 'ERR DB index is out of range');
    await expectError(call('SWAPDB', 0), "ERR wrong number of arguments for 'swapdb' command");
  });
});

describe('OBJECT', () => {
  const encoding = (key: string) => call('OBJECT', 'ENCODING', key);

  it('ENCODING of strings: int, embstr, raw', async () => {
    seed({
      int: '12345',
      negative: '-1',
      max: '9223372036854775807',
      over: '9223372036854775808',
      leadingZero: '01',
      space: ' 1',
      short: 'x'.repeat(44),
      long: 'x'.repeat(45),
      buffer: Buffer.from('ab'),
    });
    expect(await encoding('int')).toBe('int');
    expect(await encoding('negative')).toBe('int');
    expect(await encoding('max')).toBe('int');
    expect(await encoding('over')).toBe('embstr');
    expect(await encoding('leadingZero')).toBe('embstr');
    expect(await encoding('space')).toBe('embstr');
    expect(await encoding('short')).toBe('embstr');
    expect(await encoding('long')).toBe('raw');
    expect(await encoding('buffer')).toBe('raw');
    expect(await encoding('nokey')).toBeNull();
  });

  it('ENCODING of containers follows Redis 7.0 size limits', async () => {
    // redis-server without a config file uses 512 for hashes (redis.conf ships 128): read whichever we default to.
    const hashLimit = Number(server.config.get('hash-max-listpack-entries'));
    const fields = (count: number) => new Map(Array.from({ length: count }, (_, index) => [`f${index}`, 'v']));
    const numbers = (count: number) => new Set(Array.from({ length: count }, (_, index) => String(index)));
    seed({
      list: list('a'),
      bigList: createList(Array.from({ length: 1000 }, (_, index) => String(index))),
      hash: fields(hashLimit),
      bigHash: fields(hashLimit + 1),
      hash64: new Map([['f', 'v'.repeat(64)]]),
      hash65: new Map([['f', 'v'.repeat(65)]]),
      field65: new Map([['f'.repeat(65), 'v']]),
      intset: new Set(['1', '-9223372036854775808', '9223372036854775807']),
      intset512: numbers(512),
      set513: numbers(513),
      wordSet: new Set(['a']),
      leadingZeroSet: new Set(['01']),
      zset: zset(['a', 1]),
      zset64: zset(['m'.repeat(64), 1]),
      zset65: zset(['m'.repeat(65), 1]),
      bigZset: zset(...Array.from({ length: 129 }, (_, index): [string, number] => [`m${index}`, index])),
    });
    expect(await encoding('list')).toBe('quicklist');
    expect(await encoding('bigList')).toBe('quicklist');
    expect(await encoding('hash')).toBe('listpack');
    expect(await encoding('bigHash')).toBe('hashtable');
    expect(await encoding('hash64')).toBe('listpack');
    expect(await encoding('hash65')).toBe('hashtable');
    expect(await encoding('field65')).toBe('hashtable');
    expect(await encoding('intset')).toBe('intset');
    expect(await encoding('intset512')).toBe('intset');
    expect(await encoding('set513')).toBe('hashtable');
    expect(await encoding('wordSet')).toBe('hashtable');
    expect(await encoding('leadingZeroSet')).toBe('hashtable');
    expect(await encoding('zset')).toBe('listpack');
    expect(await encoding('zset64')).toBe('listpack');
    expect(await encoding('zset65')).toBe('skiplist');
    expect(await encoding('bigZset')).toBe('skiplist');
  });

  it('ENCODING reads the limits from the config', async () => {
    seed({ hash: new Map([['a', '1'], ['b', '2']]) });
    const previous = server.config.get('hash-max-listpack-entries');
    server.config.set('hash-max-listpack-entries', '1');
    try {
      expect(await encoding('hash')).toBe('hashtable');
    } finally {
      server.config.set('hash-max-listpack-entries', previous);
    }
    expect(await encoding('hash')).toBe('listpack');
  });

  it('REFCOUNT: shared integers 0..9999 read as INT_MAX', async () => {
    seed({ zero: '0', top: '9999', over: '10000', negative: '-1', text: 'v', l: list('a') });
    expect(await call('OBJECT', 'REFCOUNT', 'zero')).toBe(2147483647);
    expect(await call('OBJECT', 'REFCOUNT', 'top')).toBe(2147483647);
    expect(await call('OBJECT', 'REFCOUNT', 'over')).toBe(1);
    expect(await call('OBJECT', 'REFCOUNT', 'negative')).toBe(1);
    expect(await call('OBJECT', 'REFCOUNT', 'text')).toBe(1);
    expect(await call('OBJECT', 'REFCOUNT', 'l')).toBe(1);
    expect(await call('OBJECT', 'REFCOUNT', 'nokey')).toBeNull();
    // With maxmemory and an LRU/LFU policy, Redis stops sharing integers.
    server.config.set('maxmemory', '100mb');
    server.config.set('maxmemory-policy', 'allkeys-lru');
    expect(await call('OBJECT', 'REFCOUNT', 'zero')).toBe(1);
  });

  it('IDLETIME and FREQ depend on the maxmemory policy', async () => {
    seed({ k: 'v' });
    const note = 'Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
    expect(await call('OBJECT', 'IDLETIME', 'k')).toBe(0);
    expect(await call('OBJECT', 'IDLETIME', 'nokey')).toBeNull();
    await expectError(
      call('OBJECT', 'FREQ', 'k'),
      `ERR An LFU maxmemory policy is not selected, access frequency not tracked. ${note}`,
    );
    expect(await call('OBJECT', 'FREQ', 'nokey')).toBeNull();
    server.config.set('maxmemory-policy', 'allkeys-lfu');
    // A key written under the LFU policy starts at LFU_INIT_VAL (one written before reads its LRU data as LFU).
    await call('DEL', 'k');
    await call('SET', 'k', 'v');
    expect(await call('OBJECT', 'FREQ', 'k')).toBe(5);
    await expectError(
      call('OBJECT', 'IDLETIME', 'k'),
      `ERR An LFU maxmemory policy is selected, idle time not tracked. ${note}`,
    );
    expect(await call('OBJECT', 'IDLETIME', 'nokey')).toBeNull();
  });

  it('HELP and argument errors', async () => {
    const help = (await call('OBJECT', 'help')) as SimpleString[];
    expect(help).toHaveLength(15);
    expect(help[0]).toEqual(new SimpleString('OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:'));
    expect(help[14]).toEqual(new SimpleString('    Prints this help.'));
    await expectError(call('OBJECT'), "ERR wrong number of arguments for 'object' command");
    await expectError(call('OBJECT', 'foo'), "ERR unknown subcommand 'foo'. Try OBJECT HELP.");
    await expectError(call('OBJECT', 'encoding'), "ERR wrong number of arguments for 'object|encoding' command");
    await expectError(call('OBJECT', 'help', 'x'), "ERR wrong number of arguments for 'object|help' command");
  });

  it('a missing key is $-1 in RESP2 and _ in RESP3', async () => {
    expect(await rawReply(['OBJECT', 'ENCODING', 'nokey'], false, 5)).toBe('$-1\r\n');
    expect(await rawReply(['OBJECT', 'ENCODING', 'nokey'], true, 3)).toBe('_\r\n');
  });
});

describe('command table', () => {
  it('COMMAND INFO reports Redis 7.0 flags, key positions and categories', async () => {
    const info = (await call('COMMAND', 'INFO', 'del', 'exists', 'rename', 'keys', 'flushall', 'object|encoding')) as
      RespValue[][];
    const summary = info.map((entry) => [
      entry[0], entry[1], (entry[2] as SimpleString[]).map((flag) => flag.value), entry[3], entry[4], entry[5],
      (entry[6] as SimpleString[]).map((category) => category.value).sort(),
    ]);
    expect(summary).toEqual([
      ['del', -2, ['write'], 1, -1, 1, ['@keyspace', '@slow', '@write']],
      ['exists', -2, ['readonly', 'fast'], 1, -1, 1, ['@fast', '@keyspace', '@read']],
      ['rename', 3, ['write'], 1, 2, 1, ['@keyspace', '@slow', '@write']],
      ['keys', 2, ['readonly'], 0, 0, 0, ['@dangerous', '@keyspace', '@read', '@slow']],
      ['flushall', -1, ['write'], 0, 0, 0, ['@dangerous', '@keyspace', '@slow', '@write']],
      ['object|encoding', 3, ['readonly'], 2, 2, 1, ['@keyspace', '@read', '@slow']],
    ]);
  });

  it('DUMP and RESTORE are not registered yet', async () => {
    await expectError(call('DUMP', 'k'), "ERR unknown command 'DUMP', with args beginning with: 'k' ");
  });
});
