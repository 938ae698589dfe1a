import { fc, it } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { Decoder, type DecoderOptions } from './decoder.js';
import { encode } from './encode.js';
import { BlobErrorReply, ErrorReply, ProtocolError } from './errors.js';
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

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');
const b = bytes;

/** Decodes `chunks`, collecting replies (pushes tagged when onPush is used). */
function decode(chunks: Buffer[], options: Partial<DecoderOptions> = {}): RespValue[] {
  const values: RespValue[] = [];
  const decoder = new Decoder({ onReply: (value) => values.push(value), ...options });
  for (const chunk of chunks) decoder.write(chunk);
  return values;
}

const byteByByte = (buffer: Buffer): Buffer[] => [...buffer].map((byte) => Buffer.from([byte]));

/** node-redis style: every case as one chunk and byte by byte. */
function check(wire: string, expected: RespValue[], options: Partial<DecoderOptions> = {}): void {
  expect(decode([bytes(wire)], options)).toEqual(expected);
  expect(decode(byteByByte(bytes(wire)), options)).toEqual(expected);
}

describe('Decoder: RESP3 specification examples', () => {
  test.each<[string, string, RespValue[]]>([
    ['simple string', '+OK\r\n', [new SimpleString('OK')]],
    ['error', '-ERR unknown command\r\n', [new ErrorReply('ERR unknown command')]],
    ['integer', ':1000\r\n:-5\r\n:+3\r\n', [1000, -5, 3]],
    ['big integer', ':12345678901234567890\r\n:9007199254740991\r\n', [12345678901234567890n, 9007199254740991]],
    ['blob string', '$11\r\nhelloworld!\r\n$0\r\n\r\n', [b('helloworld!'), b('')]],
    ['RESP2 nulls', '$-1\r\n*-1\r\n', [null, NULL_ARRAY]],
    ['null', '_\r\n', [null]],
    ['double', ',1.23\r\n,10\r\n,inf\r\n,-inf\r\n,1e+21\r\n', [new RespDouble(1.23), new RespDouble(10), new RespDouble(Infinity), new RespDouble(-Infinity), new RespDouble(1e21)]],
    ['double text kept', ',1.0\r\n,.5\r\n', [new RespDouble(1, '1.0'), new RespDouble(0.5, '.5')]],
    ['boolean', '#t\r\n#f\r\n', [true, false]],
    ['blob error', '!21\r\nSYNTAX invalid syntax\r\n', [new BlobErrorReply('SYNTAX invalid syntax')]],
    ['verbatim', '=15\r\ntxt:Some string\r\n', [new VerbatimString('txt', b('Some string'))]],
    ['big number', '(3492890328409238509324850943850943825024385\r\n', [new BigNumber(3492890328409238509324850943850943825024385n)]],
    ['array', '*3\r\n:1\r\n:2\r\n:3\r\n*0\r\n', [[1, 2, 3], []]],
    ['nested', '*2\r\n*3\r\n:1\r\n$5\r\nhello\r\n:2\r\n#f\r\n', [[[1, b('hello'), 2], false]]],
    ['map', '%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n', [new RespMap([new SimpleString('first'), 1, new SimpleString('second'), 2])]],
    ['set', '~2\r\n+orange\r\n+apple\r\n', [new RespSet([new SimpleString('orange'), new SimpleString('apple')])]],
    ['push', '>2\r\n+message\r\n+hi\r\n', [new Push([new SimpleString('message'), new SimpleString('hi')])]],
    [
      'attribute',
      '|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n',
      [
        new Attributed(
          new RespMap([new SimpleString('key-popularity'), new RespMap([b('a'), new RespDouble(0.1923), b('b'), new RespDouble(0.0012)])]),
          [2039123, 9543892],
        ),
      ],
    ],
    ['attribute inside an array', '*2\r\n:1\r\n|1\r\n+ttl\r\n:3600\r\n:2\r\n', [[1, new Attributed(new RespMap([new SimpleString('ttl'), 3600]), 2)]]],
    ['streamed string', '$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n', [b('Hello word')]],
    ['streamed array', '*?\r\n:1\r\n:2\r\n.\r\n%?\r\n+a\r\n:1\r\n.\r\n', [[1, 2], new RespMap([new SimpleString('a'), 1])]],
  ])('%s', (_name, wire, expected) => {
    check(wire, expected);
  });

  test('stringEncoding', () => {
    check('$2\r\n\xc3\xa9\r\n=6\r\ntxt:\xc3\xa9\r\n', ['é', new VerbatimString('txt', 'é')], { stringEncoding: 'utf8' });
    check('$2\r\n\xc3\xa9\r\n', ['\xc3\xa9'], { stringEncoding: 'latin1' });
  });

  test('onPush receives top-level pushes only', () => {
    const pushes: Push[] = [];
    const values = decode([bytes('>1\r\n:1\r\n*1\r\n>1\r\n:2\r\n')], { onPush: (push) => pushes.push(push) });
    expect(pushes).toEqual([new Push([1])]);
    expect(values).toEqual([[new Push([2])]]);
  });

  test('bulk strings in one chunk are not copied', () => {
    const chunk = bytes('$5\r\nhello\r\n');
    const [value] = decode([chunk]) as Buffer[];
    expect(value!.buffer).toBe(chunk.buffer);
  });
});

