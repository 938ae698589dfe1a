/**
 * @mini-redis/server: a Redis-compatible server to embed in-process (tests, apps) or to run as mini-redis-server.
 */
export { MiniRedisServer, startServer, type ServerOptions } from './server.js';
export { Client } from './client.js';
export { Config, type ConfigInit } from './config.js';
export { CommandTable } from './commands/table.js';
export type { CommandSpec, CommandFlag, Handler, Reply } from './commands/types.js';
export { matchGlob } from './glob.js';
export { formatDouble, parseInteger, parseFloatStrict } from './format.js';
export { parseArguments, parseConfigFile } from './cli-options.js';
