/**
 * The string family over real sockets: options and error texts, binary values, TTL interactions (with a manual
 * clock), counters at the int64 edges, INCRBYFLOAT's long double results, LCS in RESP2 and RESP3. Fixed expectations
 * were taken from redis-server 7.0.15; the differential suite at the end runs the same scripts against a real
 * redis-server and compares the reply bytes.
 */
import { createList, ManualClock } from '@mini-redis/store';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { RawClient, startTestServer, type Command } from './helpers.js';
import { startSideBySide, type SideBySide } from './side-by-side.js';

const START = 1_700_000_000_000;
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const SYNTAX = '-ERR syntax error\r\n';
const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';

let server: MiniRedisServer;
let clock: ManualClock;
let client: RawClient;

/** The reply bytes of a command, as a latin1 string. */
async function raw(...args: Command): Promise<string> {
  return (await client.callRaw(...args)).toString('latin1');
}

/** Puts a list under key, straight into the store (the list family is not needed to test WRONGTYPE). */
function putList(key: string): void {
  const list = createList();
  list.pushBack('a');
  server.store.db(0).set(key, list);
}

function bulk(text: string): string {
  return `$${text.length}\r\n${text}\r\n`;
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
  await client.call('FLUSHALL');
});

describe('GET and SET', () => {
  test('round-trip every byte value', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    expect(await raw('SET', all, all)).toBe('+OK\r\n');
    const reply = await client.callRaw('GET', all);
    expect(reply).toEqual(Buffer.concat([Buffer.from('$256\r\n'), all, Buffer.from('\r\n')]));
    expect(await raw('STRLEN', all)).toBe(':256\r\n');
    expect(await raw('GET', 'missing')).toBe('$-1\r\n');
  });

  test('NX, XX and GET', async () => {
    expect(await raw('SET', 'k', 'v', 'NX', 'GET')).toBe('$-1\r\n');
    expect(await raw('SET', 'k', 'v2', 'NX', 'GET')).toBe(bulk('v'));
    expect(await raw('SET', 'k', 'v2', 'NX')).toBe('$-1\r\n');
    expect(await raw('SET', 'other', 'v', 'XX')).toBe('$-1\r\n');
    expect(await raw('SET', 'k', 'v3', 'XX', 'GET')).toBe(bulk('v'));
    expect(await raw('SET', 'k', 'v4', 'GET', 'GET')).toBe(bulk('v3'));
    expect(await raw('SET', 'k', 'v5', 'xx', 'xx')).toBe('+OK\r\n');
    expect(await raw('GET', 'k')).toBe(bulk('v5'));
  });

  test('conflicting or incomplete options are syntax errors', async () => {
    for (const options of [
      ['NX', 'XX'],
      ['XX', 'NX'],
      ['EX', '10', 'PX', '20'],
      ['KEEPTTL', 'EX', '1'],
      ['PXAT', '1', 'KEEPTTL'],
      ['EX'],
      ['PERSIST'],
      ['FOO'],
    ]) {
      expect(await raw('SET', 'k', 'v', ...options)).toBe(SYNTAX);
    }
    expect(await raw('SET', 'k', 'v', 'EX', 'x')).toBe(NOT_INTEGER);
  });

  test('invalid expire times', async () => {
    const invalid = "-ERR invalid expire time in 'set' command\r\n";
    for (const [unit, time] of [
      ['EX', '0'],
      ['EX', '-1'],
      ['PX', '0'],
      ['EXAT', '-5'],
      ['EX', '9223372036854775'],
      ['EX', '9223372036854776'],
      ['PX', '9223372036854775807'],
    ] as const) {
      expect(await raw('SET', 'k', 'v', unit, time)).toBe(invalid);
    }
    expect(await raw('SET', 'k', 'v', 'PXAT', '9223372036854775807')).toBe('+OK\r\n');
    expect(await raw('SETEX', 'k', '0', 'v')).toBe("-ERR invalid expire time in 'setex' command\r\n");
    expect(await raw('PSETEX', 'k', '-1', 'v')).toBe("-ERR invalid expire time in 'psetex' command\r\n");
    expect(await raw('SETEX', 'k', 'x', 'v')).toBe(NOT_INTEGER);
  });

  test('SET ... GET on a non-string is WRONGTYPE and does not write', async () => {
    putList('l');
    expect(await raw('SET', 'l', 'v', 'GET')).toBe(WRONGTYPE);
    expect(await raw('SET', 'l', 'v', 'NX', 'GET')).toBe(WRONGTYPE);
    expect(await raw('SET', 'l', 'v', 'GET', 'EX', '0')).toBe("-ERR invalid expire time in 'set' command\r\n");
    expect(server.store.db(0).type('l')).toBe('list');
    expect(await raw('SET', 'l', 'v')).toBe('+OK\r\n');
    expect(await raw('GET', 'l')).toBe(bulk('v'));
  });

  test('SETNX, GETSET, GETDEL', async () => {
    expect(await raw('SETNX', 'k', 'a')).toBe(':1\r\n');
    expect(await raw('SETNX', 'k', 'b')).toBe(':0\r\n');
    expect(await raw('GETSET', 'k', 'c')).toBe(bulk('a'));
    expect(await raw('GETSET', 'new', 'c')).toBe('$-1\r\n');
    expect(await raw('GETDEL', 'k')).toBe(bulk('c'));
    expect(await raw('GETDEL', 'k')).toBe('$-1\r\n');
    putList('l');
    for (const command of [['GETSET', 'l', 'x'], ['GETDEL', 'l'], ['GET', 'l'], ['STRLEN', 'l'], ['APPEND', 'l', 'x']]) {
      expect(await raw(...command)).toBe(WRONGTYPE);
    }
  });
});

