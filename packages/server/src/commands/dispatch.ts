/**
 * The dispatcher: one request in, one reply out. Lookup, then the checks in Redis's order (processCommand: command
 * and subcommand existence, arity, authentication, MULTI restrictions), then MULTI queueing, then the call with its
 * bookkeeping (MONITOR feed, slow log). It returns the reply for the caller to write; it never touches a socket.
 */
import { ErrorReply, QUEUED, type RespValue, SimpleString } from '@mini-redis/protocol';
import { WrongTypeError } from '@mini-redis/store';
import type { CommandContext, CommandFlag, CommandSpec, KeyReads, Reply } from '../context.js';
import { OOM_ERROR } from '../eviction.js';
import { ConnectionFault } from '../faults.js';
import { cString } from './errors.js';
import { rulesOf } from './table.js';

const UNKNOWN_ARGS_LIMIT = 128;

/** What the connection gets back: a reply to write, or (fault injection) something to do instead. */
export type Outcome = Reply | ConnectionFault;
/** What a RESP2 client in pub/sub mode may still run. */
const PUBSUB_CONTEXT = new Set([
  'ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset',
]);

/**
 * Runs one request of a client and returns its reply (a promise only when the command went asynchronous: the
 * connection then waits before running the client's next command). A rejected command inside MULTI makes EXEC fail
 * with EXECABORT.
 */
export function dispatch(ctx: CommandContext, args: string[]): Outcome | Promise<Outcome> {
  const server = ctx.server;
  server.stats.commandsProcessed++;
  const spec = server.commands.lookup(args[0]!);
  let target = spec;
  let error: string | undefined;
  if (spec === undefined) {
    error = unknownCommand(args);
  } else {
    if (spec.subcommands !== undefined && args.length > 1) {
      target = server.commands.lookupSubcommand(spec, args[1]!);
      if (target === undefined) {
        error = `ERR unknown subcommand '${cString(args[1]!)}'. Try ${spec.name.toUpperCase()} HELP.`;
      }
    }
    if (target !== undefined) {
      const arity = target.arity;
      if ((arity > 0 && args.length !== arity) || args.length < -arity) {
        error = `ERR wrong number of arguments for '${server.commands.fullName(target)}' command`;
      } else if (!ctx.authenticated && !target.flags.includes('no_auth')) {
        error = 'NOAUTH Authentication required.';
      } else if (ctx.multi !== undefined && target.flags.includes('no_multi')) {
        error = 'ERR Command not allowed inside a transaction';
      } else if (server.busyScript !== undefined && !target.flags.includes('allow_busy')) {
        error = server.busyScript;
      } else if (ctx.subscriptions !== undefined && ctx.protocol === 2 && !PUBSUB_CONTEXT.has(target.name)) {
        error =
          `ERR Can't execute '${server.commands.fullName(target)}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / ` +
          'QUIT / RESET are allowed in this context';
      } else if (server.eviction !== undefined && server.eviction.maxmemory !== 0 && server.eviction.outOfMemory()) {
        error = oomRejection(ctx, target, args);
      }
    }
  }
  // Redis sets the client's last command at lookup (CLIENT LIST cmd=), queued or postponed commands included; its
  // arguments stay on the client while the command runs or is blocked (argv-mem, qbuf).
  ctx.lastCommand = target;
  ctx.currentArgs = args;
  if (error !== undefined) {
    // resetClient: CLIENT CACHING's flag lasts for one command (outside MULTI); CLIENT itself keeps it.
    if (ctx.tracking?.caching === true && ctx.multi === undefined && spec?.name !== 'client') ctx.tracking.caching = false;
    if (ctx.multi !== undefined) ctx.multiError = true;
    if (target?.name === 'exec') {
      // rejectCommand on EXEC (arity, BUSY, OOM...): execCommandAbort discards the transaction, in MULTI or not. The
      // texts Redis formats itself (arity, pub/sub context) carry no ERR code there.
      ctx.multi = undefined;
      ctx.multiError = false;
      server.watches.unwatchAll(ctx);
      error = `EXECABORT Transaction discarded because of: ${error.startsWith('ERR ') ? error.slice(4) : error}`;
    }
    // rejectCommand: counted for the command when it was found (arity, NOAUTH...), and by error code
    server.stats.countError(error);
    if (target?.stats !== undefined) target.stats.rejected++;
    server.stats.errorMark = server.stats.errorReplies;
    return new ErrorReply(error);
  }
  if (server.pause.type !== 'none' && server.pause.covers(maybeReplicates(ctx, target!, args))) {
    // Postponed (BLOCKED_POSTPONE): the whole dispatch runs again once the pause ends.
    server.stats.commandsProcessed--;
    return server.pause.postpone().then(() =>
      // A client that went away meanwhile runs nothing.
      (ctx.connection !== undefined && !server.clients.has(ctx.id) ? null : dispatch(ctx, args)));
  }
  if (server.tracking.clientCount > 0) server.tracking.limit();
  if (ctx.multi !== undefined && !isTransactionControl(target!.name)) {
    ctx.multi.push({ spec: target!, args });
    return QUEUED;
  }
  const tracking = server.tracking;
  tracking.current = ctx;
  let reply: Outcome | Promise<Outcome>;
  try {
    reply = server.faults.active ? callWithFault(ctx, target!, args) : call(ctx, target!, args);
  } finally {
    tracking.current = undefined;
  }
  if (ctx.tracking?.caching === true && ctx.multi === undefined && spec!.name !== 'client') ctx.tracking.caching = false;
  // Keys this command (or the EXEC or script it ran) made ready serve their blocked clients now, as Redis does after
  // each command (handleClientsBlockedOnKeys).
  if (server.blocking.hasReady) server.blocking.handleReady();
  return reply;
}

