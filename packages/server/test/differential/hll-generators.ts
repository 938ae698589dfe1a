/**
 * Random HyperLogLog commands: PFADD of few or many elements (so values move from sparse to dense), PFCOUNT of one
 * or several keys, PFMERGE, PFDEBUG, GET/SET round trips, corrupt HLL values, and sparse-limit changes, over HLL keys
 * and the seeded keys of every other type.
 */
import fc from 'fast-check';
import type { GeneratedCommand } from './family-runner.js';

const HLL_KEYS = ['h1', 'h2', 'h3'];
const OTHER_KEYS = ['s', 'n', 'l', 'h', 'S', 'z', 'missing'];
const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...HLL_KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_KEYS) });

const element = fc.oneof(
  fc.constantFrom('a', 'b', 'c', '', '\x00', 'foo', 'bar', '\xff\xfe', 'hello world', '12345678', '123456789'),
  fc.integer({ min: 0, max: 3000 }).map(String),
  fc.string({ maxLength: 12 }),
);

/** A run of `count` elements from a prefix and start (reaches many registers, and dense, quickly). */
const bulkElements = fc
  .tuple(fc.constantFrom('e', 'x', ''), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 1500 }))
  .map(([prefix, start, count]) => Array.from({ length: count }, (_, i) => `${prefix}${start + i}`));

const HEADER_SPARSE = 'HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00';
const HEADER_DENSE = 'HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00';

/** Values SET on a key: valid, corrupt and non-HLL strings. */
const CRAFTED = [
  HEADER_SPARSE + '\x7f\xff',
  HEADER_SPARSE + '\x7f\xfe',
  HEADER_SPARSE + '\x7f\xff\x80',
  HEADER_SPARSE + '\x00',
  HEADER_SPARSE,
  HEADER_SPARSE + '\x7f\xfe\x83',
  HEADER_SPARSE + '\x7f\xfb\xfc\x00',
  HEADER_SPARSE.slice(0, 15) + '\x80' + '\x7f\xff',
  'HYLL\x01\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x7f\xff',
  HEADER_DENSE + '\x00'.repeat(12288),
  HEADER_DENSE + '\x00'.repeat(100),
  HEADER_DENSE.slice(0, 15) + '\x80' + '\xff'.repeat(12288),
  'HYLL\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff',
  'HYLL',
  'HYLX\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x7f\xff',
  'plain',
  '12345',
];

const command: fc.Arbitrary<GeneratedCommand> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(key, fc.array(element, { maxLength: 6 })).map(([k, es]) => ['PFADD', k, ...es]) },
  { weight: 2, arbitrary: fc.tuple(key, bulkElements).map(([k, es]) => ['PFADD', k, ...es]) },
  { weight: 4, arbitrary: fc.array(key, { minLength: 1, maxLength: 3 }).map((ks) => ['PFCOUNT', ...ks]) },
  { weight: 2, arbitrary: fc.array(key, { minLength: 1, maxLength: 3 }).map((ks) => ['PFMERGE', ...ks]) },
  { weight: 2, arbitrary: key.map((k) => ['GET', k]) },
  { weight: 1, arbitrary: fc.tuple(key, fc.constantFrom(...CRAFTED)).map(([k, v]) => ['SET', k, v]) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('ENCODING', 'DECODE', 'TODENSE', 'encoding', 'decode', 'nosuch', 'GETREG'), key)
      .map(([sub, k]) => ['PFDEBUG', sub, k]),
  },
  { weight: 1, arbitrary: fc.tuple(key, fc.integer({ min: 0, max: 40 }), fc.constantFrom('\x00', '\xff', 'ab')).map(([k, o, v]) => ['SETRANGE', k, String(o), v]) },
  { weight: 1, arbitrary: fc.tuple(key, fc.constantFrom('\x80', '\x00', 'z')).map(([k, v]) => ['APPEND', k, v]) },
  { weight: 1, arbitrary: fc.constantFrom('30', '100', '500', '3000', '0').map((n) => ['CONFIG', 'SET', 'hll-sparse-max-bytes', n]) },
  { weight: 1, arbitrary: key.map((k) => ['DEL', k]) },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(['PFADD'], ['PFCOUNT'], ['PFMERGE'], ['PFDEBUG', 'encoding'], ['PFSELFTEST', 'x'], ['PFDEBUG', 'a', 'b', 'c']) },
);

export const hllCommand = command;
export const HLL_SETUP: GeneratedCommand[] = [['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000']];