// Captured from redis-server 7.0.15 (`node capture.mjs` against --port 16379), RESP2 then after HELLO 3.
const CAPTURED: [string, string, RespValue[]][] = [
  ['GET', '$3\r\nv\xc3\xa9\r\n', [b('v\xc3\xa9')]],
  ['GET missing (RESP2)', '$-1\r\n', [null]],
  ['LRANGE', '*3\r\n$1\r\na\r\n$1\r\nb\r\n$0\r\n\r\n', [[b('a'), b('b'), b('')]]],
  ['ZRANGE WITHSCORES (RESP2)', '*4\r\n$1\r\nx\r\n$3\r\n1.5\r\n$1\r\ny\r\n$1\r\n2\r\n', [[b('x'), b('1.5'), b('y'), b('2')]]],
  ['WRONGTYPE', '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n', [new ErrorReply('WRONGTYPE Operation against a key holding the wrong kind of value')]],
  ['unknown command', "-ERR unknown command 'FOO', with args beginning with: \r\n", [new ErrorReply("ERR unknown command 'FOO', with args beginning with: ")]],
  ['BLPOP timeout then EXEC error (RESP2)', '*-1\r\n-ERR EXEC without MULTI\r\n', [NULL_ARRAY, new ErrorReply('ERR EXEC without MULTI')]],
  [
    'HELLO 3',
    '%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:11\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n',
    [new RespMap([b('server'), b('redis'), b('version'), b('7.0.15'), b('proto'), 3, b('id'), 11, b('mode'), b('standalone'), b('role'), b('master'), b('modules'), []])],
  ],
  ['GET missing (RESP3)', '_\r\n', [null]],
  ['HGETALL (RESP3)', '%1\r\n$1\r\nf\r\n$1\r\n1\r\n', [new RespMap([b('f'), b('1')])]],
  ['SMEMBERS (RESP3)', '~1\r\n$1\r\nm\r\n', [new RespSet([b('m')])]],
  ['ZRANGE WITHSCORES (RESP3)', '*2\r\n*2\r\n$1\r\nx\r\n,1.5\r\n*2\r\n$1\r\ny\r\n,2\r\n', [[[b('x'), new RespDouble(1.5)], [b('y'), new RespDouble(2)]]]],
  ['BLPOP timeout then SISMEMBER (RESP3)', '_\r\n:1\r\n', [null, 1]],
  [
    'LOLWUT (verbatim)',
    '=74\r\ntxt:\xe2\xa0\x80\n\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n\r\n',
    [new VerbatimString('txt', b('\xe2\xa0\x80\n\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n'))],
  ],
  ['SUBSCRIBE (RESP3 push)', '>3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n', [new Push([b('subscribe'), b('ch'), 1])]],
];

describe('Decoder: replies captured from redis-server 7.0.15', () => {
  test.each(CAPTURED)('%s', (_name, wire, expected) => {
    check(wire, expected);
    // canonical values re-encode to the same bytes
    const protocol = /RESP3|HELLO|LOLWUT/.test(_name) ? 3 : 2;
    expect(Buffer.concat(expected.map((value) => encode(value, { protocol }))).toString('latin1')).toBe(wire);
  });
});

