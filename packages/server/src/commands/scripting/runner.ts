/**
 * Running Lua scripts and functions (Redis's script.c): the engine (@mini-redis/lua, created on first use), the
 * script's own client context (database, RESP version of redis.call replies), the checks scriptCall() makes before
 * a command runs from a script, and the busy-script protocol: past `busy-reply-threshold` the script yields to the
 * event loop from its instruction hook, other clients get BUSY, and SCRIPT KILL / FUNCTION KILL can stop it.
 */
import { LuaEngine, type CheckResult, type ScriptHost, type ScriptReply } from '@mini-redis/lua';
import { ErrorReply, RawReply, ReplyWriter, type RespValue } from '@mini-redis/protocol';
import { CommandContext, type ServerContext } from '../../context.js';
import { OOM_ERROR } from '../../eviction.js';
import { formatDouble } from '../../format.js';
import { call } from '../dispatch.js';

export const BUSY_EVAL = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
export const BUSY_FUNCTION = 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';

/** The script being run. */
interface Running {
  readonly kind: 'eval' | 'function';
  readonly startedAt: number;
  readonly readOnly: boolean;
  /** The script declared allow-oom: its commands run even when the server is out of memory (SCRIPT_ALLOW_OOM). */
  readonly allowOom: boolean;
  /** A write command ran (SCRIPT KILL then answers UNKILLABLE). */
  wrote: boolean;
  killed: boolean;
  /** FCALL's function name and the caller's arguments (FUNCTION STATS shows them). */
  readonly name?: string;
  readonly command?: readonly string[];
}

/** Per-server scripting state. */
export class Scripting {
  readonly server: ServerContext;
  private engineInstance: LuaEngine | undefined;
  /** The Lua client: commands called from scripts run on it. */
  private readonly luaClient: CommandContext;
  running: Running | undefined;
  private readonly writer: { 2: ReplyWriter; 3: ReplyWriter };

  constructor(server: ServerContext) {
    this.server = server;
    this.luaClient = new CommandContext(server, 0);
    this.luaClient.authenticated = true;
    this.luaClient.denyBlocking = true;
    this.luaClient.script = true;
    this.writer = {
      2: new ReplyWriter({ protocol: 2, stringEncoding: 'latin1', formatDouble }),
      3: new ReplyWriter({ protocol: 3, stringEncoding: 'latin1', formatDouble }),
    };
  }

  /** The engine, created (synchronously: a few ms) on first use. */
  get engine(): LuaEngine {
    this.engineInstance ??= new LuaEngine();
    return this.engineInstance;
  }

  /** True when the engine exists (SCRIPT FLUSH on a server that never ran a script need not create it). */
  get started(): boolean {
    return this.engineInstance !== undefined;
  }

  /**
   * Runs a script or function for `ctx`, with the host that serves its redis.call. Returns the reply bytes in the
   * caller's protocol (or a promise of them when the script ran past the busy threshold and yielded).
   */
  run(
    ctx: CommandContext,
    kind: 'eval' | 'function',
    readOnly: boolean,
    start: (host: ScriptHost) => ScriptReply,
    info: { name: string; command: readonly string[] } | undefined = undefined,
    allowOom = false,
  ): RespValue | Promise<RespValue> {
    const running: Running = { kind, startedAt: Date.now(), readOnly, allowOom, wrote: false, killed: false, ...info };
    this.running = running;
    const lua = this.luaClient;
    lua.db = ctx.db;
    lua.lastCommand = undefined;
    const threshold = Number(this.server.config.get('busy-reply-threshold'));
    const host: ScriptHost = {
      call: (args, protocol) => this.callFromScript(running, args, protocol),
      log: (level, message) => this.server.log(`[script ${['debug', 'verbose', 'notice', 'warning'][level] ?? level}] ${message.toString('latin1')}`),
      check: (canYield) => this.check(running, threshold, canYield),
    };
    const finish = (bytes: Buffer): RespValue => {
      if (this.running === running) this.running = undefined;
      this.server.busyScript = undefined;
      return new RawReply(bytes);
    };
    let reply: ScriptReply;
    try {
      reply = start(host);
    } catch (error) {
      this.running = undefined;
      this.server.busyScript = undefined;
      throw error;
    }
    if (reply instanceof Promise) return reply.then(finish, (error: unknown) => {
      finish(Buffer.alloc(0));
      throw error;
    });
    return finish(reply);
  }

