/**
 * Transactions: MULTI queues commands, EXEC runs them back to back (nothing interleaves: the queue runs
 * synchronously), DISCARD drops them, WATCH makes EXEC fail when a watched key changed.
 */
import { ErrorReply, NULL_ARRAY, type RespValue } from '@mini-redis/protocol';
import type { Client } from '../client.js';
import { fail } from './errors.js';
import { OK } from './replies.js';
import type { CommandSpec } from './types.js';

function multi(client: Client): RespValue {
  if (client.multi !== undefined) fail('ERR MULTI calls can not be nested');
  client.multi = [];
  client.multiError = false;
  return OK;
}

function endTransaction(client: Client): void {
  client.multi = undefined;
  client.multiError = false;
  client.server.watches.unwatchAll(client);
}

function exec(client: Client): RespValue {
  const queued = client.multi;
  if (queued === undefined) fail('ERR EXEC without MULTI');
  if (client.multiError) {
    endTransaction(client);
    fail('EXECABORT Transaction discarded because of previous errors.');
  }
  client.server.watches.checkExpired(client);
  if (client.watchDirty) {
    endTransaction(client);
    return NULL_ARRAY;
  }
  endTransaction(client);
  const replies: RespValue[] = new Array(queued.length);
  for (let i = 0; i < queued.length; i++) {
    const { spec, args } = queued[i]!;
    const reply = client.server.call(client, spec, args);
    // Blocking commands behave as non-blocking inside MULTI, so nothing here is asynchronous.
    replies[i] = reply instanceof Promise ? new ErrorReply('ERR command not allowed inside a transaction') : reply;
  }
  return replies;
}

function discard(client: Client): RespValue {
  if (client.multi === undefined) fail('ERR DISCARD without MULTI');
  endTransaction(client);
  return OK;
}

function watch(client: Client, args: string[]): RespValue {
  if (client.multi !== undefined) fail('ERR WATCH inside MULTI is not allowed');
  for (let i = 1; i < args.length; i++) client.server.watches.watch(client, args[i]!);
  return OK;
}

function unwatch(client: Client): RespValue {
  client.server.watches.unwatchAll(client);
  return OK;
}

export const transactionCommands = [
  { name: 'multi', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], categories: ['fast', 'transaction'], run: multi },
  { name: 'exec', arity: 1, flags: ['noscript', 'loading', 'stale', 'skip_slowlog'], categories: ['slow', 'transaction'], run: exec },
  { name: 'discard', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], categories: ['fast', 'transaction'], run: discard },
  {
    name: 'watch', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], firstKey: 1, lastKey: -1, keyStep: 1,
    categories: ['fast', 'transaction'], run: watch,
  },
  { name: 'unwatch', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], categories: ['fast', 'transaction'], run: unwatch },
] as const satisfies readonly CommandSpec[];
