/**
 * @mini-redis/server: a Redis-compatible server to embed in-process (tests, apps) or to run as mini-redis-server.
 */
export { MiniRedisServer, startServer, type ServerOptions } from './server.js';
export type { Config, ConfigInit } from './config.js';
export { VERSION, REDIS_VERSION } from './version.js';
export type { FaultAction, FaultEntry, FaultRule, FaultRegistry } from './faults.js';
export type { ExecutedCommand } from './context.js';
export type { SeedOptions, SeedValue, SnapshotOptions, SnapshotValue } from './test-data.js';
