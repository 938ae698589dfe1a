/** Conformance: lists and sorted sets behave as their contract says, through the values the backend hands back. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createList } from '../list.js';
import { createSortedSet } from '../btree-sorted-set.js';
import type { LexBound, ListValue, ScoreBound, ScoredMember, SortedSetValue } from '../types.js';
import { useHarness, type Harness, type StoreFactory } from './harness.js';

const item = fc.constantFrom('a', 'b', 'c', '\x00', '\xff');
const member = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '\x00', '\x7f', '\xff'), maxLength: 3 });
const score = fc.constantFrom(-Infinity, -2.5, -1, 0, 1, 1.5, 3, Infinity);
const scoreBound = fc.record({ value: score, exclusive: fc.boolean() });
const lexBound: fc.Arbitrary<LexBound> = fc.oneof(
  fc.constantFrom<LexBound>('-', '+'),
  fc.record({ value: member, exclusive: fc.boolean() }),
);

const listCommand = fc.oneof(
  fc.record({ op: fc.constant('pushBack' as const), item }),
  fc.record({ op: fc.constant('pushFront' as const), item }),
  fc.record({ op: fc.constant('popBack' as const) }),
  fc.record({ op: fc.constant('popFront' as const) }),
  fc.record({ op: fc.constant('set' as const), index: fc.integer({ min: -12, max: 12 }), item }),
  fc.record({ op: fc.constant('insert' as const), pivot: item, item, after: fc.boolean() }),
  fc.record({ op: fc.constant('remove' as const), item, count: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ op: fc.constant('trim' as const), start: fc.nat({ max: 12 }), stop: fc.nat({ max: 12 }) }),
);

function compareScored(left: ScoredMember, right: ScoredMember): number {
  if (left.score !== right.score) return left.score < right.score ? -1 : 1;
  return left.member < right.member ? -1 : left.member > right.member ? 1 : 0;
}

function inScore(value: number, min: ScoreBound, max: ScoreBound): boolean {
  const aboveMin = min.exclusive ? value > min.value : value >= min.value;
  const belowMax = max.exclusive ? value < max.value : value <= max.value;
  return aboveMin && belowMax;
}

function inLex(value: string, min: LexBound, max: LexBound): boolean {
  const aboveMin = min === '-' ? true : min === '+' ? false : min.exclusive ? value > min.value : value >= min.value;
  const belowMax = max === '+' ? true : max === '-' ? false : max.exclusive ? value < max.value : value <= max.value;
  return aboveMin && belowMax;
}

function limit<T>(items: T[], reverse: boolean, offset: number, count: number): T[] {
  const ordered = reverse ? [...items].reverse() : items;
  if (offset < 0) return [];
  return ordered.slice(offset, count < 0 ? undefined : offset + count);
}

function storedList(harness: Harness): ListValue {
  harness.store.db(0).set('list', createList());
  return harness.store.db(0).getTyped('list', 'list')!;
}

function storedSortedSet(harness: Harness): SortedSetValue {
  harness.store.db(0).set('zset', createSortedSet());
  return harness.store.db(0).getTyped('zset', 'zset')!;
}

export function describeDataStructures(factory: StoreFactory): void {
  describe('list values', () => {
    const setup = useHarness(factory);

    test('push, pop, negative indexes, insert, remove, trim', () => {
      const list = storedList(setup());
      for (let index = 0; index < 100; index++) list.pushBack(String(index));
      for (let index = 0; index < 100; index++) list.pushFront(`-${index}`);
      expect(list.length).toBe(200);
      expect(list.at(0)).toBe('-99');
      expect(list.at(-1)).toBe('99');
      expect(list.at(-200)).toBe('-99');
      expect(list.at(200)).toBeUndefined();
      expect(list.at(-201)).toBeUndefined();
      expect(list.set(-1, 'last')).toBe(true);
      expect(list.set(200, 'x')).toBe(false);
      expect(list.slice(98, 101)).toEqual(['-1', '-0', '0', '1']);
      expect(list.insert('0', 'before', false)).toBe(201);
      expect(list.insert('missing', 'x', true)).toBe(-1);
      expect(list.remove('before', 0)).toBe(1);
      list.trim(99, 102);
      expect([...list]).toEqual(['-0', '0', '1', '2']);
      expect(list.popFront()).toBe('-0');
      expect(list.popBack()).toBe('2');
      list.trim(1, 0);
      expect(list.length).toBe(0);
      expect(list.popBack()).toBeUndefined();
      expect(list.popFront()).toBeUndefined();
    });

    test('remove counts from the front, the back, or removes all', () => {
      const list = storedList(setup());
      for (const value of ['x', 'a', 'x', 'b', 'x', 'c', 'x']) list.pushBack(value);
      expect(list.remove('x', 2)).toBe(2);
      expect([...list]).toEqual(['a', 'b', 'x', 'c', 'x']);
      expect(list.remove('x', -1)).toBe(1);
      expect([...list]).toEqual(['a', 'b', 'x', 'c']);
      expect(list.remove('x', 0)).toBe(1);
      expect(list.remove('x', 0)).toBe(0);
      expect([...list]).toEqual(['a', 'b', 'c']);
    });

    test('random operations agree with an array', () => {
      fc.assert(
        fc.property(fc.array(listCommand, { maxLength: 80 }), (commands) => {
          const list = storedList(setup());
          const model: string[] = [];
          for (const command of commands) {
            switch (command.op) {
              case 'pushBack':
                list.pushBack(command.item);
                model.push(command.item);
                break;
              case 'pushFront':
                list.pushFront(command.item);
                model.unshift(command.item);
                break;
              case 'popBack':
                expect(list.popBack()).toBe(model.pop());
                break;
              case 'popFront':
                expect(list.popFront()).toBe(model.shift());
                break;
              case 'set': {
                const position = command.index < 0 ? model.length + command.index : command.index;
                const inRange = position >= 0 && position < model.length;
                expect(list.set(command.index, command.item)).toBe(inRange);
                if (inRange) model[position] = command.item;
                break;
              }
              case 'insert': {
                const found = model.indexOf(command.pivot);
                if (found !== -1) model.splice(command.after ? found + 1 : found, 0, command.item);
                expect(list.insert(command.pivot, command.item, command.after)).toBe(found === -1 ? -1 : model.length);
                break;
              }
              case 'remove': {
                let removed = 0;
                const limitCount = command.count === 0 ? Infinity : Math.abs(command.count);
                const positions = model.map((_, index) => index);
                if (command.count < 0) positions.reverse();
                const drop = new Set<number>();
                for (const position of positions) {
                  if (model[position] === command.item && removed < limitCount) {
                    drop.add(position);
                    removed++;
                  }
                }
                expect(list.remove(command.item, command.count)).toBe(removed);
                const kept = model.filter((_, index) => !drop.has(index));
                model.splice(0, model.length, ...kept);
                break;
              }
              case 'trim': {
                const stop = Math.min(command.stop, model.length - 1);
                list.trim(command.start, stop);
                model.splice(0, model.length, ...(command.start > stop ? [] : model.slice(command.start, stop + 1)));
                break;
              }
            }
            expect(list.length).toBe(model.length);
          }
          expect([...list]).toEqual(model);
          for (let index = -model.length - 1; index <= model.length; index++) {
            expect(list.at(index)).toBe(model.at(index) ?? undefined);
          }
          if (model.length > 0) expect(list.slice(0, model.length - 1)).toEqual(model);
        }),
        { numRuns: 100 },
      );
    });
  });

  describe('sorted set values', () => {
    const setup = useHarness(factory);
    const bound = (value: number, exclusive = false): ScoreBound => ({ value, exclusive });

    test('ranks, ties ordered by member bytes, score ranges, LIMIT', () => {
      const set = storedSortedSet(setup());
      expect(set.add('b', 1)).toBe(true);
      expect(set.add('a', 1)).toBe(true);
      expect(set.add('\xff', 1)).toBe(true);
      expect(set.add('c', -Infinity)).toBe(true);
      expect(set.add('d', Infinity)).toBe(true);
      expect(set.add('e', 2)).toBe(true);
      expect(set.add('e', 1.5)).toBe(false);
      expect(set.size).toBe(6);
      expect([...set].map((entry) => entry.member)).toEqual(['c', 'a', 'b', '\xff', 'e', 'd']);
      expect(set.score('e')).toBe(1.5);
      expect(set.score('missing')).toBeUndefined();
      expect(set.rank('c')).toBe(0);
      expect(set.rank('\xff')).toBe(3);
      expect(set.rank('\xff', true)).toBe(2);
      expect(set.rank('missing')).toBeUndefined();
      expect(set.rangeByRank(1, 2)).toEqual([
        { member: 'a', score: 1 },
        { member: 'b', score: 1 },
      ]);
      expect(set.rangeByRank(0, 1, true).map((entry) => entry.member)).toEqual(['d', 'e']);
      const members = (entries: ScoredMember[]) => entries.map((entry) => entry.member);
      expect(members(set.rangeByScore(bound(1), bound(1.5)))).toEqual(['a', 'b', '\xff', 'e']);
      expect(members(set.rangeByScore(bound(1, true), bound(1.5)))).toEqual(['e']);
      expect(members(set.rangeByScore(bound(1), bound(1.5, true)))).toEqual(['a', 'b', '\xff']);
      expect(members(set.rangeByScore(bound(-Infinity), bound(Infinity)))).toEqual(['c', 'a', 'b', '\xff', 'e', 'd']);
      expect(members(set.rangeByScore(bound(-Infinity, true), bound(Infinity, true)))).toEqual(['a', 'b', '\xff', 'e']);
      expect(members(set.rangeByScore(bound(1), bound(1.5), true))).toEqual(['e', '\xff', 'b', 'a']);
      expect(members(set.rangeByScore(bound(1), bound(Infinity), false, 1, 2))).toEqual(['b', '\xff']);
      expect(members(set.rangeByScore(bound(1), bound(Infinity), true, 1, 2))).toEqual(['e', '\xff']);
      expect(members(set.rangeByScore(bound(1), bound(Infinity), false, 10, 2))).toEqual([]);
      expect(members(set.rangeByScore(bound(1), bound(Infinity), false, 2, -1))).toEqual(['\xff', 'e', 'd']);
      expect(set.rangeByScore(bound(2), bound(1))).toEqual([]);
      expect(set.countByScore(bound(1), bound(1.5))).toBe(4);
      expect(set.countByScore(bound(1, true), bound(1, true))).toBe(0);
      expect(set.countByScore(bound(-Infinity), bound(Infinity))).toBe(6);
      expect(set.delete('a')).toBe(true);
      expect(set.delete('a')).toBe(false);
      expect(set.rank('b')).toBe(1);
    });

    test('lex ranges with inclusive and exclusive bounds and LIMIT', () => {
      const set = storedSortedSet(setup());
      for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) set.add(name, 0);
      const members = (entries: ScoredMember[]) => entries.map((entry) => entry.member);
      expect(members(set.rangeByLex('-', { value: 'c', exclusive: false }))).toEqual(['a', 'b', 'c']);
      expect(members(set.rangeByLex('-', { value: 'c', exclusive: true }))).toEqual(['a', 'b']);
      expect(members(set.rangeByLex({ value: 'aaa', exclusive: false }, { value: 'g', exclusive: true }))).toEqual([
        'b',
        'c',
        'd',
        'e',
        'f',
      ]);
      expect(members(set.rangeByLex('-', '+', true, 1, 2))).toEqual(['f', 'e']);
      expect(members(set.rangeByLex('+', '-'))).toEqual([]);
      expect(set.countByLex({ value: 'b', exclusive: true }, '+')).toBe(5);
      expect(set.countByLex('-', '+')).toBe(7);
    });

    test('random operations agree with a sorted array', () => {
      const command = fc.oneof(
        fc.record({ op: fc.constant('add' as const), member, score }),
        fc.record({ op: fc.constant('delete' as const), member }),
      );
      const query = fc.record({
        min: scoreBound,
        max: scoreBound,
        reverse: fc.boolean(),
        offset: fc.integer({ min: -1, max: 5 }),
        count: fc.integer({ min: -1, max: 5 }),
        start: fc.nat({ max: 30 }),
        stop: fc.nat({ max: 30 }),
      });
      fc.assert(
        fc.property(fc.array(command, { maxLength: 120 }), fc.array(query, { maxLength: 5 }), (commands, queries) => {
          const set = storedSortedSet(setup());
          const model = new Map<string, number>();
          for (const step of commands) {
            if (step.op === 'add') {
              expect(set.add(step.member, step.score)).toBe(!model.has(step.member));
              model.set(step.member, step.score);
            } else {
              expect(set.delete(step.member)).toBe(model.delete(step.member));
            }
          }
          const sorted = [...model].map(([name, value]) => ({ member: name, score: value })).sort(compareScored);
          expect(set.size).toBe(sorted.length);
          expect([...set]).toEqual(sorted);
          sorted.forEach((entry, index) => {
            expect(set.rank(entry.member)).toBe(index);
            expect(set.rank(entry.member, true)).toBe(sorted.length - 1 - index);
            expect(set.score(entry.member)).toBe(entry.score);
          });
          for (const { min, max, reverse, offset, count, start, stop } of queries) {
            const inRange = sorted.filter((entry) => inScore(entry.score, min, max));
            expect(set.rangeByScore(min, max, reverse, offset, count)).toEqual(limit(inRange, reverse, offset, count));
            expect(set.countByScore(min, max)).toBe(inRange.length);
            const to = Math.min(stop, sorted.length - 1);
            const byRank = start > to ? [] : (reverse ? [...sorted].reverse() : sorted).slice(start, to + 1);
            expect(set.rangeByRank(start, to, reverse)).toEqual(byRank);
          }
        }),
        { numRuns: 100 },
      );
    });

    test('random lex ranges agree with a sorted array when scores are equal', () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(member, { maxLength: 40 }),
          lexBound,
          lexBound,
          fc.boolean(),
          fc.integer({ min: -1, max: 4 }),
          fc.integer({ min: -1, max: 4 }),
          (members, min, max, reverse, offset, count) => {
            const set = storedSortedSet(setup());
            for (const name of members) set.add(name, 7);
            const inRange = [...members]
              .sort((left, right) => (left < right ? -1 : left > right ? 1 : 0))
              .filter((name) => inLex(name, min, max))
              .map((name) => ({ member: name, score: 7 }));
            expect(set.rangeByLex(min, max, reverse, offset, count)).toEqual(limit(inRange, reverse, offset, count));
            expect(set.countByLex(min, max)).toBe(inRange.length);
          },
        ),
        { numRuns: 100 },
      );
    });
  });
}
