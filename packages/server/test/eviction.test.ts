/**
 * maxmemory and eviction (evict.c) with an injected clock: used_memory follows the dataset, OBJECT IDLETIME / FREQ
 * come from real access data, and each policy evicts the key Redis's approximation would (with maxmemory-samples at
 * least the number of keys, sampling sees every key, so the choice is deterministic).
 */
import { ManualClock } from '@mini-redis/store';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RawClient, startTestServer } from './helpers.js';

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";
let server: MiniRedisServer;
let clock: ManualClock;
let client: RawClient;

beforeEach(async () => {
  clock = new ManualClock(1_700_000_000_000);
  server = await startTestServer({ clock });
  client = await RawClient.connect(server.port);
  await client.call('CONFIG', 'SET', 'maxmemory-samples', '64');
});

afterEach(async () => {
  await client.close();
  await server.close();
});

async function info(field: string): Promise<string> {
  const lines = text(await client.call('INFO', 'everything'));
  const line = lines.split('\r\n').find((entry) => entry.startsWith(`${field}:`));
  if (line === undefined) throw new Error(`no INFO field ${field}`);
  return line.slice(field.length + 1);
}

/** A reply as text: an error reply's message. */
function text(reply: unknown): string {
  return reply instanceof Error ? reply.message : String(reply);
}

async function usedMemory(): Promise<number> {
  return Number(await info('used_memory'));
}

/** Caps memory at what is used now, adds one more key of the same size, and runs a command (which evicts first). */
async function overflowByOneKey(key = 'kx', ttlMs?: number): Promise<unknown> {
  await client.call('CONFIG', 'SET', 'maxmemory', String(await usedMemory()));
  await client.call('SET', key, 'value', ...(ttlMs === undefined ? [] : ['PX', String(ttlMs)]));
  return client.call('PING');
}

async function present(keys: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const key of keys) if ((await client.call('EXISTS', key)) === 1) found.push(key);
  return found;
}

const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4'];

describe('used_memory', () => {
  test('grows with the dataset and comes back when keys are deleted', async () => {
    const empty = await usedMemory();
    expect(await info('used_memory_human')).toMatch(/^\d+(\.\d+)?[BKMG]$/);
    await client.call('SET', 'key', 'x'.repeat(1000));
    const withString = await usedMemory();
    expect(withString - empty).toBeGreaterThan(1000);
    expect(withString - empty).toBeLessThan(1300);
    await client.call('RPUSH', 'list', ...Array.from({ length: 100 }, (_, index) => `item${index}`));
    const withList = await usedMemory();
    expect(withList - withString).toBeGreaterThan(100 * 8);
    await client.call('RPOP', 'list', '50');
    const shrunk = await usedMemory();
    expect(shrunk).toBeLessThan(withList);
    expect(shrunk).toBeGreaterThan(withString);
    await client.call('DEL', 'key', 'list');
    expect(await usedMemory()).toBe(empty);
    await client.call('SET', 'key', 'value');
    await client.call('FLUSHALL');
    expect(await usedMemory()).toBe(empty);
    expect(await info('maxmemory')).toBe('0');
    await client.call('CONFIG', 'SET', 'maxmemory', '10mb');
    expect(await info('maxmemory')).toBe('10485760');
    expect(await info('maxmemory_human')).toBe('10.00M');
  });
});

describe('OBJECT IDLETIME and FREQ', () => {
  test('idle time counts whole seconds since the last read or write, not since no-touch lookups', async () => {
    await client.call('SET', 'key', 'value');
    clock.advance(5500);
    expect(await client.call('OBJECT', 'IDLETIME', 'key')).toBe(5);
    await client.call('TYPE', 'key');
    await client.call('TTL', 'key');
    await client.call('EXISTS', 'key');
    await client.call('OBJECT', 'ENCODING', 'key');
    expect(await client.call('OBJECT', 'IDLETIME', 'key')).toBe(5);
    await client.call('GET', 'key');
    expect(await client.call('OBJECT', 'IDLETIME', 'key')).toBe(0);
    clock.advance(3000);
    await client.call('APPEND', 'key', 'more');
    expect(await client.call('OBJECT', 'IDLETIME', 'key')).toBe(0);
    clock.advance(2000);
    await client.call('CLIENT', 'NO-TOUCH', 'on');
    await client.call('GET', 'key');
    expect(await client.call('OBJECT', 'IDLETIME', 'key')).toBe(2);
    // TOUCH records an access (lookupKeyRead), even under NO-TOUCH (Redis: "unless it sends the TOUCH command")
    await client.call('TOUCH', 'key');
    expect(await client.call('OBJECT', 'IDLETIME', 'key')).toBe(0);
    await client.call('CLIENT', 'NO-TOUCH', 'off');
    clock.advance(4000);
    expect(await client.call('TOUCH', 'key', 'missing', 'key')).toBe(2);
    expect(await client.call('OBJECT', 'IDLETIME', 'key')).toBe(0);
    expect(await client.call('OBJECT', 'IDLETIME', 'missing')).toBe(null);
  });

  test('FREQ follows LFULogIncr from LFU_INIT_VAL and decays every lfu-decay-time minutes', async () => {
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    await client.call('CONFIG', 'SET', 'lfu-log-factor', '0');
    await client.call('SET', 'key', 'value');
    expect(await client.call('OBJECT', 'FREQ', 'key')).toBe(5);
    for (let i = 0; i < 3; i++) await client.call('GET', 'key');
    expect(await client.call('OBJECT', 'FREQ', 'key')).toBe(8);
    clock.advance(2 * 60_000);
    expect(await client.call('OBJECT', 'FREQ', 'key')).toBe(6);
    await client.call('CONFIG', 'SET', 'lfu-decay-time', '0');
    clock.advance(10 * 60_000);
    expect(await client.call('OBJECT', 'FREQ', 'key')).toBe(8);
    const error = await client.call('OBJECT', 'IDLETIME', 'key');
    expect(text(error)).toMatch(/^ERR An LFU maxmemory policy is selected, idle time not tracked/);
  });

  test('with the default log factor the counter grows logarithmically', async () => {
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu');
    await client.call('SET', 'key', 'value');
    for (let i = 0; i < 1000; i++) await client.call('GET', 'key');
    const frequency = Number(await client.call('OBJECT', 'FREQ', 'key'));
    // Redis's table for lfu-log-factor 10: about 10 after 100 hits, 18 after 1000.
    expect(frequency).toBeGreaterThanOrEqual(12);
    expect(frequency).toBeLessThanOrEqual(25);
  });
});

