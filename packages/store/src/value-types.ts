/**
 * The value types of the storage engine contract (types.ts): byte strings and what the keyspace holds (strings, lists,
 * hashes, sets, sorted sets, streams with their consumer groups).
 */
import type { IdMap, StreamID } from './stream-id.js';

/** A byte string: one char per byte (latin1). */
export type Bytes = string;

/** A string value: a latin1 byte string, or a Buffer holding the same bytes. */
export type StringValue = string | Buffer;

/** The Redis type names, as TYPE replies them. */
export type ValueType = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

/** A list: a deque of byte strings. push/pop at both ends O(1), index access O(1) or O(log n). */
export interface ListValue {
  readonly kind: 'list';
  readonly length: number;
  pushBack(item: Bytes): void;
  pushFront(item: Bytes): void;
  popBack(): Bytes | undefined;
  popFront(): Bytes | undefined;
  /** Item at a zero-based index from the front; negative indexes count from the back (-1 = last). */
  at(index: number): Bytes | undefined;
  /** Replaces the item at an index (negative from the back); false when out of range. */
  set(index: number, item: Bytes): boolean;
  /** Items from start to stop inclusive, already normalised to 0 <= start <= stop < length (else clamped). */
  slice(start: number, stop: number): Bytes[];
  /** Inserts before (or after) the first occurrence of pivot; returns the new length, or -1 if pivot is absent. */
  insert(pivot: Bytes, item: Bytes, after: boolean): number;
  /** LREM semantics: count > 0 from the front, < 0 from the back, 0 all. Returns how many were removed. */
  remove(item: Bytes, count: number): number;
  /** Keeps only start..stop inclusive (normalised as in slice, clamped; start > stop empties the list). */
  trim(start: number, stop: number): void;
  /** Iterates from the front. */
  [Symbol.iterator](): IterableIterator<Bytes>;
}

/** A hash: field -> value. A plain Map, O(1) average. */
export type HashValue = Map<Bytes, Bytes>;

/** A set of members. A plain Set, O(1) average. */
export type SetValue = Set<Bytes>;

/** Bound of a score range: a number and whether it is exclusive (ZRANGEBYSCORE's `(`). */
export interface ScoreBound {
  readonly value: number;
  readonly exclusive: boolean;
}

/** Bound of a lexicographic range: `-` / `+` are the infinities; otherwise a member, inclusive or not. */
export type LexBound = '-' | '+' | { readonly value: Bytes; readonly exclusive: boolean };

/** A member with its score. */
export interface ScoredMember {
  readonly member: Bytes;
  readonly score: number;
}

/**
 * A sorted set, ordered by (score, member bytes). add/remove/rank/score-range/lex-range O(log n);
 * score lookup O(1).
 */
export interface SortedSetValue {
  readonly kind: 'zset';
  readonly size: number;
  /** The member's score, or undefined. */
  score(member: Bytes): number | undefined;
  /** Adds or updates; returns true when the member is new. Throws RangeError for a NaN score (callers reject it). */
  add(member: Bytes, score: number): boolean;
  /** Removes; returns true when the member was there. */
  delete(member: Bytes): boolean;
  /** Zero-based rank in ascending order (or descending when reverse), or undefined. */
  rank(member: Bytes, reverse?: boolean): number | undefined;
  /**
   * Members by rank, start..stop inclusive, already normalised (0 <= start <= stop < size; out of range is clamped).
   * With reverse, ranks count from the highest member (ZREVRANGE) and members come in descending order.
   */
  rangeByRank(start: number, stop: number, reverse?: boolean): ScoredMember[];
  /**
   * Members with min <= score <= max (bounds may be exclusive), ascending or descending; offset/count as LIMIT
   * (omitted or negative count: no limit; negative offset: empty). O(log n + count). With reverse, min and max still
   * name the low and the high bound (the server swaps ZREVRANGEBYSCORE's arguments).
   */
  rangeByScore(min: ScoreBound, max: ScoreBound, reverse?: boolean, offset?: number, count?: number): ScoredMember[];
  /** Members in min..max by bytes (meaningful when all scores are equal, as in Redis); reverse/LIMIT as by score. */
  rangeByLex(min: LexBound, max: LexBound, reverse?: boolean, offset?: number, count?: number): ScoredMember[];
  /** How many members have a score in range, O(log n). */
  countByScore(min: ScoreBound, max: ScoreBound): number;
  /** How many members are in the lex range, O(log n). */
  countByLex(min: LexBound, max: LexBound): number;
  /** Iterates in ascending order. */
  [Symbol.iterator](): IterableIterator<ScoredMember>;
}

/** A stream entry ID: 64-bit ms and 64-bit sequence (see stream-id.ts). */
export type { StreamID } from './stream-id.js';

/** One stream entry: its ID and its fields, flat (field, value, field, value...). */
export interface StreamEntry {
  readonly id: StreamID;
  readonly fields: Bytes[];
}

/** A pending entry of a consumer group (streamNACK). */
export interface StreamNack {
  consumer: StreamConsumer;
  /** Last delivery time, ms. */
  deliveryTime: number;
  deliveryCount: number;
}

/** A consumer of a group: its name, when it was last seen, its own pending entries. */
export interface StreamConsumer {
  readonly name: Bytes;
  seenTime: number;
  readonly pel: IdMap<StreamNack>;
}

/** A consumer group (streamCG). */
export interface StreamGroup {
  readonly name: Bytes;
  lastId: StreamID;
  /** Logical read counter; -1n when unknown. */
  entriesRead: bigint;
  readonly pel: IdMap<StreamNack>;
  /** Consumers by name (replies list them sorted by name, as Redis's rax does). */
  readonly consumers: Map<Bytes, StreamConsumer>;
}

/** How XADD/XTRIM trims (streamTrim). limit 0 = no limit. */
export type StreamTrimOptions =
  | { readonly strategy: 'maxlen'; readonly maxlen: number; readonly approx: boolean; readonly limit: number }
  | { readonly strategy: 'minid'; readonly minid: StreamID; readonly approx: boolean; readonly limit: number };

/**
 * A stream: entries ordered by ID in macro nodes like Redis's (so that approximate trimming matches), with the
 * counters Redis 7.0 keeps and the consumer groups. `createStream()` builds one (stream.ts).
 */
export interface StreamValue {
  readonly kind: 'stream';
  readonly length: number;
  lastId: StreamID;
  /** The first entry's ID as recorded (0-0 when empty). */
  firstId: StreamID;
  maxDeletedId: StreamID;
  entriesAdded: bigint;
  readonly groups: Map<Bytes, StreamGroup>;
  /** Number of macro nodes. */
  readonly nodeCount: number;
  /** The master ID of every node, in order (the keys of Redis's rax). */
  nodeKeys(): StreamID[];
  append(id: StreamID, fields: Bytes[], limits: { readonly maxEntries: number; readonly maxBytes: number }): void;
  get(id: StreamID): Bytes[] | undefined;
  range(start: StreamID, end: StreamID, reverse?: boolean, count?: number): StreamEntry[];
  edgeId(last: boolean): StreamID | undefined;
  delete(id: StreamID): boolean;
  trim(options: StreamTrimOptions): number;
  clone(): StreamValue;
}

/** Any value the keyspace holds. Its type follows from what it is (see `typeOf`). */
export type Value = StringValue | ListValue | HashValue | SetValue | SortedSetValue | StreamValue;

/** Maps a Redis type name to the value type it holds. */
export interface ValueOfType {
  string: StringValue;
  list: ListValue;
  hash: HashValue;
  set: SetValue;
  zset: SortedSetValue;
  stream: StreamValue;
}
