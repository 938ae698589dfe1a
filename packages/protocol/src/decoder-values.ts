// The Decoder's values from their bytes: line values (`+ - _ # , (`), blob errors and verbatim strings, aggregates.
import { BlobErrorReply, ErrorReply, ProtocolError } from './errors.js';
import { sliceOf, type FastBuffer } from './fast-buffer.js';
import { formatDouble } from './format-double.js';
import { latin1String, utf8String } from './short-string.js';
import {
  BigNumber,
  Push,
  RespDouble,
  RespMap,
  RespSet,
  SimpleString,
  VerbatimString,
  type RespValue,
} from './values.js';

export const error = (message: string): ProtocolError => new ProtocolError(`Protocol error: ${message}`);

export type StringEncoding = 'buffer' | 'utf8' | 'latin1';

const DOUBLE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const BIG_NUMBER = /^[+-]?\d+$/;

/** A bulk string's payload as the decoder's `stringEncoding` asks. */
export function bulkValue(encoding: StringEncoding, buffer: FastBuffer, start: number, end: number): Buffer | string {
  switch (encoding) {
    case 'buffer':
      return sliceOf(buffer, start, end);
    case 'utf8':
      return utf8String(buffer, start, end);
    default:
      return latin1String(buffer, start, end);
  }
}

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

/** A blob error (`!`) or verbatim string (`=`) from its payload. */
export function payloadValue(
  encoding: StringEncoding,
  type: number,
  buffer: FastBuffer,
  start: number,
  end: number,
): RespValue {
  if (type === 0x21) return new BlobErrorReply(textValue(encoding, buffer, start, end));
  if (end - start < 4 || buffer[start + 3] !== 0x3a) throw error('invalid verbatim string');
  return new VerbatimString(latin1String(buffer, start, start + 3), bulkValue(encoding, buffer, start + 4, end));
}

/** The value of a complete aggregate of type `type` (`*`, `%`, `~`, `>`) with `items`. */
export function aggregateOf(type: number, items: RespValue[]): RespValue {
  if (type === 0x2a) return items;
  if (type === 0x25) return new RespMap(items);
  return type === 0x7e ? new RespSet(items) : new Push(items);
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
