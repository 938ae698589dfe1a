// @mini-redis/client: a typed Promise client for mini-redis and Redis (auto-pipelining, timeouts, reconnects).
export { createClient, RedisClient, type CommandOptions, type ScanOptions } from './client.js';
export { Pipeline, Multi, type Settled, type BatchOptions } from './batch.js';
export type { ClientOptions, ResolvedOptions } from './options.js';
export { defaultReconnectStrategy } from './options.js';
export type { Arg, CommandMethods, Str } from './command-table.js';
export type { RedisReply } from './reply.js';
export type { MessageHandler } from './pubsub.js';
export {
  ConnectionClosedError,
  CrossSlotError,
  ExecAbortError,
  RedisClientError,
  ReplyError,
  TimeoutError,
  WatchError,
} from './errors.js';
export {
  createCluster,
  RedisCluster,
  ClusterPipeline,
  type ClusterOptions,
  type NodeAddress,
} from './cluster/cluster.js';
export { keySlot } from './cluster/slot.js';
