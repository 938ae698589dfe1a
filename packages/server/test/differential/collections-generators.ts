/**
 * fast-check generators for the set and sorted-set differential test: a small keyspace (k0..k4 from the shared
 * generators, plus a string, a list and a hash key seeded before each run), a small pool of members (so sets and
 * zsets overlap, stay small and hit intset/listpack limits), scores and ranges at the parsers' edges, and every set
 * and zset command with good and bad arguments and wrong arities.
 */
import fc from 'fast-check';
import { KEYS, type GeneratedCommand, type GeneratedSequence } from './generators.js';

/** Keys of other types, seeded before each sequence (see the test). */
export const SEEDED = { string: 'ks', list: 'kl', hash: 'kh' } as const;

export const key = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 1, arbitrary: fc.constantFrom(SEEDED.string, SEEDED.list, SEEDED.hash) },
);
export const keys = (min: number, max: number) => fc.array(key, { minLength: min, maxLength: max });

/** A member: a small shared pool (integers and words), sometimes an edge byte string. */
export const member = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('1', '2', '3', '-5', '10', 'a', 'b', 'c', 'd') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '007', '9223372036854775808', '-0', '\x00', '\xff\x80', 'a'.repeat(70), '1.5', ' 1'),
  },
);
export const members = (min: number, max: number) => fc.array(member, { minLength: min, maxLength: max });

/** An integer argument (counts, indexes, numkeys...), or something that is not one. */
export const int = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -6, max: 6 }).map(String) },
  { weight: 1, arbitrary: fc.integer({ min: -200, max: 200 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'x', '', '1.5', '+1', ' 1', '9223372036854775807', '-9223372036854775808', '-9223372036854775807',
      '9223372036854775808', '2147483648', '-2147483649', '4294967296',
    ),
  },
);

/** A count for SRANDMEMBER / ZRANDMEMBER: never a huge negative one (Redis would build that reply for ever). */
export const randomCount = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -12, max: 12 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('x', '', '1.5', '9223372036854775807', '-9223372036854775808', '99999999999999999999') },
);

/** Argument name in upper or lower case. */
export function word(text: string): fc.Arbitrary<string> {
  return fc.constantFrom(text.toUpperCase(), text.toLowerCase());
}

/** A command: its name (any case), then each part (a string, or a list of strings spliced in). */
export function command(head: string, ...parts: Array<fc.Arbitrary<string | string[]>>): fc.Arbitrary<GeneratedCommand> {
  return fc.tuple(word(head), ...parts).map(([first, ...rest]) => [first, ...rest.flat()]);
}

export function optional(arbitrary: fc.Arbitrary<string[]>): fc.Arbitrary<string[]> {
  return fc.option(arbitrary, { nil: [] as string[] });
}

/** A command with arguments of any count (wrong arities included). */
export function anyArity(head: string): fc.Arbitrary<GeneratedCommand> {
  return command(head, fc.array(fc.oneof(key, member), { maxLength: 3 }));
}

const numkeysKeys = fc.oneof(
  { weight: 6, arbitrary: keys(1, 3).map((list) => [String(list.length), ...list]) },
  { weight: 1, arbitrary: fc.tuple(int, keys(0, 3)).map(([count, list]) => [count, ...list]) },
);

export const scanOptions = fc
  .array(
    fc.oneof(
      fc.tuple(word('match'), fc.constantFrom('*', 'a*', '1*', '[ab]', '?', 'x')),
      fc.tuple(word('count'), fc.constantFrom('10', '100', '1000', '0', '-1', 'x')),
      fc.constantFrom<string[]>(['TYPE', 'set'], ['FOO'], ['MATCH']),
    ),
    { maxLength: 2 },
  )
  .map((list) => list.flat());

/** Cursors whose meaning is fixed (a nonzero cursor into a hash table depends on Redis's dict internals). */
export const cursor = fc.constantFrom('0', '0', '0', 'x', ' 0', '+0', '0x', '18446744073709551616', '', '\x00');

