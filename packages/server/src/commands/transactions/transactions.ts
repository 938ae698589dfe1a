/**
 * Transactions: MULTI queues commands, EXEC runs them back to back (nothing interleaves: the queue runs
 * synchronously), DISCARD drops them, WATCH makes EXEC fail when a watched key changed.
 */
import { ErrorReply, NULL_ARRAY, OK, type RespValue } from '@mini-redis/protocol';
import type { CommandContext, CommandSpec } from '../../context.js';
import { call } from '../dispatch.js';
import { fail } from '../errors.js';

function multi(ctx: CommandContext): RespValue {
  if (ctx.multi !== undefined) fail('ERR MULTI calls can not be nested');
  ctx.multi = [];
  ctx.multiError = false;
  return OK;
}

function endTransaction(ctx: CommandContext): void {
  ctx.multi = undefined;
  ctx.multiError = false;
  ctx.server.watches.unwatchAll(ctx);
}

function exec(ctx: CommandContext): RespValue {
  const queued = ctx.multi;
  if (queued === undefined) fail('ERR EXEC without MULTI');
  if (ctx.multiError) {
    endTransaction(ctx);
    fail('EXECABORT Transaction discarded because of previous errors.');
  }
  ctx.server.watches.checkExpired(ctx);
  if (ctx.watchDirty) {
    endTransaction(ctx);
    return NULL_ARRAY;
  }
  endTransaction(ctx);
  const replies: RespValue[] = new Array(queued.length);
  // Blocking commands act once without blocking inside EXEC (CLIENT_DENY_BLOCKING), so nothing here is asynchronous.
  ctx.denyBlocking = true;
  try {
    for (let i = 0; i < queued.length; i++) {
      const { spec, args } = queued[i]!;
      const reply = call(ctx, spec, args);
      replies[i] = reply instanceof Promise ? new ErrorReply('ERR command not allowed inside a transaction') : reply;
    }
  } finally {
    ctx.denyBlocking = false;
  }
  return replies;
}

function discard(ctx: CommandContext): RespValue {
  if (ctx.multi === undefined) fail('ERR DISCARD without MULTI');
  endTransaction(ctx);
  return OK;
}

function watch(ctx: CommandContext, args: string[]): RespValue {
  if (ctx.multi !== undefined) fail('ERR WATCH inside MULTI is not allowed');
  for (let i = 1; i < args.length; i++) ctx.server.watches.watch(ctx, args[i]!);
  return OK;
}

function unwatch(ctx: CommandContext): RespValue {
  ctx.server.watches.unwatchAll(ctx);
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