describe('expiry', () => {
  const db = () => server.store.db(0);

  test('EX, PX, EXAT, PXAT set absolute times from the store clock', async () => {
    await client.call('SET', 'a', 'v', 'EX', '10');
    await client.call('SET', 'b', 'v', 'PX', '1500');
    await client.call('SET', 'c', 'v', 'EXAT', String(START / 1000 + 30));
    await client.call('SET', 'd', 'v', 'PXAT', String(START + 42));
    await client.call('SETEX', 'e', '5', 'v');
    await client.call('PSETEX', 'f', '250', 'v');
    expect(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => db().getExpire(key)! - START)).toEqual([
      10_000, 1500, 30_000, 42, 5000, 250,
    ]);
    clock.advance(1500);
    expect(await raw('GET', 'b')).toBe('$-1\r\n');
    expect(await raw('GET', 'a')).toBe(bulk('v'));
    expect(await raw('SET', 'g', 'v', 'EXAT', '1')).toBe('+OK\r\n');
    expect(db().has('g')).toBe(false);
  });

  test('which commands keep the TTL', async () => {
    const at = () => db().getExpire('k');
    await client.call('SET', 'k', '10', 'EX', '100');
    const expiry = at();
    for (const command of [
      ['INCR', 'k'],
      ['DECRBY', 'k', '3'],
      ['INCRBYFLOAT', 'k', '1.5'],
      ['APPEND', 'k', '0'],
      ['SETRANGE', 'k', '0', '9'],
      ['SETBIT', 'k', '100', '1'],
      ['SET', 'k', 'v', 'KEEPTTL'],
    ]) {
      await client.call(...command);
      expect(at(), command.join(' ')).toBe(expiry);
    }
    await client.call('SET', 'k', 'v');
    expect(at()).toBeUndefined();
    await client.call('SET', 'k', 'v', 'EX', '100');
    await client.call('GETSET', 'k', 'w');
    expect(at()).toBeUndefined();
  });

  test('GETEX', async () => {
    expect(await raw('GETEX', 'missing', 'EX', '-5')).toBe('$-1\r\n');
    expect(await raw('GETEX', 'missing', 'FOO')).toBe(SYNTAX);
    await client.call('SET', 'k', 'v');
    expect(await raw('GETEX', 'k', 'EX', '-5')).toBe("-ERR invalid expire time in 'getex' command\r\n");
    expect(await raw('GETEX', 'k', 'PERSIST', 'EX', '5')).toBe(SYNTAX);
    expect(await raw('GETEX', 'k', 'KEEPTTL')).toBe(SYNTAX);
    expect(await raw('GETEX', 'k', 'NX')).toBe(SYNTAX);
    expect(await raw('GETEX', 'k', 'EX', '50')).toBe(bulk('v'));
    expect(db().getExpire('k')).toBe(clock.now() + 50_000);
    expect(await raw('GETEX', 'k', 'PX', '70')).toBe(bulk('v'));
    expect(db().getExpire('k')).toBe(clock.now() + 70);
    expect(await raw('GETEX', 'k', 'PXAT', String(clock.now() + 99))).toBe(bulk('v'));
    expect(db().getExpire('k')).toBe(clock.now() + 99);
    expect(await raw('GETEX', 'k', 'PERSIST')).toBe(bulk('v'));
    expect(db().getExpire('k')).toBeUndefined();
    expect(await raw('GETEX', 'k')).toBe(bulk('v'));
    expect(await raw('GETEX', 'k', 'EXAT', '1')).toBe(bulk('v'));
    expect(db().has('k')).toBe(false);
    putList('l');
    expect(await raw('GETEX', 'l', 'EX', '-1')).toBe(WRONGTYPE);
  });
});

