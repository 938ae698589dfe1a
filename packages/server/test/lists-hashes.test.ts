/**
 * Edge cases of the list and hash families over real sockets: keyspace events and blocking signals where Redis
 * raises them, null forms per protocol and encodings side by side with redis-server, HRANDFIELD's guarantees, and
 * HSCAN's on a large hash changing under the scan.
 */
import { RespMap, type RespValue } from '@mini-redis/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { RawClient } from './helpers.js';
import { startSideBySide, type SideBySide } from './side-by-side.js';

let sides: SideBySide;
let client: RawClient;

beforeAll(async () => {
  sides = await startSideBySide();
  client = sides.mine;
});

afterAll(async () => {
  await sides?.close();
});

beforeEach(async () => {
  await sides.same([['RESET'], ['FLUSHALL']]);
});

describe('keyspace events and blocking signals', () => {
  test('each command notifies as Redis does (captured from redis-server 7.0.15 with notify-keyspace-events KEA)', async () => {
    const server = sides.server;
    const events: string[] = [];
    const ready: string[] = [];
    const notify = server.notify.bind(server);
    const signal = server.signalKeyAsReady.bind(server);
    server.notify = (type, event, key, db) => events.push(`${type} ${event} ${key} ${db}`);
    server.signalKeyAsReady = (db, key) => ready.push(`${db} ${key}`);
    try {
      await client.pipeline([
        ['RPUSH', 'l', 'a', 'b', 'c'], ['LPUSH', 'l', 'z'], ['LPUSHX', 'nokey', 'a'], ['LINSERT', 'l', 'BEFORE', 'b', 'x'],
        ['LSET', 'l', '0', 'y'], ['LREM', 'l', '1', 'x'], ['LTRIM', 'l', '0', '1'], ['LPOP', 'l'], ['RPOP', 'l', '5'],
        ['RPUSH', 'l', 'a', 'b'], ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 'l', 'l2'],
        ['LMPOP', '1', 'l2', 'RIGHT', 'COUNT', '5'], ['HSET', 'h', 'a', '1', 'b', '2'], ['HSETNX', 'h', 'c', '3'],
        ['HSETNX', 'h', 'c', '4'], ['HINCRBY', 'h', 'n', '5'], ['HINCRBYFLOAT', 'h', 'f', '1.5'], ['HDEL', 'h', 'a', 'nope'],
        ['HDEL', 'h', 'b', 'c', 'n', 'f'], ['LREM', 'l', '0', 'nothing'], ['HDEL', 'h', 'gone'],
      ]);
    } finally {
      server.notify = notify;
      server.signalKeyAsReady = signal;
    }
    const expected = [
      'l rpush l', 'l lpush l', 'l linsert l', 'l lset l', 'l lrem l', 'l ltrim l', 'l lpop l', 'l rpop l', 'g del l',
      'l rpush l', 'l rpush l2', 'l lpop l', 'l lpush l2', 'l rpop l', 'g del l', 'l rpop l2', 'g del l2', 'h hset h',
      'h hset h', 'h hincrby h', 'h hincrbyfloat h', 'h hdel h', 'h hdel h', 'g del h',
    ];
    expect(events).toEqual(expected.map((line) => `${line} 0`));
    expect(ready).toEqual(['0 l', '0 l', '0 l2']);
  });
});

