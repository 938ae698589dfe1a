/**
 * CLIENT ID, INFO and LIST: a client's line as CLIENT LIST prints it (networking.c catClientInfoString), also used
 * by the connection for the log line of a client closed for its output buffer.
 */
import { type RespValue, VerbatimString } from '@mini-redis/protocol';
import type { CommandContext } from '../../context.js';
import { cString, fail, integerArg, SYNTAX_ERROR } from '../errors.js';

export const TYPES = new Set(['normal', 'master', 'replica', 'slave', 'pubsub']);

/** The client's flags for CLIENT LIST ('N' for none). */
function flagString(ctx: CommandContext): string {
  let flags = '';
  if (ctx.monitor) flags += 'O';
  if (ctx.subscriptions !== undefined) flags += 'P';
  if (ctx.multi !== undefined) flags += 'x';
  if (ctx.connection?.blocked) flags += 'b';
  if (ctx.tracking !== undefined) flags += 't';
  if (ctx.tracking?.brokenRedirect) flags += 'R';
  if (ctx.tracking?.bcast) flags += 'B';
  if (ctx.watchDirty) flags += 'd';
  if (ctx.connection?.unix === true) flags += 'U';
  if (ctx.noEvict) flags += 'e';
  if (ctx.noTouch) flags += 'T';
  return flags === '' ? 'N' : flags;
}

/** Redis's client type (getClientType): no masters or replicas here, so pubsub (subscribed) or normal. */
export function clientType(ctx: CommandContext): string {
  return ctx.subscriptions !== undefined ? 'pubsub' : 'normal';
}

/** Bytes of a command's arguments (Redis's argv_len_sum). */
function argvLength(args: readonly string[]): number {
  let sum = 0;
  for (const arg of args) sum += arg.length;
  return sum;
}

/** Bytes of a command as a RESP multibulk request (what the query buffer holds while it runs). */
function requestLength(args: readonly string[]): number {
  let sum = 3 + String(args.length).length;
  for (const arg of args) sum += 5 + String(arg.length).length + arg.length;
  return sum;
}

/**
 * One CLIENT LIST line, fields in Redis 7.0's order, ending in "\n". `caller` is the client running CLIENT LIST/INFO:
 * its own command is still in its query buffer and argv. Memory fields Redis derives from its allocator (qbuf-free,
 * rbs, rbp, tot-mem) are this server's estimates.
 */
export function clientLine(ctx: CommandContext, caller?: CommandContext): string {
  const now = ctx.server.clock.now();
  const connection = ctx.connection;
  const running = ctx === caller || connection?.blocked === true;
  const args = running ? ctx.currentArgs : undefined;
  const argvMem = args === undefined ? 0 : argvLength(args);
  const qbuf = (connection?.queryBufferLength ?? 0) + (ctx === caller && args !== undefined ? requestLength(args) : 0);
  const multi = ctx.multi === undefined ? -1 : ctx.multi.length;
  let multiMem = 0;
  for (const queued of ctx.multi ?? []) multiMem += argvLength(queued.args) + 8 * queued.args.length;
  const subscriptions = ctx.subscriptions;
  const omem = connection?.outputLength ?? 0;
  return (
    `id=${ctx.id} addr=${connection?.address ?? ''} laddr=${connection?.localAddress ?? ''} fd=${connection?.fd ?? -1} ` +
    `name=${ctx.name} age=${Math.floor((now - ctx.createdAt) / 1000)} ` +
    `idle=${Math.floor((now - ctx.lastInteraction) / 1000)} flags=${flagString(ctx)} db=${ctx.db.index} ` +
    `sub=${subscriptions?.channels.size ?? 0} psub=${subscriptions?.patterns.size ?? 0} ` +
    `ssub=${subscriptions?.shardChannels.size ?? 0} multi=${multi} qbuf=${qbuf} qbuf-free=0 argv-mem=${argvMem} ` +
    `multi-mem=${multiMem} rbs=1024 rbp=0 obl=0 oll=0 omem=${omem} tot-mem=${1024 + qbuf + argvMem + multiMem + omem} ` +
    `events=${omem > 0 ? 'rw' : 'r'} ` +
    `cmd=${ctx.lastCommand ? ctx.server.commands.fullName(ctx.lastCommand) : 'NULL'} user=${ctx.user} ` +
    `redir=${ctx.tracking?.redirect ?? -1} resp=${ctx.protocol}\n`
  );
}

function text(value: string): RespValue {
  return new VerbatimString('txt', value);
}

export function clientId(ctx: CommandContext): RespValue {
  return ctx.id;
}

export function clientInfo(ctx: CommandContext): RespValue {
  return text(clientLine(ctx, ctx));
}

export function clientList(ctx: CommandContext, args: string[]): RespValue {
  const clients = [...ctx.server.clients.values()];
  let selected: CommandContext[];
  if (args.length === 4 && args[2]!.toLowerCase() === 'type') {
    const type = args[3]!.toLowerCase();
    if (!TYPES.has(type)) fail(`ERR Unknown client type '${cString(args[3]!)}'`);
    selected = clients.filter((client) => clientType(client) === (type === 'slave' ? 'replica' : type));
  } else if (args.length > 3 && args[2]!.toLowerCase() === 'id') {
    selected = [];
    for (const arg of args.slice(3)) {
      const id = integerArg(arg, 'ERR Invalid client ID');
      const found = ctx.server.clients.get(id);
      if (found !== undefined && !selected.includes(found)) selected.push(found);
    }
  } else if (args.length !== 2) {
    fail(SYNTAX_ERROR);
  } else {
    selected = clients;
  }
  let out = '';
  for (const listed of selected) out += clientLine(listed, ctx);
  return text(out);
}

