/**
 * The bitmap family over real sockets: SETBIT/GETBIT, BITCOUNT and BITPOS in BYTE and BIT units, BITOP, BITFIELD
 * and BITFIELD_RO with every overflow policy, and the exact error texts. Fixed expectations were taken from
 * redis-server 7.0.15; the differential suite at the end compares random scripts with a real redis-server byte for
 * byte.
 */
import { createList } from '@mini-redis/store';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { RawClient, startTestServer, type Command } from './helpers.js';
import { startSideBySide, type SideBySide } from './side-by-side.js';

const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const SYNTAX = '-ERR syntax error\r\n';
const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';
const OFFSET = '-ERR bit offset is not an integer or out of range\r\n';
const TYPE = '-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n';

let server: MiniRedisServer;
let client: RawClient;

async function raw(...args: Command): Promise<string> {
  return (await client.callRaw(...args)).toString('latin1');
}

function putList(key: string): void {
  const list = createList();
  list.pushBack('a');
  server.store.db(0).set(key, list);
}

function bulk(text: string): string {
  return `$${text.length}\r\n${text}\r\n`;
}

function integers(...values: Array<number | string | null>): string {
  return `*${values.length}\r\n` + values.map((value) => (value === null ? '$-1\r\n' : `:${value}\r\n`)).join('');
}

beforeAll(async () => {
  server = await startTestServer();
  client = await RawClient.connect(server.port);
});

afterAll(async () => {
  await client.close();
  await server.close();
});

beforeEach(async () => {
  await client.call('FLUSHALL');
});

describe('SETBIT and GETBIT', () => {
  test('set, clear, grow with zero bytes', async () => {
    expect(await raw('SETBIT', 'k', '7', '1')).toBe(':0\r\n');
    expect(await raw('SETBIT', 'k', '7', '1')).toBe(':1\r\n');
    expect(await raw('SETBIT', 'k', '100', '1')).toBe(':0\r\n');
    expect(await client.callRaw('GET', 'k')).toEqual(
      Buffer.concat([Buffer.from('$13\r\n\x01', 'latin1'), Buffer.alloc(11), Buffer.from('\x08\r\n', 'latin1')]),
    );
    expect(await raw('GETBIT', 'k', '100')).toBe(':1\r\n');
    expect(await raw('GETBIT', 'k', '101')).toBe(':0\r\n');
    expect(await raw('GETBIT', 'k', '100000')).toBe(':0\r\n');
    expect(await raw('GETBIT', 'none', '5')).toBe(':0\r\n');
    expect(await raw('SETBIT', 'k', '7', '0')).toBe(':1\r\n');
    expect(await raw('GETBIT', 'k', '7')).toBe(':0\r\n');
  });

  test('works on values set as strings, all byte values', async () => {
    const all = String.fromCharCode(...Array.from({ length: 256 }, (_, index) => index));
    await client.call('SET', 'k', all);
    expect(await raw('GETBIT', 'k', String(255 * 8 + 7))).toBe(':1\r\n');
    expect(await raw('SETBIT', 'k', String(255 * 8), '0')).toBe(':1\r\n');
    expect(await raw('BITCOUNT', 'k')).toBe(`:${256 * 4 - 1}\r\n`);
    expect((await client.callRaw('GET', 'k')).toString('latin1')).toBe(bulk(all.slice(0, 255) + '\x7f'));
  });

  test('errors', async () => {
    expect(await raw('SETBIT', 'k', '-1', '1')).toBe(OFFSET);
    expect(await raw('SETBIT', 'k', 'x', '1')).toBe(OFFSET);
    expect(await raw('SETBIT', 'k', '4294967296', '1')).toBe(OFFSET);
    expect(await raw('SETBIT', 'k', '4294967295', '2')).toBe('-ERR bit is not an integer or out of range\r\n');
    expect(await raw('SETBIT', 'k', '0', 'x')).toBe('-ERR bit is not an integer or out of range\r\n');
    expect(await raw('GETBIT', 'k', '4294967296')).toBe(OFFSET);
    putList('l');
    expect(await raw('SETBIT', 'l', '0', '1')).toBe(WRONGTYPE);
    expect(await raw('SETBIT', 'l', 'x', '1')).toBe(OFFSET);
    expect(await raw('GETBIT', 'l', '0')).toBe(WRONGTYPE);
  });
});

