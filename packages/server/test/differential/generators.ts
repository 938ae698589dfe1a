/**
 * fast-check generators of random command sequences for the differential test: a small keyspace (k0..k4), values that
 * hit the parsers' edges (numbers, negative numbers, floats, overflow, binary bytes, empty), and the commands of the
 * strings, bits, keys, connection and transaction families, including wrong arities, unknown commands and bad
 * arguments. Only deterministic commands: no TTL values (TTL replies are compared by sign), no RANDOMKEY/OBJECT/INFO.
 */
import fc from 'fast-check';

/** One command: its arguments as latin1 strings (one char per byte). */
export type GeneratedCommand = string[];

/** A sequence run on a fresh keyspace, in RESP2 or (after HELLO 3) RESP3. */
export interface GeneratedSequence {
  readonly resp3: boolean;
  readonly commands: GeneratedCommand[];
}

export const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4'] as const;

const key = fc.constantFrom(...KEYS);

const EDGE_VALUES = [
  '',
  '0',
  '1',
  '-1',
  '7',
  '10',
  '-10',
  '100',
  '007',
  '+1',
  ' 1',
  '1 ',
  '-0',
  '3.14',
  '-2.5',
  '1e3',
  '0.1',
  '1.5e-5',
  '.5',
  '5.',
  '0x10',
  '9223372036854775807',
  '-9223372036854775808',
  '9223372036854775808',
  '-9223372036854775809',
  'inf',
  '-inf',
  '+inf',
  'nan',
  'abc',
  'foobar',
  'hello world',
  'ohmytext',
  'mynewtext',
  '\x00',
  '\x00\xff\x80\x7f',
  '\xff\xf0\x00',
  '\r\n',
  '1.7976931348623157e308',
  '1e309',
  '17179869184',
];

/** A value: edge cases, small integers, decimals, short ASCII and binary strings. */
export const value: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_VALUES) },
  { weight: 3, arbitrary: fc.integer({ min: -1000, max: 1000 }).map(String) },
  { weight: 1, arbitrary: fc.integer({ min: -100000, max: 100000 }).map((n) => (n / 100).toString()) },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 6 }).map((bytes) => Buffer.from(bytes).toString('latin1')) },
);

/** A small integer argument, or something that is not one. */
const smallInt = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -20, max: 20 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'abc',
      '',
      '1.5',
      '9223372036854775807',
      '-9223372036854775808',
      '99999999999999999999',
      '+3',
      '03',
    ),
  },
);

/** A relative expiry far in the future (seconds or milliseconds), or an invalid one. */
const ttl = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('100000', '200000', '999999') },
  { weight: 1, arbitrary: fc.constantFrom('0', '-1', 'abc', '9223372036854775807', '1.5', '') },
);

/** An absolute expiry: far future, the past, or invalid. */
const timestamp = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('99999999999', '99999999999999') },
  { weight: 1, arbitrary: fc.constantFrom('1', '0', '-5', 'x', '9223372036854775807') },
);

/** A command name spelled in upper or lower case (the arity error always says lowercase). */
function name(text: string): fc.Arbitrary<string> {
  return fc.constantFrom(text.toUpperCase(), text.toLowerCase());
}

function command(head: string, ...parts: Array<fc.Arbitrary<string | string[]>>): fc.Arbitrary<GeneratedCommand> {
  return fc.tuple(name(head), ...parts).map(([first, ...rest]) => [first, ...rest.flat()]);
}

/** An optional group of arguments. */
function optional(arbitrary: fc.Arbitrary<string[]>): fc.Arbitrary<string[]> {
  return fc.option(arbitrary, { nil: [] as string[] });
}

const setOptions = fc
  .array(
    fc.oneof(
      fc.constantFrom<string[]>(['NX'], ['XX'], ['GET'], ['KEEPTTL'], ['nx'], ['get']),
      fc.tuple(fc.constantFrom('EX', 'PX', 'ex'), ttl),
      // Only future (or invalid) times: a key SET in the past stays in Redis's dict, counted by DBSIZE, until touched.
      fc.constantFrom(
        ['EXAT', '99999999999'],
        ['PXAT', '99999999999999'],
        ['EXAT', '0'],
        ['PXAT', 'x'],
        ['EXAT', '9223372036854775807'],
      ),
    ),
    { maxLength: 3 },
  )
  .map((groups) => groups.flat());

const getexOptions = fc.oneof(
  fc.constant([] as string[]),
  fc.constantFrom<string[]>(['PERSIST'], ['persist'], ['FOO'], ['EX'], ['PERSIST', 'EX', '100000']),
  fc.tuple(fc.constantFrom('EX', 'PX'), ttl),
  fc.tuple(fc.constantFrom('EXAT', 'PXAT'), timestamp),
);

