/**
 * Side-by-side helpers: Debian's real redis-server next to an in-process mini-redis, one raw connection to each, and
 * a check that a list of commands gets the same reply bytes from both. Also the shared seed of one key of every
 * type, built through the store on our side (list/hash/set/zset commands are not there yet) and through commands on
 * Redis's.
 */
import type { MiniRedisServer } from '@mini-redis/server';
import { createList, createSortedSet } from '@mini-redis/store';
import { expect } from 'vitest';
import { RawClient, startTestServer, type Command } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

/** A real redis-server and ours, each with one connection. */
export interface SideBySide {
  readonly redis: RedisProcess;
  readonly server: MiniRedisServer;
  readonly real: RawClient;
  readonly mine: RawClient;
  /** Pipelines the commands to both and expects the same reply bytes, command by command. */
  same(commands: Command[]): Promise<void>;
  close(): Promise<void>;
}

export async function startSideBySide(): Promise<SideBySide> {
  const redis = await startRedisServer();
  const server = await startTestServer();
  const real = await RawClient.connect(redis.port);
  const mine = await RawClient.connect(server.port);
  return {
    redis,
    server,
    real,
    mine,
    async same(commands) {
      const [expected, actual] = await Promise.all([real.pipelineRaw(commands), mine.pipelineRaw(commands)]);
      commands.forEach((command, index) => {
        expect(actual[index]!.toString('latin1'), command.join(' ')).toBe(expected[index]!.toString('latin1'));
      });
    },
    async close() {
      await real.close();
      await mine.close();
      await server.close();
      await redis.stop();
    },
  };
}

/** One key of every type, as commands for a real redis-server (after FLUSHALL). */
export const SEED_COMMANDS: string[][] = [
  ['SET', 's', 'hello world'],
  ['SET', 'n', '10'],
  ['SET', 'b', '\x00\x01\x02\xff'],
  ['RPUSH', 'l', 'a', 'b', 'c'],
  ['HSET', 'h', 'f', 'v', 'n', '1'],
  ['SADD', 'S', 'a', 'b'],
  ['ZADD', 'z', '1', 'a', '2.5', 'b'],
  ['SET', 'e', 'ttl', 'EX', '100000'],
];

/** The same keys as SEED_COMMANDS, written straight into our store's database 0 after flushing every database. */
export function seedEveryType(server: MiniRedisServer): void {
  server.store.flushAll();
  const db = server.store.db(0);
  db.set('s', 'hello world');
  db.set('n', '10');
  db.set('b', '\x00\x01\x02\xff');
  db.set('l', createList(['a', 'b', 'c']));
  db.set('h', new Map([['f', 'v'], ['n', '1']]));
  db.set('S', new Set(['a', 'b']));
  const zset = createSortedSet();
  zset.add('a', 1);
  zset.add('b', 2.5);
  db.set('z', zset);
  db.set('e', 'ttl', { expireAt: server.clock.now() + 100_000_000 });
}
