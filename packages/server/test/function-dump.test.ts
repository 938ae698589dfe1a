/**
 * FUNCTION DUMP / FUNCTION RESTORE against redis-server: the payload (RDB_OPCODE_FUNCTION2 + the library code as an
 * RDB string, LZF-compressed like Redis does, then RDB version 10 and the CRC-64) is byte-equal for one library,
 * payloads travel both ways, and the restore policies and error texts match. The codec pieces (CRC-64/Jones, LZF,
 * RDB strings) are checked on their own too.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  crc64,
  encodeLength,
  encodeString,
  lzfCompress,
  lzfDecompress,
  RdbReader,
  verifyPayload,
  withFooter,
} from '../src/commands/scripting/payload.js';
import type { Command } from './helpers.js';
import { startSideBySide, type SideBySide } from './side-by-side.js';

let both: SideBySide;
beforeAll(async () => {
  both = await startSideBySide();
});
afterAll(() => both?.close());

const lib = (name: string, body: string): string => `#!lua name=${name}\n${body}`;

const LIBRARIES = [
  lib('mylib', "redis.register_function('myfunc', function(keys, args) return args[1] end)"),
  lib('rep', "local function a() return 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' end\nredis.register_function('a1', a) -- redis.register_function('a1', a)"),
  lib('tiny', "redis.register_function('t', function() return 1 end)"),
  lib('long', `local t = {}\n${Array.from({ length: 300 }, (_, i) => `t[${i}] = '${'xyz'.repeat(i % 7)}${i}'`).join('\n')}\nredis.register_function('long', function() return #t end)`),
  lib('bin', "redis.register_function('bin', function() return '\\0\\1\\2\\255' end) -- é ü"),
];

/** Both servers' replies (raw bytes) to the same commands. */
async function both2(commands: Command[]): Promise<[Buffer[], Buffer[]]> {
  return Promise.all([both.real.pipelineRaw(commands), both.mine.pipelineRaw(commands)]);
}

/** The bulk string inside a RESP reply. */
function bulk(reply: Buffer): Buffer {
  const header = reply.indexOf('\r\n');
  expect(reply[0]).toBe(0x24);
  return reply.subarray(header + 2, reply.length - 2);
}

describe('payload codec', () => {
  test('CRC-64/Jones check value', () => {
    expect(crc64(0n, Buffer.from('123456789'))).toBe(0xe9c6d914c4b8d9can);
    expect(crc64(0n, Buffer.alloc(0))).toBe(0n);
  });

  test('LZF round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(40), (bytes, repeat) => {
        const input = Buffer.concat([Buffer.from(bytes), Buffer.alloc(repeat, 7), Buffer.from(bytes)]);
        const compressed = lzfCompress(input, input.length + 64);
        if (input.length === 0) return expect(compressed).toBeUndefined();
        expect(compressed).toBeDefined();
        expect(lzfDecompress(compressed!, input.length)?.equals(input)).toBe(true);
        expect(lzfDecompress(compressed!, input.length + 1)).toBeUndefined();
      }),
    );
  });

  test('RDB strings and lengths read back', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), fc.integer().map((n) => Buffer.from(String(n)))), (value) => {
        const reader = new RdbReader(Buffer.concat([encodeString(value), Buffer.from('tail')]));
        expect(reader.string()?.equals(value)).toBe(true);
        expect(reader.position).toBe(reader.bytes.length - 4);
      }),
    );
    for (const length of [0, 63, 64, 16383, 16384, 2 ** 32 - 1, 2 ** 32]) {
      expect(new RdbReader(encodeLength(length)).length()).toEqual({ value: length, encoded: false });
    }
    expect(encodeString(Buffer.from('-12'))).toEqual(Buffer.from([0xc0, 0xf4]));
    expect(encodeString(Buffer.from('012'))).toEqual(Buffer.from('\x03012', 'latin1'));
  });

  test('footer: version 10 and the CRC; a flipped byte or a newer version is refused', () => {
    const payload = withFooter(Buffer.from('body'));
    expect(payload.subarray(4, 6)).toEqual(Buffer.from([10, 0]));
    expect(verifyPayload(payload)).toBe(true);
    const flipped = Buffer.from(payload);
    flipped[1]! ^= 1;
    expect(verifyPayload(flipped)).toBe(false);
    expect(verifyPayload(Buffer.alloc(9))).toBe(false);
  });
});

