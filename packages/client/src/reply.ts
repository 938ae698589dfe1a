// Reply shapes: turns decoded RESP values into plain JavaScript, the same for RESP2 and RESP3 servers.
import {
  Attributed,
  BigNumber,
  ErrorReply,
  NullArray,
  Push,
  RespDouble,
  RespMap,
  RespSet,
  SimpleString,
  VerbatimString,
  type RespValue,
} from '@mini-redis/protocol';
import { ReplyError } from './errors.js';

/** A reply from `sendCommand`: strings (or Buffers), numbers, bigints, booleans, null, arrays and Maps. */
export type RedisReply<S = string> =
  | S
  | string
  | number
  | bigint
  | boolean
  | null
  | ReplyError
  | RedisReply<S>[]
  | Map<RedisReply<S>, RedisReply<S>>;

/** Converts a decoded value to plain JavaScript: simple strings to strings, maps to `Map`, sets to arrays. */
export function plain(value: RespValue): any {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let index = 0; index < value.length; index++) out[index] = plain(value[index]!);
    return out;
  }
  if (value instanceof SimpleString) return value.value;
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof RespDouble) return value.value;
  if (value instanceof RespMap) {
    const map = new Map();
    const items = value.items;
    for (let index = 0; index < items.length; index += 2) map.set(plain(items[index]!), plain(items[index + 1]!));
    return map;
  }
  if (value instanceof RespSet || value instanceof Push) return value.items.map(plain);
  if (value instanceof NullArray) return null;
  if (value instanceof VerbatimString) return value.value;
  if (value instanceof BigNumber) return value.value;
  if (value instanceof Attributed) return plain(value.value);
  if (value instanceof ErrorReply) return new ReplyError(value.message);
  return value;
}

/** A reply transform: receives the decoded value (never an error reply). */
export type Transform = (value: RespValue) => unknown;

function text(value: RespValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof SimpleString) return value.value;
  if (Buffer.isBuffer(value)) return value.toString();
  if (value instanceof VerbatimString) return typeof value.value === 'string' ? value.value : value.value.toString();
  return String(plain(value));
}

function number(value: RespValue): number {
  if (typeof value === 'number') return value;
  if (value instanceof RespDouble) return value.value;
  if (typeof value === 'bigint') return Number(value);
  const source = text(value);
  if (source === 'inf' || source === '+inf') return Infinity;
  if (source === '-inf') return -Infinity;
  return Number(source);
}

function nullable(value: RespValue): boolean {
  return value === null || value instanceof NullArray;
}

/** Items of an array, set, map or push (flat). */
function items(value: RespValue): RespValue[] {
  if (Array.isArray(value)) return value;
  if (value instanceof RespSet || value instanceof RespMap || value instanceof Push) return value.items;
  return [];
}

function pairsToObject(list: RespValue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let index = 0; index + 1 < list.length; index += 2) out[text(list[index]!)] = plainString(list[index + 1]!);
  return out;
}

/** A bulk/simple/verbatim string, kept as a Buffer when it is one. */
function plainString(value: RespValue): unknown {
  if (value instanceof SimpleString) return value.value;
  if (value instanceof VerbatimString) return value.value;
  return plain(value);
}

/** The reply transforms by kind; the command table names one per command. */
export const transforms = {
  /** Any reply, as plain JavaScript. */
  any: plain,
  /** `+OK` (or another status) as a string. */
  status: (value: RespValue) => (nullable(value) ? null : text(value)),
  /** A bulk string or null. */
  bulk: (value: RespValue) => (value instanceof NullArray ? null : plainString(value)),
  int: (value: RespValue) => (nullable(value) ? null : number(value)),
  bool: (value: RespValue) => value === 1 || value === true,
  double: (value: RespValue) => (nullable(value) ? null : number(value)),
  array: (value: RespValue) => (nullable(value) ? null : items(value).map(plainString)),
  bools: (value: RespValue) => items(value).map((item) => item === 1 || item === true),
  doubles: (value: RespValue) => items(value).map((item) => (nullable(item) ? null : number(item))),
  /** HGETALL, CONFIG GET: a map (RESP3) or a flat array (RESP2) as an object with string keys. */
  record: (value: RespValue) => pairsToObject(items(value)),
  /** BLPOP/BRPOP: [key, value] or null. */
  pair: (value: RespValue) => (nullable(value) ? null : items(value).map(plainString)),
  /** SCAN family: [cursor, items]. */
  scan: (value: RespValue) => {
    const [cursor, list] = items(value);
    return [text(cursor!), items(list!).map(plainString)];
  },
  /** Members with scores: RESP2 flat [m, s, m, s], RESP3 [[m, s], ...]. */
  scored: (value: RespValue) => {
    const list = items(value);
    const out: { value: unknown; score: number }[] = [];
    if (list.length > 0 && (Array.isArray(list[0]) || list[0] instanceof RespMap)) {
      for (const entry of list) {
        const [member, score] = items(entry);
        out.push({ value: plainString(member!), score: number(score!) });
      }
    } else {
      for (let index = 0; index + 1 < list.length; index += 2) {
        out.push({ value: plainString(list[index]!), score: number(list[index + 1]!) });
      }
    }
    return out;
  },
  /** BZPOPMIN/BZPOPMAX: [key, member, score] or null. */
  keyScored: (value: RespValue) => {
    if (nullable(value)) return null;
    const [key, member, score] = items(value);
    return { key: plainString(key!), value: plainString(member!), score: number(score!) };
  },
  /** ZPOPMIN/ZPOPMAX without a count: one [member, score] or nothing; with a count: several (flat in RESP2). */
  /** XRANGE: [[id, [field, value, ...]], ...]. */
  entries: (value: RespValue) => (nullable(value) ? [] : items(value).map(streamEntry)),
  /** XREAD: {stream: entries} (RESP3 map) or [[stream, entries], ...] (RESP2), or null. */
  streams: (value: RespValue) => {
    if (nullable(value)) return null;
    const out: { name: unknown; entries: unknown[] }[] = [];
    if (value instanceof RespMap) {
      const list = value.items;
      for (let index = 0; index + 1 < list.length; index += 2) {
        out.push({ name: plainString(list[index]!), entries: items(list[index + 1]!).map(streamEntry) });
      }
    } else {
      for (const stream of items(value)) {
        const [name, entries] = items(stream);
        out.push({ name: plainString(name!), entries: items(entries!).map(streamEntry) });
      }
    }
    return out;
  },
  /** TYPE, and other status text. */
  text: (value: RespValue) => text(value),
} satisfies Record<string, Transform>;

function streamEntry(entry: RespValue): { id: string; fields: Record<string, unknown> } {
  const [id, fields] = items(entry);
  return { id: text(id!), fields: pairsToObject(items(fields ?? [])) };
}

/** The names of the reply transforms. */
export type TransformName = keyof typeof transforms;