/**
 * Runs a command whose checks passed (`spec` is the resolved command or subcommand) and returns its reply; thrown
 * errors become error replies. Used by dispatch and by EXEC and scripts for their commands. Timing: see
 * command-timer.ts.
 */
export function call(ctx: CommandContext, spec: CommandSpec, args: string[]): Reply | Promise<Reply> {
  const run = spec.run;
  const server = ctx.server;
  // CLIENT NO-TOUCH: reads leave access times alone, except for TOUCH itself.
  const noTouch = ctx.noTouch && spec.name !== 'touch';
  const store = server.store;
  if (store.noTouch !== noTouch) store.noTouch = noTouch;
  if (run === undefined) return new ErrorReply(`ERR unknown subcommand. Try ${server.commands.fullName(spec).toUpperCase()} HELP.`);
  // MONITOR: scripts are shown before the commands they run; other commands after they ran (their database then),
  // except admin and skip_monitor ones, with passwords redacted.
  if (server.monitors.size > 0 && SCRIPT_CALLS.has(spec.name)) feedMonitors(ctx, args);
  const stats = server.stats;
  const rules = spec.derived ?? rulesOf(spec);
  const readKeys = rules.readKeys;
  // lookupKeyRead's hits and misses, as the keys are before the run (counted unless the command fails first)
  let hits = 0;
  let misses = 0;
  if (readKeys !== undefined && readKeys !== 'self') {
    const db = ctx.db;
    const single = readKeys.single;
    if (single !== undefined) {
      const key = args[single];
      if (key !== undefined) {
        if (db.has(key)) hits = 1;
        else {
          misses = 1;
          if (server.notifyEnabled('m') && !NO_MISS_EVENTS.has(spec.name)) server.notify('m', 'keymiss', key, db.index);
        }
      }
    } else {
      const missEvents = server.notifyEnabled('m') && !NO_MISS_EVENTS.has(spec.name);
      for (const key of readKeys.keys(args)) {
        if (db.has(key)) hits++;
        else {
          misses++;
          // lookupKeyRead's 'm' (keymiss) event, for every key read (the 'self' string commands send theirs)
          if (missEvents) server.notify('m', 'keymiss', key, db.index);
        }
      }
    }
  }
  const dirtyDest = rules.dirtyDest;
  const destExisted = dirtyDest !== undefined && args.length > dirtyDest && ctx.db.has(args[dirtyDest]!);
  const timer = server.timer;
  const inBatch = timer.owner !== undefined && timer.depth === 0;
  // A batch-timed command of the open batch reads no clock; another one starts where the previous segment ended.
  const deferred = inBatch && spec.batchTimed === true && timer.owner === ctx;
  const start = deferred ? 0 : inBatch ? timer.settle() : performance.now();
  let reply: Reply | Promise<Reply>;
  let thrown = false;
  timer.depth++;
  try {
    reply = run(ctx, args);
  } catch (error) {
    reply = toErrorReply(error);
    thrown = true;
  } finally {
    timer.depth--;
    if (server.tracking.clientCount > 0 && spec.flags.includes('readonly')) rememberKeys(ctx, spec, args);
    if (server.monitors.size > 0 && !spec.flags.includes('skip_monitor') && !spec.flags.includes('admin')) {
      feedMonitors(ctx, redacted(spec, args));
    }
  }
  const counters = spec.stats;
  if (counters !== undefined) counters.calls++;
  if (thrown) {
    const error = reply as RespValue;
    if (readKeys === 'self') {
      // the lookup found the key (a self-counting string command reads one key)
      if (error instanceof ErrorReply && error.message.startsWith('WRONGTYPE')) stats.keyspaceHits++;
    } else if (hits + misses > 0 && error instanceof ErrorReply) countFailedReads(ctx, readKeys, args, error, hits, misses);
    if (deferred) timer.defer(ctx, spec, args);
    else finishTiming(ctx, spec, args, start, inBatch);
    afterReply(ctx, spec, error);
    return error;
  }
  const dirty = rules.dirty;
  if (dirty !== undefined && !(reply instanceof ErrorReply) && !(reply instanceof Promise)) stats.dirty += dirty(args, reply, destExisted);
  if (hits + misses > 0) {
    if (!(reply instanceof ErrorReply)) {
      stats.keyspaceHits += hits;
      stats.keyspaceMisses += misses;
    } else countFailedReads(ctx, readKeys as KeyReads, args, reply, hits, misses);
  }
  // A command that went asynchronous here but runs synchronously in Redis (DEBUG SLEEP, a long script) is timed to
  // its end, as Redis times it.
  // A command that blocked (BLPOP, XREAD BLOCK, WAIT...: waiting in the registry): its run counts in commandstats
  // now; the latency histogram and the slow log get its run plus serving once a key serves it, and nothing when the
  // wait ends otherwise (timeout, CLIENT UNBLOCK), as Redis's updateStatsOnUnblock.
  const blocked = !deferred && reply instanceof Promise && server.blocking.isBlocked(ctx);
  const timedToEnd = !deferred && reply instanceof Promise && !blocked;
  let runMs = 0;
  if (deferred) timer.defer(ctx, spec, args);
  else if (timedToEnd) {
    if (inBatch) timer.start = performance.now();
  } else if (blocked) {
    const end = performance.now();
    if (inBatch) timer.start = end;
    runMs = end - start;
    if (spec.stats !== undefined) spec.stats.usec += Math.floor(runMs * 1000);
  } else finishTiming(ctx, spec, args, start, inBatch);
  if (server.commandListeners.size > 0) observe(ctx, spec, args);
  if (reply instanceof Promise) {
    return reply.catch(toErrorReply).then((value) => {
      if (timedToEnd) recordDuration(ctx, spec, args, performance.now() - start);
      else if (blocked) {
        const servedMs = server.blocking.takeServedMs(ctx);
        if (servedMs !== undefined) {
          if (spec.stats !== undefined) spec.stats.usec += Math.floor(servedMs * 1000);
          recordDuration(ctx, spec, args, runMs + servedMs, false);
        }
      }
      afterReply(ctx, spec, value);
      return value;
    });
  }
  if (reply instanceof ErrorReply || stats.errorReplies !== stats.errorMark) afterReply(ctx, spec, reply);
  return reply;
}

