import { fc, it } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { encodeCommand } from './encode.js';
import { ProtocolError } from './errors.js';
import { encodeInline } from './inline.js';
import { RequestDecoder, type RequestDecoderOptions } from './request-decoder.js';

/** Feeds `chunks` and collects commands until the decoder needs more bytes. */
function decodeAll(chunks: Buffer[], options?: RequestDecoderOptions, authenticated = true): string[][] {
  const decoder = new RequestDecoder(options);
  decoder.setAuthenticated(authenticated);
  const commands: string[][] = [];
  for (const chunk of chunks) {
    decoder.push(chunk);
    for (let command = decoder.next(); command !== undefined; command = decoder.next()) commands.push(command);
  }
  return commands;
}

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');
const byteByByte = (buffer: Buffer): Buffer[] => [...buffer].map((byte) => Buffer.from([byte]));

/** Runs `input` as one chunk and byte by byte; both must give `expected` (or throw the same message). */
function check(input: string, expected: string[][] | string, authenticated = true): void {
  for (const chunks of [[bytes(input)], byteByByte(bytes(input))]) {
    if (typeof expected === 'string') {
      expect(() => decodeAll(chunks, {}, authenticated)).toThrow(new ProtocolError(expected));
    } else {
      expect(decodeAll(chunks, {}, authenticated)).toEqual(expected);
    }
  }
}

