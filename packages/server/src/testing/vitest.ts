/**
 * @mini-redis/server/vitest: a vitest fixture. `redis` is a server started for the test (port 0) and closed after
 * it; tests that do not use the fixture start nothing.
 *
 *   import { test } from '@mini-redis/server/vitest';
 *   test('counts', async ({ redis }) => { ... redis.url ... });
 */
import { test as base } from 'vitest';
import { startServer, type MiniRedisServer } from '../server.js';

export const test = base.extend<{ redis: MiniRedisServer }>({
  redis: async ({}, use) => {
    const server = await startServer({ port: 0 });
    try {
      await use(server);
    } finally {
      await server.close();
    }
  },
});
export { test as it };