describe('Decoder: malformed input', () => {
  test.each([
    ['?\r\n', "Protocol error: invalid type byte '?'"],
    [':12a\r\n', 'Protocol error: invalid integer'],
    ['#x\r\n', 'Protocol error: invalid boolean'],
    [',abc\r\n', 'Protocol error: invalid double'],
    ['$3\r\nabcd\r\n', 'Protocol error: expected CRLF after bulk'],
    ['$-2\r\n', 'Protocol error: invalid length'],
    ['$x\r\n', 'Protocol error: invalid length'],
    ['+OK\rx\n', 'Protocol error: expected CRLF'],
    ['=2\r\nab\r\n', 'Protocol error: invalid verbatim string'],
    ['.\r\n', "Protocol error: unexpected '.' outside a streamed aggregate"],
  ])('%j', (wire, message) => {
    expect(() => decode([bytes(wire)])).toThrow(new ProtocolError(message));
    expect(() => decode(byteByByte(bytes(wire)))).toThrow(new ProtocolError(message));
  });

  test('limits', () => {
    expect(() => decode([bytes('$1000\r\n')], { maxBulkLength: 999 })).toThrow('Protocol error: invalid bulk length');
    expect(() => decode([bytes('*1000\r\n')], { maxMultibulkLength: 999 })).toThrow('Protocol error: invalid multibulk length');
    expect(() => decode([bytes('*1\r\n'.repeat(4) + ':1\r\n')], { maxDepth: 3 })).toThrow('Protocol error: nesting deeper than 3');
    expect(decode([bytes('*1\r\n'.repeat(3) + ':1\r\n')], { maxDepth: 3 })).toEqual([[[[1]]]]);
    expect(() => decode([bytes('*' + '1'.repeat(100))])).toThrow(ProtocolError);
    expect(() => decode(Array.from({ length: 70 }, (_, index) => bytes(index === 0 ? ':' : '1'.repeat(1000))))).toThrow(ProtocolError);
  });

  test('a huge declared bulk is not allocated up front', () => {
    const before = process.memoryUsage().arrayBuffers;
    const values = decode([bytes('$536870912\r\nabc')]);
    expect(values).toEqual([]);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  test('unusable after an error until reset', () => {
    const values: RespValue[] = [];
    const decoder = new Decoder({ onReply: (value) => values.push(value) });
    expect(() => decoder.write(bytes('?'))).toThrow(ProtocolError);
    expect(() => decoder.write(bytes(':1\r\n'))).toThrow(ProtocolError);
    decoder.reset();
    decoder.write(bytes(':1\r\n'));
    expect(values).toEqual([1]);
  });
});

// Arbitrary values. `canonical` values decode back to themselves; RESP2 ones use only RESP2-representable types.
const text = fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).filter((value) => !/[\r\n]/.test(value));
const blob = fc.uint8Array({ maxLength: 24 }).map((array) => Buffer.from(array));
const integer = fc.oneof(fc.maxSafeInteger(), fc.bigInt().filter((value) => value > 9007199254740991n || value < -9007199254740991n));
const double = fc.double().map((value) => new RespDouble(value));

const { resp3 } = fc.letrec<{ resp3: RespValue; attributes: RespMap }>((tie) => ({
  resp3: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    blob,
    integer,
    fc.boolean(),
    fc.constant(null),
    text.map((value) => new SimpleString(value)),
    text.map((value) => new ErrorReply(value)),
    blob.map((value) => new BlobErrorReply(value.toString('utf8'))).filter((error) => !/[^\x00-\x7f]/.test(error.message)),
    double,
    fc.bigInt().map((value) => new BigNumber(value)),
    fc.tuple(fc.constantFrom('txt', 'mkd'), blob).map(([format, value]) => new VerbatimString(format, value)),
    fc.array(tie('resp3'), { maxLength: 4 }),
    fc.array(tie('resp3'), { maxLength: 4 }).map((items) => new RespSet(items)),
    fc.array(tie('resp3'), { maxLength: 4 }).map((items) => new Push(items)),
    tie('attributes'),
    fc.tuple(tie('attributes'), tie('resp3')).map(([attributes, value]) => new Attributed(attributes as RespMap, value)),
  ),
  attributes: fc.array(fc.tuple(tie('resp3'), tie('resp3')), { maxLength: 3 }).map((pairs) => new RespMap(pairs.flat())),
}));

const { resp2 } = fc.letrec<{ resp2: RespValue }>((tie) => ({
  resp2: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    blob,
    integer,
    fc.constant(null),
    fc.constant(NULL_ARRAY),
    text.map((value) => new SimpleString(value)),
    text.map((value) => new ErrorReply(value)),
    fc.array(tie('resp2'), { maxLength: 4 }),
  ),
}));

/** Splits `buffer` at the given offsets (modulo its length). */
function split(buffer: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((offset) => offset % (buffer.length + 1)))].sort((x, y) => x - y);
  const chunks: Buffer[] = [];
  let previous = 0;
  for (const point of [...points, buffer.length]) {
    chunks.push(buffer.subarray(previous, point));
    previous = point;
  }
  return chunks;
}

