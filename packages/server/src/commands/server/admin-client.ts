/**
 * CLIENT and its subcommands: connection introspection (ID, INFO, LIST, GETNAME), naming (SETNAME, SETINFO), KILL,
 * and the per-connection switches clients send on connect (NO-EVICT, NO-TOUCH, PAUSE/UNPAUSE, TRACKING off).
 */
import { ErrorReply, OK, RespMap, RespSet, type RespValue, SimpleString, VerbatimString } from '@mini-redis/protocol';
import type { CommandContext, CommandSpec } from '../../context.js';
import { validateClientName } from '../connection/connection.js';
import { cString, fail, integerArg, SYNTAX_ERROR } from '../errors.js';

const TYPES = new Set(['normal', 'master', 'replica', 'slave', 'pubsub']);

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
function clientType(ctx: CommandContext): string {
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

function clientId(ctx: CommandContext): RespValue {
  return ctx.id;
}

function clientInfo(ctx: CommandContext): RespValue {
  return text(clientLine(ctx, ctx));
}

function clientList(ctx: CommandContext, args: string[]): RespValue {
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

function getName(ctx: CommandContext): RespValue {
  return ctx.name === '' ? null : ctx.name;
}

function setName(ctx: CommandContext, args: string[]): RespValue {
  const error = validateClientName(args[2]!);
  if (error !== undefined) fail(error);
  ctx.name = args[2]!;
  return OK;
}

/** CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; clients send it on connect). */
function setInfo(ctx: CommandContext, args: string[]): RespValue {
  const attribute = args[2]!.toLowerCase();
  const value = args[3]!;
  if (attribute !== 'lib-name' && attribute !== 'lib-ver') fail(`ERR Unrecognized option '${cString(args[2]!)}'`);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 33 || code > 126) {
      fail(`ERR ${attribute} cannot contain spaces, newlines or special characters.`);
    }
  }
  if (attribute === 'lib-name') ctx.libName = value;
  else ctx.libVersion = value;
  return OK;
}

/** A filter of CLIENT KILL's new form; every given option must match. */
interface KillFilter {
  id?: number;
  type?: string;
  addr?: string;
  laddr?: string;
  user?: string;
  skipMe: boolean;
}

function parseKillFilter(args: string[]): KillFilter {
  const filter: KillFilter = { skipMe: true };
  for (let i = 2; i < args.length; i += 2) {
    const option = args[i]!.toLowerCase();
    const value = args[i + 1];
    if (value === undefined) fail(SYNTAX_ERROR);
    switch (option) {
      case 'id': {
        const message = 'ERR client-id should be greater than 0';
        const id = integerArg(value, message);
        if (id < 1) fail(message);
        filter.id = id;
        break;
      }
      case 'type': {
        const type = value.toLowerCase();
        if (!TYPES.has(type)) fail(`ERR Unknown client type '${cString(value)}'`);
        filter.type = type === 'slave' ? 'replica' : type;
        break;
      }
      case 'addr': filter.addr = value; break;
      case 'laddr': filter.laddr = value; break;
      case 'user':
        if (value !== 'default') fail(`ERR No such user '${cString(value)}'`);
        filter.user = value;
        break;
      case 'skipme': {
        const answer = value.toLowerCase();
        if (answer !== 'yes' && answer !== 'no') fail(SYNTAX_ERROR);
        filter.skipMe = answer === 'yes';
        break;
      }
      default:
        fail(SYNTAX_ERROR);
    }
  }
  return filter;
}

function matches(filter: KillFilter, caller: CommandContext, target: CommandContext): boolean {
  if (filter.skipMe && target === caller) return false;
  if (filter.id !== undefined && target.id !== filter.id) return false;
  if (filter.type !== undefined && clientType(target) !== filter.type) return false;
  if (filter.addr !== undefined && target.connection?.address !== filter.addr) return false;
  if (filter.laddr !== undefined && target.connection?.localAddress !== filter.laddr) return false;
  if (filter.user !== undefined && target.user !== filter.user) return false;
  return true;
}

/** Closes a client: itself after this reply, any other at once. */
function kill(caller: CommandContext, target: CommandContext): void {
  if (target === caller) target.close();
  else target.connection?.destroy();
}

/** CLIENT KILL ip:port (OK or an error), or CLIENT KILL <option> <value> ... (how many were killed). */
function clientKill(ctx: CommandContext, args: string[]): RespValue {
  const clients = [...ctx.server.clients.values()];
  if (args.length === 3) {
    const target = clients.find((candidate) => candidate.connection?.address === args[2]);
    if (target === undefined) fail('ERR No such client');
    kill(ctx, target);
    return OK;
  }
  const filter = parseKillFilter(args);
  let killed = 0;
  for (const candidate of clients) {
    if (!matches(filter, ctx, candidate)) continue;
    kill(ctx, candidate);
    killed++;
  }
  return killed;
}

