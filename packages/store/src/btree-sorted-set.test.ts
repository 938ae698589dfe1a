import fc from 'fast-check';
import { expect, test } from 'vitest';
import { BTreeSortedSet } from './btree-sorted-set.js';
import { SkipListSortedSet } from './sorted-set.js';
import type { LexBound, ScoreBound } from './types.js';

const members = fc.constantFrom(
  '',
  'a',
  'aa',
  'ab',
  'b',
  'ba',
  'c',
  'x',
  'y',
  'z',
  '\x00',
  '\x7f',
  '\x80',
  '\xff',
  'a\xff',
);
const scores = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-Infinity, Infinity, 0.5, -0.5));
const scoreBound: fc.Arbitrary<ScoreBound> = fc.record({ value: scores, exclusive: fc.boolean() });
const lexBound: fc.Arbitrary<LexBound> = fc.oneof(
  fc.constantFrom<LexBound>('-', '+'),
  fc.record({ value: members, exclusive: fc.boolean() }),
);
const limit = fc.option(
  fc.record({ offset: fc.integer({ min: -1, max: 6 }), count: fc.integer({ min: -1, max: 6 }) }),
  {
    nil: undefined,
  },
);

type Operation =
  | { readonly type: 'add'; readonly member: string; readonly score: number }
  | { readonly type: 'delete'; readonly member: string };

const operation = (score: fc.Arbitrary<number>): fc.Arbitrary<Operation> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ type: fc.constant('add' as const), member: members, score }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('delete' as const), member: members }) },
  );

const query = fc.record({
  rankStart: fc.integer({ min: -2, max: 18 }),
  rankStop: fc.integer({ min: -2, max: 18 }),
  min: scoreBound,
  max: scoreBound,
  lexMin: lexBound,
  lexMax: lexBound,
  reverse: fc.boolean(),
  limit,
});

type Query = typeof query extends fc.Arbitrary<infer T> ? T : never;

function applyAndCompare(operations: readonly Operation[], queries: readonly Query[], capacity: number): void {
  const tree = new BTreeSortedSet({ nodeCapacity: capacity });
  const reference = new SkipListSortedSet();
  operations.forEach((step, index) => {
    if (step.type === 'add') expect(tree.add(step.member, step.score)).toBe(reference.add(step.member, step.score));
    else expect(tree.delete(step.member)).toBe(reference.delete(step.member));
    expect(tree.size).toBe(reference.size);
    expect([...tree]).toEqual([...reference]);
    for (const member of [step.member, '', '\xff', 'a']) {
      expect(tree.score(member)).toBe(reference.score(member));
      expect(tree.rank(member)).toBe(reference.rank(member));
      expect(tree.rank(member, true)).toBe(reference.rank(member, true));
    }
    const q = queries[index % queries.length]!;
    const { min, max, lexMin, lexMax, reverse } = q;
    const offset = q.limit?.offset;
    const count = q.limit?.count;
    const start = Math.max(0, q.rankStart);
    const stop = Math.min(reference.size - 1, q.rankStop);
    if (start <= stop) {
      expect(tree.rangeByRank(start, stop, reverse)).toEqual(reference.rangeByRank(start, stop, reverse));
    }
    expect(tree.rangeByScore(min, max, reverse, offset, count)).toEqual(
      reference.rangeByScore(min, max, reverse, offset, count),
    );
    expect(tree.countByScore(min, max)).toBe(reference.countByScore(min, max));
    // Lex ranges are only defined when every score is equal (as in Redis).
    const distinctScores = new Set([...reference].map((entry) => entry.score));
    if (distinctScores.size <= 1) {
      expect(tree.rangeByLex(lexMin, lexMax, reverse, offset, count)).toEqual(
        reference.rangeByLex(lexMin, lexMax, reverse, offset, count),
      );
      expect(tree.countByLex(lexMin, lexMax)).toBe(reference.countByLex(lexMin, lexMax));
    }
  });
}

test('matches the skip list on random add/update/delete sequences with many ties (node capacity 4)', () => {
  fc.assert(
    fc.property(
      fc.array(operation(scores), { maxLength: 120 }),
      fc.array(query, { minLength: 1, maxLength: 20 }),
      fc.constantFrom(4, 5, 8),
      (operations, queries, capacity) => applyAndCompare(operations, queries, capacity),
    ),
  );
});

test('matches the skip list on lex ranges when all scores are equal (node capacity 4)', () => {
  fc.assert(
    fc.property(
      fc.array(operation(fc.constant(0)), { maxLength: 120 }),
      fc.array(query, { minLength: 1, maxLength: 20 }),
      (operations, queries) => applyAndCompare(operations, queries, 4),
    ),
  );
});

test('keeps order, ranks and counts through many splits and merges on a larger set', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({ member: fc.nat({ max: 499 }), score: fc.integer({ min: -20, max: 20 }), remove: fc.boolean() }),
        {
          maxLength: 1500,
        },
      ),
      (steps) => {
        const tree = new BTreeSortedSet({ nodeCapacity: 4 });
        const reference = new SkipListSortedSet();
        for (const { member, score, remove } of steps) {
          const name = `m${member}`;
          if (remove) {
            tree.delete(name);
            reference.delete(name);
          } else {
            tree.add(name, score);
            reference.add(name, score);
          }
        }
        expect([...tree]).toEqual([...reference]);
        for (let rank = 0; rank < reference.size; rank += 7) {
          expect(tree.rangeByRank(rank, rank + 3, true)).toEqual(reference.rangeByRank(rank, rank + 3, true));
        }
        for (let low = -21; low <= 21; low += 5) {
          const min = { value: low, exclusive: false };
          const max = { value: low + 6, exclusive: true };
          expect(tree.countByScore(min, max)).toBe(reference.countByScore(min, max));
        }
      },
    ),
    { numRuns: 30 },
  );
});

test('rejects NaN scores and reports its kind', () => {
  const set = new BTreeSortedSet();
  expect(() => set.add('m', Number.NaN)).toThrow(RangeError);
  expect(set.kind).toBe('zset');
  expect(set.size).toBe(0);
});