describe('RequestDecoder', () => {
  test.each([
    ['multibulk', '*2\r\n$3\r\nGET\r\n$1\r\na\r\n', [['GET', 'a']]],
    ['pipelined', '*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n', [['PING'], ['ECHO', '']]],
    ['inline CRLF', 'SET a "b c"\r\n', [['SET', 'a', 'b c']]],
    ['inline LF', 'PING\n', [['PING']]],
    ['empty lines skipped', '\r\n\n  \r\nPING\n', [['PING']]],
    ['*0 and *-1 skipped', '*0\r\n*-1\r\n*-5\r\n*1\r\n$4\r\nPING\r\n', [['PING']]],
    ['binary bulk', '*1\r\n$4\r\n\x00\r\n\xff\r\n', [['\x00\r\n\xff']]],
    ['trailing bytes unchecked like Redis', '*1\r\n$4\r\nPINGxy*1\r\n$1\r\na\r\n', [['PING'], ['a']]],
    ['single quotes', "SET k 'it\\'s'\n", [['SET', 'k', "it's"]]],
    ['hex escape', 'ECHO "\\x41\\x4a\\n"\n', [['ECHO', 'AJ\n']]],
  ])('%s', (_name, input, expected) => {
    check(input, expected);
  });

  test.each([
    ['*abc\r\n', 'Protocol error: invalid multibulk length'],
    ['*01\r\n', 'Protocol error: invalid multibulk length'],
    ['*2147483648\r\n', 'Protocol error: invalid multibulk length'],
    ['*1\r\n$-1\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$536870913\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$-0\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\nx\r\n', "Protocol error: expected '$', got 'x'"],
    ['ECHO "a"b\r\n', 'Protocol error: unbalanced quotes in request'],
    ['ECHO "ab\r\n', 'Protocol error: unbalanced quotes in request'],
    ["ECHO 'ab\r\n", 'Protocol error: unbalanced quotes in request'],
  ])('rejects %j', (input, message) => {
    check(input, message);
  });

  test('unauthenticated limits', () => {
    check(`*11\r\n`, 'Protocol error: unauthenticated multibulk length', false);
    check(`*1\r\n$16385\r\n`, 'Protocol error: unauthenticated bulk length', false);
    check(`*10\r\n`, [], false);
    check(`*1\r\n$16384\r\n`, [], false);
  });

  test('too big count strings and inline lines', () => {
    const long = 'x'.repeat(64 * 1024 + 1);
    expect(() => decodeAll([bytes(long)])).toThrow('Protocol error: too big inline request');
    expect(() => decodeAll([bytes('*' + '1'.repeat(64 * 1024 + 1))])).toThrow('Protocol error: too big mbulk count string');
    expect(() => decodeAll([bytes('*1\r\n$' + '1'.repeat(64 * 1024 + 1))])).toThrow('Protocol error: too big bulk count string');
    // the same in small chunks: detected once the limit is passed, not buffered forever
    const chunks = Array.from({ length: 100 }, () => bytes('1'.repeat(1000)));
    expect(() => decodeAll([bytes('*1\r\n$'), ...chunks])).toThrow('Protocol error: too big bulk count string');
  });

  test('stays failed after an error', () => {
    const decoder = new RequestDecoder();
    decoder.push(bytes('*x\r\n'));
    expect(() => decoder.next()).toThrow(ProtocolError);
    expect(() => decoder.next()).toThrow(ProtocolError);
  });

  test('a 16 MiB bulk in 64 KiB chunks is assembled once', () => {
    const size = 16 * 1024 * 1024;
    const wire = Buffer.concat([bytes(`*2\r\n$3\r\nSET\r\n$${size}\r\n`), Buffer.alloc(size, 0x61), bytes('\r\n*1\r\n$4\r\nPING\r\n')]);
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < wire.length; offset += 65536) chunks.push(wire.subarray(offset, offset + 65536));
    const started = performance.now();
    const commands = decodeAll(chunks);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(commands.length).toBe(2);
    expect(commands[0]![1]!.length).toBe(size);
    expect(commands[1]).toEqual(['PING']);
  });

  test('buffered counts unconsumed bytes', () => {
    const decoder = new RequestDecoder();
    decoder.push(bytes('*1\r\n$4\r\nPI'));
    expect(decoder.next()).toBeUndefined();
    decoder.push(bytes('NG\r\n*1'));
    expect(decoder.next()).toEqual(['PING']);
    expect(decoder.next()).toBeUndefined();
    expect(decoder.buffered).toBe(2);
  });

  const latin1Arg = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)), maxLength: 20 });
  const command = fc.array(latin1Arg, { minLength: 1, maxLength: 6 });
  const splits = fc.array(fc.nat(), { maxLength: 8 });

  /** Splits `buffer` at the given offsets (modulo its length). */
  function split(buffer: Buffer, offsets: number[]): Buffer[] {
    const points = [...new Set(offsets.map((offset) => offset % (buffer.length + 1)))].sort((a, b) => a - b);
    const chunks: Buffer[] = [];
    let previous = 0;
    for (const point of [...points, buffer.length]) {
      chunks.push(buffer.subarray(previous, point));
      previous = point;
    }
    return chunks;
  }

  it.prop([fc.array(command, { minLength: 1, maxLength: 10 }), splits])(
    'multibulk commands split anywhere decode to the same args',
    (commands, offsets) => {
      // arrange
      const wire = Buffer.concat(commands.map((args) => encodeCommand(args, 'latin1')));
      // act
      const decoded = decodeAll(split(wire, offsets));
      // assert
      expect(decoded).toEqual(commands);
    },
  );

  it.prop([fc.array(command, { minLength: 1, maxLength: 10 }), splits, fc.boolean()])(
    'inline commands split anywhere decode to the same args',
    (commands, offsets, crlf) => {
      // arrange: an inline line that starts with '*' would be read as multibulk, and NUL ends a C string
      const inline = commands.filter((args) => !encodeInline(args).startsWith('*') && encodeInline(args).length > 0);
      const wire = bytes(inline.map((args) => encodeInline(args) + (crlf ? '\r\n' : '\n')).join(''));
      // act
      const decoded = decodeAll(split(wire, offsets));
      // assert
      expect(decoded).toEqual(inline);
    },
  );

  /** The commands decoded, and the message of the ProtocolError that ended decoding, if any. */
  function outcome(chunks: Buffer[], options: RequestDecoderOptions, authenticated: boolean): unknown {
    const commands: string[][] = [];
    const decoder = new RequestDecoder(options);
    decoder.setAuthenticated(authenticated);
    try {
      for (const chunk of chunks) {
        decoder.push(chunk);
        for (let args = decoder.next(); args !== undefined; args = decoder.next()) commands.push(args);
      }
      return { commands };
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      return { commands, error: error.message };
    }
  }

  // A whole command in one buffer takes a one-pass fast path; anything unusual falls back to the general parser. Both
  // must give the same commands and the same errors, so RESP-like noise is decoded whole and byte by byte.
  const respLike = fc
    .array(
      fc.oneof(
        fc.constantFrom('*', '$', '\r\n', '\r', '\n', '-', '0', '1', '2', '3', '01', '11', '99999', '16385', ' ', 'a', '"'),
        command.map((args) => encodeCommand(args, 'latin1').toString('latin1')),
      ),
      { maxLength: 30 },
    )
    .map((parts) => bytes(parts.join('')));
  it.prop([respLike, splits, fc.boolean(), fc.constantFrom({}, { maxBulkLength: 2, maxMultibulkLength: 2 })])(
    'the fast path and the general parser agree on commands and errors',
    (input, offsets, authenticated, options) => {
      const whole = outcome([input], options, authenticated);
      expect(outcome(byteByByte(input), options, authenticated)).toEqual(whole);
      expect(outcome(split(input, offsets), options, authenticated)).toEqual(whole);
    },
  );

  it.prop([fc.uint8Array({ maxLength: 200 }), splits])('arbitrary bytes give commands or ProtocolError', (input, offsets) => {
    try {
      decodeAll(split(Buffer.from(input), offsets));
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
    }
  });
});