describe('multiple keys', () => {
  test('MGET, MSET, MSETNX', async () => {
    putList('l');
    expect(await raw('MSET', 'a', '1', 'b', '2')).toBe('+OK\r\n');
    expect(await raw('MGET', 'a', 'l', 'b', 'none')).toBe('*4\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n$-1\r\n');
    expect(await raw('MSET', 'a', 'b', 'c')).toBe("-ERR wrong number of arguments for 'mset' command\r\n");
    expect(await raw('MSETNX', 'a', 'b', 'c')).toBe("-ERR wrong number of arguments for 'msetnx' command\r\n");
    expect(await raw('MSETNX', 'a', '9', 'z', '9')).toBe(':0\r\n');
    expect(await raw('EXISTS', 'z')).toBe(':0\r\n');
    expect(await raw('MSETNX', 'y', '8', 'z', '9')).toBe(':1\r\n');
    expect(await raw('MGET', 'y', 'z')).toBe('*2\r\n$1\r\n8\r\n$1\r\n9\r\n');
  });
});

describe('ranges', () => {
  test('APPEND and STRLEN', async () => {
    expect(await raw('APPEND', 'k', 'hello')).toBe(':5\r\n');
    expect(await raw('APPEND', 'k', ' world')).toBe(':11\r\n');
    expect(await raw('APPEND', 'k', '')).toBe(':11\r\n');
    expect(await raw('GET', 'k')).toBe(bulk('hello world'));
    expect(await raw('STRLEN', 'k')).toBe(':11\r\n');
    expect(await raw('STRLEN', 'none')).toBe(':0\r\n');
  });

  test('GETRANGE / SUBSTR clamping', async () => {
    await client.call('SET', 's', 'foobar');
    const cases: Array<[string, string, string]> = [
      ['0', '2', 'foo'],
      ['-3', '-1', 'bar'],
      ['-1', '-5', ''],
      ['5', '2', ''],
      ['-100', '100', 'foobar'],
      ['10', '100', ''],
      ['3', '-100', ''],
      ['-1', '0', ''],
      ['0', '0', 'f'],
    ];
    for (const [start, end, expected] of cases) {
      expect(await raw('GETRANGE', 's', start, end), `${start} ${end}`).toBe(bulk(expected));
    }
    expect(await raw('SUBSTR', 's', '1', '3')).toBe(bulk('oob'));
    expect(await raw('GETRANGE', 'none', '0', '1')).toBe(bulk(''));
    expect(await raw('GETRANGE', 'none', 'x', '1')).toBe(NOT_INTEGER);
    putList('l');
    expect(await raw('GETRANGE', 'l', '0', '1')).toBe(WRONGTYPE);
  });

  test('SETRANGE pads with zero bytes and checks the size limit', async () => {
    expect(await raw('SETRANGE', 'k', '5', 'abc')).toBe(':8\r\n');
    expect(await client.callRaw('GET', 'k')).toEqual(Buffer.from('$8\r\n\0\0\0\0\0abc\r\n', 'latin1'));
    expect(await raw('SETRANGE', 'k', '1', '\xff\x00')).toBe(':8\r\n');
    expect(await client.callRaw('GET', 'k')).toEqual(Buffer.from('$8\r\n\0\xff\0\0\0abc\r\n', 'latin1'));
    expect(await raw('SETRANGE', 'k', '3', '')).toBe(':8\r\n');
    expect(await raw('SETRANGE', 'none', '0', '')).toBe(':0\r\n');
    expect(await raw('EXISTS', 'none')).toBe(':0\r\n');
    expect(await raw('SETRANGE', 'k', '-1', 'x')).toBe('-ERR offset is out of range\r\n');
    expect(await raw('SETRANGE', 'k', '536870912', 'x')).toBe(
      '-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n',
    );
    expect(await raw('SETRANGE', 'none', '536870912', '')).toBe(':0\r\n');
    putList('l');
    expect(await raw('SETRANGE', 'l', '0', 'x')).toBe(WRONGTYPE);
  });

  test('a value read by GET is not changed by a later in-place write', async () => {
    const big = 'x'.repeat(100_000);
    await client.call('SETRANGE', 'k', '0', big);
    const [read, , after] = await client.pipelineRaw([
      ['GET', 'k'],
      ['SETRANGE', 'k', '0', 'y'],
      ['GET', 'k'],
    ]);
    expect(read!.toString('latin1')).toBe(bulk(big));
    expect(after!.toString('latin1')).toBe(bulk('y' + big.slice(1)));
  });
});

