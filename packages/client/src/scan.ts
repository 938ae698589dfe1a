/**
 * The scan iterators' loop: SCAN / HSCAN / SSCAN / ZSCAN from cursor 0 until the server answers 0, with MATCH,
 * COUNT and TYPE.
 */
import type { RedisClient } from './client.js';
import { READ, type Arg } from './command-table.js';
import { transforms } from './reply.js';

/** SCAN iterator options. */
export interface ScanOptions {
  match?: string;
  count?: number;
  /** SCAN only: keys of this type (`string`, `list`, `hash`, `set`, `zset`, `stream`). */
  type?: string;
}

/** MATCH and COUNT arguments. */
export function scanArgs(options: ScanOptions): Arg[] {
  const extra: Arg[] = [];
  if (options.match !== undefined) extra.push('MATCH', options.match);
  if (options.count !== undefined) extra.push('COUNT', options.count);
  return extra;
}

/** Every item of a scan (in pairs when `group` is 2). */
export async function* scan(
  client: RedisClient<unknown>,
  head: Arg[],
  extra: Arg[],
  group: number,
): AsyncIterable<any> {
  let cursor = '0';
  do {
    const [next, items] = (await client._run([...head, cursor, ...extra], transforms.scan, READ)) as [
      string,
      unknown[],
    ];
    cursor = next;
    if (group === 1) yield* items;
    else for (let index = 0; index + 1 < items.length; index += 2) yield [items[index], items[index + 1]];
  } while (cursor !== '0');
}
