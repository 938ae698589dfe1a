import { expect, test } from 'vitest';
import { WrongTypeError } from './errors.js';
import { createList } from './list.js';
import { createSortedSet } from './btree-sorted-set.js';
import { typeOf } from './type-of.js';
import { createStream } from './stream.js';

test('WrongTypeError carries Redis text and is recognised by its marker', () => {
  const error = new WrongTypeError();
  expect(error.message).toBe('WRONGTYPE Operation against a key holding the wrong kind of value');
  expect(error).toBeInstanceOf(Error);
  expect(WrongTypeError.isInstance(error)).toBe(true);
  expect(WrongTypeError.isInstance({ [Symbol.for('mini-redis.store.WrongTypeError')]: true })).toBe(true);
  expect(WrongTypeError.isInstance(new Error(error.message))).toBe(false);
  expect(WrongTypeError.isInstance(null)).toBe(false);
});

test('typeOf follows the value', () => {
  expect(typeOf('x')).toBe('string');
  expect(typeOf(Buffer.from('x'))).toBe('string');
  expect(typeOf(createList())).toBe('list');
  expect(typeOf(new Map())).toBe('hash');
  expect(typeOf(new Set())).toBe('set');
  expect(typeOf(createSortedSet())).toBe('zset');
  expect(typeOf(createStream())).toBe('stream');
});

test('a NaN score is rejected', () => {
  expect(() => createSortedSet().add('m', Number.NaN)).toThrow(RangeError);
});