describe('side by side with redis-server', () => {
  test('pop null forms with and without count, in RESP2 and RESP3', async () => {
    const commands = [
      ['LPOP', 'nokey'], ['RPOP', 'nokey', '1'], ['LPOP', 'nokey', '0'], ['LMPOP', '1', 'nokey', 'LEFT'],
      ['RPUSH', 'l', 'a'], ['LPOP', 'l', '0'], ['RPOP', 'l', '1'], ['EXISTS', 'l'], ['LPOS', 'nokey', 'a'],
      ['LPOS', 'nokey', 'a', 'COUNT', '0'], ['LINDEX', 'nokey', '0'], ['RPOPLPUSH', 'nokey', 'x'], ['HGET', 'h', 'f'],
      ['HGETALL', 'nokey'], ['HRANDFIELD', 'nokey'], ['HRANDFIELD', 'nokey', '3', 'WITHVALUES'], ['HSCAN', 'nokey', '0'],
      ['LPOP', 'l', '1', '2'],
    ];
    await sides.same(commands);
    await Promise.all([sides.real.call('HELLO', '3'), sides.mine.call('HELLO', '3')]);
    await sides.same([...commands, ['HSET', 'h', 'a', '1'], ['HGETALL', 'h'], ['HRANDFIELD', 'h', '1', 'WITHVALUES']]);
  });

  test('WATCH: a write invalidates, a write that changes nothing does not', async () => {
    const [realOther, mineOther] = await Promise.all([
      RawClient.connect(sides.redis.port),
      RawClient.connect(sides.server.port),
    ]);
    try {
      await sides.same([['RPUSH', 'l', 'a', 'b'], ['HSET', 'h', 'f', '1']]);
      const writes = [
        ['HDEL', 'h', 'nope'], ['LREM', 'l', '0', 'nope'], ['LINSERT', 'l', 'BEFORE', 'nope', 'x'], ['HSETNX', 'h', 'f', '2'],
        ['LPUSHX', 'none', 'a'], ['LPOP', 'none'], ['HINCRBY', 'h', 'f', '1'], ['LTRIM', 'l', '0', '-1'], ['RPOP', 'l', '5'],
        ['LMOVE', 'none', 'l', 'LEFT', 'LEFT'], ['HDEL', 'h', 'f'],
      ];
      for (const write of writes) {
        const key = write[0]!.startsWith('H') ? 'h' : 'l';
        await sides.same([['WATCH', key], ['MULTI'], ['LLEN', 'l']]);
        const replies = await Promise.all([realOther.callRaw(...write), mineOther.callRaw(...write)]);
        expect(replies[1].toString('latin1'), write.join(' ')).toBe(replies[0].toString('latin1'));
        await sides.same([['EXEC']]);
      }
    } finally {
      await Promise.all([realOther.close(), mineOther.close()]);
    }
  });

  test('hash encodings: listpack until a limit is passed, then hashtable for good', async () => {
    const long = 'x'.repeat(65);
    await sides.same([
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '4'],
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3', 'd', '4'], ['OBJECT', 'ENCODING', 'h'],
      ['HSET', 'h', 'e', '5'], ['OBJECT', 'ENCODING', 'h'], ['HDEL', 'h', 'a', 'b', 'c', 'd'], ['OBJECT', 'ENCODING', 'h'],
      ['HSET', 'v', 'f', long.slice(1)], ['OBJECT', 'ENCODING', 'v'], ['HINCRBYFLOAT', 'v', long, '1'],
      ['OBJECT', 'ENCODING', 'v'], ['HSETNX', 'w', long, 'x'], ['OBJECT', 'ENCODING', 'w'], ['HINCRBY', 'i', 'f', '1'],
      ['OBJECT', 'ENCODING', 'i'], ['RPUSH', 'l', 'a'], ['OBJECT', 'ENCODING', 'l'],
      ['CONFIG', 'SET', 'hash-max-listpack-entries', '512'],
    ]);
  });

  test('large lists: capped with LTRIM, searched with LPOS, indexed and moved', async () => {
    const items = Array.from({ length: 2000 }, (_, index) => String(index % 97));
    const commands: string[][] = [['RPUSH', 'l', ...items]];
    for (let round = 0; round < 20; round++) {
      commands.push(['LPUSH', 'l', `n${round}`], ['LTRIM', 'l', '0', '1499'], ['LLEN', 'l']);
    }
    commands.push(
      ['LPOS', 'l', '5', 'RANK', '-3', 'COUNT', '4'], ['LPOS', 'l', '5', 'COUNT', '0', 'MAXLEN', '500'],
      ['LINDEX', 'l', '777'], ['LINDEX', 'l', '-1'], ['LRANGE', 'l', '-10', '-1'], ['LREM', 'l', '-2', '7'],
      ['LINSERT', 'l', 'AFTER', '96', 'after'], ['LSET', 'l', '1000', 'set'], ['LRANGE', 'l', '995', '1005'],
      ['LMOVE', 'l', 'l', 'RIGHT', 'LEFT'], ['LRANGE', 'l', '0', '2'], ['RPOP', 'l', '3'], ['LTRIM', 'l', '100', '-100'],
      ['LLEN', 'l'], ['LRANGE', 'l', '0', '3'],
    );
    await sides.same(commands);
  });
});

