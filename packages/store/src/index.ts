/** @mini-redis/store: the storage engine contract and the in-memory Map backend. */
export type * from './types.js';