describe('counters', () => {
  test('INCR, DECR, INCRBY, DECRBY and their errors', async () => {
    expect(await raw('INCR', 'n')).toBe(':1\r\n');
    expect(await raw('INCRBY', 'n', '41')).toBe(':42\r\n');
    expect(await raw('DECR', 'n')).toBe(':41\r\n');
    expect(await raw('DECRBY', 'n', '-9')).toBe(':50\r\n');
    expect(await raw('INCRBY', 'n', 'x')).toBe(NOT_INTEGER);
    for (const bad of ['007', ' 7', '+7', '-0', '1.0', 'abc', '']) {
      await client.call('SET', 'b', bad);
      expect(await raw('INCR', 'b'), bad).toBe(NOT_INTEGER);
    }
    putList('l');
    expect(await raw('INCR', 'l')).toBe(WRONGTYPE);
    expect(await raw('INCRBY', 'l', 'x')).toBe(NOT_INTEGER);
  });

  test('int64 edges', async () => {
    await client.call('SET', 'n', '9223372036854775806');
    expect(await raw('INCR', 'n')).toBe(':9223372036854775807\r\n');
    expect(await raw('INCR', 'n')).toBe('-ERR increment or decrement would overflow\r\n');
    expect(await raw('DECRBY', 'n', '-1')).toBe('-ERR increment or decrement would overflow\r\n');
    expect(await raw('INCRBY', 'n', '-9223372036854775807')).toBe(':0\r\n');
    expect(await raw('INCRBY', 'n', '-9223372036854775807')).toBe(':-9223372036854775807\r\n');
    expect(await raw('DECR', 'n')).toBe(':-9223372036854775808\r\n');
    expect(await raw('DECR', 'n')).toBe('-ERR increment or decrement would overflow\r\n');
    expect(await raw('GET', 'n')).toBe(bulk('-9223372036854775808'));
    expect(await raw('DECRBY', 'n', '-9223372036854775808')).toBe('-ERR decrement would overflow\r\n');
    expect(await raw('INCRBY', 'n', '9223372036854775808')).toBe(NOT_INTEGER);
    await client.call('SET', 'm', '9007199254740991');
    expect(await raw('INCR', 'm')).toBe(':9007199254740992\r\n');
    expect(await raw('INCR', 'm')).toBe(':9007199254740993\r\n');
  });

  // [value, increment, reply] from redis-server 7.0.15 (x87 long double, %.17Lf).
  const floatCases: Array<[string, string, string]> = [
    ['1.1', '0.1', '1.2'],
    ['0', '0.1', '0.1'],
    ['10.5', '0.1', '10.6'],
    ['5.0e3', '2.0e2', '5200'],
    ['3', '-3', '0'],
    ['-0', '-0', '0'],
    ['1', '-1.00000000000000000001', '0'],
    ['0.1', '0.2', '0.3'],
    ['0.3', '-0.1', '0.2'],
    ['123456789012345678', '1', '123456789012345679'],
    ['9223372036854775807', '1', '9223372036854775808'],
    ['0x10', '0x1p-1', '16.5'],
    ['1', '0x1.8p1', '4'],
    ['-1e-18', '0', '0'],
    ['1e-17', '0', '0.00000000000000001'],
    ['5e-18', '0', '0'],
    ['1.5e-17', '0', '0.00000000000000002'],
    ['2.5e-17', '0', '0.00000000000000002'],
    ['3.0000000000000000001', '0', '3'],
    ['1', '1e-4940', '1'],
    ['1', '+.5', '1.5'],
    ['5.', '1', '6'],
    ['100', '-99.99', '0.01'],
    ['7', '1e17', '100000000000000007'],
    ['2', '0.0000000000000000001', '2'],
    [
      '1e300',
      '1e300',
      '2000000000000000000017994648159118387741047888546581495876520164642531293192361871511698304167500994380700745017228549671807185112369345967826192521041497292574654271283687306588168510215212033579453305864740061102765895241989080589545563779241212358535223254194821301134374772211380178849830208012288',
    ],
  ];

  test.each(floatCases)('INCRBYFLOAT %s + %s = %s', async (value, increment, expected) => {
    await client.call('SET', 'f', value);
    expect(await raw('INCRBYFLOAT', 'f', increment)).toBe(bulk(expected));
    expect(await raw('GET', 'f')).toBe(bulk(expected));
  });

  test('INCRBYFLOAT errors', async () => {
    const invalid = '-ERR value is not a valid float\r\n';
    const notFinite = '-ERR increment would produce NaN or Infinity\r\n';
    const cases: Array<[string, string, string]> = [
      ['1e4932', '1e4932', notFinite],
      ['inf', '1', notFinite],
      ['1', '-inf', notFinite],
      ['1', 'Infinity', notFinite],
      ['nan', '1', invalid],
      ['1', 'nan', invalid],
      ['1e5000', '0', invalid],
      ['1e-5000', '0', invalid],
      [' 1', '1', invalid],
      ['1 ', '1', invalid],
      ['', '1', invalid],
      ['1e', '1', invalid],
      ['0x', '1', invalid],
      ['abc', '1', invalid],
      ['1\0', '1', invalid],
    ];
    for (const [value, increment, expected] of cases) {
      await client.call('SET', 'f', value);
      expect(await raw('INCRBYFLOAT', 'f', increment), `${value} + ${increment}`).toBe(expected);
    }
    expect(await raw('INCRBYFLOAT', 'new', '2.5')).toBe(bulk('2.5'));
    putList('l');
    expect(await raw('INCRBYFLOAT', 'l', 'x')).toBe(WRONGTYPE);
  });
});