/** The end of an exactly timed command: one clock reading; inside a batch it also starts the next segment. */
function finishTiming(ctx: CommandContext, spec: CommandSpec, args: readonly string[], start: number, inBatch: boolean): void {
  const end = performance.now();
  if (inBatch) ctx.server.timer.start = end;
  recordDuration(ctx, spec, args, end - start);
}

/**
 * A command's measured time (ms): commandstats usec (unless `countUsec` is false: already counted), the latency
 * histogram, and the slow log when it reached slowlog-log-slower-than (checked after the run, as Redis does: a CONFIG
 * SET that disables the log is not logged itself).
 */
export function recordDuration(ctx: CommandContext, spec: CommandSpec, args: readonly string[], ms: number, countUsec = true): void {
  const usec = Math.floor(ms * 1000);
  const counters = spec.stats;
  if (counters !== undefined) {
    if (countUsec) counters.usec += usec;
    ctx.server.latency.record(counters, ms);
  }
  const slowlog = ctx.server.slowlog;
  if (slowlog.threshold >= 0 && usec >= slowlog.threshold && !spec.flags.includes('skip_slowlog')) {
    slowlog.record(args, usec, ctx.server.clock.now(), ctx.connection?.address ?? '', ctx.name);
  }
}

/**
 * keyspace_hits/misses of a command that failed: after WRONGTYPE, the keys up to the first one of a type the command
 * does not take; after another error, all of them when the command looks its keys up first, else none.
 */
