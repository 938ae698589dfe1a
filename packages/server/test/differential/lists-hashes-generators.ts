/**
 * Generators for the list and hash differential test: random command sequences of the two families (valid shapes,
 * bad counts and options, wrong arities) over a few keys, some of them holding other types so WRONGTYPE paths are
 * hit, plus the generic commands that observe the results (TYPE, EXISTS, OBJECT ENCODING, DEL...).
 */
import fc from 'fast-check';
import type { GeneratedCommand, GeneratedSequence } from './generators.js';

/** Lists (l is seeded), hashes (h is seeded), other types (s string, S set, z zset) and absent keys. */
const LIST_KEYS = ['l', 'l2', 'x'];
const HASH_KEYS = ['h', 'h2', 'x'];
const OTHER_KEYS = ['s', 'S', 'z', 'missing'];

const listKey = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...LIST_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_KEYS, 'h') });
const hashKey = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...HASH_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_KEYS, 'l') });

const LONG = 'v'.repeat(70);

/** Elements and fields: a few that repeat (so LREM/LPOS/HDEL find them), numbers, binary, long (encoding change). */
const element = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('a', 'b', 'c', 'f', 'n') },
  { weight: 2, arbitrary: fc.constantFrom('', '\x00\xff', 'héllo', '\r\n', LONG, '*', 'f*') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '0', '1', '-1', '10', '3.5', '-2.25', '1e3', '0x10', '9223372036854775807', '-9223372036854775808', 'abc', 'inf',
      '1e400', ' 1', '007', '5.', '.5', '1.7976931348623157e308',
    ),
  },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 1000 }).map(String) },
);

/** Integer arguments (indexes, counts, ranks): mostly small, some edges and non-integers. */
const integer = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -6, max: 8 }).map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '100', '-100', '9223372036854775807', '-9223372036854775808', '-9223372036854775807', '9223372036854775808',
      '4611686018427387903', '-4611686018427387904', '4611686018427387904', 'abc', '', '1.5', '+1', '01', ' 1',
    ),
  },
);

/**
 * HRANDFIELD counts: never a large negative one that Redis accepts (it would build that many replies: hours and
 * gigabytes), but the edges it refuses.
 */
const randomCount = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -6, max: 8 }).map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('100', '-100', '9223372036854775807', '-9223372036854775808', 'abc', '', '1.5', '+1'),
  },
);

/** A float increment for HINCRBYFLOAT. */
const float = fc.oneof(
  fc.constantFrom('1', '-1', '0.1', '1.5', '-2.5e3', '1e400', 'inf', '-inf', 'nan', 'abc', '', '0x1p3', '1e-20', '3.0'),
  fc.integer({ min: -100000, max: 100000 }).map((n) => (n / 100).toString()),
);

function name(text: string): fc.Arbitrary<string> {
  return fc.constantFrom(text.toUpperCase(), text.toLowerCase());
}

function command(head: string, ...parts: Array<fc.Arbitrary<string | string[]>>): fc.Arbitrary<GeneratedCommand> {
  return fc.tuple(name(head), ...parts).map(([first, ...rest]) => [first, ...rest.flat()]);
}

const end = fc.constantFrom('LEFT', 'RIGHT', 'left', 'Right', 'middle');
const elements = (min: number): fc.Arbitrary<string[]> => fc.array(element, { minLength: min, maxLength: 6 });

const lposOptions = fc.array(
  fc.oneof(
    fc.tuple(fc.constantFrom('RANK', 'rank'), integer),
    fc.tuple(fc.constantFrom('COUNT', 'count'), integer),
    fc.tuple(fc.constantFrom('MAXLEN', 'maxlen'), integer),
    fc.constantFrom<string[]>(['RANK'], ['bogus', '1'], ['COUNT']),
  ),
  { maxLength: 3 },
).map((options) => options.flat());

export const listCommands: Array<fc.Arbitrary<GeneratedCommand>> = [
  command('LPUSH', listKey, elements(0)),
  command('RPUSH', listKey, elements(0)),
  command('LPUSHX', listKey, elements(0)),
  command('RPUSHX', listKey, elements(0)),
  command('LPOP', listKey, fc.array(integer, { maxLength: 2 })),
  command('RPOP', listKey, fc.array(integer, { maxLength: 2 })),
  command('LLEN', listKey),
  command('LINDEX', listKey, integer),
  command('LINSERT', listKey, fc.constantFrom('BEFORE', 'after', 'AFTER', 'x'), element, element),
  command('LRANGE', listKey, integer, integer),
  command('LREM', listKey, integer, element),
  command('LSET', listKey, integer, element),
  command('LTRIM', listKey, integer, integer),
  command('LPOS', listKey, element, lposOptions),
  command('RPOPLPUSH', listKey, listKey),
  command('LMOVE', listKey, listKey, end, end),
  command(
    'LMPOP',
    fc.oneof(fc.integer({ min: 1, max: 3 }).map(String), fc.constantFrom('0', '-1', 'x', '5', '9223372036854775807')),
    fc.array(listKey, { minLength: 1, maxLength: 3 }),
    end,
    fc.oneof(
      fc.constant<string[]>([]),
      fc.tuple(fc.constantFrom('COUNT', 'count'), integer),
      fc.constantFrom<string[]>(['COUNT'], ['COUNT', '2', 'COUNT', '1'], ['foo']),
    ),
  ),
];

