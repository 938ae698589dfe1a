/**
 * The stream family over a real socket, with time driven by a ManualClock: `*` IDs from the clock (and strictly
 * increasing when it goes back), idle times, blocking reads (FIFO, woken by XADD, `$` resolved at block time,
 * timeouts, NOGROUP/UNBLOCKED when the group or the key goes away, no blocking inside MULTI), COPY's deep copy, and
 * a BullMQ-style producer/consumer through ioredis. Expected replies were taken from redis-server 7.0.15.
 */
import { ErrorReply, RespMap } from '@mini-redis/protocol';
import type { MiniRedisServer } from '@mini-redis/server';
import { ManualClock } from '@mini-redis/store';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RawClient, startTestServer } from './helpers.js';

const START = 1_700_000_000_000;
let server: MiniRedisServer;
let client: RawClient;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(START);
  server = await startTestServer({ clock });
  client = await RawClient.connect(server.port);
});

afterAll(async () => {
  await client.close();
  await server.close();
});

beforeEach(async () => {
  await client.call('FLUSHALL');
  clock.set(START);
});

async function connect(): Promise<RawClient> {
  return RawClient.connect(server.port);
}

describe('IDs from the clock', () => {
  it('uses the clock for *, increments the sequence within a ms and when the clock goes back', async () => {
    expect(await client.call('XADD', 's', '*', 'f', 'v')).toBe(`${START}-0`);
    expect(await client.call('XADD', 's', '*', 'f', 'v')).toBe(`${START}-1`);
    clock.set(START - 5000);
    expect(await client.call('XADD', 's', '*', 'f', 'v')).toBe(`${START}-2`);
    clock.set(START + 7);
    expect(await client.call('XADD', 's', '*', 'f', 'v')).toBe(`${START + 7}-0`);
    expect(await client.call('XADD', 's', `${START + 7}-*`, 'f', 'v')).toBe(`${START + 7}-1`);
    expect(await client.call('XADD', 's', `${START + 100}-*`, 'f', 'v')).toBe(`${START + 100}-0`);
  });

  it('keeps 64-bit IDs exact', async () => {
    expect(await client.call('XADD', 's', '18446744073709551614-18446744073709551615', 'f', 'v')).toBe(
      '18446744073709551614-18446744073709551615',
    );
    expect(await client.call('XADD', 's', '*', 'f', 'v')).toBe('18446744073709551615-0');
    expect(await client.call('XRANGE', 's', '(18446744073709551614-18446744073709551615', '+')).toEqual([
      ['18446744073709551615-0', ['f', 'v']],
    ]);
    await client.call('XADD', 's', '18446744073709551615-18446744073709551615', 'f', 'v');
    expect(await client.call('XADD', 's', '*', 'f', 'v')).toEqual(
      new ErrorReply('ERR The stream has exhausted the last possible ID, unable to add more items'),
    );
  });
});

describe('idle times', () => {
  it('XPENDING, XCLAIM and XAUTOCLAIM measure idle time on the server clock', async () => {
    await client.call('XADD', 's', '1-0', 'f', 'v');
    await client.call('XADD', 's', '2-0', 'f', 'v');
    await client.call('XGROUP', 'CREATE', 's', 'g', '0');
    await client.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    clock.advance(1500);
    expect(await client.call('XPENDING', 's', 'g', 'IDLE', '1000', '-', '+', '10')).toEqual([
      ['1-0', 'alice', 1500, 1],
      ['2-0', 'alice', 1500, 1],
    ]);
    expect(await client.call('XCLAIM', 's', 'g', 'bob', '2000', '1-0')).toEqual([]);
    expect(await client.call('XCLAIM', 's', 'g', 'bob', '1000', '1-0', 'JUSTID')).toEqual(['1-0']);
    expect(await client.call('XPENDING', 's', 'g', '-', '+', '10')).toEqual([
      ['1-0', 'bob', 0, 1],
      ['2-0', 'alice', 1500, 1],
    ]);
    expect(await client.call('XAUTOCLAIM', 's', 'g', 'carol', '1000', '0')).toEqual([
      '0-0',
      [['2-0', ['f', 'v']]],
      [],
    ]);
    await client.call('XCLAIM', 's', 'g', 'bob', '0', '2-0', 'IDLE', '60000', 'RETRYCOUNT', '9');
    expect(await client.call('XPENDING', 's', 'g', '-', '+', '10', 'bob')).toEqual([
      ['1-0', 'bob', 0, 1],
      ['2-0', 'bob', 60000, 9],
    ]);
    clock.advance(10);
    const consumers = (await client.call('XINFO', 'CONSUMERS', 's', 'g')) as unknown[];
    expect(consumers).toEqual([
      ['name', 'alice', 'pending', 0, 'idle', 1510],
      ['name', 'bob', 'pending', 2, 'idle', 10],
      ['name', 'carol', 'pending', 0, 'idle', 10],
    ]);
  });
});