describe('BITCOUNT', () => {
  test('whole string, BYTE and BIT ranges', async () => {
    await client.call('SET', 's', 'foobar');
    expect(await raw('BITCOUNT', 's')).toBe(':26\r\n');
    expect(await raw('BITCOUNT', 's', '0', '0')).toBe(':4\r\n');
    expect(await raw('BITCOUNT', 's', '1', '1')).toBe(':6\r\n');
    expect(await raw('BITCOUNT', 's', '1', '1', 'BYTE')).toBe(':6\r\n');
    expect(await raw('BITCOUNT', 's', '5', '30', 'BIT')).toBe(':17\r\n');
    expect(await raw('BITCOUNT', 's', '-5', '-1', 'bit')).toBe(':2\r\n');
    expect(await raw('BITCOUNT', 's', '0', '-1')).toBe(':26\r\n');
    expect(await raw('BITCOUNT', 's', '-1', '-2', 'FOO')).toBe(':0\r\n');
    expect(await raw('BITCOUNT', 'none', 'a', 'b')).toBe(':0\r\n');
  });

  test('errors', async () => {
    await client.call('SET', 's', 'foobar');
    expect(await raw('BITCOUNT', 's', 'a', 'b')).toBe(NOT_INTEGER);
    expect(await raw('BITCOUNT', 's', '1')).toBe(SYNTAX);
    expect(await raw('BITCOUNT', 's', '1', '2', 'FOO')).toBe(SYNTAX);
    expect(await raw('BITCOUNT', 's', '1', '2', 'BIT', 'x')).toBe(SYNTAX);
    putList('l');
    expect(await raw('BITCOUNT', 'l', 'a', 'b')).toBe(WRONGTYPE);
  });
});

describe('BITPOS', () => {
  test('set and clear bits, with and without an explicit end', async () => {
    await client.call('SET', 'k', '\xff\xf0\x00');
    expect(await raw('BITPOS', 'k', '0')).toBe(':12\r\n');
    expect(await raw('BITPOS', 'k', '1', '2')).toBe(':-1\r\n');
    expect(await raw('BITPOS', 'k', '0', '2', '-1', 'BYTE')).toBe(':16\r\n');
    expect(await raw('BITPOS', 'k', '1', '7', '15', 'BIT')).toBe(':7\r\n');
    await client.call('SET', 'full', '\xff\xff');
    expect(await raw('BITPOS', 'full', '0')).toBe(':16\r\n');
    expect(await raw('BITPOS', 'full', '0', '0')).toBe(':16\r\n');
    expect(await raw('BITPOS', 'full', '0', '0', '-1')).toBe(':-1\r\n');
    expect(await raw('BITPOS', 'full', '0', '3', '9', 'BIT')).toBe(':-1\r\n');
    expect(await raw('BITPOS', 'none', '1', 'x')).toBe(':-1\r\n');
    expect(await raw('BITPOS', 'none', '0')).toBe(':0\r\n');
  });

  test('errors', async () => {
    await client.call('SET', 's', 'foobar');
    expect(await raw('BITPOS', 'none', '2')).toBe('-ERR The bit argument must be 1 or 0.\r\n');
    expect(await raw('BITPOS', 'none', 'x')).toBe(NOT_INTEGER);
    expect(await raw('BITPOS', 's', '1', 'a')).toBe(NOT_INTEGER);
    expect(await raw('BITPOS', 's', '0', '1', '2', 'FOO')).toBe(SYNTAX);
    expect(await raw('BITPOS', 's', '0', '1', 'x', 'FOO')).toBe(SYNTAX);
    expect(await raw('BITPOS', 's', '0', '1', '2', 'BIT', 'x')).toBe(SYNTAX);
    putList('l');
    expect(await raw('BITPOS', 'l', '1', 'a')).toBe(WRONGTYPE);
  });
});

