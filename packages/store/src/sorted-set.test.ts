import fc from 'fast-check';
import { expect, test } from 'vitest';
import { SkipListSortedSet } from './sorted-set.js';

test('score updates, in place or moving, keep order and ranks on a larger set', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ member: fc.nat({ max: 299 }), delta: fc.integer({ min: -3, max: 3 }) }), {
        maxLength: 2000,
      }),
      (updates) => {
        // Arrange
        const set = new SkipListSortedSet();
        const model = new Map<string, number>();
        for (let index = 0; index < 300; index++) {
          set.add(`m${index}`, index);
          model.set(`m${index}`, index);
        }
        // Act: small nudges mostly keep a member in place; larger ones move it
        for (const { member, delta } of updates) {
          const name = `m${member}`;
          const score = model.get(name)! + delta * (member % 2 === 0 ? 0.1 : 5);
          set.add(name, score);
          model.set(name, score);
        }
        // Assert
        const sorted = [...model].sort(([leftName, left], [rightName, right]) =>
          left !== right ? left - right : leftName < rightName ? -1 : leftName > rightName ? 1 : 0,
        );
        expect([...set].map((entry) => entry.member)).toEqual(sorted.map(([name]) => name));
        sorted.forEach(([name], index) => expect(set.rank(name)).toBe(index));
        expect(set.rangeByRank(0, sorted.length - 1, true).map((entry) => entry.member)).toEqual(
          sorted.map(([name]) => name).reverse(),
        );
      },
    ),
    { numRuns: 30 },
  );
});
