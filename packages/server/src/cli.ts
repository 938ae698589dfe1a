#!/usr/bin/env node
/**
 * mini-redis-server: runs the server with redis-server's argument conventions. The only module with side effects.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArguments, parseConfigFile, type Directives } from './cli-options.js';
import { REDIS_VERSION, VERSION } from './version.js';
import { MiniRedisServer } from './server.js';


const usage = `Usage: mini-redis-server [/path/to/redis.conf] [options]
       mini-redis-server -v or --version
       mini-redis-server -h or --help

Examples:
       mini-redis-server (run the server with the default configuration: in-memory, 127.0.0.1:6379)
       mini-redis-server --port 7777
       mini-redis-server /etc/redis/6379.conf --requirepass secret --databases 16`;

function main(): void {
  let line;
  try {
    line = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    console.error(usage);
    process.exit(1);
  }
  if (line.help) {
    console.log(usage);
    return;
  }
  if (line.version) {
    console.log(`mini-redis-server v=${VERSION} redis_version=${REDIS_VERSION}`);
    return;
  }
  const directives: Directives = [];
  if (line.configFile !== undefined) directives.push(...parseConfigFile(readFileSync(line.configFile, 'utf8')));
  directives.push(...line.directives);
  const config: Record<string, string> = {};
  for (const [name, value] of directives) config[name] = value;
  const { port, bind, databases, requirepass, 'enable-fault-injection': faults, ...rest } = config;
  if (faults !== undefined && faults !== 'yes' && faults !== 'no') {
    console.error(`*** FATAL CONFIG ERROR *** enable-fault-injection must be 'yes' or 'no'`);
    process.exit(1);
  }
  let server: MiniRedisServer;
  try {
    server = new MiniRedisServer({
      port: port === undefined ? 6379 : Number(port),
      host: bind === undefined ? '127.0.0.1' : bind.split(' ')[0]!,
      databases: databases === undefined ? 16 : Number(databases),
      ...(requirepass !== undefined ? { requirepass } : {}),
      config: rest,
      faultInjection: faults === 'yes',
      log: (text) => console.log(text),
    });
  } catch (error) {
    console.error(`*** FATAL CONFIG ERROR *** ${(error as Error).message}`);
    process.exit(1);
  }
  if (line.configFile !== undefined) server.config.configFile = resolve(line.configFile);
  server.listen().then(
    ({ port: boundPort, host }) => {
      console.log(`${process.pid}:M * mini-redis ${VERSION} (redis ${REDIS_VERSION} compatible) ready to accept connections tcp on ${host}:${boundPort}`);
    },
    (error: Error) => {
      console.error(`# Failed listening: ${error.message}`);
      process.exit(1);
    },
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${process.pid}:M # Received ${signal}, shutting down.`);
    server.close().then(() => {
      console.log(`${process.pid}:M # mini-redis is now ready to exit, bye bye...`);
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  server.onShutdown = () => stop('SHUTDOWN');
}

main();
