/** This package's version, reported by INFO (mini_redis_version) and --version. */
export const VERSION = '0.1.0';
