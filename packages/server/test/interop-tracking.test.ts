/**
 * node-redis's client-side cache (RESP3, CLIENT TRACKING ON, `invalidate` pushes) against our server: a cached GET
 * is answered locally until another client's write invalidates it; a FLUSHALL empties the cache.
 */
import { BasicClientSideCache, createClient } from 'redis';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer } from './helpers.js';

let server: MiniRedisServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

test('node-redis clientSideCache: hits, invalidation by another client, flush', async () => {
  const url = `redis://127.0.0.1:${server.port}`;
  const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0, evictPolicy: 'LRU' });
  const cached = createClient({ url, RESP: 3, clientSideCache: cache });
  const writer = createClient({ url });
  await Promise.all([cached.connect(), writer.connect()]);
  try {
    await writer.set('k', 'one');
    expect(await cached.get('k')).toBe('one');
    expect(await cached.get('k')).toBe('one');
    expect(cache.stats().hitCount).toBe(1);
    expect(cache.stats().missCount).toBe(1);
    expect(cache.size()).toBe(1);
    const info = String(await writer.sendCommand(['INFO', 'stats']));
    expect(info).toContain('tracking_total_keys:1\r\n');

    await writer.set('k', 'two');
    await until(() => cache.size() === 0);
    expect(await cached.get('k')).toBe('two');
    expect(await cached.get('k')).toBe('two');
    expect(cache.stats().hitCount).toBe(2);

    await cached.hSet('h', 'f', 'v');
    expect(await cached.hGetAll('h')).toEqual({ f: 'v' });
    expect(cache.size()).toBe(2);
    await writer.flushAll();
    await until(() => cache.size() === 0);
    expect(await cached.get('k')).toBe(null);
  } finally {
    cached.destroy();
    writer.destroy();
  }
});
