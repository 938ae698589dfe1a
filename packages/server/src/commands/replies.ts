/** Shared constant replies, built once (redis/redis createSharedObjects). */
import { RawReply, SimpleString } from '@mini-redis/protocol';

export const OK = new RawReply(Buffer.from('+OK\r\n'));
export const QUEUED = new SimpleString('QUEUED');
