/**
 * What the stream commands share (t_stream.c): ID parsing with Redis's exact acceptance rules (string2ull, which
 * falls back to strtoull), entry replies, lookups with Redis's errors, the node limits from the config, and the 7.0
 * logical-read counter estimates behind entries-read and lag.
 */
import {
  compareIds,
  createStream,
  formatId,
  MAX_ID,
  MIN_ID,
  UINT64_MAX,
  type StreamEntry,
  type StreamGroup,
  type StreamID,
  type StreamValue,
} from '@mini-redis/store';
import type { RespValue } from '@mini-redis/protocol';
import type { CommandContext } from '../../context.js';
import { cString, fail } from '../errors.js';

/** Shared options of the writes that keep the key's TTL (no allocation per call). */
const KEEP_TTL = { keepTtl: true } as const;

export const INVALID_ID = 'ERR Invalid stream ID specified as stream command argument';

const SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);

/** C's string2ull: a canonical non-negative long long, or whatever strtoull accepts in full; undefined otherwise. */
export function parseUint64(text: string): bigint | undefined {
  if (/^(?:0|-?[1-9][0-9]*)$/.test(text) && text.length <= 20) {
    const value = BigInt(text);
    if (value >= -(2n ** 63n) && value < 2n ** 63n) return value < 0n ? undefined : value;
  }
  // strtoull: leading spaces, a sign, decimal digits to the end; out of range is an error; '-' negates modulo 2^64.
  let index = 0;
  while (index < text.length && SPACE.has(text[index]!)) index++;
  let negative = false;
  if (text[index] === '+' || text[index] === '-') negative = text[index++] === '-';
  const digits = text.slice(index);
  if (!/^[0-9]+$/.test(digits)) return undefined;
  const value = BigInt(digits);
  if (value > UINT64_MAX) return undefined;
  return negative ? BigInt.asUintN(64, -value) : value;
}

