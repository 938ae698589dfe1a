/**
 * The sorted-set family over real sockets: large zsets side by side with redis-server (skiplist encoding, ranges,
 * equal-score lex ranges, set operations, -0 kept in a skiplist), RESP3 reply shapes, ZRANDMEMBER's guarantees, and
 * ZSCAN over a large zset returning every member present for the whole scan.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Command } from './helpers.js';
import { startSideBySide, type SideBySide } from './side-by-side.js';

let sides: SideBySide;

beforeAll(async () => {
  sides = await startSideBySide();
});

afterAll(async () => {
  await sides?.close();
});

beforeEach(async () => {
  await Promise.all([sides.real.call('HELLO', '2'), sides.mine.call('HELLO', '2')]);
  await sides.same([['FLUSHALL']]);
});

/** Both connections to RESP3 (HELLO's reply carries the client id, so it is not compared). */
async function resp3(): Promise<void> {
  await Promise.all([sides.real.call('HELLO', '3'), sides.mine.call('HELLO', '3')]);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, index) => from + index);

/** ZADD arguments: score member pairs. */
const pairs = (count: number, score: (n: number) => string, member: (n: number) => string = (n) => `m${n}`): string[] =>
  range(0, count).flatMap((n) => [score(n), member(n)]);

describe('large sorted sets side by side with redis-server', () => {
  it('listpack -> skiplist past the limits, never back; ranges and counts on a skiplist', async () => {
    const commands: Command[] = [
      ['ZADD', 'z', ...pairs(128, (n) => String(n % 17) + '.25')],
      ['OBJECT', 'ENCODING', 'z'],
      ['ZADD', 'z', '-0', 'zero'],
      ['OBJECT', 'ENCODING', 'z'],
      ['ZSCORE', 'z', 'zero'],
      ['ZREM', 'z', 'zero', 'm1'],
      ['OBJECT', 'ENCODING', 'z'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZRANGE', 'z', '10', '20', 'REV', 'WITHSCORES'],
      ['ZRANGEBYSCORE', 'z', '(3.25', '7.25', 'WITHSCORES', 'LIMIT', '5', '10'],
      ['ZREVRANGEBYSCORE', 'z', '+inf', '-inf', 'LIMIT', '100', '50'],
      ['ZCOUNT', 'z', '(2.25', '16'],
      ['ZRANK', 'z', 'm77'],
      ['ZREVRANK', 'z', 'm77'],
      ['ZADD', 'long', '1', 'x'.repeat(65)],
      ['OBJECT', 'ENCODING', 'long'],
      ['ZADD', 'lex', ...pairs(300, () => '0', (n) => `k${String(n).padStart(3, '0')}`)],
      ['ZRANGEBYLEX', 'lex', '[k100', '(k120'],
      ['ZREVRANGEBYLEX', 'lex', '+', '[k290', 'LIMIT', '2', '3'],
      ['ZLEXCOUNT', 'lex', '(k050', '+'],
      ['ZREMRANGEBYLEX', 'lex', '-', '(k010'],
      ['ZREMRANGEBYRANK', 'lex', '-10', '-1'],
      ['ZREMRANGEBYSCORE', 'z', '(5.25', '9.25'],
      ['ZCARD', 'lex'],
      ['ZCARD', 'z'],
      ['SADD', 's', 'm3', 'm4', 'k200', 'other'],
      ['ZUNIONSTORE', 'u', '3', 'z', 'lex', 's', 'WEIGHTS', '2', '0.5', '3', 'AGGREGATE', 'MAX'],
      ['OBJECT', 'ENCODING', 'u'],
      ['ZRANGE', 'u', '0', '30', 'WITHSCORES'],
      ['ZINTERSTORE', 'i', '2', 'z', 's'],
      ['OBJECT', 'ENCODING', 'i'],
      ['ZRANGE', 'i', '0', '-1', 'WITHSCORES'],
      ['ZDIFFSTORE', 'd', '2', 'lex', 's'],
      ['ZCARD', 'd'],
      ['ZRANGESTORE', 'r', 'lex', '[k100', '[k250', 'BYLEX', 'LIMIT', '0', '140'],
      ['OBJECT', 'ENCODING', 'r'],
      ['ZINTERCARD', '2', 'lex', 'r', 'LIMIT', '50'],
      ['ZPOPMIN', 'z', '3'],
      ['ZPOPMAX', 'z', '2'],
      ['ZMPOP', '2', 'nothere', 'z', 'MAX', 'COUNT', '4'],
      ['ZADD', 'inf', 'inf', 'a', '-inf', 'b'],
      ['ZUNIONSTORE', 'sum', '2', 'inf', 'inf', 'WEIGHTS', '1', '-1'],
      ['ZRANGE', 'sum', '0', '-1', 'WITHSCORES'],
      ['ZINCRBY', 'inf', '-inf', 'a'],
      ['ZADD', 'inf', 'INCR', '+inf', 'b'],
    ];
    await sides.same(commands);
    await resp3();
    await sides.same([...commands.filter((command) => command[0] !== 'ZADD' && command[0] !== 'SADD')]);
  });

  it('RESP3 reply shapes: doubles, pairs, nested pops, nulls', async () => {
    await resp3();
    await sides.same([
      ['ZADD', 'z', '1.5', 'a', '2', 'b', '3', 'c', '1795554704.9223616', 'd'],
      ['ZSCORE', 'z', 'd'],
      ['ZMSCORE', 'z', 'a', 'nope'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['ZPOPMIN', 'z'],
      ['ZPOPMIN', 'z', '1'],
      ['ZMPOP', '1', 'z', 'MIN'],
      ['ZMPOP', '1', 'nothere', 'MIN'],
      ['ZRANDMEMBER', 'z', '5', 'WITHSCORES'],
      ['ZRANDMEMBER', 'nothere'],
      ['ZINCRBY', 'z', '0.1', 'd'],
      ['ZADD', 'z', 'NX', 'INCR', '1', 'd'],
      ['ZUNION', '1', 'z', 'WITHSCORES'],
    ]);
  });
});

describe('COMMAND GETKEYS of the numkeys commands', () => {
  it('names the keys as redis-server does', async () => {
    await sides.same([
      ['COMMAND', 'GETKEYS', 'SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'],
      ['COMMAND', 'GETKEYS', 'SINTERCARD', '0', 'a'],
      ['COMMAND', 'GETKEYS', 'SINTERCARD', '5', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'SINTERCARD', 'x', 'a'],
      ['COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'],
      ['COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'd', '3', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'ZDIFFSTORE', 'd', '1', 'a'],
      ['COMMAND', 'GETKEYS', 'ZMPOP', '2', 'a', 'b', 'MIN'],
      ['COMMAND', 'GETKEYS', 'ZUNION', '1', 'a'],
      ['COMMAND', 'GETKEYS', 'ZINTER', '2', 'a', 'b', 'WITHSCORES'],
      ['COMMAND', 'GETKEYS', 'ZINTERCARD', '1', 'a'],
      ['COMMAND', 'GETKEYS', 'ZRANGESTORE', 'd', 's', '0', '-1'],
      ['COMMAND', 'GETKEYS', 'SMOVE', 'a', 'b', 'm'],
      ['COMMAND', 'GETKEYS', 'SINTERSTORE', 'd', 'a', 'b'],
    ]);
  });
});

describe('random members', () => {
  it('ZRANDMEMBER: members with their scores, distinct for a positive count, repeated for a negative one', async () => {
    const { mine } = sides;
    await mine.call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
    const scores: Record<string, string> = { a: '1', b: '2', c: '3', d: '4' };
    expect(Object.keys(scores)).toContain(await mine.call('ZRANDMEMBER', 'z'));
    const two = (await mine.call('ZRANDMEMBER', 'z', '2', 'WITHSCORES')) as string[];
    expect(two).toHaveLength(4);
    expect(two[0]).not.toBe(two[2]);
    for (let i = 0; i < two.length; i += 2) expect(scores[two[i]!]).toBe(two[i + 1]);
    const many = (await mine.call('ZRANDMEMBER', 'z', '-30')) as string[];
    expect(many).toHaveLength(30);
    for (const member of many) expect(Object.keys(scores)).toContain(member);
  });
});

describe('ZSCAN', () => {
  it('returns every member present for the whole scan of a large zset, with its score', async () => {
    const { mine } = sides;
    await mine.call('ZADD', 'big', ...pairs(2000, (n) => String(n / 4)));
    const removed = new Set<string>();
    const seen = new Map<string, string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, batch] = (await mine.call('ZSCAN', 'big', cursor, 'COUNT', '40')) as [string, string[]];
      for (let i = 0; i < batch.length; i += 2) seen.set(batch[i]!, batch[i + 1]!);
      cursor = next;
      calls++;
      const victim = `m${(calls * 53) % 2000}`;
      await mine.call('ZREM', 'big', victim);
      removed.add(victim);
      await mine.call('ZADD', 'big', '-1', `new${calls}`);
    } while (cursor !== '0');
    expect(calls).toBeGreaterThan(10);
    for (const n of range(0, 2000)) {
      if (!removed.has(`m${n}`)) expect(seen.get(`m${n}`)).toBe(String(n / 4));
    }
  });
});
