/**
 * The bundles the bin and the package entries run (scripts/bundle-cli.mjs, scripts/bundle-lib.mjs): their V8 code
 * caches are accepted by this Node (a build that stopped making them, or made them for another bundle, would only be
 * slower, so nothing else would notice), and the entries hand out one server class and the store package's own modules.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import * as main from '@mini-redis/server';
import * as testing from '@mini-redis/server/testing';
import { MapStore, typeOf } from '@mini-redis/store';
import { describe, expect, test } from 'vitest';
import { RawClient } from './helpers.js';

const dist = (name: string) => fileURLToPath(new URL(`../dist/${name}`, import.meta.url));

describe('bundles run with their code cache', () => {
  for (const name of ['mini-redis-server', 'library']) {
    test(`${name}.bundle.cjs: the cache is accepted`, () => {
      const filename = dist(`${name}.bundle.cjs`);
      const source = readFileSync(filename).toString('latin1');
      const script = new Script(source, { filename, cachedData: readFileSync(dist(`${name}.bundle.cache`)) });
      expect(script.cachedDataRejected).toBe(false);
      // Wrapped as Node's CommonJS loader wraps a module: the script's value is the module function.
      expect(typeof script.runInThisContext()).toBe('function');
    });
  }
});

describe('package entries', () => {
  test('export what tsc built, from one bundle', () => {
    expect(Object.keys(main).sort()).toEqual(['MiniRedisServer', 'REDIS_VERSION', 'VERSION', 'startServer']);
    expect(Object.keys(testing).sort()).toEqual(['fromBytes', 'resetServer', 'seed', 'snapshot', 'toBytes', 'useServer']);
    expect(main.VERSION).toBe(JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')).version);
  });

  test("a store from @mini-redis/store is the server's store, and holds the server's values", async () => {
    const store = new MapStore();
    const server = await main.startServer({ port: 0, store });
    try {
      expect(server.store).toBe(store);
      const client = await RawClient.connect(server.port);
      expect((await client.callRaw('RPUSH', 'queue', 'job')).toString()).toBe(':1\r\n');
      await client.close();
      const value = store.db(0).get('queue');
      expect(value === undefined ? undefined : typeOf(value)).toBe('list');
      testing.resetServer(server);
      expect(store.db(0).get('queue')).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