/** The result of parsing an ID argument. seqGiven false for XADD's `ms-*`. */
export interface ParsedId {
  id: StreamID;
  seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply: `-`, `+` (unless strict), `ms` (seq = missingSeq) or `ms-seq`; with allowSeqStar the
 * `ms-*` form. Throws Redis's invalid-ID error.
 */
export function parseId(text: string, missingSeq: bigint, strict: boolean, allowSeqStar = false): ParsedId {
  if (text.length > 127) fail(INVALID_ID);
  const nul = text.indexOf('\0');
  const buf = nul === -1 ? text : text.slice(0, nul);
  if (strict && (buf === '-' || buf === '+')) fail(INVALID_ID);
  if (buf === '-') return { id: MIN_ID, seqGiven: true };
  if (buf === '+') return { id: MAX_ID, seqGiven: true };
  const dash = buf.indexOf('-');
  const ms = parseUint64(dash === -1 ? buf : buf.slice(0, dash));
  if (ms === undefined) fail(INVALID_ID);
  if (dash === -1) return { id: { ms, seq: missingSeq }, seqGiven: true };
  const seqText = buf.slice(dash + 1);
  if (allowSeqStar && seqText === '*') return { id: { ms, seq: 0n }, seqGiven: false };
  const seq = parseUint64(seqText);
  if (seq === undefined) fail(INVALID_ID);
  return { id: { ms, seq }, seqGiven: true };
}

/** A plain ID argument (streamParseIDOrReply). */
export function idArg(text: string, missingSeq = 0n): StreamID {
  return parseId(text, missingSeq, false).id;
}

/** A strict ID argument: `-` and `+` rejected (streamParseStrictIDOrReply). */
export function strictIdArg(text: string, missingSeq = 0n): StreamID {
  return parseId(text, missingSeq, true).id;
}

/** An interval bound of XRANGE/XPENDING/XAUTOCLAIM: `(` makes it exclusive (then strict). */
export function intervalIdArg(text: string, missingSeq: bigint): { id: StreamID; exclusive: boolean } {
  const exclusive = text.length > 1 && text[0] === '(';
  if (exclusive) return { id: strictIdArg(text.slice(1), missingSeq), exclusive };
  return { id: idArg(text, missingSeq), exclusive };
}

/** An ID as a bulk string. */
export function idReply(id: StreamID): string {
  return formatId(id);
}

/** One entry as Redis replies it: [id, [field, value, ...]]. */
export function entryReply(entry: StreamEntry): RespValue {
  return [formatId(entry.id), entry.fields];
}

/** The stream under key, or undefined; WRONGTYPE for another type. */
export function getStream(ctx: CommandContext, key: string): StreamValue | undefined {
  return ctx.db.getTyped(key, 'stream');
}

/** The stream under key, created (and stored) when missing. */
export function getOrCreateStream(ctx: CommandContext, key: string): StreamValue {
  const existing = getStream(ctx, key);
  if (existing !== undefined) return existing;
  const stream = createStream();
  ctx.db.set(key, stream, KEEP_TTL);
  return stream;
}

/** The node limits the config asks for. */
export function nodeLimits(ctx: CommandContext): { maxEntries: number; maxBytes: number } {
  const config = ctx.server.config;
  return {
    maxEntries: Number(config.get('stream-node-max-entries')),
    maxBytes: Number(config.get('stream-node-max-bytes')),
  };
}

/** SCG_INVALID_ENTRIES_READ. */
export const INVALID_ENTRIES_READ = -1n;

function isZero(id: StreamID): boolean {
  return id.ms === 0n && id.seq === 0n;
}

/** streamRangeHasTombstones(s, start, NULL-or-end). */
export function rangeHasTombstones(stream: StreamValue, start: StreamID | undefined, end?: StreamID): boolean {
  if (stream.length === 0 || isZero(stream.maxDeletedId)) return false;
  if (compareIds(stream.firstId, stream.maxDeletedId) > 0) return false;
  const from = start ?? MIN_ID;
  const to = end ?? MAX_ID;
  return compareIds(from, stream.maxDeletedId) <= 0 && compareIds(stream.maxDeletedId, to) <= 0;
}

/** streamEstimateDistanceFromFirstEverEntry. */
export function estimateDistance(stream: StreamValue, id: StreamID): bigint {
  if (stream.entriesAdded === 0n) return 0n;
  if (stream.length === 0 && compareIds(id, stream.lastId) < 1) return stream.entriesAdded;
  const cmpLast = compareIds(id, stream.lastId);
  if (cmpLast === 0) return stream.entriesAdded;
  if (cmpLast > 0) return INVALID_ENTRIES_READ;
  const cmpFirst = compareIds(id, stream.firstId);
  if (isZero(stream.maxDeletedId) || compareIds(stream.maxDeletedId, stream.firstId) < 0) {
    if (cmpFirst < 0) return stream.entriesAdded - BigInt(stream.length);
    if (cmpFirst === 0) return stream.entriesAdded - BigInt(stream.length) + 1n;
  }
  return INVALID_ENTRIES_READ;
}

/** A group's lag (streamReplyWithCGLag): a number, or null when unknown. */
export function groupLag(stream: StreamValue, group: StreamGroup): bigint | null {
  if (stream.entriesAdded === 0n) return 0n;
  if (group.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(stream, group.lastId)) {
    return stream.entriesAdded - group.entriesRead;
  }
  const read = estimateDistance(stream, group.lastId);
  return read === INVALID_ENTRIES_READ ? null : stream.entriesAdded - read;
}


/** The stream and group for XACK-like commands, or the NOGROUP error. */
export function streamAndGroup(ctx: CommandContext, key: string, groupName: string): [StreamValue, StreamGroup] {
  const stream = getStream(ctx, key);
  const group = stream?.groups.get(groupName);
  if (group === undefined) fail(`NOGROUP No such key '${cString(key)}' or consumer group '${cString(groupName)}'`);
  return [stream!, group];
}