describe('LCS', () => {
  test('string, LEN, IDX in RESP2', async () => {
    await client.call('MSET', 'a', 'ohmytext', 'b', 'mynewtext');
    expect(await raw('LCS', 'a', 'b')).toBe(bulk('mytext'));
    expect(await raw('LCS', 'a', 'b', 'LEN')).toBe(':6\r\n');
    expect(await raw('LCS', 'a', 'b', 'IDX')).toBe(
      '*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n',
    );
    expect(await raw('LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN')).toBe(
      '*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n',
    );
    expect(await raw('LCS', 'a', 'none')).toBe(bulk(''));
  });

  test('IDX is a map in RESP3', async () => {
    const resp3 = await RawClient.connect(server.port);
    await resp3.call('HELLO', '3');
    await resp3.call('MSET', 'a', 'ohmytext', 'b', 'mynewtext');
    expect((await resp3.callRaw('LCS', 'a', 'b', 'IDX', 'WITHMATCHLEN')).toString('latin1')).toBe(
      '%2\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n',
    );
    await resp3.close();
  });

  test('errors', async () => {
    await client.call('SET', 's', 'x');
    putList('l');
    expect(await raw('LCS', 'l', 's')).toBe('-ERR The specified keys must contain string values\r\n');
    expect(await raw('LCS', 's', 's', 'LEN', 'IDX')).toBe(
      '-ERR If you want both the length and indexes, please just use IDX.\r\n',
    );
    expect(await raw('LCS', 's', 's', 'FOO')).toBe(SYNTAX);
    expect(await raw('LCS', 's', 's', 'MINMATCHLEN')).toBe(SYNTAX);
    expect(await raw('LCS', 's', 's', 'MINMATCHLEN', 'x')).toBe(NOT_INTEGER);
  });
});

