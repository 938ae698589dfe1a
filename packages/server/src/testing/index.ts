/**
 * @mini-redis/server/testing: a server per test file (or per test) for jest, mocha, vitest or node:test, flushed
 * between tests and closed at the end, plus typed data helpers and fault injection (see the package README,
 * "Testing with mini-redis").
 */
import { startServer, type MiniRedisServer, type ServerOptions } from '../server.js';

export { seed, snapshot, toBytes, fromBytes } from '../test-data.js';
export type { SeedOptions, SeedValue, SnapshotOptions, SnapshotValue } from '../test-data.js';
export type { FaultAction, FaultEntry, FaultRule } from '../faults.js';
export type { ExecutedCommand } from '../context.js';

/** The lifecycle hooks of a test framework (jest, mocha, vitest and node:test all have these names). */
export interface TestHooks {
  beforeAll(fn: () => Promise<void> | void): void;
  afterAll(fn: () => Promise<void> | void): void;
  beforeEach(fn: () => Promise<void> | void): void;
}

export interface UseServerOptions extends ServerOptions {
  /** 'each' (default): flush every database and clear fault rules before each test; 'none': keep data across tests. */
  readonly reset?: 'each' | 'none';
  /** The framework's hooks; default the globals `beforeAll`, `afterAll`, `beforeEach` (jest, mocha with `before`). */
  readonly hooks?: TestHooks;
}

/** What useServer gives: the running server (valid inside tests), its port and URL. */
export interface ServerHandle {
  readonly server: MiniRedisServer;
  readonly port: number;
  readonly url: string;
}

function globalHooks(): TestHooks {
  const scope = globalThis as Record<string, unknown>;
  const beforeAll = (scope['beforeAll'] ?? scope['before']) as TestHooks['beforeAll'] | undefined;
  const afterAll = (scope['afterAll'] ?? scope['after']) as TestHooks['afterAll'] | undefined;
  const beforeEach = scope['beforeEach'] as TestHooks['beforeEach'] | undefined;
  if (!beforeAll || !afterAll || !beforeEach) {
    throw new Error('useServer: no global beforeAll/afterAll/beforeEach; pass { hooks: { beforeAll, afterAll, beforeEach } }');
  }
  return { beforeAll, afterAll, beforeEach };
}

/**
 * Starts one server for the current file (port 0 unless given), resets it before each test, closes it after the
 * last. Read `handle.server`, `handle.port` or `handle.url` inside tests.
 */
export function useServer(options: UseServerOptions = {}): ServerHandle {
  const { reset = 'each', hooks = globalHooks(), ...serverOptions } = options;
  let current: MiniRedisServer | undefined;
  const get = (): MiniRedisServer => {
    if (current === undefined) throw new Error('useServer: the server is only available inside tests and hooks');
    return current;
  };
  hooks.beforeAll(async () => {
    current = await startServer({ port: 0, ...serverOptions });
  });
  hooks.beforeEach(() => {
    if (reset === 'each') resetServer(get());
  });
  hooks.afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    get server() {
      return get();
    },
    get port() {
      return get().port;
    },
    get url() {
      return get().url;
    },
  };
}

/** Empties every database and removes every fault rule. */
export function resetServer(server: MiniRedisServer): void {
  server.store.flushAll();
  server.faults.clear();
}