describe('maxmemory policies', () => {
  test('noeviction: denyoom commands get the OOM error, reads and deletes still run', async () => {
    for (const key of KEYS) await client.call('SET', key, 'value');
    await client.call('CONFIG', 'SET', 'maxmemory', '1');
    expect(text(await client.call('SET', 'other', 'value'))).toBe(OOM);
    expect((await client.callRaw('SET', 'other', 'value')).toString('latin1')).toBe(`-${OOM}\r\n`);
    expect(await client.call('GET', 'k0')).toBe('value');
    expect(await client.call('DEL', 'k0')).toBe(1);
    expect(await info('evicted_keys')).toBe('0');
    expect(await info('errorstat_OOM')).toBe('count=2');
  });

  test('allkeys-lru evicts the least recently touched key', async () => {
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    for (const key of KEYS) {
      await client.call('SET', key, 'value');
      clock.advance(1000);
    }
    await client.call('GET', 'k0');
    clock.advance(1000);
    await overflowByOneKey();
    expect(await present([...KEYS, 'kx'])).toEqual(['k0', 'k2', 'k3', 'k4', 'kx']);
    expect(await info('evicted_keys')).toBe('1');
  });

  test('allkeys-lfu evicts the least frequently used key', async () => {
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu');
    await client.call('CONFIG', 'SET', 'lfu-log-factor', '0');
    for (const key of KEYS) await client.call('SET', key, 'value');
    for (const [index, key] of KEYS.entries()) {
      if (key === 'k3') continue;
      for (let i = 0; i <= index; i++) await client.call('GET', key);
    }
    // kx starts at LFU_INIT_VAL like k3; touching it once makes k3 the least used.
    await client.call('SET', 'kx', 'value');
    await client.call('GET', 'kx');
    await client.call('CONFIG', 'SET', 'maxmemory', String((await usedMemory()) - 1));
    await client.call('PING');
    expect(await present([...KEYS, 'kx'])).toEqual(['k0', 'k1', 'k2', 'k4', 'kx']);
    expect(await info('evicted_keys')).toBe('1');
  });

  test('volatile-ttl evicts the key nearest to expiry, never a key without TTL', async () => {
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-ttl');
    await client.call('SET', 'k0', 'value');
    await client.call('SET', 'k1', 'value', 'PX', '50000');
    await client.call('SET', 'k2', 'value', 'PX', '20000');
    await client.call('SET', 'k3', 'value', 'PX', '90000');
    await client.call('SET', 'k4', 'value');
    await overflowByOneKey('kx', 60000);
    expect(await present([...KEYS, 'kx'])).toEqual(['k0', 'k1', 'k3', 'k4', 'kx']);
    await client.call('CONFIG', 'SET', 'maxmemory', String((await usedMemory()) - 1));
    await client.call('PING');
    expect(await present([...KEYS, 'kx'])).toEqual(['k0', 'k3', 'k4', 'kx']);
    expect(await info('evicted_keys')).toBe('2');
  });

  test('volatile-lru evicts the least recently touched key with a TTL', async () => {
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru');
    await client.call('SET', 'k0', 'value');
    clock.advance(1000);
    for (const key of ['k1', 'k2', 'k3']) {
      await client.call('SET', key, 'value', 'EX', '1000');
      clock.advance(1000);
    }
    await client.call('SET', 'k4', 'value');
    await client.call('GET', 'k1');
    clock.advance(1000);
    await overflowByOneKey();
    expect(await present([...KEYS, 'kx'])).toEqual(['k0', 'k1', 'k3', 'k4', 'kx']);
  });

  test('volatile-lfu evicts the least frequently used key with a TTL', async () => {
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu');
    await client.call('CONFIG', 'SET', 'lfu-log-factor', '0');
    await client.call('SET', 'k0', 'value');
    for (const key of ['k1', 'k2', 'k3']) await client.call('SET', key, 'value', 'EX', '1000');
    await client.call('SET', 'k4', 'value');
    for (const key of ['k1', 'k1', 'k3']) await client.call('GET', key);
    await overflowByOneKey();
    expect(await present([...KEYS, 'kx'])).toEqual(['k0', 'k1', 'k3', 'k4', 'kx']);
  });

  test('allkeys-random evicts until under the limit', async () => {
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
    for (const key of KEYS) await client.call('SET', key, 'value');
    await overflowByOneKey();
    expect(await present([...KEYS, 'kx'])).toHaveLength(5);
    expect(await info('evicted_keys')).toBe('1');
  });

  test('volatile-random evicts only keys with a TTL, then denies writes when none is left', async () => {
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-random');
    for (const key of KEYS) await client.call('SET', key, 'value');
    await client.call('SET', 'v1', 'value', 'EX', '100');
    await client.call('SET', 'v2', 'value', 'EX', '100');
    await client.call('CONFIG', 'SET', 'maxmemory', String((await usedMemory()) - 1));
    await client.call('PING');
    expect(await client.call('DBSIZE')).toBe(6);
    await client.call('CONFIG', 'SET', 'maxmemory', '1');
    expect(text(await client.call('SET', 'new', 'value'))).toBe(OOM);
    expect(await present(KEYS)).toEqual(KEYS);
    expect(await client.call('DBSIZE')).toBe(5);
    expect(await info('evicted_keys')).toBe('2');
    await client.call('CONFIG', 'RESETSTAT');
    expect(await info('evicted_keys')).toBe('0');
  });

  test('evicted keys raise the evicted keyspace event', async () => {
    const subscriber = await RawClient.connect(server.port);
    await client.call('CONFIG', 'SET', 'notify-keyspace-events', 'Ee');
    await subscriber.call('SUBSCRIBE', '__keyevent@0__:evicted');
    await client.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    await client.call('SET', 'old', 'value');
    clock.advance(1000);
    await client.call('SET', 'new', 'value');
    // no further command: lowering maxmemory below the usage evicts right after the CONFIG SET (Redis's
    // startEvictionTimeProc)
    await client.call('CONFIG', 'SET', 'maxmemory', String((await usedMemory()) - 1));
    expect(await subscriber.nextReply()).toEqual(
      Buffer.from('*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:evicted\r\n$3\r\nold\r\n', 'latin1'),
    );
    await subscriber.close();
  });

  test('under OOM, MULTI queues nothing and EXEC of denyoom commands aborts the transaction', async () => {
    await client.call('MULTI');
    await client.call('SET', 'a', 'b');
    const other = await RawClient.connect(server.port);
    await other.call('CONFIG', 'SET', 'maxmemory', '1');
    expect(text(await client.call('EXEC'))).toBe(`EXECABORT Transaction discarded because of: ${OOM}`);
    expect(text(await client.call('EXEC'))).toBe('ERR EXEC without MULTI');
    await client.call('MULTI');
    expect(text(await client.call('GET', 'a'))).toBe(OOM);
    expect(text(await client.call('EXEC'))).toBe('EXECABORT Transaction discarded because of previous errors.');
    await other.close();
  });
});

