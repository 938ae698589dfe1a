/** This package's version (INFO mini_redis_version, --version) and the Redis version it answers as. */
export const VERSION = '0.1.0';
/** The Redis release whose behaviour this server reproduces (HELLO, INFO redis_version, redis.REDIS_VERSION). */
export const REDIS_VERSION = '7.0.15';