  /** SCRIPT KILL / FUNCTION KILL (script.c scriptKill). Returns the error text, or undefined when killed. */
  kill(isEval: boolean): string | undefined {
    const running = this.running;
    if (running === undefined) return 'NOTBUSY No scripts in execution right now.';
    if (running.wrote) {
      return 'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.';
    }
    if (isEval && running.kind !== 'eval') return BUSY_FUNCTION;
    if (!isEval && running.kind === 'eval') return BUSY_EVAL;
    running.killed = true;
    return undefined;
  }

  private check(running: Running, threshold: number, canYield: boolean): CheckResult | Promise<CheckResult> {
    if (running.killed) return 'kill';
    if (threshold <= 0 || Date.now() - running.startedAt < threshold) return 'continue';
    // Past the threshold: other clients are answered BUSY while the script yields to the event loop between slices.
    if (this.server.busyScript === undefined) {
      this.server.busyScript = running.kind === 'eval' ? BUSY_EVAL : BUSY_FUNCTION;
      this.server.log(`Slow script detected: still in execution after ${Date.now() - running.startedAt} milliseconds.`);
    }
    if (!canYield) return 'continue';
    return new Promise((resolve) => setImmediate(() => resolve(running.killed ? 'kill' : 'continue')));
  }

  /** One redis.call / redis.pcall: scriptCall()'s checks, then the command, its reply as RESP bytes. */
  private callFromScript(running: Running, argv: Buffer[], protocol: 2 | 3): Uint8Array {
    const args: string[] = new Array<string>(argv.length);
    for (let i = 0; i < argv.length; i++) args[i] = argv[i]!.toString('latin1');
    const error = (text: string) => Buffer.from(`-${text}\r\n`, 'latin1');
    const table = this.server.commands;
    let spec = table.lookup(args[0] ?? '');
    if (spec !== undefined && spec.subcommands !== undefined && args.length > 1) {
      spec = table.lookupSubcommand(spec, args[1]!) ?? spec;
    }
    if (spec === undefined) return error('ERR Unknown Redis command called from script');
    if ((spec.arity > 0 && args.length !== spec.arity) || args.length < -spec.arity) {
      return error('ERR Wrong number of args calling Redis command from script');
    }
    if (spec.flags.includes('noscript')) return error('ERR This Redis command is not allowed from script');
    const write = spec.flags.includes('write');
    if (write && running.readOnly) return error('ERR Write commands are not allowed from read-only scripts.');
    // scriptVerifyOOM: while the script has not written yet, denyoom commands fail if the script started out of memory.
    const eviction = this.server.eviction;
    if (
      eviction !== undefined && eviction.maxmemory !== 0 && eviction.oom && !running.allowOom && !running.wrote &&
      spec.flags.includes('denyoom')
    ) {
      return error(OOM_ERROR);
    }
    const lua = this.luaClient;
    lua.protocol = protocol;
    const reply = call(lua, spec, args);
    if (write) running.wrote = true;
    const writer = this.writer[protocol];
    writer.value(reply instanceof Promise ? new ErrorReply('ERR This command is not allowed from script') : reply);
    const chunks = writer.take();
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }
}

const byServer = new WeakMap<ServerContext, Scripting>();

/** The scripting state of a server. */
export function scriptingOf(server: ServerContext): Scripting {
  let scripting = byServer.get(server);
  if (scripting === undefined) byServer.set(server, (scripting = new Scripting(server)));
  return scripting;
}
