/**
 * The test toolkit: lifecycle (url, restart keeping data, close, asyncDispose, no leak over many cycles), seed and
 * snapshot as UTF-8, fault injection in-process and over the wire (MINIREDIS FAULT), command hooks, useServer.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SimpleString } from '@mini-redis/protocol';
import { startServer, type MiniRedisServer } from '@mini-redis/server';
import { useServer } from '@mini-redis/server/testing';
import { test as fixtureTest } from '@mini-redis/server/vitest';
import { ManualClock, MapStore } from '@mini-redis/store';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { RawClient } from './helpers.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of opened.splice(0)) await item.close();
});

/** A raw connection with `call` (decoded reply) and `raw` (reply bytes as a latin1 string). */
interface TestClient {
  call(...args: string[]): Promise<unknown>;
  raw(...args: string[]): Promise<string>;
}

function client(server: MiniRedisServer): TestClient {
  const connecting = RawClient.connect(server.port);
  opened.push({ close: async () => (await connecting).close() });
  return {
    call: async (...args) => {
      const reply = await (await connecting).call(...args);
      return reply instanceof SimpleString ? reply.value : reply;
    },
    raw: async (...args) => (await (await connecting).callRaw(...args)).toString('latin1'),
  };
}

describe('lifecycle', () => {
  test('url, restart keeps the data and the port, close is final and idempotent', async () => {
    const server = await startServer({ port: 0 });
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    const port = server.port;
    const before = client(server);
    expect(await before.call('SET', 'k', 'v')).toBe('OK');
    await server.restart();
    expect(server.port).toBe(port);
    const after = client(server);
    expect(await after.call('GET', 'k')).toBe('v');
    await server.close();
    await server.close();
    await expect(server.listen()).rejects.toThrow(/closed/);
  });

  test('await using closes the server', async () => {
    let port: number;
    {
      await using server = await startServer({ port: 0 });
      port = server.port;
    }
    const probe = await startServer({ port });
    await probe.close();
  });

  test('1,000 start/stop cycles leave no handles behind and memory flat (measured in a fresh process)', () => {
    // A child process, so that nothing of the test runner's own allocations counts.
    const script = `
      import { setFlagsFromString } from 'node:v8';
      import { runInNewContext } from 'node:vm';
      import { startServer } from '@mini-redis/server';
      setFlagsFromString('--expose_gc');
      const gc = runInNewContext('gc');
      const handles = () => process._getActiveHandles().length;
      const baseline = handles();
      const cycle = async () => { const server = await startServer({ port: 0 }); await server.close(); };
      for (let i = 0; i < 100; i++) await cycle();
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      for (let i = 0; i < 1000; i++) await cycle();
      await new Promise((resolve) => setTimeout(resolve, 100));
      gc();
      console.log(JSON.stringify({ baseline, handles: handles(), growth: process.memoryUsage().heapUsed - heapBefore }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: packageRoot, encoding: 'utf8' });
    const result = JSON.parse(output) as { baseline: number; handles: number; growth: number };
    expect(result.handles).toBeLessThanOrEqual(result.baseline);
    expect(result.growth).toBeLessThan(1024 * 1024);
  }, 60_000);

  test('a clock that differs from the given store\'s is refused loudly', async () => {
    const store = new MapStore();
    await expect(startServer({ port: 0, store, clock: new ManualClock(0) })).rejects.toThrow(/clock/);
  });
});

describe('seed and snapshot', () => {
  test('UTF-8 strings and every type round-trip through a client', async () => {
    const clock = new ManualClock(1_000_000);
    const server = await startServer({ port: 0, clock });
    opened.push(server);
    server.seed({ greeting: 'héllo ✓', list: ['a', 'b'], set: new Set(['x']), hash: { f: 'wört' }, zset: [[1.5, 'm']] });
    server.seed({ temp: 'soon gone' }, { ttl: 10 });
    const redis = new Redis(server.port, { lazyConnect: true });
    await redis.connect();
    try {
      expect(await redis.get('greeting')).toBe('héllo ✓');
      await redis.set('from-client', 'ünïcode');
    } finally {
      redis.disconnect();
    }
    const data = server.snapshot();
    expect(data['from-client']).toBe('ünïcode');
    expect(data['hash']).toEqual({ f: 'wört' });
    expect(data['list']).toEqual(['a', 'b']);
    expect(data['set']).toEqual(new Set(['x']));
    expect(data['zset']).toEqual([[1.5, 'm']]);
    clock.advance(10_001);
    expect(server.snapshot()['temp']).toBeUndefined();
    expect(server.snapshot({ buffers: true })['greeting']).toEqual(Buffer.from('héllo ✓'));
  });
});

describe('fault injection', () => {
  let server: MiniRedisServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, faultInjection: true });
  });
  afterAll(() => server.close());
  beforeEach(() => server.faults.clear());

  test('error replies by command and key pattern, counted, limited by count', async () => {
    const id = server.faults.add({ command: 'get', key: 'user:*', count: 2, action: { type: 'error', message: 'ERR injected' } });
    const raw = client(server);
    expect(await raw.raw('GET', 'user:1')).toBe('-ERR injected\r\n');
    expect(await raw.raw('GET', 'other')).toBe('$-1\r\n');
    expect(await raw.raw('GET', 'user:2')).toBe('-ERR injected\r\n');
    expect(await raw.raw('GET', 'user:3')).toBe('$-1\r\n');
    expect(server.faults.list()).toMatchObject([{ id, hits: 2 }]);
  });

  test('delay, drop, close and partial replies', async () => {
    const raw = client(server);
    server.faults.add({ command: 'ping', count: 1, action: { type: 'delay', ms: 200 } });
    const started = Date.now();
    expect(await raw.raw('PING')).toBe('+PONG\r\n');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);

    server.faults.add({ command: 'echo', count: 1, action: { type: 'drop' } });
    const direct = await RawClient.connect(server.port);
    opened.push(direct);
    direct.write('*2\r\n$4\r\nECHO\r\n$1\r\na\r\n*2\r\n$4\r\nECHO\r\n$1\r\nb\r\n');
    // The first ECHO's reply is dropped: only the second one arrives.
    expect((await direct.readFor(200)).toString('latin1')).toBe('$1\r\nb\r\n');

    const partial = await RawClient.connect(server.port);
    opened.push(partial);
    server.faults.add({ command: 'set', count: 1, action: { type: 'partial', bytes: 2 } });
    partial.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
    expect((await partial.readFor(200)).toString('latin1')).toBe('+O');
    expect(partial.isClosed).toBe(true);
    expect(await client(server).raw('GET', 'k')).toBe('$1\r\nv\r\n');

    const closing = await RawClient.connect(server.port);
    opened.push(closing);
    server.faults.add({ command: 'get', count: 1, action: { type: 'close' } });
    closing.write('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
    expect((await closing.readFor(200)).length).toBe(0);
    expect(closing.isClosed).toBe(true);
  });

  test('over the wire: MINIREDIS FAULT ADD/LIST/DEL/CLEAR', async () => {
    const raw = client(server);
    const id = await raw.call('MINIREDIS', 'FAULT', 'ADD', 'incr', 'ERROR', 'BUSY try later');
    expect(typeof id).toBe('number');
    expect(await raw.raw('INCR', 'n')).toBe('-BUSY try later\r\n');
    const listed = (await raw.call('MINIREDIS', 'FAULT', 'LIST')) as unknown[];
    expect(listed).toHaveLength(1);
    expect(await raw.call('MINIREDIS', 'FAULT', 'DEL', String(id))).toBe(1);
    expect(await raw.call('INCR', 'n')).toBe(1);
    expect(await raw.raw('MINIREDIS', 'FAULT', 'ADD', 'get', 'KEY', 'x')).toMatch(/^-ERR a fault needs an action/);
    expect(await raw.raw('MINIREDIS', 'FAULT', 'ADD', 'get', 'PROBABILITY', '2', 'DROP')).toMatch(/^-ERR probability/);
  });

  test('MINIREDIS is unknown unless fault injection was enabled', async () => {
    const plain = await startServer({ port: 0 });
    opened.push(plain);
    expect(await client(plain).raw('MINIREDIS', 'FAULT', 'LIST')).toMatch(/^-ERR unknown command 'MINIREDIS'/);
  });

  test('command hooks see every executed command', async () => {
    const seen: string[] = [];
    const stop = server.onCommand((command) => seen.push(`${command.name} ${command.args.slice(1).join(' ')}`));
    const raw = client(server);
    await raw.call('SET', 'a', '1');
    await raw.call('MULTI');
    await raw.call('INCR', 'a');
    await raw.call('EXEC');
    stop();
    await raw.call('GET', 'a');
    expect(seen).toEqual(['set a 1', 'multi ', 'incr a', 'exec ']);
  });
});

describe('useServer', () => {
  const handle = useServer({ hooks: { beforeAll, afterAll, beforeEach } });

  test('first test writes', async () => {
    expect(await client(handle.server).call('SET', 'shared', '1')).toBe('OK');
    expect(handle.url).toBe(`redis://127.0.0.1:${handle.port}`);
  });

  test('the next test starts empty', async () => {
    expect(await client(handle.server).call('GET', 'shared')).toBe(null);
  });
});

fixtureTest('vitest fixture: a server per test', async ({ redis }) => {
  expect(await client(redis).call('PING')).toBe('PONG');
});