describe('blocking reads', () => {
  it('XREAD BLOCK $ is woken by XADD, waiters served first come first served', async () => {
    const first = await connect();
    const second = await connect();
    await client.call('XADD', 's', '1-0', 'f', 'old');
    const one = first.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    const two = second.call('XREAD', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 'other', 's', '$', '$');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.blocking.blockedCount).toBe(2);
    await client.call('XADD', 's', '2-0', 'f', 'new');
    expect(await one).toEqual([['s', [['2-0', ['f', 'new']]]]]);
    expect(await two).toEqual([['s', [['2-0', ['f', 'new']]]]]);
    await first.close();
    await second.close();
  });

  it('RESP3 replies a map; a timeout replies null', async () => {
    const reader = await connect();
    await reader.call('HELLO', '3');
    await client.call('XADD', 's', '1-0', 'f', 'v');
    expect(await reader.call('XREAD', 'STREAMS', 's', '0')).toEqual(new RespMap(['s', [['1-0', ['f', 'v']]]]));
    // Blocking timeouts follow the server's clock: move the ManualClock past them and let the registry expire them.
    const timedOut = async (connection: typeof client): Promise<string> => {
      const reply = connection.callRaw('XREAD', 'BLOCK', '20', 'STREAMS', 's', '$');
      await new Promise((resolve) => setTimeout(resolve, 20));
      clock.advance(21);
      server.blocking.expireTimeouts();
      return (await reply).toString();
    };
    expect(await timedOut(reader)).toBe('_\r\n');
    expect(await timedOut(client)).toBe('*-1\r\n');
    await reader.close();
  });

  it('XREADGROUP BLOCK > is served by XADD and records the PEL; destroying the group replies NOGROUP', async () => {
    await client.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const reader = await connect();
    const read = reader.call('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client.call('XADD', 's', '5-0', 'f', 'v');
    expect(await read).toEqual([['s', [['5-0', ['f', 'v']]]]]);
    expect(await client.call('XPENDING', 's', 'g')).toEqual([1, '5-0', '5-0', [['c', '1']]]);
    const again = reader.call('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client.call('XGROUP', 'DESTROY', 's', 'g');
    expect(await again).toEqual(new ErrorReply('NOGROUP the consumer group this client was blocked on no longer exists'));
    await reader.close();
  });

  it('deleting the stream unblocks XREADGROUP with UNBLOCKED, XREAD keeps waiting', async () => {
    await client.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const groupReader = await connect();
    const plainReader = await connect();
    const grouped = groupReader.call('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
    const plain = plainReader.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client.call('DEL', 's');
    expect(await grouped).toEqual(new ErrorReply('UNBLOCKED the stream key no longer exists'));
    expect(server.blocking.blockedCount).toBe(1);
    await client.call('XADD', 's', '1-0', 'f', 'v');
    expect(await plain).toEqual([['s', [['1-0', ['f', 'v']]]]]);
    await groupReader.close();
    await plainReader.close();
  });

  for (const flush of ['FLUSHALL', 'FLUSHDB']) {
    it(`${flush} unblocks XREADGROUP with UNBLOCKED, XREAD and BLPOP keep waiting (Redis's blocking XREADGROUP: flushed DB)`, async () => {
      await client.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
      const groupReader = await connect();
      const plainReader = await connect();
      const popper = await connect();
      const grouped = groupReader.call('XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
      const plain = plainReader.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      const popped = popper.call('BLPOP', 'list', '0');
      await new Promise((resolve) => setTimeout(resolve, 20));
      await client.call(flush);
      expect(await grouped).toEqual(new ErrorReply('UNBLOCKED the stream key no longer exists'));
      expect(server.blocking.blockedCount).toBe(2);
      await client.call('XADD', 's', '1-0', 'f', 'v');
      await client.call('RPUSH', 'list', 'a');
      expect(await plain).toEqual([['s', [['1-0', ['f', 'v']]]]]);
      expect(await popped).toEqual(['list', 'a']);
      await groupReader.close();
      await plainReader.close();
      await popper.close();
    });
  }

  it('inside MULTI a blocking read answers at once', async () => {
    await client.call('MULTI');
    await client.call('XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    expect((await client.callRaw('EXEC')).toString()).toBe('*1\r\n*-1\r\n');
  });
});

describe('WATCH', () => {
  it('entry changes abort a watching EXEC, group bookkeeping and XSETID do not (as redis-server 7.0.15)', async () => {
    const other = await connect();
    await client.call('XADD', 's', '1-0', 'f', 'v');
    const outcomes: string[] = [];
    const operations = [
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'],
      ['XACK', 's', 'g', '1-0'],
      ['XCLAIM', 's', 'g', 'e', '0', '1-0', 'FORCE'],
      ['XGROUP', 'DESTROY', 's', 'g'],
      ['XSETID', 's', '5-0'],
      ['XADD', 's', '6-0', 'a', 'b'],
      ['XDEL', 's', '6-0'],
    ];
    for (const operation of operations) {
      await client.call('WATCH', 's');
      await other.call(...operation);
      await client.call('MULTI');
      await client.call('PING');
      outcomes.push(`${operation[0]}:${(await client.callRaw('EXEC')).toString() === '*-1\r\n' ? 'aborted' : 'ok'}`);
    }
    expect(outcomes).toEqual(['XGROUP:ok', 'XREADGROUP:ok', 'XACK:ok', 'XCLAIM:ok', 'XGROUP:ok', 'XSETID:ok', 'XADD:aborted', 'XDEL:aborted']);
    await other.close();
  });
});

describe('COPY', () => {
  it('deep-copies entries, groups and PELs', async () => {
    await client.call('XADD', 's', '1-0', 'f', 'v');
    await client.call('XGROUP', 'CREATE', 's', 'g', '0');
    await client.call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>');
    expect(await client.call('COPY', 's', 't')).toBe(1);
    await client.call('XACK', 's', 'g', '1-0');
    await client.call('XADD', 's', '2-0', 'f', 'v');
    expect(await client.call('XLEN', 't')).toBe(1);
    expect(await client.call('XPENDING', 't', 'g')).toEqual([1, '1-0', '1-0', [['c', '1']]]);
    expect(await client.call('TYPE', 't')).toEqual(expect.objectContaining({ value: 'stream' }));
  });
});

describe('through ioredis', () => {
  it('a producer XADDs with MAXLEN ~ while a consumer reads with XREAD BLOCK $', async () => {
    const producer = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true });
    const consumer = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: true });
    await producer.connect();
    await consumer.connect();
    try {
      const pending = consumer.xread('BLOCK', 0, 'STREAMS', 'jobs', '$');
      await new Promise((resolve) => setTimeout(resolve, 30));
      const id = await producer.xadd('jobs', 'MAXLEN', '~', 1000, '*', 'name', 'job1', 'data', '{}');
      expect(await pending).toEqual([['jobs', [[id, ['name', 'job1', 'data', '{}']]]]]);
      for (let index = 0; index < 1300; index++) await producer.xadd('jobs', 'MAXLEN', '~', 1000, '*', 'n', String(index));
      const length = await producer.xlen('jobs');
      // Whole nodes of 100 entries go: between 1000 and 1099 entries stay.
      expect(length).toBeGreaterThanOrEqual(1000);
      expect(length).toBeLessThan(1100);
    } finally {
      producer.disconnect();
      consumer.disconnect();
    }
  });
});
