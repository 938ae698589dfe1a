/**
 * CLIENT and its subcommands: naming (GETNAME, SETNAME, SETINFO), the per-connection switches clients send on connect
 * (NO-EVICT, NO-TOUCH, REPLY), PAUSE/UNPAUSE/UNBLOCK, and the table entry. Introspection (ID, INFO, LIST) is in
 * admin-client-list.ts, KILL in admin-client-kill.ts, TRACKING and CACHING in admin-client-tracking.ts.
 */
import { ErrorReply, OK, type RespValue, SimpleString } from '@mini-redis/protocol';
import type { CommandContext, CommandSpec } from '../../context.js';
import { validateClientName } from '../connection/connection.js';
import { cString, fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import { clientKill } from './admin-client-kill.js';
import { clientId, clientInfo, clientList } from './admin-client-list.js';
import { caching, getRedirect, tracking, trackingInfo } from './admin-client-tracking.js';

export { clientLine } from './admin-client-list.js';

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
