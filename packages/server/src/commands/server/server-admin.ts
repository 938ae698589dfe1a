/**
 * Server administration: INFO, CONFIG, CLIENT, DEBUG, MEMORY, SLOWLOG, LATENCY (each in an admin-* module), and
 * TIME, LASTSAVE, SAVE, BGSAVE, SHUTDOWN, MONITOR, ROLE.
 */
import { OK, type RespValue } from '@mini-redis/protocol';
import { systemClock } from '@mini-redis/store';
import type { CommandContext, CommandSpec } from '../../context.js';
import { clientCommand } from './admin-client.js';
import { configCommand } from './admin-config.js';
import { debugCommand } from './admin-debug.js';
import { info } from './admin-info.js';
import { memoryCommand } from './admin-memory.js';
import { latencyCommand, slowlogCommand } from './admin-slowlog.js';
import { fail, SYNTAX_ERROR } from '../errors.js';

/** Persistence has not landed: SAVE and BGSAVE say so rather than pretend a dump was written. */
const NO_PERSISTENCE = 'ERR persistence is not available: this server keeps data in memory only';

/** Commands Redis refuses inside MULTI (CMD_NO_MULTI): the transaction is then aborted at EXEC. */
function refuseInMulti(ctx: CommandContext): void {
  if (ctx.multi === undefined) return;
  ctx.multiError = true;
  fail('ERR Command not allowed inside a transaction');
}

/** TIME: [unix seconds, microseconds] as bulk strings, from the store clock. */
function time(ctx: CommandContext): RespValue {
  const clock = ctx.server.clock;
  // The system clock has microseconds to give (as Redis's ustime); an injected clock has its milliseconds only.
  const micros = clock === systemClock ? Math.floor((performance.timeOrigin + performance.now()) * 1000) : Math.floor(clock.now() * 1000);
  const seconds = Math.floor(micros / 1_000_000);
  return [String(seconds), String(micros - seconds * 1_000_000)];
}

/** LASTSAVE: the server's start time until persistence lands (nothing was ever saved). */
function lastSave(ctx: CommandContext): RespValue {
  return Math.floor(ctx.server.startedAt / 1000);
}

function save(ctx: CommandContext): RespValue {
  refuseInMulti(ctx);
  return fail(NO_PERSISTENCE);
}

function bgsave(_ctx: CommandContext, args: string[]): RespValue {
  if (args.length > 2 || (args.length === 2 && args[1]!.toLowerCase() !== 'schedule')) fail(SYNTAX_ERROR);
  return fail(NO_PERSISTENCE);
}

/**
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: closes every client (this one gets no reply) and the server, then
 * calls the server's onShutdown hook.
 */
function shutdown(ctx: CommandContext, args: string[]): RespValue | Promise<RespValue> {
  refuseInMulti(ctx);
  let save = false;
  let noSave = false;
  let other = false;
  let abort = false;
  for (const arg of args.slice(1)) {
    switch (arg.toLowerCase()) {
      case 'nosave': noSave = true; other = true; break;
      case 'save': save = true; other = true; break;
      case 'now': case 'force': other = true; break;
      case 'abort': abort = true; break;
      default: fail(SYNTAX_ERROR);
    }
  }
  if ((abort && other) || (save && noSave)) fail(SYNTAX_ERROR);
  if (abort) fail('ERR No shutdown in progress.');
  // The CLI's shutdown hook logs Redis's "# User requested shutdown..." line (once, as Redis does).
  return ctx.server.shutdown().then(() => OK);
}

/** MONITOR: from now on the client receives every command the server runs. */
function monitor(ctx: CommandContext): RespValue {
  ctx.monitor = true;
  ctx.server.monitors.add(ctx);
  return OK;
}

function role(): RespValue {
  return ['master', 0, []];
}

/** The server administration family's table entries. */
export const serverCommands = [
  { name: 'info', arity: -1, flags: ['loading', 'stale'], categories: ['slow', 'dangerous'], run: info },
  configCommand,
  clientCommand,
  debugCommand,
  memoryCommand,
  slowlogCommand,
  latencyCommand,
  { name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], categories: ['fast'], run: time },
  { name: 'lastsave', arity: 1, flags: ['loading', 'stale', 'fast'], categories: ['admin', 'fast', 'dangerous'], run: lastSave },
  { name: 'save', arity: 1, flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'], categories: ['admin', 'slow', 'dangerous'], run: save },
  { name: 'bgsave', arity: -1, flags: ['admin', 'noscript', 'no_async_loading'], categories: ['admin', 'slow', 'dangerous'], run: bgsave },
  { name: 'shutdown', arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'], categories: ['admin', 'slow', 'dangerous'], run: shutdown },
  { name: 'monitor', arity: 1, flags: ['admin', 'noscript', 'loading', 'stale'], categories: ['admin', 'slow', 'dangerous'], run: monitor },
  { name: 'role', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast'], categories: ['admin', 'fast', 'dangerous'], run: role },
] as const satisfies readonly CommandSpec[];
