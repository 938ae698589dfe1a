/**
 * XREAD and XREADGROUP (xreadCommand), synchronous and blocking (blocked.c's serveClientsBlockedOnStreamKey), and the
 * consumer-group delivery of streamReplyWithRange / streamReplyWithRangeFromConsumerPEL.
 */
import {
  compareIds,
  incrementId,
  typeOf,
  IdMap,
  MAX_ID,
  MIN_ID,
  type StreamConsumer,
  type StreamGroup,
  type StreamID,
  type StreamNack,
  type StreamValue,
} from '@mini-redis/store';
import { ErrorReply, NULL_ARRAY, RespMap, type RespValue } from '@mini-redis/protocol';
import type { CommandContext, Reply } from '../../context.js';
import { cString, fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import { parseInteger } from '../../format.js';
import {
  entryReply,
  estimateDistance,
  getStream,
  INVALID_ENTRIES_READ,
  rangeHasTombstones,
  strictIdArg,
} from './stream-shared.js';

/** XREAD_BLOCKED_DEFAULT_COUNT. */
const BLOCKED_DEFAULT_COUNT = 1000;

/** Finds or creates a consumer (streamCreateConsumer notifies xgroup-createconsumer). */
export function lookupOrCreateConsumer(
  ctx: CommandContext,
  key: string,
  group: StreamGroup,
  name: string,
): StreamConsumer {
  let consumer = group.consumers.get(name);
  if (consumer === undefined) {
    consumer = { name, seenTime: ctx.server.clock.now(), pel: new IdMap<StreamNack>() };
    group.consumers.set(name, consumer);
    ctx.server.notify('t', 'xgroup-createconsumer', key, ctx.db.index);
  }
  return consumer;
}

/** Delivers new entries from `start` to a group's consumer (streamReplyWithRange with a group). */
export function deliverNew(
  ctx: CommandContext,
  stream: StreamValue,
  group: StreamGroup,
  consumer: StreamConsumer,
  start: StreamID,
  count: number,
  noack: boolean,
): RespValue[] {
  const now = ctx.server.clock.now();
  const entries = stream.range(start, MAX_ID, false, count);
  for (const entry of entries) {
    const id = entry.id;
    if (compareIds(id, group.lastId) > 0) {
      if (group.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(stream, id)) {
        group.entriesRead++;
      } else if (stream.entriesAdded !== 0n) {
        group.entriesRead = estimateDistance(stream, id);
      }
      group.lastId = id;
    }
    if (!noack) {
      const existing = group.pel.get(id);
      if (existing === undefined) {
        const nack: StreamNack = { consumer, deliveryTime: now, deliveryCount: 1 };
        group.pel.set(id, nack);
        consumer.pel.set(id, nack);
      } else {
        existing.consumer.pel.delete(id);
        existing.consumer = consumer;
        existing.deliveryTime = now;
        existing.deliveryCount = 1;
        consumer.pel.set(id, existing);
      }
    }
  }
  return entries.map(entryReply);
}

/** A consumer's own pending entries from `start` (streamReplyWithRangeFromConsumerPEL). */
function deliverHistory(
  ctx: CommandContext,
  stream: StreamValue,
  consumer: StreamConsumer,
  start: StreamID,
  count: number,
): RespValue[] {
  const now = ctx.server.clock.now();
  const out: RespValue[] = [];
  for (const [id, nack] of consumer.pel.from(start)) {
    if (count > 0 && out.length >= count) break;
    const fields = stream.get(id);
    if (fields === undefined) {
      out.push([`${id.ms}-${id.seq}`, NULL_ARRAY]);
    } else {
      nack.deliveryTime = now;
      nack.deliveryCount++;
      out.push([`${id.ms}-${id.seq}`, fields]);
    }
  }
  return out;
}

function wrap(ctx: CommandContext, items: Array<[string, RespValue]>): Reply {
  if (ctx.protocol === 2) return items.map(([key, entries]) => [key, entries]);
  return new RespMap(items.flat());
}

function xreadGeneric(group: boolean) {
  return (ctx: CommandContext, args: string[]): Reply => {
    const name = group ? 'xreadgroup' : 'xread';
    let timeout = -1;
    let count = 0;
    let streamsArg = 0;
    let streamsCount = 0;
    let noack = false;
    let groupName: string | undefined;
    let consumerName = '';
    for (let index = 1; index < args.length; index++) {
      const moreArgs = args.length - index - 1;
      const option = args[index]!.toLowerCase();
      if (option === 'block' && moreArgs > 0) {
        // Redis refuses BLOCK from scripts outright (CLIENT_SCRIPT), where MULTI just does not block.
        if (ctx.script) fail(`ERR ${args[0]!} command is not allowed with BLOCK option from scripts`);
        index++;
        const value = parseInteger(args[index]!);
        if (value === undefined) fail('ERR timeout is not an integer or out of range');
        if (value < 0) fail('ERR timeout is negative');
        timeout = value;
      } else if (option === 'count' && moreArgs > 0) {
        count = integerArg(args[++index]!);
        if (count < 0) count = 0;
      } else if (option === 'streams' && moreArgs > 0) {
        streamsArg = index + 1;
        streamsCount = args.length - streamsArg;
        if (streamsCount % 2 !== 0) {
          const symbol = group ? '>' : '$';
          fail(`ERR Unbalanced '${name}' list of streams: for each stream key an ID or '${symbol}' must be specified.`);
        }
        streamsCount /= 2;
        break;
      } else if (option === 'group' && moreArgs >= 2) {
        if (!group) fail('ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.');
        groupName = args[index + 1]!;
        consumerName = args[index + 2]!;
        index += 2;
      } else if (option === 'noack') {
        if (!group) fail('ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.');
        noack = true;
      } else {
        fail(SYNTAX_ERROR);
      }
    }
    if (streamsArg === 0) fail(SYNTAX_ERROR);
    if (group && groupName === undefined) fail('ERR Missing GROUP option for XREADGROUP');

    const keys = args.slice(streamsArg, streamsArg + streamsCount);
    const ids: StreamID[] = [];
    const groups: StreamGroup[] = [];
    for (let index = 0; index < streamsCount; index++) {
      const key = keys[index]!;
      const idArg = args[streamsArg + streamsCount + index]!;
      const stream = getStream(ctx, key);
      if (groupName !== undefined) {
        const found = stream?.groups.get(groupName);
        if (found === undefined) {
          fail(
            `NOGROUP No such key '${cString(key)}' or consumer group '${cString(groupName)}' in XREADGROUP with GROUP option`,
          );
        }
        groups.push(found);
      }
      if (idArg === '$') {
        if (group) fail(
            'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
          );
        ids.push(stream?.lastId ?? MIN_ID);
      } else if (idArg === '>') {
        if (!group) {
          fail('ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.');
        }
        ids.push(MAX_ID);
      } else {
        ids.push(strictIdArg(idArg));
      }
    }

    const items: Array<[string, RespValue]> = [];
    for (let index = 0; index < streamsCount; index++) {
      const key = keys[index]!;
      const stream = getStream(ctx, key);
      if (stream === undefined) continue;
      let gt = ids[index]!;
      if (groupName !== undefined) {
        const streamGroup = groups[index]!;
        let serve = false;
        let history = false;
        if (compareIds(gt, MAX_ID) !== 0) {
          serve = true;
          history = true;
        } else if (stream.length > 0 && compareIds(stream.edgeId(true)!, streamGroup.lastId) > 0) {
          serve = true;
          gt = streamGroup.lastId;
        }
        if (serve) {
          const consumer = lookupOrCreateConsumer(ctx, key, streamGroup, consumerName);
          consumer.seenTime = ctx.server.clock.now();
          const start = incrementId(gt) ?? gt;
          items.push([
            key,
            history
              ? deliverHistory(ctx, stream, consumer, start, count)
              : deliverNew(ctx, stream, streamGroup, consumer, start, count, noack),
          ]);
        }
      } else if (stream.length > 0 && compareIds(stream.edgeId(true)!, gt) > 0) {
        items.push([key, stream.range(incrementId(gt)!, MAX_ID, false, count).map(entryReply)]);
      }
    }
    if (items.length > 0) return wrap(ctx, items);
    if (timeout === -1 || ctx.denyBlocking) return NULL_ARRAY;

    const blockCount = count > 0 ? count : BLOCKED_DEFAULT_COUNT;
    return ctx.server.blocking.block(
      {
        ctx,
        keys,
        serve: () => {
          for (let index = 0; index < keys.length; index++) {
            const key = keys[index]!;
            const value = ctx.db.get(key);
            if (value === undefined || typeOf(value) !== 'stream') {
              if (groupName !== undefined) return new ErrorReply('UNBLOCKED the stream key no longer exists');
              continue;
            }
            const stream = value as StreamValue;
            let gt = ids[index]!;
            let streamGroup: StreamGroup | undefined;
            if (groupName !== undefined) {
              streamGroup = stream.groups.get(groupName);
              if (streamGroup === undefined) {
                return new ErrorReply('NOGROUP the consumer group this client was blocked on no longer exists');
              }
              gt = streamGroup.lastId;
            }
            if (compareIds(stream.lastId, gt) <= 0) continue;
            const start = incrementId(gt)!;
            let entries: RespValue[];
            if (streamGroup !== undefined) {
              const consumer = lookupOrCreateConsumer(ctx, key, streamGroup, consumerName);
              consumer.seenTime = ctx.server.clock.now();
              entries = deliverNew(ctx, stream, streamGroup, consumer, start, blockCount, noack);
            } else {
              entries = stream.range(start, MAX_ID, false, blockCount).map(entryReply);
            }
            return wrap(ctx, [[key, entries]]);
          }
          return undefined;
        },
        timeoutReply: () => NULL_ARRAY,
      },
      timeout,
    );
  };
}

export const xread = xreadGeneric(false);
export const xreadgroup = xreadGeneric(true);
