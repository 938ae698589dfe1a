/**
 * Blocking commands against the real redis-server, every byte of every connection compared: immediate pops,
 * timeouts (RESP2 and RESP3 nulls), argument errors, MULTI/EXEC, FIFO wake-ups by commands that create keys
 * (RENAME, COPY, MOVE, SWAPDB, EXEC, BLMOVE chains), with the keyspace events of the pops. Lists and sorted sets
 * are seeded with RPUSH/ZADD on Redis and, until those families are merged into this tree, through the store on ours.
 * Then what only our side shows: CLIENT UNBLOCK, INFO blocked_clients, flag b, disconnects, the clock-driven timeouts.
 */
import { createList, createSortedSet, ManualClock } from '@mini-redis/store';
import type { MiniRedisServer } from '@mini-redis/server';
import { ErrorReply, NullArray } from '@mini-redis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, startTestServer } from './helpers.js';
import { expectSameScript, startPair, type Pair, type Seed, type Step } from './multi-connection.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair.close();
});

const s = (c: number, line: string, replies = 1): Step => ({ c, cmd: line.split(' '), replies });
const block = (c: number, line: string): Step => s(c, line, 0);
const settle: Step = { sleep: 30 };

const SEED: Seed = {
  commands: [
    ['RPUSH', 'src', 'a', 'b', 'c'],
    ['RPUSH', 'src2', 'x'],
    ['ZADD', 'zsrc', '1', 'a', '2.5', 'b', '-3', 'c'],
    ['SET', 'str', 'v'],
    ['SELECT', '1'],
    ['RPUSH', 'sw', 's1', 's2'],
    ['SELECT', '0'],
  ],
  ours(server: MiniRedisServer) {
    const db = server.store.db(0);
    db.set('src', createList(['a', 'b', 'c']));
    db.set('src2', createList(['x']));
    const zset = createSortedSet();
    zset.add('a', 1);
    zset.add('b', 2.5);
    zset.add('c', -3);
    db.set('zsrc', zset);
    db.set('str', 'v');
    server.store.db(1).set('sw', createList(['s1', 's2']));
  },
};