const bitOffset = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 80 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('-1', 'abc', '4294967296', '1.5') },
);

const bitfieldType = fc.constantFrom('u1', 'u8', 'i8', 'i5', 'u4', 'i16', 'u63', 'i64', 'u64', 'i65', 'x8', 'u0');
const bitfieldOffset = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map(String),
  fc.constantFrom('#0', '#1', '#3', '-1', 'x'),
);
const bitfieldOperation = fc.oneof(
  fc.tuple(fc.constant('GET'), bitfieldType, bitfieldOffset),
  fc.tuple(fc.constant('SET'), bitfieldType, bitfieldOffset, value),
  fc.tuple(fc.constant('INCRBY'), bitfieldType, bitfieldOffset, smallInt),
  fc.tuple(fc.constant('OVERFLOW'), fc.constantFrom('WRAP', 'SAT', 'FAIL', 'sat', 'BAD')),
);

const rangeUnit = optional(fc.constantFrom<string[]>(['BYTE'], ['BIT'], ['bit'], ['WORD']));
const keysOf = (min: number, max: number) => fc.array(key, { minLength: min, maxLength: max });
const pairs = fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 3 }).map((list) => list.flat());

/** Commands of the string family. */
const stringCommands: Array<fc.Arbitrary<GeneratedCommand>> = [
  command('GET', key),
  command('SET', key, value, setOptions),
  command('SETNX', key, value),
  command('SETEX', key, ttl, value),
  command('PSETEX', key, ttl, value),
  command('GETSET', key, value),
  command('GETDEL', key),
  command('GETEX', key, getexOptions),
  command('MGET', keysOf(1, 4)),
  command('MSET', pairs),
  command('MSETNX', pairs),
  command('APPEND', key, value),
  command('STRLEN', key),
  command('GETRANGE', key, smallInt, smallInt),
  command('SUBSTR', key, smallInt, smallInt),
  command(
    'SETRANGE',
    key,
    fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 0, max: 20 }).map(String) },
      { weight: 1, arbitrary: fc.constantFrom('-1', 'x', '536870912') },
    ),
    value,
  ),
  command('INCR', key),
  command('DECR', key),
  command('INCRBY', key, smallInt),
  command('DECRBY', key, smallInt),
  command('INCRBYFLOAT', key, value),
  command(
    'LCS',
    key,
    key,
    fc
      .array(
        fc.oneof(
          fc.constantFrom<string[]>(['LEN'], ['IDX'], ['WITHMATCHLEN'], ['len']),
          fc.tuple(fc.constant('MINMATCHLEN'), smallInt),
        ),
        { maxLength: 3 },
      )
      .map((groups) => groups.flat()),
  ),
];

/** Commands of the bitmap family. */
const bitCommands: Array<fc.Arbitrary<GeneratedCommand>> = [
  command('SETBIT', key, bitOffset, fc.constantFrom('0', '1', '2', 'x')),
  command('GETBIT', key, bitOffset),
  command('BITCOUNT', key, optional(fc.tuple(smallInt, smallInt, rangeUnit).map((parts) => parts.flat()))),
  command(
    'BITPOS',
    key,
    fc.constantFrom('0', '1', '2'),
    optional(
      fc
        .tuple(smallInt, optional(fc.tuple(smallInt, rangeUnit).map((parts) => parts.flat())))
        .map((parts) => parts.flat()),
    ),
  ),
  command('BITOP', fc.constantFrom('AND', 'OR', 'XOR', 'NOT', 'and', 'FOO'), key, keysOf(1, 3)),
  command(
    'BITFIELD',
    key,
    fc.array(bitfieldOperation, { maxLength: 3 }).map((ops) => ops.flat()),
  ),
  command(
    'BITFIELD_RO',
    key,
    fc.array(fc.tuple(fc.constant('GET'), bitfieldType, bitfieldOffset), { maxLength: 2 }).map((ops) => ops.flat()),
  ),
];

