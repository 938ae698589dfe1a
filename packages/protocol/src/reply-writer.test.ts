import { describe, expect, test } from 'vitest';
import { encode, encodeChunks, encodeCommand } from './encode.js';
import { BlobErrorReply, ErrorReply } from './errors.js';
import { ReplyWriter } from './reply-writer.js';
import { OK } from './shared.js';
import {
  Attributed,
  BigNumber,
  NULL_ARRAY,
  Push,
  RespDouble,
  RespMap,
  RespSet,
  SimpleString,
  VerbatimString,
  type RespValue,
} from './values.js';

const text = (buffers: Buffer[] | Buffer): string => (Array.isArray(buffers) ? Buffer.concat(buffers) : buffers).toString('latin1');

describe('encode', () => {
  test.each<[string, RespValue, string, string]>([
    ['bulk string', 'hello', '$5\r\nhello\r\n', '$5\r\nhello\r\n'],
    ['utf8 string', 'é', '$2\r\n\xc3\xa9\r\n', '$2\r\n\xc3\xa9\r\n'],
    ['buffer', Buffer.from([0, 255]), '$2\r\n\x00\xff\r\n', '$2\r\n\x00\xff\r\n'],
    ['integer', -42, ':-42\r\n', ':-42\r\n'],
    ['big integer', 2n ** 64n, ':18446744073709551616\r\n', ':18446744073709551616\r\n'],
    ['max safe integer', Number.MAX_SAFE_INTEGER, ':9007199254740991\r\n', ':9007199254740991\r\n'],
    ['1e21 as integer', 1e21, ':1000000000000000000000\r\n', ':1000000000000000000000\r\n'],
    ['boolean', true, ':1\r\n', '#t\r\n'],
    ['null', null, '$-1\r\n', '_\r\n'],
    ['null array', NULL_ARRAY, '*-1\r\n', '_\r\n'],
    ['array', [1, 'a'], '*2\r\n:1\r\n$1\r\na\r\n', '*2\r\n:1\r\n$1\r\na\r\n'],
    ['simple', new SimpleString('OK'), '+OK\r\n', '+OK\r\n'],
    ['error', new ErrorReply('ERR bad\r\nthing'), '-ERR bad  thing\r\n', '-ERR bad  thing\r\n'],
    ['blob error', new BlobErrorReply('SYNTAX x'), '-SYNTAX x\r\n', '!8\r\nSYNTAX x\r\n'],
    ['map', new RespMap(['a', 1]), '*2\r\n$1\r\na\r\n:1\r\n', '%1\r\n$1\r\na\r\n:1\r\n'],
    ['set', new RespSet(['a']), '*1\r\n$1\r\na\r\n', '~1\r\n$1\r\na\r\n'],
    ['push', new Push(['message']), '*1\r\n$7\r\nmessage\r\n', '>1\r\n$7\r\nmessage\r\n'],
    ['double', new RespDouble(1.5), '$3\r\n1.5\r\n', ',1.5\r\n'],
    ['double integer', new RespDouble(3), '$1\r\n3\r\n', ',3\r\n'],
    ['double exponent', new RespDouble(1e21), '$5\r\n1e+21\r\n', ',1e+21\r\n'],
    ['double inf', new RespDouble(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n'],
    ['double nan', new RespDouble(NaN), '$3\r\nnan\r\n', ',nan\r\n'],
    ['double text', new RespDouble(0.1, '0.10000000000000001'), '$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n'],
    ['big number', new BigNumber(-(10n ** 30n)), '$32\r\n-1000000000000000000000000000000\r\n', '(-1000000000000000000000000000000\r\n'],
    ['verbatim', new VerbatimString('txt', 'hi'), '$2\r\nhi\r\n', '=6\r\ntxt:hi\r\n'],
    ['attributed', new Attributed(new RespMap(['ttl', 3]), 'v'), '$1\r\nv\r\n', '|1\r\n$3\r\nttl\r\n:3\r\n$1\r\nv\r\n'],
    ['raw', OK, '+OK\r\n', '+OK\r\n'],
  ])('%s', (_name, value, resp2, resp3) => {
    expect(text(encode(value))).toBe(resp2);
    expect(text(encode(value, { protocol: 3 }))).toBe(resp3);
    expect(text(encodeChunks(value, { protocol: 3 }))).toBe(resp3);
  });

  test('latin1 strings write one byte per char', () => {
    expect(text(encode('\xe9\xff', { stringEncoding: 'latin1' }))).toBe('$2\r\n\xe9\xff\r\n');
  });

  test('formatDouble option', () => {
    expect(text(encode(new RespDouble(0.1), { protocol: 3, formatDouble: (n) => n.toPrecision(17) }))).toBe(',0.10000000000000001\r\n');
  });

  test('rejects non-integers and odd maps', () => {
    expect(() => encode(1.5)).toThrow(TypeError);
    expect(() => encode(new RespMap(['a']))).toThrow(TypeError);
  });

  test('encodeCommand', () => {
    expect(text(encodeCommand(['SET', Buffer.from('k'), 10]))).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n10\r\n');
  });

  test('encodeChunks references large buffers', () => {
    const big = Buffer.alloc(100_000, 1);
    const chunks = encodeChunks(['a', big]);
    expect(chunks).toContain(big);
    expect(Buffer.concat(chunks).equals(encode(['a', big]))).toBe(true);
  });
});

describe('ReplyWriter', () => {
  test('writes each kind of reply for RESP2 and RESP3', () => {
    for (const protocol of [2, 3] as const) {
      const writer = new ReplyWriter({ protocol });
      const expected =
        protocol === 2
          ? '+OK\r\n-ERR x\r\n:7\r\n$1\r\nv\r\n$-1\r\n*-1\r\n*0\r\n*2\r\n*2\r\n*3\r\n$3\r\n2.5\r\n:0\r\n+RAW\r\n'
          : '+OK\r\n-ERR x\r\n:7\r\n$1\r\nv\r\n_\r\n_\r\n*0\r\n%1\r\n~2\r\n>3\r\n,2.5\r\n#f\r\n+RAW\r\n';
      writer.simple('OK');
      writer.error('ERR x');
      writer.integer(7);
      writer.bulk('v');
      writer.nullBulk();
      writer.nullArray();
      writer.arrayHeader(0);
      writer.mapHeader(1);
      writer.setHeader(2);
      writer.pushHeader(3);
      writer.double(2.5);
      writer.boolean(false);
      writer.raw(Buffer.from('+RAW\r\n'));
      expect(writer.length).toBe(expected.length);
      expect(text(writer.take())).toBe(expected);
      expect(writer.length).toBe(0);
      expect(writer.take()).toEqual([]);
    }
  });

  test('taken chunks are never written again', () => {
    const writer = new ReplyWriter({ chunkSize: 64, copyThreshold: 32 });
    const taken: [Buffer, string][] = [];
    for (let index = 0; index < 200; index++) {
      writer.bulk(`value-${index}`.repeat(index % 7));
      if (index % 3 === 0) writer.bulk(Buffer.alloc(index % 50, 0x41 + (index % 26)));
      writer.integer(index * 1_000_003);
      if (index % 5 === 0) for (const chunk of writer.take()) taken.push([chunk, chunk.toString('latin1')]);
    }
    for (const chunk of writer.take()) taken.push([chunk, chunk.toString('latin1')]);
    for (const [chunk, snapshot] of taken) expect(chunk.toString('latin1')).toBe(snapshot);
  });

  test('integers of every digit count', () => {
    const writer = new ReplyWriter();
    let expected = '';
    for (let n = 1; n <= Number.MAX_SAFE_INTEGER; n = n * 10 + 7) {
      writer.integer(n);
      writer.integer(-n);
      expected += `:${n}\r\n:${-n}\r\n`;
    }
    expect(text(writer.take())).toBe(expected);
  });
});