describe('BITOP', () => {
  test('AND, OR, XOR, NOT over keys of different lengths', async () => {
    await client.call('MSET', 'a', '\xff\x0f\x01', 'b', '\xf0\xff');
    expect(await raw('BITOP', 'AND', 'd', 'a', 'b')).toBe(':3\r\n');
    expect(await raw('GET', 'd')).toBe(bulk('\xf0\x0f\x00'));
    expect(await raw('BITOP', 'or', 'd', 'a', 'b', 'none')).toBe(':3\r\n');
    expect(await raw('GET', 'd')).toBe(bulk('\xff\xff\x01'));
    expect(await raw('BITOP', 'XOR', 'd', 'a', 'b')).toBe(':3\r\n');
    expect(await raw('GET', 'd')).toBe(bulk('\x0f\xf0\x01'));
    expect(await raw('BITOP', 'NOT', 'd', 'b')).toBe(':2\r\n');
    expect(await raw('GET', 'd')).toBe(bulk('\x0f\x00'));
    expect(await raw('BITOP', 'AND', 'a', 'a', 'none')).toBe(':3\r\n');
    expect(await raw('GET', 'a')).toBe(bulk('\0\0\0'));
  });

  test('an empty result deletes the destination', async () => {
    await client.call('SET', 'd', 'x');
    expect(await raw('BITOP', 'XOR', 'd', 'none')).toBe(':0\r\n');
    expect(await raw('EXISTS', 'd')).toBe(':0\r\n');
  });

  test('errors', async () => {
    putList('l');
    expect(await raw('BITOP', 'FOO', 'd', 's')).toBe(SYNTAX);
    expect(await raw('BITOP', 'NOT', 'd', 's', 's')).toBe('-ERR BITOP NOT must be called with a single source key.\r\n');
    expect(await raw('BITOP', 'AND', 'd', 's', 'l')).toBe(WRONGTYPE);
  });
});