describe('Decoder: properties', () => {
  it.prop([fc.array(resp3, { minLength: 1, maxLength: 5 })])('decode(encode(v)) equals v in RESP3', (values) => {
    // arrange
    const wire = Buffer.concat(values.map((value) => encode(value, { protocol: 3 })));
    // act
    const decoded = decode([wire]);
    // assert
    expect(decoded).toEqual(values);
    expect(Buffer.concat(decoded.map((value) => encode(value, { protocol: 3 }))).equals(wire)).toBe(true);
  });

  it.prop([fc.array(resp2, { minLength: 1, maxLength: 5 })])('decode(encode(v)) equals v in RESP2', (values) => {
    const wire = Buffer.concat(values.map((value) => encode(value, { protocol: 2 })));
    const decoded = decode([wire]);
    expect(decoded).toEqual(values);
    expect(Buffer.concat(decoded.map((value) => encode(value, { protocol: 2 }))).equals(wire)).toBe(true);
  });

  it.prop([fc.array(resp3, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 })])(
    'splitting the wire bytes anywhere decodes the same values',
    (values, offsets) => {
      const wire = Buffer.concat(values.map((value) => encode(value, { protocol: 3 })));
      expect(decode(split(wire, offsets))).toEqual(values);
    },
  );

  /** What decoding gives: the values, or the message of the ProtocolError thrown (values before it included). */
  function outcome(chunks: Buffer[], options: Partial<DecoderOptions> = {}): unknown {
    const values: RespValue[] = [];
    const decoder = new Decoder({ onReply: (value) => values.push(value), ...options });
    try {
      for (const chunk of chunks) decoder.write(chunk);
      return { values };
    } catch (caught) {
      if (!(caught instanceof ProtocolError)) throw caught;
      return { values, error: caught.message };
    }
  }

  // The fast path decodes values that lie in one chunk; values cut by a chunk end go to the resumable slow path, an
  // aggregate cut short keeping its decoded items. Both must agree on values and errors wherever the bytes are split.
  test('an array of integers, bulks and nested aggregates split at every byte', () => {
    // arrange
    const wire = bytes('*6\r\n:1\r\n:-23\r\n$3\r\nabc\r\n*2\r\n:12345678901234567\r\n%1\r\n+k\r\n:4\r\n$-1\r\n~1\r\n#t\r\n:5\r\n');
    const expected = outcome(byteByByte(wire));
    for (let point = 0; point <= wire.length; point++) {
      // act, assert
      expect(outcome([wire.subarray(0, point), wire.subarray(point)])).toEqual(expected);
    }
    expect(outcome([wire])).toEqual(expected);
  });

  test('a huge declared count is not allocated up front', () => {
    const before = process.memoryUsage().heapUsed;
    expect(decode([bytes('*200000000\r\n:1\r\n')])).toEqual([]);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  });

  it.prop([fc.array(resp3, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 })])(
    'one chunk (fast path) and byte by byte (slow path) decode the same values',
    (values, offsets) => {
      // arrange
      const wire = Buffer.concat(values.map((value) => encode(value, { protocol: 3 })));
      // act
      const whole = outcome([wire]);
      // assert
      expect(outcome(byteByByte(wire))).toEqual(whole);
      expect(outcome(split(wire, offsets))).toEqual(whole);
    },
  );

  const respLike = fc.array(
    fc.oneof(
      fc.constantFrom(...'+-:$*_#,(!=%~>|;.?\r\n0123456789-'.split('')),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 40 },
  );
  it.prop([fc.oneof(fc.uint8Array({ maxLength: 100 }).map((array) => Buffer.from(array)), respLike.map((parts) => bytes(parts.join('')))), fc.array(fc.nat(), { maxLength: 6 })])(
    'arbitrary bytes give values or ProtocolError only',
    (input, offsets) => {
      try {
        decode(split(input, offsets));
      } catch (caught) {
        expect(caught).toBeInstanceOf(ProtocolError);
      }
    },
  );

  it.prop([respLike.map((parts) => bytes(parts.join(''))), fc.array(fc.nat(), { maxLength: 6 }), fc.integer({ min: 1, max: 4 })])(
    'arbitrary bytes: the same values in one chunk as byte by byte',
    (input, offsets, maxDepth) => {
      // arrange
      const options = { maxDepth, maxMultibulkLength: 3, maxBulkLength: 5 };
      // act
      const whole = outcome([input], options) as { values: RespValue[] };
      for (const chunks of [byteByByte(input), split(input, offsets)]) {
        // assert: the values delivered before any error match. Which error (or whether one is raised before more bytes
        // arrive) may depend on where a malformed line is cut: that is the slow path's behaviour, unchanged.
        expect((outcome(chunks, options) as { values: RespValue[] }).values).toEqual(whole.values);
      }
    },
  );
});
