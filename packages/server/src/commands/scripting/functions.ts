/**
 * FUNCTION (LOAD, LIST, DELETE, FLUSH, STATS, KILL, HELP) and FCALL / FCALL_RO, as Redis 7.0's functions.c.
 */
import { LuaEngine, LuaScriptError, scriptFlagNames, SCRIPT_FLAGS } from '@mini-redis/lua';
import { OK, RespMap, RespSet, SimpleString, type RespValue } from '@mini-redis/protocol';
import type { CommandContext, CommandSpec } from '../../context.js';
import { matchGlob } from '../../glob.js';
import { cString, fail, integerArg } from '../errors.js';
import { checkReadOnlyFlags, keysAndArgs } from './eval.js';
import { encodeString, RdbReader, RDB_OPCODE_FUNCTION, RDB_OPCODE_FUNCTION2, verifyPayload, withFooter } from './payload.js';
import { BUSY_EVAL, scriptingOf } from './runner.js';
import { fcallFlagsFor } from './script-command-flags.js';

function fcall(readOnlyCommand: boolean) {
  return (ctx: CommandContext, args: string[]): RespValue | Promise<RespValue> => {
    const scripting = scriptingOf(ctx.server);
    const name = args[1]!;
    const fn = scripting.started ? scripting.engine.getFunction(name) : undefined;
    // fcallCommandGeneric: the function first, then numkeys with FCALL's own text
    if (fn === undefined) fail('ERR Function not found');
    integerArg(args[2]!, 'ERR Bad number of keys provided');
    const { keys, argv } = keysAndArgs(args);
    checkReadOnlyFlags(readOnlyCommand, fn.flags);
    const readOnly = readOnlyCommand || (fn.flags & SCRIPT_FLAGS['no-writes']) !== 0;
    const engine = scripting.engine;
    const allowOom = (fn.flags & SCRIPT_FLAGS['allow-oom']) !== 0;
    return scripting.run(ctx, 'function', readOnly, (host) => engine.callFunction(name, keys, argv, ctx.protocol, host), {
      name,
      command: args,
    }, allowOom);
  };
}

function functionLoad(ctx: CommandContext, args: string[]): RespValue {
  let replace = false;
  for (let i = 2; i < args.length - 1; i++) {
    if (args[i]!.toLowerCase() === 'replace') replace = true;
    else fail(`ERR Unknown option given: ${cString(args[i]!)}`);
  }
  try {
    return scriptingOf(ctx.server).engine.loadLibrary(Buffer.from(args[args.length - 1]!, 'latin1'), replace);
  } catch (error) {
    if (error instanceof LuaScriptError) fail(error.message);
    throw error;
  }
}

function functionList(ctx: CommandContext, args: string[]): RespValue {
  let withCode = false;
  let pattern: string | undefined;
  for (let i = 2; i < args.length; i++) {
    const arg = args[i]!.toLowerCase();
    if (!withCode && arg === 'withcode') {
      withCode = true;
      continue;
    }
    if (pattern === undefined && arg === 'libraryname') {
      if (i >= args.length - 1) fail('ERR library name argument was not given');
      pattern = args[++i]!;
      continue;
    }
    fail(`ERR Unknown argument ${cString(args[i]!)}`);
  }
  const scripting = scriptingOf(ctx.server);
  if (!scripting.started) return [];
  const out: RespValue[] = [];
  for (const library of scripting.engine.listLibraries()) {
    if (pattern !== undefined && !matchGlob(pattern, library.name, true)) continue;
    const functions = library.functions.map(
      (fn) =>
        new RespMap([
          'name', fn.name,
          'description', fn.description,
          'flags', new RespSet(scriptFlagNames(fn.flags).map((flag) => new SimpleString(flag))),
        ]),
    );
    const items: RespValue[] = ['library_name', library.name, 'engine', 'LUA', 'functions', functions];
    if (withCode) items.push('library_code', library.code.toString('latin1'));
    out.push(new RespMap(items));
  }
  return out;
}

