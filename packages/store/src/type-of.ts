/** The Redis type of a value, which follows from the value itself. */
import type { Value, ValueType } from './types.js';

/** 'string' for a string or Buffer, 'hash' for a Map, 'set' for a Set, otherwise the value's `kind`. */
export function typeOf(value: Value): ValueType {
  if (typeof value === 'string' || value instanceof Uint8Array) return 'string';
  if (value instanceof Map) return 'hash';
  if (value instanceof Set) return 'set';
  return value.kind;
}
