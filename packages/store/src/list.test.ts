import { expect, test } from 'vitest';
import { createList } from './list.js';

test('the ring buffer keeps order across wrap-around, growth and shrinking', () => {
  // Arrange
  const list = createList();
  const model: string[] = [];
  // Act: alternate growth at both ends with drains, crossing several capacities
  for (let round = 0; round < 5; round++) {
    for (let index = 0; index < 300; index++) {
      const item = `${round}:${index}`;
      if (index % 3 === 0) {
        list.pushFront(item);
        model.unshift(item);
      } else {
        list.pushBack(item);
        model.push(item);
      }
    }
    for (let index = 0; index < 250; index++) {
      expect(index % 2 === 0 ? list.popFront() : list.popBack()).toBe(index % 2 === 0 ? model.shift() : model.pop());
    }
    // Assert
    expect([...list]).toEqual(model);
    expect(list.at(0)).toBe(model[0]);
    expect(list.at(-1)).toBe(model.at(-1));
  }
  while (list.length > 0) list.popFront();
  expect(list.popBack()).toBeUndefined();
  expect(createList(['a', 'b']).toArray()).toEqual(['a', 'b']);
});