function functionDelete(ctx: CommandContext, args: string[]): RespValue {
  const scripting = scriptingOf(ctx.server);
  if (!scripting.started || !scripting.engine.deleteLibrary(args[2]!)) fail('ERR Library not found');
  return OK;
}

function functionFlush(ctx: CommandContext, args: string[]): RespValue {
  if (args.length > 3) fail('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
  if (args.length === 3) {
    const mode = args[2]!.toLowerCase();
    if (mode !== 'sync' && mode !== 'async') fail('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
  }
  const scripting = scriptingOf(ctx.server);
  if (scripting.started) scripting.engine.flushFunctions();
  return OK;
}

function functionKill(ctx: CommandContext): RespValue {
  const error = scriptingOf(ctx.server).kill(false);
  if (error !== undefined) fail(error);
  return OK;
}

function functionStats(ctx: CommandContext): RespValue {
  const scripting = scriptingOf(ctx.server);
  const libraries = scripting.started ? scripting.engine.listLibraries() : [];
  const functions = libraries.reduce((sum, library) => sum + library.functions.length, 0);
  const running = scripting.running;
  // functionStatsCommand: an EVAL script running answers the EVAL busy error.
  if (running?.kind === 'eval') fail(BUSY_EVAL);
  const runningScript =
    running === undefined
      ? null
      : new RespMap(['name', running.name ?? '', 'command', [...(running.command ?? [])], 'duration_ms', Date.now() - running.startedAt]);
  return new RespMap([
    'running_script', runningScript,
    'engines', new RespMap(['LUA', new RespMap(['libraries_count', libraries.length, 'functions_count', functions])]),
  ]);
}

/** FUNCTION DUMP (functionDumpCommand): every library as RDB_OPCODE_FUNCTION2 + its code, then the footer. */
function functionDump(ctx: CommandContext): RespValue {
  const scripting = scriptingOf(ctx.server);
  const compress = ctx.server.config.get('rdbcompression') === 'yes';
  const parts: Buffer[] = [];
  for (const library of scripting.started ? scripting.engine.listLibraries() : []) {
    parts.push(Buffer.from([RDB_OPCODE_FUNCTION2]), encodeString(library.code, compress));
  }
  return withFooter(Buffer.concat(parts));
}

/** The library codes of a verified payload (functionRestoreCommand's loop), or the error text. */
function payloadLibraries(payload: Buffer): Buffer[] | string {
  const reader = new RdbReader(payload);
  const codes: Buffer[] = [];
  while (reader.position < payload.length - 10) {
    const type = reader.byte();
    if (type === RDB_OPCODE_FUNCTION2) {
      const code = reader.string();
      if (code === undefined) return 'ERR Failed loading library payload';
      codes.push(code);
      continue;
    }
    if (type !== RDB_OPCODE_FUNCTION) return 'ERR given type is not a function';
    // The 7.0 release candidates' format: name, engine, optional description, code; converted to a shebang.
    const name = reader.string();
    if (name === undefined) return 'ERR Failed loading library name';
    const engineName = reader.string();
    if (engineName === undefined) return 'ERR Failed loading engine name';
    const hasDescription = reader.length();
    if (hasDescription === undefined) return 'ERR Failed loading library description indicator';
    if (hasDescription.value !== 0 && reader.string() === undefined) return 'ERR Failed loading library description';
    const code = reader.string();
    if (code === undefined) return 'ERR Failed loading library blob';
    codes.push(Buffer.concat([Buffer.from(`#!${engineName.toString('latin1')} name=${name.toString('latin1')}\n`, 'latin1'), code]));
  }
  return codes;
}

/** FUNCTION RESTORE <payload> [FLUSH|APPEND|REPLACE] (functionRestoreCommand, libraryJoin): all or nothing. */
function functionRestore(ctx: CommandContext, args: string[]): RespValue {
  if (args.length > 4) {
    fail(`ERR unknown subcommand or wrong number of arguments for '${cString(args[1]!)}'. Try FUNCTION HELP.`);
  }
  let policy = 'append';
  if (args.length === 4) {
    policy = args[3]!.toLowerCase();
    if (policy !== 'append' && policy !== 'replace' && policy !== 'flush') {
      fail('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
    }
  }
  const payload = Buffer.from(args[2]!, 'latin1');
  if (!verifyPayload(payload)) fail('ERR DUMP payload version or checksum are wrong');
  // The libraries are created in a fresh engine first (functionsCreateWithLibraryCtx into a new library context):
  // a library that does not load, or a duplicate inside the payload, leaves the server's libraries untouched.
  const codes = payloadLibraries(payload);
  if (typeof codes === 'string') fail(codes);
  const staging = new LuaEngine();
  try {
    for (const code of codes) staging.loadLibrary(code, false);
  } catch (error) {
    if (error instanceof LuaScriptError) fail(error.message);
    throw error;
  }
  const scripting = scriptingOf(ctx.server);
  const engine = scripting.engine;
  if (policy === 'flush') {
    engine.flushFunctions();
  } else {
    const incoming = staging.listLibraries();
    const current = new Map(engine.listLibraries().map((library) => [library.name, library]));
    const replaced = new Set<string>();
    for (const library of incoming) {
      if (!current.has(library.name)) continue;
      if (policy !== 'replace') fail(`ERR Library ${library.name} already exists`);
      replaced.add(library.name);
    }
    for (const library of incoming) {
      for (const fn of library.functions) {
        const existing = engine.getFunction(fn.name);
        if (existing !== undefined && !replaced.has(existing.library)) fail(`ERR Function ${fn.name} already exists`);
      }
    }
  }
  for (const code of codes) engine.loadLibrary(code, true);
  return OK;
}

const HELP = [
  'FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

const SCRIPTING = ['slow', 'scripting'] as const;

export const functionCommands = [
  {
    name: 'fcall', arity: -3, flagsFor: fcallFlagsFor, flags: ['noscript', 'stale', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'movablekeys'],
    firstKey: 0, lastKey: 0, keyStep: 0, categories: SCRIPTING, run: fcall(false),
  },
  {
    name: 'fcall_ro', arity: -3, flagsFor: fcallFlagsFor, flags: ['readonly', 'noscript', 'stale', 'skip_monitor', 'no_mandatory_keys', 'movablekeys'],
    firstKey: 0, lastKey: 0, keyStep: 0, categories: SCRIPTING, run: fcall(true),
  },
  {
    name: 'function', arity: -2, flags: [], categories: ['slow'],
    subcommands: [
      { name: 'load', arity: -3, flags: ['write', 'denyoom', 'noscript'], categories: ['write', ...SCRIPTING], run: functionLoad },
      { name: 'list', arity: -2, flags: ['noscript'], categories: SCRIPTING, run: functionList },
      { name: 'delete', arity: 3, flags: ['write', 'noscript'], categories: ['write', ...SCRIPTING], run: functionDelete },
      { name: 'flush', arity: -2, flags: ['write', 'noscript'], categories: ['write', ...SCRIPTING], run: functionFlush },
      { name: 'kill', arity: 2, flags: ['noscript', 'allow_busy'], categories: SCRIPTING, run: functionKill },
      { name: 'stats', arity: 2, flags: ['noscript', 'allow_busy'], categories: SCRIPTING, run: functionStats },
      { name: 'dump', arity: 2, flags: ['noscript'], categories: SCRIPTING, run: functionDump },
      { name: 'restore', arity: -3, flags: ['write', 'denyoom', 'noscript'], categories: ['write', ...SCRIPTING], run: functionRestore },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], categories: SCRIPTING, run: () => HELP },
    ],
  },
] as const satisfies readonly CommandSpec[];