describe('BITFIELD', () => {
  test('GET, SET, INCRBY with signed and unsigned types and # offsets', async () => {
    await client.call('SET', 's', 'foobar');
    expect(await raw('BITFIELD', 's', 'GET', 'u8', '#1', 'GET', 'i64', '0', 'GET', 'u63', '1')).toBe(
      integers(111, '7381240782615871488', '7381240782615871488'),
    );
    expect(await raw('BITFIELD', 'k', 'SET', 'i8', '0', '-100', 'GET', 'u8', '0', 'INCRBY', 'i8', '0', '-28')).toBe(
      integers(0, 156, -128),
    );
    expect(await raw('BITFIELD', 'k', 'INCRBY', 'u2', '100', '1', 'GET', 'u2', '100')).toBe(integers(1, 1));
    expect(await raw('STRLEN', 'k')).toBe(':13\r\n');
    expect(await raw('BITFIELD', 'none')).toBe('*0\r\n');
    expect(await raw('BITFIELD', 's', 'GET', 'u8', '#4611686018427387904')).toBe(integers(102));
  });

  test('overflow policies', async () => {
    expect(
      await raw(
        'BITFIELD', 'q', 'SET', 'u8', '0', '-1', 'OVERFLOW', 'SAT', 'SET', 'u8', '8', '-1',
        'SET', 'i8', '16', '-9223372036854775808', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1',
      ),
    ).toBe(integers(0, 0, 0, null));
    expect(await raw('BITFIELD', 'q', 'GET', 'u8', '0', 'GET', 'u8', '8', 'GET', 'i8', '16')).toBe(
      integers(255, 255, 127),
    );
    expect(await raw('BITFIELD', 'w', 'INCRBY', 'u4', '0', '20', 'OVERFLOW', 'WRAP', 'INCRBY', 'i4', '4', '9')).toBe(
      integers(4, -7),
    );
    expect(await raw('BITFIELD', 'w', 'OVERFLOW', 'SAT', 'INCRBY', 'i4', '4', '-20', 'INCRBY', 'u4', '0', '-20')).toBe(
      integers(-8, 0),
    );
    expect(await raw('BITFIELD', 'w', 'OVERFLOW', 'FAIL', 'INCRBY', 'i64', '8', '9223372036854775807', 'INCRBY', 'i64', '8', '1')).toBe(
      integers('9223372036854775807', null),
    );
  });

  test('errors', async () => {
    await client.call('SET', 's', 'foobar');
    expect(await raw('BITFIELD', 's', 'GET', 'x8', '0')).toBe(TYPE);
    expect(await raw('BITFIELD', 's', 'GET', 'u64', '0')).toBe(TYPE);
    expect(await raw('BITFIELD', 's', 'GET', 'I8', '0')).toBe(TYPE);
    expect(await raw('BITFIELD', 's', 'GET', 'i0', '0')).toBe(TYPE);
    expect(await raw('BITFIELD', 's', 'GET', 'i65', '0')).toBe(TYPE);
    expect(await raw('BITFIELD', 's', 'GET', 'u8', '-1')).toBe(OFFSET);
    expect(await raw('BITFIELD', 's', 'GET', 'u8', '#x')).toBe(OFFSET);
    expect(await raw('BITFIELD', 's', 'OVERFLOW', 'x')).toBe('-ERR Invalid OVERFLOW type specified\r\n');
    expect(await raw('BITFIELD', 's', 'GET', 'u8')).toBe(SYNTAX);
    expect(await raw('BITFIELD', 's', 'SET', 'u8', '0', 'x')).toBe(NOT_INTEGER);
    putList('l');
    expect(await raw('BITFIELD', 'l')).toBe(WRONGTYPE);
    expect(await raw('BITFIELD', 'l', 'GET', 'u8', '0')).toBe(WRONGTYPE);
  });

  test('BITFIELD_RO', async () => {
    await client.call('SET', 's', 'foobar');
    expect(await raw('BITFIELD_RO', 's', 'GET', 'u8', '0', 'GET', 'i5', '3')).toBe(integers(102, 6));
    expect(await raw('BITFIELD_RO', 's', 'SET', 'u8', '0', 'x')).toBe(NOT_INTEGER);
    expect(await raw('BITFIELD_RO', 's', 'SET', 'u8', '0', '1')).toBe('-ERR BITFIELD_RO only supports the GET subcommand\r\n');
    expect(await raw('BITFIELD_RO', 's', 'GET', 'u8', '0', 'FOO')).toBe(SYNTAX);
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

  test('random bit scripts give the same reply bytes', async () => {
    let seed = 2024;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const bytes = (count: number) =>
      String.fromCharCode(...Array.from({ length: count }, () => pick([0, 1, 0x55, 0xaa, 0xff, 0x80, 0x7f, 0x10])));
    const index = () => String(pick([0, 1, 2, 3, 7, 8, 9, 15, 16, 23, 40, 63, 64, -1, -2, -8, -9, -17, -100]));
    const commands: Command[] = [];
    for (let step = 0; step < 400; step++) {
      commands.push(['SET', 's', bytes(Math.floor(random() * 8))]);
      switch (Math.floor(random() * 5)) {
        case 0:
          commands.push(['BITCOUNT', 's', index(), index(), ...pick([[], ['BIT'], ['BYTE']])]);
          break;
        case 1:
          commands.push(['BITPOS', 's', pick(['0', '1']), ...pick([[], [index()], [index(), index()], [index(), index(), 'BIT']])]);
          break;
        case 2: {
          const operations: string[] = [];
          for (let count = 0; count < 3; count++) {
            const type = pick(['i', 'u']) + pick([1, 3, 8, 9, 16, 33, 53, 63]);
            const offset = pick([String(Math.floor(random() * 70)), `#${Math.floor(random() * 5)}`]);
            const value = pick(['0', '1', '-1', '127', '128', '-129', '255', '9223372036854775807', '-9223372036854775808', '4611686018427387904']);
            operations.push(...pick([['GET', type, offset], ['SET', type, offset, value], ['INCRBY', type, offset, value], ['OVERFLOW', pick(['WRAP', 'SAT', 'FAIL'])]]));
          }
          commands.push(['BITFIELD', 's', ...operations], ['GET', 's']);
          break;
        }
        case 3:
          commands.push(['SET', 't', bytes(Math.floor(random() * 6))]);
          commands.push(['BITOP', pick(['AND', 'OR', 'XOR']), 'd', 's', 't', ...pick([[], ['none'], ['s']])], ['GET', 'd']);
          commands.push(['BITOP', 'NOT', 'd', 't'], ['GET', 'd']);
          break;
        default:
          commands.push(['SETBIT', 's', String(Math.floor(random() * 80)), pick(['0', '1'])], ['GET', 's']);
          commands.push(['GETBIT', 's', String(Math.floor(random() * 80))]);
      }
    }
    await sides.same(commands.map((command) => command.map((arg) => Buffer.from(String(arg), 'latin1'))));
  });
});
