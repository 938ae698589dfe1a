/** This package's version (INFO mini_redis_version, --version) and the Redis version it answers as. */
import { readFileSync } from 'node:fs';

/** The version in this package's package.json (read from the installed package, next to dist/). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The Redis release whose behaviour this server reproduces (HELLO, INFO redis_version, redis.REDIS_VERSION). */
export const REDIS_VERSION = '7.0.15';