const fieldValues = fc.array(fc.tuple(element, element), { minLength: 1, maxLength: 5 }).map((pairs) => pairs.flat());

export const hashCommands: Array<fc.Arbitrary<GeneratedCommand>> = [
  command('HSET', hashKey, fieldValues),
  command('HSET', hashKey, elements(1)),
  command('HMSET', hashKey, fieldValues),
  command('HSETNX', hashKey, element, element),
  command('HGET', hashKey, element),
  command('HMGET', hashKey, elements(1)),
  command('HDEL', hashKey, elements(1)),
  command('HEXISTS', hashKey, element),
  command('HLEN', hashKey),
  command('HSTRLEN', hashKey, element),
  command('HKEYS', hashKey),
  command('HVALS', hashKey),
  command('HGETALL', hashKey),
  command('HINCRBY', hashKey, element, fc.oneof(integer, element)),
  command('HINCRBYFLOAT', hashKey, element, fc.oneof(float, element)),
  command(
    'HRANDFIELD',
    hashKey,
    fc.oneof(
      fc.constant<string[]>([]),
      randomCount.map((count) => [count]),
      randomCount.map((count) => [count, 'WITHVALUES']),
      fc.constantFrom<string[]>(
        ['1', 'withvalues', 'x'], ['2', 'bogus'], ['-9223372036854775807', 'WITHVALUES'],
        ['4611686018427387904', 'WITHVALUES'], ['-4611686018427387905', 'withvalues'],
      ),
    ),
  ),
  command(
    'HSCAN',
    hashKey,
    fc.oneof(fc.constant('0'), integer),
    fc.array(
      fc.oneof(
        fc.tuple(fc.constantFrom('MATCH', 'match'), fc.constantFrom('*', 'f*', 'a', '?', '[a-c]', '*\\*', 'n')),
        fc.tuple(fc.constantFrom('COUNT', 'count'), integer),
        fc.constantFrom<string[]>(['TYPE', 'hash'], ['COUNT'], ['bogus']),
      ),
      { maxLength: 2 },
    ).map((options) => options.flat()),
  ),
];

const anyKey = fc.constantFrom(...LIST_KEYS, ...HASH_KEYS, ...OTHER_KEYS);

/** Generic commands that observe what the family commands did. */
const observers: Array<fc.Arbitrary<GeneratedCommand>> = [
  command('TYPE', anyKey),
  command('EXISTS', anyKey),
  command('DEL', anyKey),
  command('OBJECT', fc.constant('ENCODING'), anyKey),
  command('LRANGE', listKey, fc.constant('0'), fc.constant('-1')),
  command('HGETALL', hashKey),
];

/** Wrong arities: a family command with too few (or, for fixed arities, too many) arguments. */
const arity = fc
  .tuple(
    fc.constantFrom(
      'lpush', 'rpushx', 'lpop', 'llen', 'lindex', 'linsert', 'lrange', 'lrem', 'lset', 'ltrim', 'lpos', 'rpoplpush',
      'lmove', 'lmpop', 'hset', 'hmset', 'hsetnx', 'hget', 'hmget', 'hdel', 'hexists', 'hlen', 'hstrlen', 'hkeys',
      'hincrby', 'hincrbyfloat', 'hrandfield', 'hscan', 'HGETALL', 'LPOS',
    ),
    fc.array(fc.constantFrom('l', 'h', '1', 'a'), { maxLength: 6 }),
  )
  .map(([head, args]) => [head, ...args]);

const single: fc.Arbitrary<GeneratedCommand> = fc.oneof(
  { weight: 12, arbitrary: fc.oneof(...listCommands) },
  { weight: 12, arbitrary: fc.oneof(...hashCommands) },
  { weight: 3, arbitrary: fc.oneof(...observers) },
  { weight: 1, arbitrary: arity },
);

/** A longer list or a bigger hash, so ranges, trims and searches cross more items. */
const bulk: fc.Arbitrary<GeneratedCommand> = fc.oneof(
  command('RPUSH', listKey, fc.array(element, { minLength: 10, maxLength: 40 })),
  command('HSET', hashKey, fc.array(fc.tuple(element, element), { minLength: 5, maxLength: 20 }).map((pairs) => pairs.flat())),
);

/** MULTI, a few commands (errors queue or run as in Redis), EXEC or DISCARD. */
const transaction: fc.Arbitrary<GeneratedCommand[]> = fc
  .tuple(fc.array(single, { minLength: 1, maxLength: 4 }), fc.constantFrom('EXEC', 'EXEC', 'DISCARD'))
  .map(([body, end]) => [['MULTI'], ...body, [end]]);

const step: fc.Arbitrary<GeneratedCommand[]> = fc.oneof(
  { weight: 20, arbitrary: single.map((one) => [one]) },
  { weight: 2, arbitrary: bulk.map((one) => [one]) },
  { weight: 1, arbitrary: transaction },
);

/** A random sequence of list and hash commands, in RESP2 or RESP3. */
export function listHashSequence(maxSteps = 30): fc.Arbitrary<GeneratedSequence> {
  return fc.record({
    resp3: fc.boolean(),
    commands: fc.array(step, { minLength: 1, maxLength: maxSteps }).map((steps) => steps.flat()),
  });
}