describe('limits changed at run time and pending bytes', () => {
  test('setMaxBulkLength applies from the next bulk header', () => {
    const decoder = new RequestDecoder();
    decoder.push(bytes('*1\r\n$5\r\nhello\r\n'));
    expect(decoder.next()).toEqual(['hello']);
    decoder.setMaxBulkLength(4);
    decoder.push(bytes('*1\r\n$5\r\nhello\r\n'));
    expect(() => decoder.next()).toThrow(new ProtocolError('Protocol error: invalid bulk length'));
  });

  test('pendingBytes counts the unconsumed input and the arguments read of an incomplete command', () => {
    const decoder = new RequestDecoder();
    decoder.push(bytes('*3\r\n$5\r\nhello\r\n$3\r\nab'));
    expect(decoder.next()).toBeUndefined();
    expect(decoder.buffered).toBe(2); // the header `$3` was read
    expect(decoder.pendingBytes).toBe(7);
    decoder.push(bytes('c\r\n$1\r\nx\r\n'));
    expect(decoder.next()).toEqual(['hello', 'abc', 'x']);
    expect(decoder.pendingBytes).toBe(0);
  });
});

test('preview shows the first unconsumed bytes across chunks', () => {
  const decoder = new RequestDecoder();
  decoder.push(bytes('*1\r\n$4\r\nPING\r\nGET'));
  expect(decoder.next()).toEqual(['PING']);
  expect(decoder.next()).toBeUndefined();
  decoder.push(bytes(' abc'));
  expect(decoder.preview(5)).toBe('GET a');
  expect(decoder.preview(64)).toBe('GET abc');
});

describe('command names repeated in a pipeline', () => {
  test('a name of the same length with other bytes is not taken for the previous one', () => {
    const names = ['GET', 'SET', 'GET', 'get', 'GEt', 'GE\xff', 'GETEX', 'GET', '', 'x'.repeat(40), 'x'.repeat(40), 'x'.repeat(39) + 'y'];
    const input = Buffer.concat(names.map((name) => encodeCommand([name, 'k'], 'latin1')));
    expect(decodeAll([input]).map((command) => command[0])).toEqual(names);
  });

  it.prop([fc.array(fc.constantFrom('GET', 'SET', 'GEU', 'gEt', 'SETEX', 'G'), { minLength: 1, maxLength: 30 })])(
    'any sequence of names decodes as sent',
    (names) => {
      const input = Buffer.concat(names.map((name) => encodeCommand([name, 'k', 'v'])));
      expect(decodeAll([input]).map((command) => command[0])).toEqual(names);
    },
  );
});

describe('release: one read buffer reused for every chunk', () => {
  it.prop([
    fc.array(fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
    fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 16 }),
  ])('decodes as from fresh chunks when each chunk is overwritten after release', (commands, sizes) => {
    const bytes = Buffer.concat(commands.map((args) => encodeCommand(args.map((arg) => Buffer.from(arg)))));
    const shared = Buffer.alloc(64);
    const decoder = new RequestDecoder();
    const decoded: string[][] = [];
    let offset = 0;
    for (let index = 0; offset < bytes.length; index++) {
      const size = Math.min(sizes[index % sizes.length]!, bytes.length - offset);
      bytes.copy(shared, 0, offset, offset + size);
      offset += size;
      const chunk = shared.subarray(0, size);
      decoder.push(chunk);
      for (let command = decoder.next(); command !== undefined; command = decoder.next()) decoded.push(command);
      decoder.release(chunk);
      shared.fill(0x2a); // the next read overwrites the buffer
    }
    expect(decoded).toEqual(commands.map((args) => args.map((arg) => Buffer.from(arg).toString('latin1'))));
    expect(decoder.buffered).toBe(0);
  });
});