/** Set commands (deterministic forms only: SPOP/SRANDMEMBER whose result is random are normalised by the test). */
export const setCommands: Array<fc.Arbitrary<GeneratedCommand>> = [
  command('SADD', key, members(1, 4)),
  command('SADD', key, members(1, 4)),
  command('SREM', key, members(1, 3)),
  command('SCARD', key),
  command('SISMEMBER', key, member),
  command('SMISMEMBER', key, members(1, 3)),
  command('SMEMBERS', key),
  command('SMOVE', key, key, member),
  command('SINTER', keys(1, 3)),
  command('SUNION', keys(1, 3)),
  command('SDIFF', keys(1, 3)),
  command('SINTERSTORE', key, keys(1, 3)),
  command('SUNIONSTORE', key, keys(1, 3)),
  command('SDIFFSTORE', key, keys(1, 3)),
  command('SINTERCARD', numkeysKeys, optional(fc.tuple(word('limit'), int))),
  command('SSCAN', key, cursor, scanOptions),
  // Random results: the whole set (count >= size), nothing, or errors; other forms are normalised.
  command('SPOP', key, fc.constantFrom<string[]>(['100'], ['0'], ['-1'], ['x'], ['1', '2'])),
  command('SRANDMEMBER', key, optional(fc.tuple(randomCount))),
  fc.constantFrom(['SPOP'], ['spop']),
  command('OBJECT', fc.constant('ENCODING'), key),
  command('TYPE', key),
  command('EXISTS', key),
  command('DEL', key),
  command('SET', key, member),
  ...['SADD', 'SREM', 'SCARD', 'SISMEMBER', 'SMISMEMBER', 'SMEMBERS', 'SMOVE', 'SINTERCARD'].map(anyArity),
  fc.constantFrom(['SSCAN'], ['SSCAN', 'k0'], ['sscan', 'k1']),
];

/** A random sequence of up to `maxSteps` commands from the given pools, in RESP2 or RESP3. */
export function collectionSequence(
  pool: Array<fc.Arbitrary<GeneratedCommand>>,
  maxSteps = 20,
): fc.Arbitrary<GeneratedSequence> {
  return fc.record({
    resp3: fc.boolean(),
    commands: fc.array(fc.oneof(...pool), { minLength: 1, maxLength: maxSteps }),
  });
}

/** A score: small integers and decimals, infinities, and what getDoubleFromObject rejects. */
export const score = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -5, max: 5 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom('1.5', '-0.5', '0.1', '0.2', '0.3', '1e3', '-0', '+2', '.5') },
  { weight: 2, arbitrary: fc.constantFrom('inf', '-inf', '+inf', 'Infinity') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'nan', 'x', '', ' 1', '1 ', '1e400', '1e-400', '0x10', '0x1p-2', '1e', '(1', '1795554704.9223616',
      '3.0000000000000004', '1\x00', '9007199254740993', '4.9e-324',
    ),
  },
);

/** A score-range bound: inclusive, exclusive, infinities, and what zslParseRange rejects. */
export const scoreBound = fc.oneof(
  { weight: 6, arbitrary: score.map((text) => text) },
  { weight: 3, arbitrary: score.map((text) => '(' + text) },
  { weight: 2, arbitrary: fc.constantFrom('-inf', '+inf', '(-inf', '(inf', ' 2', '2\x00x', '(', 'nan', '(nan') },
);

/** A lex-range bound. */
export const lexBound = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('-', '+') },
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('[', '('), member).map(([prefix, text]) => prefix + text) },
  { weight: 1, arbitrary: fc.constantFrom('a', '', '+a', '-a', '[', '(', '+\x00') },
);

const pairs = fc
  .array(fc.tuple(score, member), { minLength: 1, maxLength: 4 })
  .map((list) => list.flat());
const zaddFlags = fc
  .array(fc.constantFrom('NX', 'XX', 'GT', 'LT', 'CH', 'INCR', 'nx', 'ch', 'incr', 'gt'), { maxLength: 3 });
const withscores = optional(fc.constantFrom<string[]>(['WITHSCORES'], ['withscores']));
const limit = optional(fc.tuple(word('limit'), int, int));
const rangeOptions = fc
  .array(
    fc.oneof(
      fc.constantFrom<string[]>(['BYSCORE'], ['BYLEX'], ['REV'], ['WITHSCORES'], ['byscore'], ['rev'], ['FOO']),
      fc.tuple(word('limit'), int, int),
      fc.constantFrom<string[]>(['LIMIT', '0'], ['LIMIT', '0', '2']),
    ),
    { maxLength: 3 },
  )
  .map((list) => list.flat());