function countFailedReads(
  ctx: CommandContext, reads: KeyReads | undefined, args: string[], reply: ErrorReply, hits: number, misses: number,
): void {
  if (reads === undefined) return;
  const stats = ctx.server.stats;
  if (reply.message.startsWith('WRONGTYPE')) {
    const db = ctx.db;
    for (const key of reads.keys(args)) {
      const type = db.type(key);
      if (type === undefined) stats.keyspaceMisses++;
      else {
        stats.keyspaceHits++;
        if (!reads.types.has(type)) return;
      }
    }
  } else if (reads.early) {
    stats.keyspaceHits += hits;
    stats.keyspaceMisses += misses;
  }
}

/**
 * afterErrorReply and incrCommandStatsOnError: an error reply is counted by its code, and a command failed when
 * errors were replied since the previous command finished (so EXEC is not failed by the errors of its commands).
 */
function afterReply(ctx: CommandContext, spec: CommandSpec, reply: Reply): void {
  const stats = ctx.server.stats;
  if (reply instanceof ErrorReply) stats.countError(reply.message);
  if (stats.errorReplies !== stats.errorMark) {
    if (spec.stats !== undefined) spec.stats.failed++;
    stats.errorMark = stats.errorReplies;
  }
}

/**
 * Client-side caching: a read-only command's keys are remembered for its client (a script's commands for the
 * script's caller; EVAL_RO and FCALL_RO themselves remember nothing).
 */
function rememberKeys(ctx: CommandContext, spec: CommandSpec, args: string[]): void {
  const name = spec.name;
  if (name === 'eval_ro' || name === 'evalsha_ro' || name === 'fcall_ro') return;
  const tracking = ctx.server.tracking;
  const caller = tracking.current ?? ctx;
  if (caller.tracking === undefined || caller.tracking.bcast) return;
  // Redis 7.0's trackingRememberKeys(caller) reads the keys of the caller's own command: a read inside a script
  // remembers the script's declared KEYS, not the key the read touched.
  const callerSpec = caller.lastCommand;
  if (caller !== ctx && callerSpec !== undefined && caller.currentArgs !== undefined) {
    tracking.rememberKeys(caller, callerSpec, caller.currentArgs);
  } else {
    tracking.rememberKeys(caller, spec, args);
  }
}

/** Runs a command under the fault rule that matches it, if any (see src/faults.ts). */
function callWithFault(ctx: CommandContext, spec: CommandSpec, args: string[]): Outcome | Promise<Outcome> {
  const server = ctx.server;
  const firstKey = spec.firstKey ? args[spec.firstKey] : undefined;
  const action = server.faults.match(server.commands.fullName(spec), firstKey, ctx.name);
  if (action === undefined) return call(ctx, spec, args);
  switch (action.type) {
    case 'error':
      return new ErrorReply(action.message);
    case 'close':
      return new ConnectionFault(action, undefined);
    case 'delay': {
      const reply = call(ctx, spec, args);
      return new Promise<Outcome>((resolve) => setTimeout(() => resolve(reply), action.ms));
    }
    default: {
      const reply = call(ctx, spec, args);
      if (reply instanceof Promise) return reply.then((value): Outcome => new ConnectionFault(action, value));
      return new ConnectionFault(action, reply);
    }
  }
}

/** Tells command listeners about a command that ran. */
function observe(ctx: CommandContext, spec: CommandSpec, args: string[]): void {
  const event = {
    name: ctx.server.commands.fullName(spec),
    args,
    db: ctx.db.index,
    clientId: ctx.id,
    clientName: ctx.name,
  };
  for (const listener of ctx.server.commandListeners) listener(event);
}

/** OBJECT's lookups (LOOKUP_NONOTIFY) count but report no keymiss event. */
const NO_MISS_EVENTS = new Set(['encoding', 'freq', 'idletime', 'refcount']);

const SCRIPT_CALLS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

/** redactClientCommandArgument: AUTH's password (and user), HELLO's AUTH credentials, as MONITOR shows them. */
function redacted(spec: CommandSpec, args: string[]): string[] {
  if (spec.name === 'auth') return args.length > 3 ? args : args.map((arg, i) => (i === 0 ? arg : '(redacted)'));
  if (spec.name === 'hello') {
    const out = [...args];
    for (let j = 2; j < args.length; j++) {
      const option = args[j]!.toLowerCase();
      if (option === 'auth' && j + 2 < args.length) {
        out[j + 1] = '(redacted)';
        out[j + 2] = '(redacted)';
        j += 2;
      } else if (option === 'setname' && j + 1 < args.length) {
        j++;
      } else {
        break;
      }
    }
    return out;
  }
  return args;
}