function fieldsOf(reply: RespValue): string[] {
  return reply as string[];
}

describe('HRANDFIELD guarantees', () => {
  const hash = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`f${index}`, `v${index}`]));

  beforeEach(async () => {
    await client.call('HSET', 'h', ...Object.entries(hash).flat());
  });

  test('a positive count gives distinct members, at most the size; a negative one exactly |count|', async () => {
    for (const count of [1, 5, 29, 30, 31, 100]) {
      const picked = fieldsOf(await client.call('HRANDFIELD', 'h', count));
      expect(picked).toHaveLength(Math.min(count, 30));
      expect(new Set(picked).size).toBe(picked.length);
      for (const field of picked) expect(hash).toHaveProperty(field);
    }
    const repeated = fieldsOf(await client.call('HRANDFIELD', 'h', -200));
    expect(repeated).toHaveLength(200);
    for (const field of repeated) expect(hash).toHaveProperty(field);
    expect(new Set(repeated).size).toBeLessThan(200);
    expect(hash).toHaveProperty(String(await client.call('HRANDFIELD', 'h')));
  });

  test('WITHVALUES pairs each field with its value: flat in RESP2, pairs in RESP3', async () => {
    const flat = fieldsOf(await client.call('HRANDFIELD', 'h', '-7', 'WITHVALUES'));
    expect(flat).toHaveLength(14);
    for (let index = 0; index < flat.length; index += 2) expect(hash[flat[index]!]).toBe(flat[index + 1]);
    await client.call('HELLO', '3');
    const pairs = (await client.call('HRANDFIELD', 'h', '5', 'WITHVALUES')) as string[][];
    expect(pairs).toHaveLength(5);
    for (const [field, value] of pairs) expect(hash[field!]).toBe(value);
    expect(await client.call('HGETALL', 'nokey')).toEqual(new RespMap([]));
  });
});

describe('HSCAN over a large hash', () => {
  test('every field present for the whole scan is returned, while others come and go', async () => {
    const fields = Array.from({ length: 3000 }, (_, index) => `field:${index}`);
    await client.call('HSET', 'big', ...fields.flatMap((field) => [field, 'x']));
    expect(await client.call('OBJECT', 'ENCODING', 'big')).toBe('hashtable');
    const stable = new Set(fields.filter((_, index) => index % 3 !== 0));
    const seen = new Set<string>();
    let cursor = '0';
    let steps = 0;
    let added = 0;
    do {
      const [next, items] = (await client.call('HSCAN', 'big', cursor, 'COUNT', '50')) as [string, string[]];
      for (let index = 0; index < items.length; index += 2) {
        expect(items[index + 1]).toBe('x');
        seen.add(items[index]!);
      }
      cursor = next;
      steps++;
      // Churn: drop some of the unstable fields, add new ones.
      await client.call('HDEL', 'big', `field:${(steps * 3) % 3000}`, `field:${(steps * 9) % 3000}`);
      await client.call('HSET', 'big', `new:${added++}`, 'x', `new:${added++}`, 'x');
    } while (cursor !== '0' && steps < 10_000);
    expect(cursor).toBe('0');
    expect(steps).toBeGreaterThan(20);
    for (const field of stable) expect(seen.has(field), field).toBe(true);
    // MATCH filters a step's fields; a cursor from nowhere resumes without error.
    const [, matched] = (await client.call('HSCAN', 'big', '0', 'MATCH', 'field:1?', 'COUNT', '100000')) as [string, string[]];
    const keys = (await client.call('HKEYS', 'big')) as string[];
    expect(matched.filter((_, index) => index % 2 === 0).sort()).toEqual(keys.filter((field) => /^field:1.$/.test(field)).sort());
    const resumed = (await client.call('HSCAN', 'big', '123456789')) as [string, string[]];
    expect(resumed).toHaveLength(2);
  });
});