/** ZRANGE's min/max: ranks, score bounds or lex bounds (the options pick which is valid). */
const anyBound = fc.oneof(int, scoreBound, lexBound);
const setopOptions = fc
  .array(
    fc.oneof(
      fc.tuple(word('weights'), fc.array(score, { minLength: 1, maxLength: 3 })),
      fc.tuple(word('aggregate'), fc.constantFrom('SUM', 'MIN', 'MAX', 'max', 'avg')),
      fc.constantFrom<string[]>(['WITHSCORES'], ['withscores'], ['LIMIT', '1']),
    ),
    { maxLength: 2 },
  )
  .map((list) => list.flat(2));
const numkeysKeysZ = fc.oneof(
  { weight: 6, arbitrary: keys(1, 3).map((list) => [String(list.length), ...list]) },
  { weight: 1, arbitrary: fc.tuple(int, keys(0, 3)).map(([count, list]) => [count, ...list]) },
);

/** Sorted-set commands (plus a few set commands, so that sets meet zsets as ZUNION/ZINTER inputs). */
export const zsetCommands: Array<fc.Arbitrary<GeneratedCommand>> = [
  command('ZADD', key, pairs),
  command('ZADD', key, pairs),
  command('ZADD', key, zaddFlags, pairs),
  command('ZINCRBY', key, score, member),
  command('ZREM', key, members(1, 3)),
  command('ZCARD', key),
  command('ZSCORE', key, member),
  command('ZMSCORE', key, members(1, 3)),
  command('ZRANK', key, member),
  command('ZREVRANK', key, member),
  command('ZCOUNT', key, scoreBound, scoreBound),
  command('ZLEXCOUNT', key, lexBound, lexBound),
  command('ZRANGE', key, int, int, withscores),
  command('ZRANGE', key, anyBound, anyBound, rangeOptions),
  command('ZRANGESTORE', key, key, anyBound, anyBound, rangeOptions),
  command('ZREVRANGE', key, int, int, withscores),
  command('ZRANGEBYSCORE', key, scoreBound, scoreBound, withscores, limit),
  command('ZREVRANGEBYSCORE', key, scoreBound, scoreBound, limit, withscores),
  command('ZRANGEBYLEX', key, lexBound, lexBound, limit),
  command('ZREVRANGEBYLEX', key, lexBound, lexBound, limit),
  command('ZREMRANGEBYRANK', key, int, int),
  command('ZREMRANGEBYSCORE', key, scoreBound, scoreBound),
  command('ZREMRANGEBYLEX', key, lexBound, lexBound),
  command('ZPOPMIN', key, optional(fc.tuple(int))),
  command('ZPOPMAX', key, optional(fc.tuple(int))),
  command(
    'ZMPOP',
    numkeysKeysZ,
    fc.constantFrom('MIN', 'MAX', 'min', 'FOO'),
    optional(fc.oneof(fc.tuple(word('count'), int), fc.constantFrom<string[]>(['COUNT'], ['COUNT', '1', 'COUNT', '2']))),
  ),
  command(
    'ZRANDMEMBER',
    key,
    optional(
      fc
        .tuple(randomCount, optional(fc.constantFrom<string[]>(['WITHSCORES'], ['withscores'], ['x'], ['WITHSCORES', 'x'])))
        .map(([count, rest]) => [count, ...rest]),
    ),
  ),
  command('ZUNION', numkeysKeysZ, setopOptions),
  command('ZINTER', numkeysKeysZ, setopOptions),
  command('ZDIFF', numkeysKeysZ, setopOptions),
  command('ZUNIONSTORE', key, numkeysKeysZ, setopOptions),
  command('ZINTERSTORE', key, numkeysKeysZ, setopOptions),
  command('ZDIFFSTORE', key, numkeysKeysZ, setopOptions),
  command('ZINTERCARD', numkeysKeysZ, optional(fc.tuple(word('limit'), int))),
  command('ZSCAN', key, cursor, scanOptions),
  command('SADD', key, members(1, 3)),
  command('OBJECT', fc.constant('ENCODING'), key),
  command('TYPE', key),
  command('DEL', key),
  ...['ZADD', 'ZINCRBY', 'ZREM', 'ZCARD', 'ZSCORE', 'ZRANK', 'ZRANGE', 'ZRANGESTORE', 'ZUNIONSTORE', 'ZMPOP'].map(anyArity),
  fc.constantFrom(['ZSCAN'], ['ZSCAN', 'k0'], ['ZPOPMIN'], ['zrandmember']),
];