/** MONITOR: every command, as redis-server prints it. */
function feedMonitors(ctx: CommandContext, args: string[]): void {
  const server = ctx.server;
  const now = server.clock.now();
  const seconds = Math.floor(now / 1000);
  const micros = String((now % 1000) * 1000).padStart(6, '0');
  const address = ctx.connection ? ctx.connection.address : 'lua';
  let line = `${seconds}.${micros} [${ctx.db.index} ${address}]`;
  for (const arg of args) line += ` "${escapeMonitorArg(arg)}"`;
  const value = new SimpleString(line);
  for (const monitor of server.monitors) {
    if (monitor !== ctx) monitor.connection?.push(value);
  }
}

/** getCommandFlags: the spec's flags, or those of this invocation when they depend on it (scripts). */
function commandFlags(ctx: CommandContext, spec: CommandSpec, args: readonly string[]): readonly CommandFlag[] {
  return spec.flagsFor === undefined ? spec.flags : spec.flagsFor(spec, ctx, args);
}

/**
 * processCommand's OOM rule, once performEvictions failed: denyoom commands are rejected, and so is anything queued
 * in MULTI but EXEC, DISCARD, QUIT and RESET (EXEC only when a queued command is denyoom). Undefined: it may run.
 */
function oomRejection(ctx: CommandContext, spec: CommandSpec, args: readonly string[]): string | undefined {
  let reject = commandFlags(ctx, spec, args).includes('denyoom');
  const name = spec.name;
  if (name === 'exec') reject = ctx.multi?.some((queued) => queued.spec.flags.includes('denyoom')) ?? false;
  else if (ctx.multi !== undefined && name !== 'discard' && name !== 'quit' && name !== 'reset') reject = true;
  return reject ? OOM_ERROR : undefined;
}

/** processCommand's is_may_replicate_command: what CLIENT PAUSE WRITE holds back. */
function maybeReplicates(ctx: CommandContext, spec: CommandSpec, args: readonly string[]): boolean {
  const flags = commandFlags(ctx, spec, args);
  if (flags.includes('write') || flags.includes('may_replicate')) return true;
  if (spec.name === 'exec' && ctx.multi !== undefined) {
    return ctx.multi.some(({ spec: queued }) => queued.flags.includes('write') || queued.flags.includes('may_replicate'));
  }
  return false;
}

function isTransactionControl(name: string): boolean {
  return name === 'exec' || name === 'discard' || name === 'multi' || name === 'watch' || name === 'quit' || name === 'reset';
}

/** Converts a thrown error into the reply Redis would send. */
export function toErrorReply(error: unknown): RespValue {
  if (error instanceof ErrorReply) {
    // addReplyErrorFormat trims CR/LF from both ends of the text (the writer turns inner ones into spaces).
    const message = error.message;
    if (message.indexOf('\r') === -1 && message.indexOf('\n') === -1) return error;
    return new ErrorReply(message.replace(/^[\r\n]+|[\r\n]+$/g, ''));
  }
  if (WrongTypeError.isInstance(error)) return new ErrorReply((error as Error).message);
  // Anything else is a bug in a handler: the client gets a clear error, the server and other clients carry on.
  const message = error instanceof Error ? error.message : String(error);
  return new ErrorReply(`ERR internal error: ${message}`);
}

/** Redis's text for an unknown command: the name and the first args quoted, up to 128 chars of args. */
function unknownCommand(args: string[]): string {
  let listed = '';
  for (let i = 1; i < args.length && listed.length < UNKNOWN_ARGS_LIMIT; i++) {
    listed += `'${cString(args[i]!, UNKNOWN_ARGS_LIMIT - listed.length)}' `;
  }
  return `ERR unknown command '${cString(args[0]!)}', with args beginning with: ${listed}`;
}

/** sdscatrepr: printable bytes as they are, the rest escaped. */
export function escapeMonitorArg(arg: string): string {
  let out = '';
  for (let i = 0; i < arg.length; i++) {
    const code = arg.charCodeAt(i);
    switch (code) {
      case 92: out += '\\\\'; break;
      case 34: out += '\\"'; break;
      case 10: out += '\\n'; break;
      case 13: out += '\\r'; break;
      case 9: out += '\\t'; break;
      case 7: out += '\\a'; break;
      case 8: out += '\\b'; break;
      default:
        out += code >= 32 && code < 127 ? arg[i] : `\\x${code.toString(16).padStart(2, '0')}`;
    }
  }
  return out;
}