/** Parses an ON|OFF switch or throws a syntax error. */
function onOff(value: string): boolean {
  const lower = value.toLowerCase();
  if (lower === 'on') return true;
  if (lower === 'off') return false;
  return fail(SYNTAX_ERROR);
}

function noEvict(ctx: CommandContext, args: string[]): RespValue {
  ctx.noEvict = onOff(args[2]!);
  return OK;
}

function noTouch(ctx: CommandContext, args: string[]): RespValue {
  ctx.noTouch = onOff(args[2]!);
  return OK;
}

/** CLIENT PAUSE timeout [WRITE|ALL]: holds back every client's commands (or their writes) until then. */
function pause(ctx: CommandContext, args: string[]): RespValue {
  if (args.length > 4) {
    fail(`ERR unknown subcommand or wrong number of arguments for '${cString(args[1]!)}'. Try CLIENT HELP.`);
  }
  let type: 'write' | 'all' = 'all';
  if (args.length === 4) {
    const mode = args[3]!.toLowerCase();
    if (mode === 'write') type = 'write';
    else if (mode !== 'all') fail('ERR CLIENT PAUSE mode must be WRITE or ALL');
  }
  const timeout = integerArg(args[2]!, 'ERR timeout is not an integer or out of range');
  if (timeout < 0) fail('ERR timeout is negative');
  ctx.server.pause.pause(timeout, type);
  return OK;
}