describe('scripts under OOM', () => {
  test('a script that started out of memory cannot run denyoom commands before its first write', async () => {
    await client.call('SET', 'k', 'v');
    await client.call('CONFIG', 'SET', 'maxmemory', '1');
    const script = "return redis.pcall('SET', KEYS[1], 'x')";
    expect(text(await client.call('EVAL', script, '1', 'k'))).toBe(OOM);
    expect(await client.call('EVAL', "return redis.call('GET', KEYS[1])", '1', 'k')).toBe('v');
    expect(await client.call('EVAL', "return redis.call('DEL', KEYS[1])", '1', 'k')).toBe(1);
    await client.call('CONFIG', 'SET', 'maxmemory', '0');
    expect((await client.callRaw('EVAL', script, '1', 'k')).toString('latin1')).toBe('+OK\r\n');
  });

  test('declared flags decide (as redis-server answers): a shebang script is refused up front unless no-writes or allow-oom; allow-oom writes', async () => {
    await client.call('SET', 'k', 'v');
    await client.call('CONFIG', 'SET', 'maxmemory', '1');
    expect(text(await client.call('EVAL', '#!lua\nreturn 1', '0'))).toBe(OOM);
    expect(await client.call('EVAL', '#!lua flags=no-writes\nreturn 1', '0')).toBe(1);
    expect((await client.callRaw('EVAL', "#!lua flags=allow-oom\nreturn redis.call('SET', KEYS[1], 'y')", '1', 'k')).toString('latin1')).toBe('+OK\r\n');
    await client.call('CONFIG', 'SET', 'maxmemory', '0');
    expect(await client.call('GET', 'k')).toBe('y');
  });
});
