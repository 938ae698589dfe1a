// The Decoder's line values (`+ - _ # , (`) from their bytes, its protocol errors, and the kinds of its frames (the
// bulk, blob and verbatim strings and the aggregates are built in decoder-fast.ts, where the fast path calls them).
import { ErrorReply, ProtocolError } from './errors.js';
import type { FastBuffer } from './fast-buffer.js';
import { formatDouble } from './format-double.js';
import { latin1String, utf8String } from './short-string.js';
import { BigNumber, RespDouble, RespMap, SimpleString, type RespValue } from './values.js';

export const error = (message: string): ProtocolError => new ProtocolError(`Protocol error: ${message}`);

export type StringEncoding = 'buffer' | 'utf8' | 'latin1';

const DOUBLE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const BIG_NUMBER = /^[+-]?\d+$/;

/** Text (simple strings, errors): latin1 when asked, else utf8 (for the `buffer` encoding too). */
export function textValue(encoding: StringEncoding, buffer: FastBuffer, start: number, end: number): string {
  return encoding === 'latin1' ? latin1String(buffer, start, end) : utf8String(buffer, start, end);
}

/** The value of a line of type `type` whose content is `start`..`end` (before the CR). */
export function lineValue(
  encoding: StringEncoding,
  type: number,
  buffer: FastBuffer,
  start: number,
  end: number,
): RespValue {
  switch (type) {
    case 0x2b:
      return new SimpleString(textValue(encoding, buffer, start, end));
    case 0x2d:
      return new ErrorReply(textValue(encoding, buffer, start, end));
    case 0x5f:
      if (end !== start) throw error('invalid null');
      return null;
    case 0x23: {
      const value = end === start + 1 ? buffer[start] : 0;
      if (value === 0x74) return true;
      if (value === 0x66) return false;
      throw error('invalid boolean');
    }
    case 0x2c: {
      const text = latin1String(buffer, start, end);
      const value = parseDouble(text);
      return formatDouble(value) === text ? new RespDouble(value) : new RespDouble(value, text);
    }
    default: {
      const text = latin1String(buffer, start, end);
      if (!BIG_NUMBER.test(text)) throw error('invalid big number');
      return new BigNumber(BigInt(text));
    }
  }
}

/** Parses a RESP3 double (`1.5`, `-1e10`, `inf`, `-inf`, `nan`). */
function parseDouble(text: string): number {
  switch (text) {
    case 'inf':
    case '+inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
    case '-nan':
      return NaN;
  }
  if (!DOUBLE.test(text)) throw error('invalid double');
  return Number(text);
}

/** What a frame collects; the aggregates' kinds are their type bytes, so aggregateOf builds them. */
export const enumKind = {
  ARRAY: 0x2a,
  MAP: 0x25,
  SET: 0x7e,
  PUSH: 0x3e,
  ATTRIBUTE: 0x7c, // collecting the attribute map
  ATTRIBUTED: 0x40, // waiting for the value the attributes belong to (no type byte of its own)
  STREAMED_STRING: 0x24,
} as const;
export type Kind = (typeof enumKind)[keyof typeof enumKind];

export interface Frame {
  kind: Kind;
  items: RespValue[];
  /** Elements still expected; Infinity for a streamed aggregate ended by `.`. */
  remaining: number;
  attributes: RespMap | undefined;
  parts: Buffer[] | undefined;
}
