/**
 * XADD, XTRIM, XDEL, XLEN, XRANGE/XREVRANGE and XSETID (t_stream.c), with Redis 7.0's option parsing
 * (streamParseAddOrTrimArgsOrReply), ID rules and errors.
 */
import { compareIds, decrementId, incrementId, MIN_ID, UINT64_MAX, type StreamID, type StreamTrimOptions } from '@mini-redis/store';
import { NULL_ARRAY, OK } from '@mini-redis/protocol';
import type { CommandContext, Reply } from '../../context.js';
import { fail, integerArg, SYNTAX_ERROR, wrongArity } from '../errors.js';
import { parseBigInteger } from '../../format.js';
import {
  entryReply,
  getOrCreateStream,
  getStream,
  idReply,
  intervalIdArg,
  nodeLimits,
  parseId,
  strictIdArg,
} from './stream-shared.js';

interface AddTrimArgs {
  trim: StreamTrimOptions | undefined;
  noMkStream: boolean;
  id: StreamID | undefined;
  seqGiven: boolean;
  /** Index of the ID argument (XADD). */
  index: number;
}

/** streamParseAddOrTrimArgsOrReply. */
function parseAddOrTrimArgs(ctx: CommandContext, args: string[], xadd: boolean): AddTrimArgs {
  let strategy: 'maxlen' | 'minid' | undefined;
  let approx = false;
  let maxlen = 0;
  let minid: StreamID = MIN_ID;
  let limit = 0;
  let limitGiven = false;
  let noMkStream = false;
  let id: StreamID | undefined;
  let seqGiven = true;
  let index = 2;
  for (; index < args.length; index++) {
    const moreArgs = args.length - 1 - index;
    const option = args[index]!;
    const lower = option.toLowerCase();
    if (xadd && option === '*') break;
    if ((lower === 'maxlen' || lower === 'minid') && moreArgs > 0) {
      if (strategy !== undefined) fail('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
      approx = false;
      const next = args[index + 1]!;
      if (moreArgs >= 2 && next === '~') {
        approx = true;
        index++;
      } else if (moreArgs >= 2 && next === '=') {
        index++;
      }
      if (lower === 'maxlen') {
        maxlen = integerArg(args[index + 1]!);
        if (maxlen < 0) fail('ERR The MAXLEN argument must be >= 0.');
      } else {
        minid = strictIdArg(args[index + 1]!);
      }
      index++;
      strategy = lower;
    } else if (lower === 'limit' && moreArgs > 0) {
      limit = integerArg(args[index + 1]!);
      if (limit < 0) fail('ERR The LIMIT argument must be >= 0.');
      limitGiven = true;
      index++;
    } else if (xadd && lower === 'nomkstream') {
      noMkStream = true;
    } else if (xadd) {
      const parsed = parseId(option, 0n, true, true);
      id = parsed.id;
      seqGiven = parsed.seqGiven;
      break;
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  if (limit !== 0 && strategy === undefined) {
    fail('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
  }
  if (!xadd && strategy === undefined) fail('ERR syntax error, XTRIM must be called with a trimming strategy');
  if (limitGiven) {
    if (!approx) fail('ERR syntax error, LIMIT cannot be used without the special ~ option');
  } else if (approx) {
    limit = 100 * nodeLimits(ctx).maxEntries;
    if (limit <= 0) limit = 10000;
    if (limit > 1000000) limit = 1000000;
  } else {
    limit = 0;
  }
  let trim: StreamTrimOptions | undefined;
  if (strategy === 'maxlen') trim = { strategy, maxlen, approx, limit };
  else if (strategy === 'minid') trim = { strategy, minid, approx, limit };
  return { trim, noMkStream, id, seqGiven, index };
}

function xadd(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const parsed = parseAddOrTrimArgs(ctx, args, true);
  const fieldPos = parsed.index + 1;
  const fieldCount = args.length - fieldPos;
  if (fieldCount < 2 || fieldCount % 2 === 1) throw wrongArity('xadd');
  if (parsed.id !== undefined && parsed.seqGiven && parsed.id.ms === 0n && parsed.id.seq === 0n) {
    fail('ERR The ID specified in XADD must be greater than 0-0');
  }
  let stream = getStream(ctx, key);
  if (stream === undefined) {
    if (parsed.noMkStream) return null;
    stream = getOrCreateStream(ctx, key);
  }
  const last = stream.lastId;
  if (last.ms === UINT64_MAX && last.seq === UINT64_MAX) {
    fail('ERR The stream has exhausted the last possible ID, unable to add more items');
  }
  let id: StreamID;
  if (parsed.id === undefined) {
    const now = BigInt(ctx.server.clock.now());
    id = now > last.ms ? { ms: now, seq: 0n } : incrementId(last)!;
  } else if (!parsed.seqGiven) {
    if (parsed.id.ms === last.ms) {
      if (last.seq === UINT64_MAX) fail('ERR The ID specified in XADD is equal or smaller than the target stream top item');
      id = { ms: last.ms, seq: last.seq + 1n };
    } else {
      id = { ms: parsed.id.ms, seq: 0n };
    }
  } else {
    id = parsed.id;
  }
  if (compareIds(id, last) <= 0) {
    fail('ERR The ID specified in XADD is equal or smaller than the target stream top item');
  }
  stream.append(id, args.slice(fieldPos), nodeLimits(ctx));
  ctx.db.touch(key, 'xadd');
  ctx.server.notify('t', 'xadd', key, ctx.db.index);
  if (parsed.trim !== undefined && stream.trim(parsed.trim) > 0) {
    ctx.server.notify('t', 'xtrim', key, ctx.db.index);
  }
  ctx.server.signalKeyAsReady(ctx.db.index, key);
  return idReply(id);
}

function xtrim(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const parsed = parseAddOrTrimArgs(ctx, args, false);
  const stream = getStream(ctx, key);
  if (stream === undefined) return 0;
  const deleted = stream.trim(parsed.trim!);
  if (deleted > 0) {
    ctx.db.touch(key, 'xtrim');
    ctx.server.notify('t', 'xtrim', key, ctx.db.index);
  }
  return deleted;
}

function xdel(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const stream = getStream(ctx, key);
  if (stream === undefined) return 0;
  // Every ID is validated before anything is deleted.
  const ids: StreamID[] = [];
  for (let index = 2; index < args.length; index++) ids.push(strictIdArg(args[index]!));
  let deleted = 0;
  let firstDeleted = false;
  for (const id of ids) {
    const first = stream.length > 0 && compareIds(id, stream.firstId) === 0;
    if (stream.delete(id)) {
      deleted++;
      if (first) firstDeleted = true;
      if (compareIds(id, stream.maxDeletedId) > 0) stream.maxDeletedId = id;
    }
  }
  if (deleted > 0) {
    if (firstDeleted) stream.firstId = stream.length > 0 ? stream.edgeId(false)! : MIN_ID;
    ctx.db.touch(key, 'xdel');
    ctx.server.notify('t', 'xdel', key, ctx.db.index);
  }
  return deleted;
}

function xlen(ctx: CommandContext, args: string[]): Reply {
  return getStream(ctx, args[1]!)?.length ?? 0;
}

function range(reverse: boolean) {
  return (ctx: CommandContext, args: string[]): Reply => {
    const startArg = reverse ? args[3]! : args[2]!;
    const endArg = reverse ? args[2]! : args[3]!;
    const start = intervalIdArg(startArg, 0n);
    let startId: StreamID | undefined = start.id;
    if (start.exclusive) {
      startId = incrementId(start.id);
      if (startId === undefined) fail('ERR invalid start ID for the interval');
    }
    const end = intervalIdArg(endArg, UINT64_MAX);
    let endId: StreamID | undefined = end.id;
    if (end.exclusive) {
      endId = decrementId(end.id);
      if (endId === undefined) fail('ERR invalid end ID for the interval');
    }
    let count = -1;
    for (let index = 4; index < args.length; index++) {
      if (args[index]!.toLowerCase() === 'count' && index + 1 < args.length) {
        count = integerArg(args[++index]!);
        if (count < 0) count = 0;
      } else {
        fail(SYNTAX_ERROR);
      }
    }
    const stream = getStream(ctx, args[1]!);
    if (stream === undefined) return [];
    if (count === 0) return NULL_ARRAY;
    return stream.range(startId, endId, reverse, count === -1 ? 0 : count).map(entryReply);
  };
}

function xsetid(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const id = strictIdArg(args[2]!);
  let entriesAdded = -1n;
  let maxDeleted: StreamID = MIN_ID;
  for (let index = 3; index < args.length; index++) {
    const moreArgs = args.length - 1 - index;
    const option = args[index]!.toLowerCase();
    if (option === 'entriesadded' && moreArgs > 0) {
      const value = parseBigInteger(args[++index]!);
      if (value === undefined || value < -(2n ** 63n) || value >= 2n ** 63n) fail('ERR value is not an integer or out of range');
      entriesAdded = value;
      if (entriesAdded < 0n) fail('ERR entries_added must be positive');
    } else if (option === 'maxdeletedid' && moreArgs > 0) {
      maxDeleted = strictIdArg(args[++index]!);
      if (compareIds(id, maxDeleted) < 0) fail('ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id');
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  const stream = getStream(ctx, key);
  if (stream === undefined) fail('ERR no such key');
  if (stream.length > 0) {
    if (compareIds(id, stream.edgeId(true)!) < 0) fail('ERR The ID specified in XSETID is smaller than the target stream top item');
    if (entriesAdded !== -1n && BigInt(stream.length) > entriesAdded) {
      fail('ERR The entries_added specified in XSETID is smaller than the target stream length');
    }
  }
  stream.lastId = id;
  if (entriesAdded !== -1n) stream.entriesAdded = entriesAdded;
  if (!(maxDeleted.ms === 0n && maxDeleted.seq === 0n)) stream.maxDeletedId = maxDeleted;
  ctx.server.notify('t', 'xsetid', key, ctx.db.index);
  return OK;
}

export const xrange = range(false);
export const xrevrange = range(true);
export { xadd, xtrim, xdel, xlen, xsetid };
