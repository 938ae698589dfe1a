/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (LOAD, EXISTS, FLUSH, KILL, HELP), as Redis 7.0's eval.c.
 */
import { LuaScriptError, SCRIPT_FLAGS } from '@mini-redis/lua';
import { OK, SimpleString, type RespValue } from '@mini-redis/protocol';
import type { CommandContext, CommandSpec } from '../../context.js';
import { fail, integerArg } from '../errors.js';
import { scriptingOf } from './runner.js';
import { evalFlagsFor } from './script-command-flags.js';

/** numkeys, KEYS and ARGV of EVAL-style arguments (evalGenericCommand's checks). */
export function keysAndArgs(args: string[]): { keys: Buffer[]; argv: Buffer[] } {
  const numkeys = integerArg(args[2]!);
  if (numkeys > args.length - 3) fail('ERR Number of keys can\'t be greater than number of args');
  if (numkeys < 0) fail('ERR Number of keys can\'t be negative');
  const toBuffer = (arg: string) => Buffer.from(arg, 'latin1');
  return { keys: args.slice(3, 3 + numkeys).map(toBuffer), argv: args.slice(3 + numkeys).map(toBuffer) };
}

/** A *_RO command runs only scripts that declare no-writes (or have no shebang at all). */
export function checkReadOnlyFlags(readOnlyCommand: boolean, flags: number): void {
  if (readOnlyCommand && (flags & (SCRIPT_FLAGS['no-writes'] | SCRIPT_FLAGS['eval-compat-mode'])) === 0) {
    fail('ERR Can not execute a script with write flag using *_ro command.');
  }
}

function evalCommand(readOnlyCommand: boolean, bySha: boolean) {
  return (ctx: CommandContext, args: string[]): RespValue | Promise<RespValue> => {
    const scripting = scriptingOf(ctx.server);
    const { keys, argv } = keysAndArgs(args);
    const engine = scripting.engine;
    let flags = 0;
    let sha: string;
    if (bySha) {
      sha = args[1]!.toLowerCase();
      const script = engine.getScript(sha);
      if (script === undefined) fail('NOSCRIPT No matching script. Please use EVAL.');
      flags = script.flags;
    } else {
      const body = Buffer.from(args[1]!, 'latin1');
      try {
        sha = engine.loadScript(body);
      } catch (error) {
        if (error instanceof LuaScriptError) fail(error.message);
        throw error;
      }
      flags = engine.getScript(sha)!.flags;
    }
    checkReadOnlyFlags(readOnlyCommand, flags);
    const readOnly = readOnlyCommand || (flags & SCRIPT_FLAGS['no-writes']) !== 0;
    const allowOom = (flags & SCRIPT_FLAGS['allow-oom']) !== 0;
    return scripting.run(ctx, 'eval', readOnly, (host) => engine.evalsha(sha, keys, argv, ctx.protocol, host), undefined, allowOom);
  };
}

function scriptLoad(ctx: CommandContext, args: string[]): RespValue {
  try {
    return scriptingOf(ctx.server).engine.loadScript(Buffer.from(args[2]!, 'latin1'));
  } catch (error) {
    if (error instanceof LuaScriptError) fail(error.message);
    throw error;
  }
}

function scriptExists(ctx: CommandContext, args: string[]): RespValue {
  const scripting = scriptingOf(ctx.server);
  return args.slice(2).map((sha) => (scripting.started && scripting.engine.hasScript(sha) ? 1 : 0));
}

function scriptFlush(ctx: CommandContext, args: string[]): RespValue {
  if (args.length > 3) fail('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
  if (args.length === 3) {
    const mode = args[2]!.toLowerCase();
    if (mode !== 'sync' && mode !== 'async') fail('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
  }
  const scripting = scriptingOf(ctx.server);
  if (scripting.started) scripting.engine.flushScripts();
  return OK;
}

function scriptKill(ctx: CommandContext): RespValue {
  const error = scriptingOf(ctx.server).kill(true);
  if (error !== undefined) fail(error);
  return OK;
}

function scriptDebug(): RespValue {
  return fail('ERR SCRIPT DEBUG is not supported by this server');
}

const HELP = [
  'SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

const EVAL_FLAGS = ['noscript', 'stale', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'movablekeys'] as const;
const SCRIPTING = ['slow', 'scripting'] as const;

export const evalCommands = [
  { name: 'eval', arity: -3, flagsFor: evalFlagsFor, flags: EVAL_FLAGS, firstKey: 0, lastKey: 0, keyStep: 0, categories: SCRIPTING, run: evalCommand(false, false) },
  { name: 'evalsha', arity: -3, flagsFor: evalFlagsFor, flags: EVAL_FLAGS, firstKey: 0, lastKey: 0, keyStep: 0, categories: SCRIPTING, run: evalCommand(false, true) },
  {
    name: 'eval_ro', arity: -3, flagsFor: evalFlagsFor, flags: ['readonly', 'noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'],
    firstKey: 0, lastKey: 0, keyStep: 0, categories: SCRIPTING, run: evalCommand(true, false),
  },
  {
    name: 'evalsha_ro', arity: -3, flagsFor: evalFlagsFor, flags: ['readonly', 'noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'],
    firstKey: 0, lastKey: 0, keyStep: 0, categories: SCRIPTING, run: evalCommand(true, true),
  },
  {
    name: 'script', arity: -2, flags: [], categories: ['slow'],
    subcommands: [
      { name: 'load', arity: 3, flags: ['noscript', 'stale'], categories: SCRIPTING, run: scriptLoad },
      { name: 'exists', arity: -3, flags: ['noscript'], categories: SCRIPTING, run: scriptExists },
      { name: 'flush', arity: -2, flags: ['noscript'], categories: SCRIPTING, run: scriptFlush },
      { name: 'kill', arity: 2, flags: ['noscript', 'allow_busy'], categories: SCRIPTING, run: scriptKill },
      { name: 'debug', arity: 3, flags: ['noscript'], categories: SCRIPTING, run: scriptDebug },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], categories: SCRIPTING, run: () => HELP },
    ],
  },
] as const satisfies readonly CommandSpec[];