describe('blocking commands, byte for byte with redis-server', () => {
  test('timeouts, nulls of both protocols, argument errors, wrong types, MULTI', async () => {
    const lines = [
      'BLPOP q 0.05', 'BRPOP q q2 0.05', 'BLMOVE q d LEFT RIGHT 0.05', 'BRPOPLPUSH q d 0.05', 'BLMPOP 0.05 1 q LEFT',
      'BZPOPMIN z 0.05', 'BZPOPMAX z 0.05', 'BZMPOP 0.05 2 z z2 MIN COUNT 2', 'BLPOP q -1', 'BLPOP q abc', 'BLPOP q inf',
      'BLPOP q -inf', 'BLPOP q 1e300', 'BLPOP q nan', 'BLPOP q 1e', 'BLPOP q ""',
      'BLMPOP 0 0 q LEFT', 'BLMPOP 0 1 q UP', 'BLMPOP 0 1 q LEFT COUNT 0', 'BLMPOP 0 1 q LEFT COUNT 1 COUNT 2',
      'BLMPOP 0 5 q LEFT', 'BLMPOP x 1 q LEFT', 'BLMPOP -1 1 q LEFT', 'BZMPOP 0 1 z MIN COUNT x', 'BZMPOP 0 1 z LEFT',
      'BLMOVE q d UP LEFT 0', 'BLMOVE q d LEFT RIGHT -1', 'WAIT x 1', 'WAIT 1 x', 'WAIT 1 -1', 'WAIT 0 100',
      'WAIT 1 50', 'WAIT -1 0', 'BLPOP str 0', 'BLPOP q str 0', 'BZPOPMIN str 0', 'BLMOVE str d LEFT LEFT 0',
      'BLMOVE src str LEFT LEFT 0', 'BZMPOP 0 1 str MAX', 'BLMPOP 0 1 str LEFT',
      'MULTI', 'BLPOP q 0', 'BLMOVE q d LEFT RIGHT 0', 'BRPOPLPUSH q d 0', 'BZPOPMIN z 0', 'BLMPOP 0 1 q LEFT',
      'BZMPOP 0 1 z MIN', 'WAIT 1 0', 'BLPOP src 0', 'EXEC',
      'BLPOP src 0', 'BLMPOP 0 2 nope src RIGHT COUNT 5', 'EXISTS src', 'BZPOPMIN zsrc 0',
      'BZPOPMAX zsrc 0', 'BZMPOP 0 1 zsrc MAX COUNT 3', 'EXISTS zsrc', 'BRPOPLPUSH src2 src2 0', 'BLMOVE src2 d2 LEFT RIGHT 0',
      'HELLO 3', 'BLPOP q 0.01', 'BZPOPMIN z 0.01', 'BLMOVE q d LEFT RIGHT 0.01', 'BLMPOP 0.01 1 q LEFT',
      'BRPOPLPUSH d2 q 0', 'BLMPOP 0 1 q LEFT', 'HELLO 2',
    ];
    await expectSameScript(pair, 1, lines.map((line) => s(0, line)), SEED);
  });

  test('RESP3 scores of BZPOPMIN/BZMPOP', async () => {
    await expectSameScript(pair, 1, [s(0, 'HELLO 3'), s(0, 'BZPOPMIN zsrc 0'), s(0, 'BZMPOP 0 1 zsrc MAX COUNT 9')], SEED);
  });

  test('FIFO wake-ups by RENAME, COPY, MOVE, SWAPDB and EXEC, BLMOVE chains, with the pops\' keyspace events', async () => {
    await expectSameScript(pair, 4, [
      { c: 3, cmd: ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'] },
      s(3, 'PSUBSCRIBE __keyevent@*'),
      block(0, 'BLPOP q 0'),
      settle,
      block(1, 'BRPOP other q 0'),
      settle,
      s(2, 'RENAME src q'),
      settle,
      s(2, 'TYPE q'),
      block(0, 'BLMOVE q2 dst LEFT RIGHT 0'),
      settle,
      block(1, 'BRPOPLPUSH dst out 0'),
      settle,
      s(2, 'COPY src2 q2'),
      settle,
      s(2, 'EXISTS q2 dst out'),
      block(0, 'BZPOPMIN zq 0'),
      settle,
      block(1, 'BZMPOP 0 2 zz zq MAX COUNT 2'),
      settle,
      s(2, 'RENAME zsrc zq'),
      settle,
      block(0, 'BLPOP m 0'),
      settle,
      s(2, 'MULTI'),
      s(2, 'COPY src2 m'),
      s(2, 'DEL m'),
      s(2, 'COPY src2 m'),
      s(2, 'EXEC'),
      settle,
      block(0, 'BLPOP sw 0'),
      settle,
      block(1, 'BLPOP sw 1'),
      settle,
      s(2, 'SWAPDB 0 1'),
      settle,
      block(0, 'BLPOP src2 0.3'),
      settle,
      s(2, 'SELECT 1'),
      s(2, 'MOVE src2 0'),
      s(2, 'SELECT 0'),
      settle,
      block(1, 'BLPOP never 0.05'),
      { sleep: 150 },
      { c: 3, cmd: ['CONFIG', 'SET', 'notify-keyspace-events', ''] },
    ], SEED);
  });
});

describe('blocking on our side', () => {
  test('CLIENT UNBLOCK (TIMEOUT and ERROR), INFO blocked_clients, flag b, disconnects and WAIT', async () => {
    const server = await startTestServer();
    const admin = await RawClient.connect(server.port);
    const waiter = await RawClient.connect(server.port);
    const id = (await waiter.call('CLIENT', 'ID')) as number;
    const first = waiter.callRaw('BLPOP', 'k', '0');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(String(await admin.call('INFO', 'clients'))).toContain('blocked_clients:1\r\n');
    expect(String(await admin.call('CLIENT', 'LIST', 'ID', String(id)))).toContain(' flags=b ');
    expect(await admin.call('CLIENT', 'UNBLOCK', String(id), 'TIMEOUT')).toBe(1);
    expect((await first).toString('latin1')).toBe('*-1\r\n');
    expect(await admin.call('CLIENT', 'UNBLOCK', String(id))).toBe(0);
    const second = waiter.callRaw('BZPOPMAX', 'z', '0');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await admin.call('CLIENT', 'UNBLOCK', String(id), 'ERROR')).toBe(1);
    expect((await second).toString('latin1')).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    expect(await admin.call('CLIENT', 'UNBLOCK', String(id), 'MAYBE')).toEqual(
      new ErrorReply('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR'),
    );
    expect(await admin.call('CLIENT', 'UNBLOCK', 'x')).toEqual(new ErrorReply('ERR value is not an integer or out of range'));
    const third = waiter.callRaw('WAIT', '1', '0');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await admin.call('CLIENT', 'UNBLOCK', String(id))).toBe(1);
    expect((await third).toString('latin1')).toBe(':0\r\n');
    // A client that disconnects while blocked is forgotten; the element goes to the next waiter.
    void waiter.callRaw('BLPOP', 'k', '0');
    const next = await RawClient.connect(server.port);
    const served = next.call('BLPOP', 'k', '0');
    await new Promise((resolve) => setTimeout(resolve, 20));
    waiter.raw.destroy();
    await waiter.closed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(String(await admin.call('INFO', 'clients'))).toContain('blocked_clients:1\r\n');
    server.store.db(0).set('src', createList(['only']));
    await admin.call('RENAME', 'src', 'k');
    expect(await served).toEqual(['k', 'only']);
    expect(String(await admin.call('INFO', 'clients'))).toContain('blocked_clients:0\r\n');
    await next.close();
    await admin.close();
    await server.close();
  });

  test('timeouts follow the server clock: a ManualClock moved past the deadline times the client out', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock });
    const client = await RawClient.connect(server.port);
    const reply = client.call('BLPOP', 'k', '5');
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.blocking.expireTimeouts();
    expect(server.blocking.blockedCount).toBe(1);
    clock.advance(4999);
    server.blocking.expireTimeouts();
    expect(server.blocking.blockedCount).toBe(1);
    clock.advance(1);
    server.blocking.expireTimeouts();
    expect(await reply).toBeInstanceOf(NullArray);
    await client.close();
    await server.close();
  });

  test('one element serves one waiter; the rest stay blocked in arrival order', async () => {
    const server = await startTestServer();
    const clients = await Promise.all([0, 1, 2].map(() => RawClient.connect(server.port)));
    const replies: Array<Promise<unknown>> = [];
    for (const client of clients) {
      replies.push(client.call('BRPOP', 'k', '0'));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const admin = await RawClient.connect(server.port);
    server.store.db(0).set('src', createList(['1', '2']));
    await admin.call('RENAME', 'src', 'k');
    expect(await replies[0]).toEqual(['k', '2']);
    expect(await replies[1]).toEqual(['k', '1']);
    expect(server.blocking.blockedCount).toBe(1);
    await admin.close();
    for (const client of clients) await client.close();
    await server.close();
  });
});