/** Commands of the keys family whose replies do not depend on time or order. */
const keyCommands: Array<fc.Arbitrary<GeneratedCommand>> = [
  command('DEL', keysOf(1, 3)),
  command('UNLINK', keysOf(1, 3)),
  command('EXISTS', keysOf(1, 3)),
  command('TOUCH', keysOf(1, 2)),
  command('TYPE', key),
  command('RENAME', key, key),
  command('RENAMENX', key, key),
  command(
    'COPY',
    key,
    key,
    optional(fc.constantFrom<string[]>(['REPLACE'], ['DB', '1'], ['DB', '0', 'REPLACE'], ['DB', '16'], ['FOO'])),
  ),
  command('MOVE', key, fc.constantFrom('1', '2', '0', '16', 'x')),
  command('PERSIST', key),
  command(
    'EXPIRE',
    key,
    ttl,
    optional(fc.constantFrom<string[]>(['NX'], ['XX'], ['GT'], ['LT'], ['NX', 'XX'], ['FOO'])),
  ),
  command('PEXPIRE', key, ttl, optional(fc.constantFrom<string[]>(['NX'], ['XX'], ['GT'], ['LT']))),
  command('EXPIREAT', key, timestamp),
  command('PEXPIREAT', key, timestamp),
  command('DBSIZE'),
];

/** Commands whose replies are normalised (time, order): only outside transactions. */
const normalisedCommands: Array<fc.Arbitrary<GeneratedCommand>> = [
  command('TTL', key),
  command('PTTL', key),
  command('EXPIRETIME', key),
  command('PEXPIRETIME', key),
  command('KEYS', fc.constantFrom('*', 'k*', 'k[0-2]', 'k?', '*1', 'x*', '[', 'k[^0]', '\\k0', 'K*')),
];

/** Connection commands (no HELLO, RESET, QUIT, CLIENT: their replies carry ids or end the sequence). */
const connectionCommands: Array<fc.Arbitrary<GeneratedCommand>> = [
  command('SELECT', fc.constantFrom('0', '1', '2', '16', '-1', 'x')),
  command('ECHO', value),
  command('PING', optional(value.map((text) => [text]))),
];

const ARITY_NAMES = [
  'get',
  'set',
  'incr',
  'mset',
  'getrange',
  'setbit',
  'bitcount',
  'del',
  'rename',
  'expire',
  'echo',
  'select',
  'lcs',
  'getex',
  'copy',
];

/** Wrong arities and unknown commands. */
const errorCommands: Array<fc.Arbitrary<GeneratedCommand>> = [
  fc
    .tuple(
      fc.constantFrom(...ARITY_NAMES, ...ARITY_NAMES.map((text) => text.toUpperCase())),
      fc.array(value, { maxLength: 5 }),
    )
    .map(([head, args]) => [head, ...args]),
  fc
    .tuple(fc.constantFrom('FOO', 'nosuch', 'GETT', 'set2'), fc.array(value, { maxLength: 3 }))
    .map(([head, args]) => [head, ...args]),
];

const simpleCommand: fc.Arbitrary<GeneratedCommand> = fc.oneof(
  { weight: 10, arbitrary: fc.oneof(...stringCommands) },
  { weight: 5, arbitrary: fc.oneof(...bitCommands) },
  { weight: 5, arbitrary: fc.oneof(...keyCommands) },
  { weight: 1, arbitrary: fc.oneof(...connectionCommands) },
  { weight: 1, arbitrary: fc.oneof(...errorCommands) },
);

/** MULTI, a few commands (maybe a queuing error), then EXEC or DISCARD; sometimes after WATCH. */
const transaction: fc.Arbitrary<GeneratedCommand[]> = fc
  .tuple(
    optional(key.map((watched) => ['WATCH', watched])),
    fc.array(simpleCommand, { maxLength: 5 }),
    fc.constantFrom<string[]>(['EXEC'], ['EXEC'], ['EXEC'], ['DISCARD'], ['multi'], ['WATCH', 'k0']),
  )
  .map(([watch, body, end]) => {
    const commands: GeneratedCommand[] = [];
    if (watch.length > 0) commands.push(watch);
    commands.push(['MULTI'], ...body, end);
    if (end[0] !== 'EXEC' && end[0] !== 'DISCARD') commands.push(['EXEC']);
    return commands;
  });

/** One step of a sequence: a command (maybe one whose reply is normalised), or a whole transaction. */
const step: fc.Arbitrary<GeneratedCommand[]> = fc.oneof(
  { weight: 20, arbitrary: simpleCommand.map((one) => [one]) },
  { weight: 2, arbitrary: fc.oneof(...normalisedCommands).map((one) => [one]) },
  { weight: 2, arbitrary: transaction },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string[][]>([['UNWATCH']], [['WATCH', 'k1', 'k2']], [['EXEC']], [['DISCARD']]),
  },
);

/** A random sequence of up to `maxSteps` steps, in RESP2 or RESP3. */
export function sequenceArbitrary(maxSteps = 25): fc.Arbitrary<GeneratedSequence> {
  return fc.record({
    resp3: fc.boolean(),
    commands: fc.array(step, { minLength: 1, maxLength: maxSteps }).map((steps) => steps.flat()),
  });
}
