/**
 * SORT and SORT_RO (sort.c): lists, sets and sorted sets sorted numerically (strtod scores, ties by bytes) or with
 * ALPHA (strcoll in the C locale: bytes up to the first NUL; binary compare when storing), BY patterns (`*`, hash
 * fields `*->field`, or a constant for no sorting), GET patterns (`#` for the element), LIMIT, ASC/DESC, STORE.
 */
import type { Bytes, Database, Value } from '@mini-redis/store';
import { createList } from '@mini-redis/store';
import type { CommandContext, CommandSpec, Reply } from '../../context.js';
import { cString, fail, integerArg, SYNTAX_ERROR, WRONG_TYPE } from '../errors.js';
import { shareBuffer } from '../strings/string-buffer.js';
import { sortScore } from './sort-strtod.js';

interface Item {
  readonly element: Bytes;
  score: number;
  /** ALPHA with BY: the value compared, or undefined when the BY key is missing. */
  compare: Bytes | undefined;
}

function latin1(value: string | Buffer): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}

/** lookupKeyByPattern: the element itself for `#`, else the string or hash field the pattern names, else undefined. */
function lookupByPattern(db: Database, pattern: string, element: Bytes): string | Buffer | undefined {
  const c = cString(pattern);
  if (c === '#') return element;
  const star = c.indexOf('*');
  if (star === -1) return undefined;
  const arrow = c.indexOf('->', star + 1);
  let field: string | undefined;
  let fieldLength = 0;
  if (arrow !== -1 && arrow + 2 < c.length) {
    fieldLength = pattern.length - arrow - 2;
    field = pattern.slice(arrow + 2);
  }
  const postfixLength = pattern.length - (star + 1) - (field !== undefined ? fieldLength + 2 : 0);
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, star + 1 + postfixLength);
  const value: Value | undefined = db.get(key);
  if (value === undefined) return undefined;
  if (field !== undefined) return value instanceof Map ? value.get(field) : undefined;
  return typeof value === 'string' || Buffer.isBuffer(value) ? value : undefined;
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function collate(a: string, b: string): number {
  return byteCompare(cString(a), cString(b));
}

