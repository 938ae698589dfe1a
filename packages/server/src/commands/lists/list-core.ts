/**
 * The list family's shared cores (Redis's t_list.c): pushing, popping N items with Redis's notifications and the
 * deletion of an emptied list, and LMOVE's pop-then-push. Exported for the blocking variants (BLPOP, BLMOVE,
 * BLMPOP), which serve a client with exactly these once a key is ready.
 */
import { createList, type ListValue } from '@mini-redis/store';
import type { CommandContext, Reply } from '../../context.js';
import { fail, SYNTAX_ERROR } from '../errors.js';

/** Which end of a list: LEFT is the head (LIST_HEAD), RIGHT the tail. */
export type ListEnd = 'left' | 'right';

/** Parses LEFT / RIGHT (any case) as getListPositionFromObjectOrReply, else 'ERR syntax error'. */
export function parseListEnd(text: string): ListEnd {
  const lower = text.toLowerCase();
  if (lower === 'left') return 'left';
  if (lower === 'right') return 'right';
  return fail(SYNTAX_ERROR);
}

/**
 * Pushes items (args[from..]) at one end of the list under `key`, creating it when absent (signalling blocked
 * clients, as dbAdd does), then notifies `lpush`/`rpush`. Returns the new length. The key must hold a list or
 * nothing (callers check the type first).
 */
export function pushItems(
  ctx: CommandContext,
  key: string,
  list: ListValue | undefined,
  items: readonly string[],
  from: number,
  end: ListEnd,
): number {
  const db = ctx.db;
  const event = end === 'left' ? 'lpush' : 'rpush';
  if (list === undefined) {
    list = createList();
    pushAll(list, items, from, end);
    db.set(key, list);
    ctx.server.signalKeyAsReady(db.index, key);
  } else {
    pushAll(list, items, from, end);
    db.touch(key, event);
  }
  ctx.server.notify('l', event, key, db.index);
  return list.length;
}

function pushAll(list: ListValue, items: readonly string[], from: number, end: ListEnd): void {
  if (end === 'left') for (let index = from; index < items.length; index++) list.pushFront(items[index]!);
  else for (let index = from; index < items.length; index++) list.pushBack(items[index]!);
}

/**
 * listElementsRemoved: after items were taken from a list, notifies `lpop`/`rpop`, deletes the key when the list is
 * empty (notifying `del`), and reports the modification. Returns true when the key was deleted.
 */
export function listElementsRemoved(ctx: CommandContext, key: string, list: ListValue, end: ListEnd): boolean {
  const db = ctx.db;
  const server = ctx.server;
  server.notify('l', end === 'left' ? 'lpop' : 'rpop', key, db.index);
  const deleted = list.length === 0;
  if (deleted) {
    db.delete(key);
    server.notify('g', 'del', key, db.index);
  } else {
    db.touch(key, end === 'left' ? 'lpop' : 'rpop');
  }
  return deleted;
}

/**
 * Pops up to `count` items from one end of a non-empty list (the RPOP order: tail first), then runs
 * listElementsRemoved. Returns the items in reply order.
 */
export function popItems(ctx: CommandContext, key: string, list: ListValue, end: ListEnd, count: number): string[] {
  const length = Math.min(count, list.length);
  const items = new Array<string>(length);
  if (end === 'left') for (let index = 0; index < length; index++) items[index] = list.popFront()!;
  else for (let index = 0; index < length; index++) items[index] = list.popBack()!;
  listElementsRemoved(ctx, key, list, end);
  return items;
}

/** Pops one item from a non-empty list with listElementsRemoved. */
export function popOne(ctx: CommandContext, key: string, list: ListValue, end: ListEnd): string {
  const item = end === 'left' ? list.popFront()! : list.popBack()!;
  listElementsRemoved(ctx, key, list, end);
  return item;
}

/** LMPOP / BLMPOP's reply for a non-empty list: [key, [items...]] after popping up to `count` of them. */
export function popWithKey(ctx: CommandContext, key: string, list: ListValue, end: ListEnd, count: number): Reply {
  return [key, popItems(ctx, key, list, end, count)];
}

/**
 * LMOVE's core (lmoveGenericCommand once the source is known to be a non-empty list): checks the destination's type
 * (WRONGTYPE before anything moves), pops from the source, pushes onto the destination (creating it), notifies as
 * Redis does (the push first, then the pop and a `del` when the source emptied). Returns the moved item.
 */
export function moveItem(
  ctx: CommandContext,
  sourceKey: string,
  source: ListValue,
  destinationKey: string,
  from: ListEnd,
  to: ListEnd,
): string {
  const db = ctx.db;
  const server = ctx.server;
  const destination = db.getTyped(destinationKey, 'list');
  const item = from === 'left' ? source.popFront()! : source.popBack()!;
  // lmoveHandlePush: the destination may be the source itself (then it is not empty any more).
  if (destination === undefined) {
    const created = createList();
    created.pushBack(item);
    db.set(destinationKey, created);
    server.signalKeyAsReady(db.index, destinationKey);
  } else {
    if (to === 'left') destination.pushFront(item);
    else destination.pushBack(item);
    db.touch(destinationKey, to === 'left' ? 'lpush' : 'rpush');
  }
  server.notify('l', to === 'left' ? 'lpush' : 'rpush', destinationKey, db.index);
  server.notify('l', from === 'left' ? 'lpop' : 'rpop', sourceKey, db.index);
  if (source.length === 0) {
    db.delete(sourceKey);
    server.notify('g', 'del', sourceKey, db.index);
  } else if (destination !== source) {
    db.touch(sourceKey, from === 'left' ? 'lpop' : 'rpop');
  }
  return item;
}

/**
 * LMOVE / RPOPLPUSH on keys: null when the source is absent or empty, else the moved item. Throws WRONGTYPE for a
 * source or destination of another type (the source checked first).
 */
export function moveBetweenKeys(
  ctx: CommandContext,
  sourceKey: string,
  destinationKey: string,
  from: ListEnd,
  to: ListEnd,
): string | null {
  const source = ctx.db.getTyped(sourceKey, 'list');
  if (source === undefined || source.length === 0) return null;
  return moveItem(ctx, sourceKey, source, destinationKey, from, to);
}
