// Shared constant replies, encoded once per protocol (like createSharedObjects() in Redis's server.c).
import { RawReply } from './values.js';

const raw = (resp2: string, resp3: string = resp2): RawReply =>
  new RawReply(Buffer.from(resp2, 'latin1'), Buffer.from(resp3, 'latin1'));

/** `+OK`. */
export const OK: RawReply = raw('+OK\r\n');
/** `+QUEUED`. */
export const QUEUED: RawReply = raw('+QUEUED\r\n');
/** `+PONG`. */
export const PONG: RawReply = raw('+PONG\r\n');
/** `*0`. */
export const EMPTY_ARRAY: RawReply = raw('*0\r\n');
/** `$0` (the empty bulk string). */
export const EMPTY_BULK: RawReply = raw('$0\r\n\r\n');
/** `:0`. */
export const ZERO: RawReply = raw(':0\r\n');
/** `:1`. */
export const ONE: RawReply = raw(':1\r\n');
/** `:-1`. */
export const MINUS_ONE: RawReply = raw(':-1\r\n');
/** `:-2`. */
export const MINUS_TWO: RawReply = raw(':-2\r\n');
/** The null bulk string: RESP2 `$-1`, RESP3 `_`. */
export const NULL_BULK: RawReply = raw('$-1\r\n', '_\r\n');
/** The null array: RESP2 `*-1`, RESP3 `_`. */
export const NULL_ARRAY_REPLY: RawReply = raw('*-1\r\n', '_\r\n');
/** The empty map: RESP2 `*0`, RESP3 `%0`. */
export const EMPTY_MAP: RawReply = raw('*0\r\n', '%0\r\n');
/** The empty set: RESP2 `*0`, RESP3 `~0`. */
export const EMPTY_SET: RawReply = raw('*0\r\n', '~0\r\n');