function sortGeneric(readonly: boolean) {
  return (ctx: CommandContext, args: string[]): Reply => {
    let desc = false;
    let alpha = false;
    let limitStart = 0;
    let limitCount = -1;
    let storeKey: string | undefined;
    let sortBy: string | undefined;
    let dontSort = false;
    const gets: string[] = [];
    for (let j = 2; j < args.length; j++) {
      const option = args[j]!.toLowerCase();
      const left = args.length - j - 1;
      if (option === 'asc') desc = false;
      else if (option === 'desc') desc = true;
      else if (option === 'alpha') alpha = true;
      else if (option === 'limit' && left >= 2) {
        limitStart = integerArg(args[j + 1]!);
        limitCount = integerArg(args[j + 2]!);
        j += 2;
      } else if (!readonly && option === 'store' && left >= 1) {
        storeKey = args[++j]!;
      } else if (option === 'by' && left >= 1) {
        sortBy = args[++j]!;
        if (cString(sortBy).indexOf('*') === -1) dontSort = true;
      } else if (option === 'get' && left >= 1) {
        gets.push(args[++j]!);
      } else {
        fail(SYNTAX_ERROR);
      }
    }
    const db = ctx.db;
    const source = db.get(args[1]!);
    let kind: 'list' | 'set' | 'zset' = 'list';
    let elements: string[] = [];
    if (source !== undefined) {
      if (source instanceof Set) kind = 'set';
      else if (typeof source === 'object' && !Buffer.isBuffer(source) && !(source instanceof Map) && source.kind === 'zset') kind = 'zset';
      else if (typeof source === 'object' && !Buffer.isBuffer(source) && !(source instanceof Map) && source.kind === 'list') kind = 'list';
      else fail(WRONG_TYPE);
    }
    if (dontSort && kind === 'set' && storeKey !== undefined) {
      dontSort = false;
      alpha = true;
      sortBy = undefined;
    }
    if (source !== undefined) {
      if (kind === 'set') elements = [...(source as Set<string>)];
      else if (kind === 'zset') elements = [...(source as Iterable<{ member: string }>)].map((entry) => entry.member);
      else elements = [...(source as Iterable<string>)];
    }
    let vectorLength = elements.length;
    let start = limitStart < 0 ? 0 : limitStart;
    let end = limitCount < 0 ? vectorLength - 1 : start + limitCount - 1;
    if (start >= vectorLength) {
      start = vectorLength - 1;
      end = vectorLength - 2;
    }
    if (end >= vectorLength) end = vectorLength - 1;
    let items: Item[];
    if ((kind === 'list' || kind === 'zset') && dontSort) {
      // Native order (reversed for DESC), just the LIMIT range.
      const ordered = desc ? elements.reverse() : elements;
      const picked = end >= start ? ordered.slice(start, end + 1) : [];
      items = picked.map((element) => ({ element, score: 0, compare: undefined }));
      vectorLength = items.length;
      end -= start;
      start = 0;
    } else {
      items = elements.map((element) => ({ element, score: 0, compare: undefined }));
    }
    let conversionError = false;
    if (!dontSort) {
      for (const item of items) {
        let by: string;
        if (sortBy !== undefined) {
          const found = lookupByPattern(db, sortBy, item.element);
          if (found === undefined) continue;
          by = latin1(found);
        } else {
          by = item.element;
        }
        if (alpha) {
          if (sortBy !== undefined) item.compare = by;
        } else {
          const score = sortScore(by);
          if (score === undefined) conversionError = true;
          else item.score = score;
        }
      }
      const store = storeKey !== undefined;
      const byPattern = sortBy !== undefined;
      const sign = desc ? -1 : 1;
      items.sort((a, b) => {
        let cmp: number;
        if (!alpha) {
          cmp = a.score > b.score ? 1 : a.score < b.score ? -1 : byteCompare(a.element, b.element);
        } else if (byPattern) {
          if (a.compare === undefined || b.compare === undefined) {
            cmp = a.compare === b.compare ? 0 : a.compare === undefined ? -1 : 1;
          } else {
            cmp = store ? byteCompare(a.compare, b.compare) : collate(a.compare, b.compare);
          }
        } else {
          cmp = store ? byteCompare(a.element, b.element) : collate(a.element, b.element);
        }
        return sign * cmp;
      });
    }
    const count = end - start + 1;
    const outputLength = gets.length > 0 ? gets.length * count : count;
    if (conversionError) fail("ERR One or more scores can't be converted into double");
    if (storeKey === undefined) {
      const reply: Reply[] = [];
      for (let j = start; j <= end; j++) {
        const element = items[j]!.element;
        if (gets.length === 0) reply.push(element);
        for (const pattern of gets) {
          const value = lookupByPattern(db, pattern, element);
          reply.push(value === undefined ? null : typeof value === 'string' ? value : shareBuffer(value));
        }
      }
      return reply;
    }
    const stored: string[] = [];
    for (let j = start; j <= end; j++) {
      const element = items[j]!.element;
      if (gets.length === 0) stored.push(element);
      for (const pattern of gets) {
        const value = lookupByPattern(db, pattern, element);
        stored.push(value === undefined ? '' : latin1(value));
      }
    }
    if (outputLength > 0) {
      db.set(storeKey, createList(stored));
      ctx.server.notify('l', 'sortstore', storeKey, db.index);
      ctx.server.signalKeyAsReady(db.index, storeKey);
    } else if (db.delete(storeKey)) {
      ctx.server.notify('g', 'del', storeKey, db.index);
    }
    return outputLength;
  };
}

const CATEGORIES = ['set', 'sortedset', 'list', 'slow', 'dangerous'] as const;

// prettier-ignore
/**
 * SORT's keys (db.c sortGetKeys): the sorted key and the last STORE destination. LIMIT, GET and BY skip their
 * arguments; as in Redis, STORE is only recognised where LIMIT/GET/BY is not.
 */
function sortKeys(args: readonly string[]): string[] {
  const skip: Record<string, number> = { limit: 2, get: 1, by: 1 };
  let store: string | undefined;
  for (let i = 2; i < args.length; i++) {
    const word = args[i]!.toLowerCase();
    if (skip[word] !== undefined) i += skip[word];
    else if (word === 'store' && i + 1 < args.length) store = args[i + 1];
  }
  return store === undefined ? [args[1]!] : [args[1]!, store];
}

export const sortCommands: readonly CommandSpec[] = [
  {
    name: 'sort', arity: -2, flags: ['write', 'denyoom', 'movablekeys'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: CATEGORIES, run: sortGeneric(false), keys: sortKeys,
  },
  {
    name: 'sort_ro', arity: -2, flags: ['readonly', 'movablekeys'], firstKey: 1, lastKey: 1, keyStep: 1,
    categories: CATEGORIES, run: sortGeneric(true),
  },
];