describe('against a real redis-server', () => {
  let sides: SideBySide;

  beforeAll(async () => {
    sides = await startSideBySide();
  });

  afterAll(async () => {
    await sides.close();
  });

  const same = (commands: Command[]) => sides.same(commands);

  test('random INCRBYFLOAT operands', async () => {
    let seed = 12345;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const digits = (count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
    const operand = () => {
      const sign = random() < 0.3 ? '-' : '';
      switch (Math.floor(random() * 6)) {
        case 0: return `${sign}${digits(1 + Math.floor(random() * 4))}.${digits(1 + Math.floor(random() * 4))}`;
        case 1: return `${sign}${digits(1 + Math.floor(random() * 20))}`;
        case 2: return `${sign}0.${digits(1 + Math.floor(random() * 25))}`;
        case 3: return `${sign}${digits(3)}e${random() < 0.5 ? '-' : ''}${Math.floor(random() * 40)}`;
        case 4: return `${sign}0x${Math.floor(random() * 1e6).toString(16)}.${Math.floor(random() * 4096).toString(16)}p${Math.floor(random() * 40 - 20)}`;
        default: return `${sign}${String(random() * 10 ** Math.floor(random() * 30 - 10))}`;
      }
    };
    const commands: Command[] = [];
    for (let index = 0; index < 300; index++) {
      commands.push(['SET', 'f', operand()], ['INCRBYFLOAT', 'f', operand()]);
    }
    await same(commands);
  });

  test('random GETRANGE, SETRANGE, APPEND and counters', async () => {
    let seed = 777;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const bytes = (count: number) =>
      String.fromCharCode(...Array.from({ length: count }, () => [0, 0x55, 0xff, 0x80, 97][Math.floor(random() * 5)]!));
    const index = () => String(Math.floor(random() * 24) - 12);
    const commands: Command[] = [];
    for (let step = 0; step < 300; step++) {
      commands.push(['SET', 's', bytes(Math.floor(random() * 8))]);
      commands.push(['GETRANGE', 's', index(), index()]);
      commands.push(['SETRANGE', 's', String(Math.floor(random() * 10)), bytes(Math.floor(random() * 4))]);
      commands.push(['APPEND', 's', bytes(Math.floor(random() * 3))], ['GET', 's'], ['STRLEN', 's']);
      commands.push(['SET', 'n', String(Math.floor((random() - 0.5) * 2 ** 64))]);
      commands.push(['INCRBY', 'n', String(Math.floor((random() - 0.5) * 2 ** 64))]);
    }
    await same(commands.map((command) => command.map((arg) => Buffer.from(String(arg), 'latin1'))));
  });
});
