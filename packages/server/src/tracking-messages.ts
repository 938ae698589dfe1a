// Tracking's invalidation messages (tracking.c sendTrackingMessage): the RESP3 `invalidate` push, or the RESP2
// `message` on `__redis__:invalidate` for a redirect client in pub/sub mode, with an array of keys or a null.
import { RawReply } from '@mini-redis/protocol';
import type { CommandContext } from './context.js';

const INVALIDATE_PUSH = Buffer.from('>2\r\n$10\r\ninvalidate\r\n', 'latin1');
const INVALIDATE_MESSAGE = Buffer.from('*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n', 'latin1');
export const NULL2 = Buffer.from('$-1\r\n', 'latin1');
export const NULL3 = Buffer.from('_\r\n', 'latin1');

/** `*N $len key...` for keys (sorted as Redis's radix tree returns them). */
export function keysArray(keys: readonly string[]): Buffer {
  let text = `*${keys.length}\r\n`;
  for (const key of keys) text += `$${Buffer.byteLength(key, 'latin1')}\r\n${key}\r\n`;
  return Buffer.from(text, 'latin1');
}

export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}


/**
 * The invalidation for `target` (the tracking client, or its REDIRECT client when `redirected`) with `body` (an array of
 * keys or a null), or undefined when it cannot take one (RESP2 and not in pub/sub mode).
 */
export function invalidationMessage(target: CommandContext, redirected: boolean, body: Buffer): RawReply | undefined {
  if (target.protocol === 3) return new RawReply(Buffer.concat([INVALIDATE_PUSH, body]));
  if (redirected && target.subscriptions !== undefined) return new RawReply(Buffer.concat([INVALIDATE_MESSAGE, body]));
  return undefined;
}

/** The RESP3 push telling a tracking client that its REDIRECT client is gone. */
export function brokenRedirectPush(redirect: number): RawReply {
  return new RawReply(Buffer.from(`>2\r\n$21\r\ntracking-redir-broken\r\n:${redirect}\r\n`, 'latin1'));
}