/** CLIENT UNBLOCK id [TIMEOUT|ERROR]: ends another client's blocking command as a timeout, or with an error. */
function unblock(ctx: CommandContext, args: string[]): RespValue {
  if (args.length > 4) fail(SYNTAX_ERROR);
  let error = false;
  if (args.length === 4) {
    const reason = args[3]!.toLowerCase();
    if (reason === 'error') error = true;
    else if (reason !== 'timeout') fail('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
  }
  const target = ctx.server.clients.get(integerArg(args[2]!));
  if (target === undefined) return 0;
  const reply = error ? new ErrorReply('UNBLOCKED client unblocked via CLIENT UNBLOCK') : undefined;
  return ctx.server.blocking.unblock(target, reply) ? 1 : 0;
}

function unpause(ctx: CommandContext): RespValue {
  ctx.server.pause.unpause();
  return OK;
}

/** CLIENT REPLY ON|OFF|SKIP: ON answers OK; OFF and SKIP are silent (the connection drops the replies). */
function reply(ctx: CommandContext, args: string[]): RespValue {
  const mode = args[2]!.toLowerCase();
  if (mode === 'on') {
    ctx.replyOff = false;
    ctx.replySkip = false;
    ctx.replySkipNext = false;
  } else if (mode === 'off') {
    ctx.replyOff = true;
  } else if (mode === 'skip') {
    if (!ctx.replyOff) {
      ctx.replySkip = true;
      ctx.replySkipNext = true;
    }
  } else {
    fail(SYNTAX_ERROR);
  }
  return OK;
}

/**
 * CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP], with networking.c's checks
 * in its order.
 */
function tracking(ctx: CommandContext, args: string[]): RespValue {
  let redirect = 0;
  const options = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  for (let j = 3; j < args.length; j++) {
    const option = args[j]!.toLowerCase();
    const more = args.length - 1 - j;
    if (option === 'redirect' && more > 0) {
      j++;
      if (redirect !== 0) fail('ERR A client can only redirect to a single other client');
      redirect = integerArg(args[j]!);
      if (ctx.server.clients.get(redirect) === undefined) fail('ERR The client ID you want redirect to does not exist');
    } else if (option === 'bcast') {
      options.bcast = true;
    } else if (option === 'optin') {
      options.optin = true;
    } else if (option === 'optout') {
      options.optout = true;
    } else if (option === 'noloop') {
      options.noloop = true;
    } else if (option === 'prefix' && more > 0) {
      j++;
      prefixes.push(args[j]!);
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  const mode = args[2]!.toLowerCase();
  const server = ctx.server;
  if (mode === 'on') {
    const state = ctx.tracking;
    if (!options.bcast && prefixes.length > 0) fail('ERR PREFIX option requires BCAST mode to be enabled');
    if (state !== undefined && state.bcast !== options.bcast) {
      fail('ERR You can\'t switch BCAST mode on/off before disabling tracking for this client, and then re-enabling ' +
        'it with a different mode.');
    }
    if (options.bcast && (options.optin || options.optout)) fail('ERR OPTIN and OPTOUT are not compatible with BCAST');
    if (options.optin && options.optout) fail('ERR You can\'t specify both OPTIN mode and OPTOUT mode');
    if ((options.optin && state?.optout === true) || (options.optout && state?.optin === true)) {
      fail('ERR You can\'t switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling ' +
        'it with a different mode.');
    }
    if (options.bcast) {
      const collision = server.tracking.prefixCollision(ctx, prefixes);
      if (collision !== undefined) fail(collision);
    }
    server.tracking.enable(ctx, redirect, options, prefixes);
  } else if (mode === 'off') {
    server.tracking.disable(ctx);
  } else {
    fail(SYNTAX_ERROR);
  }
  return OK;
}

/** CLIENT CACHING YES|NO: whether the next command's keys are tracked (OPTIN / OPTOUT). */
function caching(ctx: CommandContext, args: string[]): RespValue {
  const state = ctx.tracking;
  if (state === undefined) {
    fail('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
  }
  const answer = args[2]!.toLowerCase();
  if (answer === 'yes') {
    if (!state.optin) fail('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
  } else if (answer === 'no') {
    if (!state.optout) fail('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
  } else {
    fail(SYNTAX_ERROR);
  }
  state.caching = true;
  return OK;
}

function getRedirect(ctx: CommandContext): RespValue {
  return ctx.tracking?.redirect ?? -1;
}

function trackingInfo(ctx: CommandContext): RespValue {
  const state = ctx.tracking;
  const flags: string[] = [state === undefined ? 'off' : 'on'];
  if (state?.bcast) flags.push('bcast');
  if (state?.optin) {
    flags.push('optin');
    if (state.caching) flags.push('caching-yes');
  }
  if (state?.optout) {
    flags.push('optout');
    if (state.caching) flags.push('caching-no');
  }
  if (state?.noloop) flags.push('noloop');
  if (state?.brokenRedirect) flags.push('broken_redirect');
  const prefixes = state === undefined ? [] : [...state.prefixes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return new RespMap(['flags', new RespSet(flags), 'redirect', state?.redirect ?? -1, 'prefixes', prefixes]);
}

const HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

const CONNECTION = ['slow', 'connection'] as const;
const ADMIN = ['admin', 'slow', 'dangerous', 'connection'] as const;

/** CLIENT's table entry. */
export const clientCommand = {
  name: 'client', arity: -2, flags: [], categories: ['slow'],
  subcommands: [
    { name: 'id', arity: 2, flags: ['noscript', 'loading', 'stale'], categories: CONNECTION, run: clientId },
    { name: 'info', arity: 2, flags: ['noscript', 'loading', 'stale'], categories: CONNECTION, run: clientInfo },
    { name: 'list', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], categories: ADMIN, run: clientList },
    { name: 'getname', arity: 2, flags: ['noscript', 'loading', 'stale'], categories: CONNECTION, run: getName },
    { name: 'setname', arity: 3, flags: ['noscript', 'loading', 'stale'], categories: CONNECTION, run: setName },
    { name: 'setinfo', arity: 4, flags: ['noscript', 'loading', 'stale'], categories: CONNECTION, run: setInfo },
    { name: 'kill', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], categories: ADMIN, run: clientKill },
    { name: 'no-evict', arity: 3, flags: ['admin', 'noscript', 'loading', 'stale'], categories: ADMIN, run: noEvict },
    { name: 'no-touch', arity: 3, flags: ['noscript', 'loading', 'stale'], categories: CONNECTION, run: noTouch },
    { name: 'pause', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], categories: ADMIN, run: pause },
    { name: 'unblock', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], categories: ADMIN, run: unblock },
    { name: 'unpause', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'], categories: ADMIN, run: unpause },
    { name: 'reply', arity: 3, flags: ['noscript', 'loading', 'stale'], categories: CONNECTION, run: reply },
    { name: 'tracking', arity: -3, flags: ['noscript', 'loading', 'stale'], categories: CONNECTION, run: tracking },
    { name: 'caching', arity: 3, flags: ['noscript', 'loading', 'stale'], categories: CONNECTION, run: caching },
    { name: 'getredir', arity: 2, flags: ['noscript', 'loading', 'stale'], categories: CONNECTION, run: getRedirect },
    { name: 'trackinginfo', arity: 2, flags: ['noscript', 'loading', 'stale'], categories: CONNECTION, run: trackingInfo },
    { name: 'help', arity: 2, flags: ['loading', 'stale'], categories: CONNECTION, run: () => HELP },
  ],
} as const satisfies CommandSpec;
