/**
 * Connection commands: PING, ECHO, QUIT, SELECT, HELLO, AUTH, RESET.
 */
import { ErrorReply, OK, PONG, RespMap, type RespValue, SimpleString } from '@mini-redis/protocol';
import type { CommandContext, CommandSpec } from '../../context.js';
import { REDIS_VERSION } from '../../version.js';
import { cString, fail, int32Arg, integerArg, OUT_OF_RANGE_DB, SYNTAX_ERROR } from '../errors.js';

function ping(ctx: CommandContext, args: string[]): RespValue {
  if (args.length > 2) fail("ERR wrong number of arguments for 'ping' command");
  // A RESP2 subscriber gets a pub/sub shaped answer: ["pong", message or ""].
  if (ctx.subscriptions !== undefined && ctx.protocol === 2) return ['pong', args.length === 2 ? args[1]! : ''];
  return args.length === 2 ? args[1]! : PONG;
}

function echo(_ctx: CommandContext, args: string[]): RespValue {
  return args[1]!;
}

function quit(ctx: CommandContext): RespValue {
  ctx.close();
  return OK;
}

function select(ctx: CommandContext, args: string[]): RespValue {
  const index = int32Arg(args[1]!);
  if (index < 0 || index >= ctx.server.store.databaseCount) fail(OUT_OF_RANGE_DB);
  ctx.db = ctx.server.store.db(index);
  return OK;
}

/** Checks a password for a user against requirepass (the default user is the only one). */
function checkPassword(ctx: CommandContext, user: string, password: string): boolean {
  const required = ctx.server.config.get('requirepass');
  if (user !== 'default') return false;
  return required === '' || password === required;
}

function auth(ctx: CommandContext, args: string[]): RespValue {
  if (args.length > 3) fail(SYNTAX_ERROR);
  const required = ctx.server.config.get('requirepass');
  if (args.length === 2 && required === '') {
    fail('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
  }
  const user = args.length === 3 ? args[1]! : 'default';
  const password = args[args.length - 1]!;
  if (!checkPassword(ctx, user, password)) fail('WRONGPASS invalid username-password pair or user is disabled.');
  ctx.setAuthenticated(true);
  ctx.user = user;
  return OK;
}

function hello(ctx: CommandContext, args: string[]): RespValue {
  let protocol: 2 | 3 | undefined;
  let index = 1;
  if (args.length > 1) {
    const version = integerArg(args[1]!, 'ERR Protocol version is not an integer or out of range');
    if (version < 2 || version > 3) fail('NOPROTO unsupported protocol version');
    protocol = version as 2 | 3;
    index = 2;
  }
  let user: string | undefined;
  let password: string | undefined;
  let name: string | undefined;
  for (; index < args.length; index++) {
    const option = args[index]!.toLowerCase();
    const remaining = args.length - index - 1;
    if (option === 'auth' && remaining >= 2) {
      user = args[++index]!;
      password = args[++index]!;
    } else if (option === 'setname' && remaining >= 1) {
      name = args[++index]!;
    } else {
      fail(`ERR Syntax error in HELLO option '${cString(args[index]!)}'`);
    }
  }
  if (user !== undefined && password !== undefined) {
    if (!checkPassword(ctx, user, password)) fail('WRONGPASS invalid username-password pair or user is disabled.');
    ctx.setAuthenticated(true);
    ctx.user = user;
  }
  if (!ctx.authenticated) {
    fail('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
  }
  if (name !== undefined) {
    const error = validateClientName(name);
    if (error) return new ErrorReply(error);
    ctx.name = name;
  }
  if (protocol !== undefined) ctx.setProtocol(protocol);
  return new RespMap([
    'server', 'redis',
    'version', REDIS_VERSION,
    'proto', ctx.protocol,
    'id', ctx.id,
    'mode', 'standalone',
    'role', 'master',
    'modules', [],
  ]);
}

/** Redis refuses client names with spaces or non-printable bytes. */
export function validateClientName(name: string): string | undefined {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 33 || code > 126) return 'ERR Client names cannot contain spaces, newlines or special characters.';
  }
  return undefined;
}

const RESET = new SimpleString('RESET');

function reset(ctx: CommandContext): RespValue {
  const server = ctx.server;
  ctx.multi = undefined;
  ctx.multiError = false;
  server.watches.unwatchAll(ctx);
  server.monitors.delete(ctx);
  ctx.monitor = false;
  server.pubsub.unsubscribeAll(ctx);
  server.tracking.disable(ctx);
  ctx.replyOff = false;
  ctx.replySkipNext = false;
  ctx.db = server.store.db(0);
  ctx.setProtocol(2);
  ctx.name = '';
  ctx.noEvict = false;
  ctx.noTouch = false;
  ctx.user = 'default';
  ctx.setAuthenticated(!server.requiresAuth());
  return RESET;
}

export const connectionCommands = [
  { name: 'ping', arity: -1, flags: ['fast'], categories: ['fast', 'connection'], run: ping },
  { name: 'echo', arity: 2, flags: ['loading', 'stale', 'fast'], categories: ['fast', 'connection'], run: echo },
  { name: 'quit', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], categories: ['fast', 'connection'], run: quit },
  { name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], categories: ['fast', 'connection'], run: select },
  {
    name: 'auth', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    categories: ['fast', 'connection'], run: auth,
  },
  {
    name: 'hello', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
    categories: ['fast', 'connection'], run: hello,
  },
  { name: 'reset', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], categories: ['fast', 'connection'], run: reset },
] as const satisfies readonly CommandSpec[];