describe('FUNCTION DUMP / RESTORE against redis-server', () => {
  test('DUMP of one library is byte-equal (LZF-compressed or raw), and of none', async () => {
    await both.same([['FUNCTION', 'FLUSH'], ['FUNCTION', 'DUMP']]);
    for (const code of LIBRARIES) {
      await both.same([['FUNCTION', 'FLUSH'], ['FUNCTION', 'LOAD', code], ['FUNCTION', 'DUMP']]);
    }
    // rdbcompression no: the code is stored raw.
    await both.same([['CONFIG', 'SET', 'rdbcompression', 'no'], ['FUNCTION', 'FLUSH'], ['FUNCTION', 'LOAD', LIBRARIES[1]!], ['FUNCTION', 'DUMP']]);
    const [[, , , raw]] = await both2([['CONFIG', 'SET', 'rdbcompression', 'no'], ['FUNCTION', 'FLUSH'], ['FUNCTION', 'LOAD', LIBRARIES[1]!], ['FUNCTION', 'DUMP']]);
    expect(bulk(raw!).includes(Buffer.from(LIBRARIES[1]!))).toBe(true);
    await both.same([['CONFIG', 'SET', 'rdbcompression', 'yes']]);
  });

  test('DUMP is byte-equal for random library code (LZF matches, long back references, literal runs)', async () => {
    const filler = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'c', '-', '='), maxLength: 600 }),
      fc.tuple(fc.string({ unit: fc.constantFrom('x', 'y', 'z'), minLength: 1, maxLength: 20 }), fc.nat(400)).map(([unit, count]) => unit.repeat(count)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes.map((b) => (b === 10 || b === 13 ? 32 : b))).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(filler, { minLength: 1, maxLength: 4 }), async (parts) => {
        const code = lib('p', `redis.register_function('p', function() return 1 end) -- ${parts.join('')}`);
        await both.same([['FUNCTION', 'FLUSH'], ['FUNCTION', 'LOAD', Buffer.from(code, 'latin1')], ['FUNCTION', 'DUMP']]);
      }),
      { numRuns: Number(process.env['SCRIPT_RUNS'] ?? 150) },
    );
  });

  test("payloads travel both ways: Redis's restores on ours and ours on Redis", async () => {
    const load: Command[] = [['FUNCTION', 'FLUSH'], ...LIBRARIES.map((code) => ['FUNCTION', 'LOAD', code])];
    const [real, mine] = await both2([...load, ['FUNCTION', 'DUMP'], ['FUNCTION', 'LIST', 'WITHCODE']]);
    const realPayload = bulk(real.at(-2)!);
    const minePayload = bulk(mine.at(-2)!);
    // Several libraries: Redis writes them in its dict order, so compare what each payload restores to.
    const restore = (payload: Buffer): Command[] => [['FUNCTION', 'FLUSH'], ['FUNCTION', 'RESTORE', payload], ['FUNCTION', 'LIST', 'WITHCODE']];
    // (Each library registers one function: a library's functions are listed in dict order too.)
    const sorted = (reply: Buffer): string[] => reply.toString('latin1').split('*8\r\n').sort();
    const [realFromMine, mineFromReal] = await Promise.all([both.real.pipelineRaw(restore(minePayload)), both.mine.pipelineRaw(restore(realPayload))]);
    expect(realFromMine[1]!.toString()).toBe('+OK\r\n');
    expect(mineFromReal[1]!.toString()).toBe('+OK\r\n');
    expect(sorted(realFromMine[2]!)).toEqual(sorted(real.at(-1)!));
    expect(sorted(mineFromReal[2]!)).toEqual(sorted(real.at(-1)!));
    expect(sorted(mine.at(-1)!)).toEqual(sorted(real.at(-1)!));
    await both.same([['FCALL', 'myfunc', '0', 'hi'], ['FCALL', 'bin', '0'], ['FCALL', 'long', '0']]);
  });

  test('policies and error texts', async () => {
    const one = lib('l1', "redis.register_function('f1', function() return 1 end)");
    const [[dumpReply]] = await both2([['FUNCTION', 'FLUSH']]).then(() => both2([['FUNCTION', 'LOAD', one], ['FUNCTION', 'DUMP']]).then(([real]) => [[real[1]!]]));
    const payload = bulk(dumpReply!);
    const withCode = (body: Buffer): Buffer => withFooter(body);
    const str = (text: string): Buffer => encodeString(Buffer.from(text, 'latin1'));
    const f2 = (code: string): Buffer => Buffer.concat([Buffer.from([245]), str(code)]);
    const old = (...parts: Buffer[]): Buffer => withCode(Buffer.concat([Buffer.from([246]), ...parts]));
    await both.same([
      ['FUNCTION', 'RESTORE', payload],
      ['FUNCTION', 'RESTORE', payload, 'APPEND'],
      ['FUNCTION', 'RESTORE', payload, 'replace'],
      ['FUNCTION', 'RESTORE', payload, 'FLUSH'],
      ['FUNCTION', 'RESTORE', payload, 'BOGUS'],
      ['FUNCTION', 'RESTORE', payload, 'FLUSH', 'extra'],
      ['FUNCTION', 'RESTORE'],
      ['FUNCTION', 'RESTORE', ''],
      ['FUNCTION', 'RESTORE', '123456789'],
      ['FUNCTION', 'RESTORE', Buffer.concat([payload, Buffer.from('x')])],
      ['FUNCTION', 'RESTORE', withCode(Buffer.concat([payload.subarray(0, -10)]).subarray(0, -10))],
      ['FUNCTION', 'FLUSH'],
      ['FUNCTION', 'LOAD', lib('l2', "redis.register_function('f1', function() return 2 end)")],
      ['FUNCTION', 'RESTORE', payload],
      ['FUNCTION', 'RESTORE', payload, 'REPLACE'],
      ['FUNCTION', 'LIST', 'WITHCODE'],
      ['FUNCTION', 'RESTORE', withCode(Buffer.from('\x01abc'))],
      ['FUNCTION', 'RESTORE', withCode(Buffer.from([245]))],
      ['FUNCTION', 'RESTORE', withCode(f2('ab'))],
      ['FUNCTION', 'RESTORE', withCode(f2('#!lua name=xx\n'))],
      ['FUNCTION', 'RESTORE', withCode(f2('#!lua name=xx\n(('))],
      ['FUNCTION', 'RESTORE', withCode(Buffer.concat([f2(one), f2(one)]))],
      ['FUNCTION', 'RESTORE', withCode(Buffer.concat([f2(lib('a', "redis.register_function('same', function() return 1 end)")), f2(lib('b', "redis.register_function('same', function() return 1 end)"))]))],
      ['FUNCTION', 'LIST'],
      ['FUNCTION', 'RESTORE', old(str('old'), str('LUA'), Buffer.from([0]), str("redis.register_function('of', function() return 7 end)"))],
      ['FUNCTION', 'RESTORE', old(str('old2'), str('lua'), Buffer.from([1]), str('desc'), str("redis.register_function('of2', function() return 8 end)"))],
      ['FUNCTION', 'RESTORE', old(str('old3'), str('XX'), Buffer.from([0]), str("redis.register_function('of3', function() return 7 end)"))],
      ['FUNCTION', 'RESTORE', old(str('old4'))],
      ['FUNCTION', 'RESTORE', old()],
      ['FCALL', 'of', '0'],
      ['FCALL', 'of2', '0'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'old', 'WITHCODE'],
      ['FUNCTION', 'LIST', 'LIBRARYNAME', 'old3'],
      ['FUNCTION', 'RESTORE', withCode(Buffer.alloc(0)), 'FLUSH'],
      ['FUNCTION', 'LIST'],
    ]);
  });
});
