/**
 * The servers every client test runs against: mini-redis started in-process, and Debian's redis-server started on
 * a free port. Families mini-redis does not implement yet are listed once, in MINI_REDIS_LACKS: tests of those
 * families run against redis-server only, and start running against mini-redis as soon as the entry is removed.
 */
import { startServer } from '@mini-redis/server';
import { startRedisServer } from './redis-process.js';

/** Command families, as the tests group them. */
export type Family =
  | 'strings'
  | 'keys'
  | 'transactions'
  | 'server'
  | 'lists'
  | 'hashes'
  | 'sets'
  | 'zsets'
  | 'streams'
  | 'pubsub'
  | 'scripting';

/** What mini-redis lacks today (being built in parallel). The one place to update. */
export const MINI_REDIS_LACKS: readonly Family[] = [];

/** A running server. `restart()` stops it and starts it again on the same port (empty). */
export interface RunningServer {
  readonly port: number;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it; `start()` brings it back on the same port. */
  kill(): Promise<void>;
  start(): Promise<void>;
}

export interface Target {
  readonly name: string;
  readonly families: ReadonlySet<Family>;
  start(): Promise<RunningServer>;
}

const ALL: Family[] = ['strings', 'keys', 'transactions', 'server', 'lists', 'hashes', 'sets', 'zsets', 'streams', 'pubsub', 'scripting'];

async function startMiniRedis(): Promise<RunningServer> {
  let server = await startServer({ port: 0 });
  const port = server.port;
  let running = true;
  const running$ = {
    port,
    async stop() {
      if (running) await server.close();
      running = false;
    },
    async kill() {
      await running$.stop();
    },
    async start() {
      server = await startServer({ port });
      running = true;
    },
    async restart() {
      await running$.kill();
      await running$.start();
    },
  };
  return running$;
}

async function startRedis(): Promise<RunningServer> {
  const args = ['--enable-debug-command', 'yes'];
  let process = await startRedisServer(args);
  const port = process.port;
  let running = true;
  const running$ = {
    port,
    async stop() {
      if (running) await process.stop();
      running = false;
    },
    async kill() {
      if (running) {
        process.child.kill('SIGKILL');
        await process.stop();
      }
      running = false;
    },
    async start() {
      process = await startRedisServer(args, [], port);
      running = true;
    },
    async restart() {
      await running$.kill();
      await running$.start();
    },
  };
  return running$;
}

export const targets: readonly Target[] = [
  { name: 'mini-redis', families: new Set(ALL.filter((family) => !MINI_REDIS_LACKS.includes(family))), start: startMiniRedis },
  { name: 'redis-server', families: new Set(ALL), start: startRedis },
];

/** The targets that implement every family in `families`. */
export function targetsFor(...families: Family[]): Target[] {
  return targets.filter((target) => families.every((family) => target.families.has(family)));
}
