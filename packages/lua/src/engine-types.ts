/**
 * The engine's public types: what a host provides to a running script, script flags, the cache's and the function
 * libraries' views, the errors, and the engine options.
 */

/** The RESP protocol of a reply: 2 or 3. */
export type Protocol = 2 | 3;

/** What a host check answers: go on, or raise the SCRIPT KILL error in the script. */
export type CheckResult = 'continue' | 'kill';

/** The server side of a running script. */
export interface ScriptHost {
  /**
   * Runs one redis.call / redis.pcall: `args` is the command and its arguments (numbers already formatted as
   * Redis does, with %.17g); returns the reply as RESP bytes in `protocol` (the script's redis.setresp protocol),
   * exactly as the server writes it. An error reply (`-ERR ...`) makes redis.call raise it. The checks Redis's
   * scriptCall() makes (unknown command: `-ERR Unknown Redis command called from script`, wrong arity, ACL, deny-
   * script and write/OOM checks) are the host's to answer the same way. Must be synchronous; a throw becomes an
   * `-ERR <message>` reply.
   */
  call(args: Buffer[], protocol: Protocol): Uint8Array;
  /** redis.log(level, ...): level 0 (debug) .. 3 (warning); the host filters by its verbosity. */
  log?(level: number, message: Buffer): void;
  /**
   * Called every 100,000 Lua instructions (Redis's busy-script hook). 'kill' raises `ERR Script killed by user with
   * SCRIPT KILL...`; a Promise suspends the script (the call that started it returns a Promise) until it settles,
   * when `canYield` is true. When `canYield` is false (the script is inside pcall, a metamethod, a sort
   * comparator...) a returned Promise is ignored and the script goes on; only a synchronous 'kill' acts there.
   */
  check?(canYield: boolean): CheckResult | Promise<CheckResult>;
  /** redis.acl_check_cmd(...): true if allowed, false if not, undefined for an unknown command. Default: true. */
  aclCheck?(args: Buffer[]): boolean | undefined;
}

/** The reply of a script run: RESP bytes in the caller's protocol, or a Promise of them if the script yielded. */
export type ScriptReply = Buffer | Promise<Buffer>;

/** Script flags (from `#!lua flags=...` or redis.register_function's flags), as Redis 7.0 names them. */
export const SCRIPT_FLAGS = {
  'no-writes': 1,
  'allow-oom': 2,
  'allow-stale': 4,
  'no-cluster': 8,
  /** Set for EVAL scripts without a shebang line. */
  'eval-compat-mode': 16,
  'allow-cross-slot-keys': 32,
} as const;

/** The names of the flags set in `flags`. */
export function scriptFlagNames(flags: number): string[] {
  return Object.entries(SCRIPT_FLAGS)
    .filter(([, bit]) => (flags & bit) !== 0)
    .map(([name]) => name);
}

/** A script in the EVAL cache. */
export interface CachedScript {
  readonly sha: string;
  readonly body: Buffer;
  /** SCRIPT_FLAGS bits; `eval-compat-mode` when the script has no shebang. */
  readonly flags: number;
}

/** A function registered by a library. */
export interface LuaFunctionInfo {
  readonly name: string;
  readonly library: string;
  readonly description: string | null;
  /** SCRIPT_FLAGS bits. */
  readonly flags: number;
}

/** A loaded library (FUNCTION LIST's view). */
export interface LuaLibraryInfo {
  readonly name: string;
  readonly engine: 'LUA';
  readonly code: Buffer;
  readonly functions: readonly LuaFunctionInfo[];
}

/** A script or library that could not be loaded: `message` is the error text, `reply` its RESP error reply. */
export class LuaScriptError extends Error {
  override readonly name = 'LuaScriptError';
  readonly reply: Buffer;
  constructor(reply: Buffer) {
    const text = reply.toString('latin1').replace(/^-/, '').replace(/\r\n$/, '');
    super(text);
    this.reply = reply;
  }
}

/** Thrown when a call is made while a script is suspended (Redis answers BUSY to such clients). */
export class LuaBusyError extends Error {
  override readonly name = 'LuaBusyError';
  constructor() {
    super('a script is running (suspended in a host check); wait for it or kill it');
  }
}

/** Options of createLuaEngine. */
export interface LuaEngineOptions {
  /**
   * Bytes each Lua state (EVAL's, FUNCTION's) may hold; an allocation beyond it fails with Lua's "not enough
   * memory" error (a script gets `-ERR Error running script <sha>, not enough memory`) and the state stays usable.
   * 0: no limit. Default: 256 MiB.
   */
  memoryLimit?: number;
  /** FUNCTION LOAD's time limit for running a library's body, in ms (Redis: 500). 0: none. */
  functionLoadTimeout?: number;
}
