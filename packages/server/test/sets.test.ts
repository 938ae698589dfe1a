/**
 * The set family over real sockets: random commands checked for what Redis guarantees (membership, distinct members
 * for a positive count, repetition for a negative one), large sets side by side with redis-server (encodings, the
 * deterministic commands), and SSCAN over a large set returning every member present for the whole scan.
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

const range = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, index) => String(from + index));

describe('random members', () => {
  it('SPOP without count removes and returns a member, until the key is gone', async () => {
    const { mine } = sides;
    await mine.call('SADD', 's', 'a', 'b', 'c');
    const popped = new Set<unknown>();
    for (let i = 0; i < 3; i++) popped.add(await mine.call('SPOP', 's'));
    expect([...popped].sort()).toEqual(['a', 'b', 'c']);
    expect(await mine.call('EXISTS', 's')).toBe(0);
    expect(await mine.call('SPOP', 's')).toBe(null);
  });

  it('SPOP with a count smaller than the set pops distinct members that leave the set', async () => {
    const { mine } = sides;
    await mine.call('SADD', 's', ...range(0, 50));
    const popped = (await mine.call('SPOP', 's', '20')) as string[];
    expect(new Set(popped).size).toBe(20);
    expect(await mine.call('SCARD', 's')).toBe(30);
    for (const member of popped) expect(await mine.call('SISMEMBER', 's', member)).toBe(0);
  });

  it('SRANDMEMBER: members of the set, distinct for a positive count, repeated for a negative one', async () => {
    const { mine } = sides;
    await mine.call('SADD', 's', 'a', 'b', 'c', 'd', 'e');
    const one = await mine.call('SRANDMEMBER', 's');
    expect(['a', 'b', 'c', 'd', 'e']).toContain(one);
    const three = (await mine.call('SRANDMEMBER', 's', '3')) as string[];
    expect(three).toHaveLength(3);
    expect(new Set(three).size).toBe(3);
    const many = (await mine.call('SRANDMEMBER', 's', '-40')) as string[];
    expect(many).toHaveLength(40);
    expect(new Set(many).size).toBeLessThanOrEqual(5);
    for (const member of many) expect(['a', 'b', 'c', 'd', 'e']).toContain(member);
    expect(await mine.call('SCARD', 's')).toBe(5);
  });
});

describe('large sets side by side with redis-server', () => {
  it('intset -> hashtable past set-max-intset-entries and on a non-integer member, never back', async () => {
    const commands: Command[] = [
      ['SADD', 'a', ...range(0, 512)],
      ['OBJECT', 'ENCODING', 'a'],
      ['SADD', 'a', '512'],
      ['OBJECT', 'ENCODING', 'a'],
      ['SREM', 'a', '512', '511'],
      ['OBJECT', 'ENCODING', 'a'],
      ['SADD', 'b', '1', '2'],
      ['SADD', 'b', 'x'],
      ['SREM', 'b', 'x'],
      ['OBJECT', 'ENCODING', 'b'],
      ['SINTERSTORE', 'c', 'a', 'b'],
      ['OBJECT', 'ENCODING', 'c'],
      ['SUNIONSTORE', 'd', 'a', 'b'],
      ['OBJECT', 'ENCODING', 'd'],
      ['SCARD', 'd'],
      ['SDIFFSTORE', 'e', 'a', 'b'],
      ['SCARD', 'e'],
      ['SINTERCARD', '2', 'a', 'd', 'LIMIT', '100'],
      ['SMISMEMBER', 'a', '0', '511', '512', 'x'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '4'],
      ['SADD', 'f', '1', '2', '3', '4'],
      ['OBJECT', 'ENCODING', 'f'],
      ['SADD', 'f', '5'],
      ['OBJECT', 'ENCODING', 'f'],
      ['SMOVE', 'f', 'g', '5'],
      ['OBJECT', 'ENCODING', 'g'],
      ['SMOVE', 'g', 'h', '5'],
      ['EXISTS', 'g'],
      ['SPOP', 'f', '10'],
      ['EXISTS', 'f'],
      ['CONFIG', 'SET', 'set-max-intset-entries', '512'],
    ];
    await sides.same(commands);
  });

  it('SSCAN of a large set: every member present for the whole scan comes back, under adds and removes', async () => {
    const { mine } = sides;
    const members = range(0, 3000).map((n) => `m${n}`);
    await mine.call('SADD', 'big', ...members);
    const removed = new Set<string>();
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, batch] = (await mine.call('SSCAN', 'big', cursor, 'COUNT', '50')) as [string, string[]];
      for (const member of batch) seen.add(member);
      cursor = next;
      calls++;
      const victim = `m${(calls * 37) % 3000}`;
      await mine.call('SREM', 'big', victim);
      removed.add(victim);
      await mine.call('SADD', 'big', `new${calls}`);
    } while (cursor !== '0');
    expect(calls).toBeGreaterThan(10);
    for (const member of members) if (!removed.has(member)) expect(seen.has(member)).toBe(true);
    const [, filtered] = (await mine.call('SSCAN', 'big', '0', 'MATCH', 'm29*', 'COUNT', '100000')) as [string, string[]];
    expect(filtered.every((member) => member.startsWith('m29'))).toBe(true);
    expect(filtered.length).toBeGreaterThan(0);
  });
});
