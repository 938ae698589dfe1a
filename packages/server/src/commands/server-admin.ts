/**
 * Server administration: INFO, CONFIG, CLIENT, DEBUG, MEMORY, SLOWLOG, LATENCY (each in an admin-* module), and
 * TIME, LASTSAVE, SAVE, BGSAVE, SHUTDOWN, MONITOR, ROLE.
 */
import type { RespValue } from '@mini-redis/protocol';
import { systemClock } from '@mini-redis/store';
import type { Client } from '../client.js';
import { clientCommand } from './admin-client.js';
import { configCommand } from './admin-config.js';
import { debugCommand } from './admin-debug.js';
import { info } from './admin-info.js';
import { memoryCommand } from './admin-memory.js';
import { latencyCommand, slowlogCommand } from './admin-slowlog.js';
import { fail, SYNTAX_ERROR } from './errors.js';
import { OK } from './replies.js';
import type { CommandSpec } from './types.js';

/** Persistence has not landed: SAVE and BGSAVE say so rather than pretend a dump was written. */
const NO_PERSISTENCE = 'ERR persistence is not available: this server keeps data in memory only';

/** Commands Redis refuses inside MULTI (CMD_NO_MULTI): the transaction is then aborted at EXEC. */
function refuseInMulti(client: Client): void {
  if (client.multi === undefined) return;
  client.multiError = true;
  fail('ERR Command not allowed inside a transaction');
}

/** TIME: [unix seconds, microseconds] as bulk strings, from the store clock. */
function time(client: Client): RespValue {
  const clock = client.server.clock;
  // The system clock has microseconds to give (as Redis's ustime); an injected clock has its milliseconds only.
  const micros = clock === systemClock ? Math.floor((performance.timeOrigin + performance.now()) * 1000) : Math.floor(clock.now() * 1000);
  const seconds = Math.floor(micros / 1_000_000);
  return [String(seconds), String(micros - seconds * 1_000_000)];
}

/** LASTSAVE: the server's start time until persistence lands (nothing was ever saved). */
function lastSave(client: Client): RespValue {
  return Math.floor(client.server.startedAt / 1000);
}

function save(client: Client): RespValue {
  refuseInMulti(client);
  return fail(NO_PERSISTENCE);
}

function bgsave(_client: Client, args: string[]): RespValue {
  if (args.length > 2 || (args.length === 2 && args[1]!.toLowerCase() !== 'schedule')) fail(SYNTAX_ERROR);
  return fail(NO_PERSISTENCE);
}

/**
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: closes every client (this one gets no reply) and the server, then
 * calls the server's onShutdown hook.
 */
function shutdown(client: Client, args: string[]): RespValue | Promise<RespValue> {
  refuseInMulti(client);
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
  const server = client.server;
  server.log('User requested shutdown...');
  return server.close().then(() => {
    server.onShutdown?.();
    return OK;
  });
}

/** MONITOR: from now on the client receives every command the server runs. */
function monitor(client: Client): RespValue {
  client.monitor = true;
  client.server.monitors.add(client);
  return OK;
}

function role(): RespValue {
  return ['master', 0, []];
}

/** The server administration family's table entries. */
export const serverCommands = [
  { name: 'info', arity: -1, flags: ['loading', 'stale'], categories: ['slow', 'dangerous'], summary: 'Get information and statistics about the server', since: '1.0.0', run: info },
  configCommand,
  clientCommand,
  debugCommand,
  memoryCommand,
  slowlogCommand,
  latencyCommand,
  { name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], categories: ['fast'], summary: 'Return the current server time', since: '2.6.0', run: time },
  { name: 'lastsave', arity: 1, flags: ['loading', 'stale', 'fast'], categories: ['admin', 'fast', 'dangerous'], summary: 'Get the UNIX time stamp of the last successful save to disk', since: '1.0.0', run: lastSave },
  { name: 'save', arity: 1, flags: ['admin', 'noscript', 'no_multi'], categories: ['admin', 'slow', 'dangerous'], summary: 'Synchronously save the dataset to disk', since: '1.0.0', run: save },
  { name: 'bgsave', arity: -1, flags: ['admin', 'noscript'], categories: ['admin', 'slow', 'dangerous'], summary: 'Asynchronously save the dataset to disk', since: '1.0.0', run: bgsave },
  { name: 'shutdown', arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'], categories: ['admin', 'slow', 'dangerous'], summary: 'Synchronously save the dataset to disk and then shut down the server', since: '1.0.0', run: shutdown },
  { name: 'monitor', arity: 1, flags: ['admin', 'noscript', 'loading', 'stale'], categories: ['admin', 'slow', 'dangerous'], summary: 'Listen for all requests received by the server in real time', since: '1.0.0', run: monitor },
  { name: 'role', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast'], categories: ['admin', 'fast', 'dangerous'], summary: 'Return the role of the instance in the context of replication', since: '2.8.12', run: role },
] as const satisfies readonly CommandSpec[];
