/**
 * XCLAIM and XAUTOCLAIM (t_stream.c): moving pending entries between consumers, with Redis 7.0's option parsing,
 * idle checks, FORCE/JUSTID/RETRYCOUNT/LASTID, and the deleted-ID list of XAUTOCLAIM.
 */
import { compareIds, formatId, incrementId, type StreamGroup, type StreamID, type StreamNack } from '@mini-redis/store';
import type { RespValue } from '@mini-redis/protocol';
import type { CommandContext, Reply } from '../../context.js';
import { cString, fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import { parseInteger } from '../../format.js';
import { entryReply, intervalIdArg, parseId, strictIdArg, streamAndGroup } from './stream-shared.js';
import { lookupOrCreateConsumer } from './stream-read.js';

/** Moves a pending entry to a consumer (XCLAIM/XAUTOCLAIM). */
function transfer(group: StreamGroup, id: StreamID, nack: StreamNack, consumer: StreamNack['consumer']): void {
  if (nack.consumer !== consumer) {
    nack.consumer.pel.delete(id);
    consumer.pel.set(id, nack);
    nack.consumer = consumer;
  }
  void group;
}

function xclaim(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const [stream, group] = streamAndGroup(ctx, key, args[2]!);
  let minIdle = integerArg(args[4]!, 'ERR Invalid min-idle-time argument for XCLAIM');
  if (minIdle < 0) minIdle = 0;
  const ids: StreamID[] = [];
  let index = 5;
  for (; index < args.length; index++) {
    try {
      ids.push(parseId(args[index]!, 0n, true).id);
    } catch {
      break;
    }
  }
  const now = ctx.server.clock.now();
  let deliveryTime = -1;
  let retryCount = -1;
  let force = false;
  let justId = false;
  let lastId: StreamID = { ms: 0n, seq: 0n };
  for (; index < args.length; index++) {
    const moreArgs = args.length - 1 - index;
    const option = args[index]!.toLowerCase();
    if (option === 'force') force = true;
    else if (option === 'justid') justId = true;
    else if (option === 'idle' && moreArgs > 0) {
      deliveryTime = now - integerArg(args[++index]!, 'ERR Invalid IDLE option argument for XCLAIM');
    } else if (option === 'time' && moreArgs > 0) {
      deliveryTime = integerArg(args[++index]!, 'ERR Invalid TIME option argument for XCLAIM');
    } else if (option === 'retrycount' && moreArgs > 0) {
      retryCount = integerArg(args[++index]!, 'ERR Invalid RETRYCOUNT option argument for XCLAIM');
    } else if (option === 'lastid' && moreArgs > 0) {
      lastId = strictIdArg(args[++index]!);
    } else {
      fail(`ERR Unrecognized XCLAIM option '${cString(args[index]!)}'`);
    }
  }
  if (compareIds(lastId, group.lastId) > 0) group.lastId = lastId;
  if (deliveryTime !== -1) {
    if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  } else {
    deliveryTime = now;
  }
  const out: RespValue[] = [];
  let consumer: StreamNack['consumer'] | undefined;
  for (const id of ids) {
    let nack = group.pel.get(id);
    const fields = stream.get(id);
    if (fields === undefined) {
      if (nack !== undefined) {
        group.pel.delete(id);
        nack.consumer.pel.delete(id);
      }
      continue;
    }
    let forced = false;
    if (force && nack === undefined) {
      consumer ??= lookupOrCreateConsumer(ctx, key, group, args[3]!);
      nack = { consumer, deliveryTime: now, deliveryCount: 1 };
      group.pel.set(id, nack);
      forced = true;
    }
    if (nack === undefined) continue;
    if (!forced && minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    consumer ??= lookupOrCreateConsumer(ctx, key, group, args[3]!);
    consumer.seenTime = now;
    if (forced) consumer.pel.set(id, nack);
    else transfer(group, id, nack, consumer);
    nack.deliveryTime = deliveryTime;
    if (retryCount >= 0) nack.deliveryCount = retryCount;
    else if (!justId) nack.deliveryCount++;
    out.push(justId ? formatId(id) : entryReply({ id, fields }));
  }
  return out;
}

function xautoclaim(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  let minIdle = integerArg(args[4]!, 'ERR Invalid min-idle-time argument for XAUTOCLAIM');
  if (minIdle < 0) minIdle = 0;
  const startBound = intervalIdArg(args[5]!, 0n);
  const start = startBound.exclusive ? incrementId(startBound.id) : startBound.id;
  if (start === undefined) fail('ERR invalid start ID for the interval');
  let count = 100;
  let justId = false;
  for (let index = 6; index < args.length; index++) {
    const moreArgs = args.length - 1 - index;
    const option = args[index]!.toLowerCase();
    if (option === 'count' && moreArgs > 0) {
      const value = parseInteger(args[index + 1]!);
      if (value === undefined || value < 1 || value > 576460752303423487) fail('ERR COUNT must be > 0');
      count = value;
      index++;
    } else if (option === 'justid') {
      justId = true;
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  const [stream, group] = streamAndGroup(ctx, key, args[2]!);
  let attempts = count * 10;
  const now = ctx.server.clock.now();
  const claimed: RespValue[] = [];
  const deleted: RespValue[] = [];
  let consumer: StreamNack['consumer'] | undefined;
  // The PEL from start, as far as this call may look: attempts entries plus the next one (the cursor).
  const window: Array<[StreamID, StreamNack]> = [];
  for (const pair of group.pel.from(start)) {
    window.push(pair);
    if (window.length > attempts) break;
  }
  let position = 0;
  while (attempts-- > 0 && count > 0 && position < window.length) {
    const [id, nack] = window[position++]!;
    const fields = stream.get(id);
    if (fields === undefined) {
      group.pel.delete(id);
      nack.consumer.pel.delete(id);
      deleted.push(formatId(id));
      count--;
      continue;
    }
    if (minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    consumer ??= lookupOrCreateConsumer(ctx, key, group, args[3]!);
    consumer.seenTime = now;
    transfer(group, id, nack, consumer);
    nack.deliveryTime = now;
    if (!justId) nack.deliveryCount++;
    claimed.push(justId ? formatId(id) : entryReply({ id, fields }));
    count--;
  }
  const next = window[position]?.[0];
  return [next === undefined ? '0-0' : formatId(next), claimed, deleted];
}

export { xclaim, xautoclaim };
