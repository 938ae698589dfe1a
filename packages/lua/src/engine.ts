/**
 * The TypeScript side of the engine: two Lua states in one wasm instance (EVAL's and FUNCTION's, as in Redis
 * 7.0), the script cache, the function libraries, and the host callbacks of a running script.
 */
import { instantiate, type WasmModule } from './wasm.js';

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

interface FunctionEntry extends LuaFunctionInfo {
  readonly ref: number;
}

interface LibraryEntry {
  readonly name: string;
  readonly code: Buffer;
  readonly functions: Map<string, FunctionEntry>;
}

const NOSCRIPT = Buffer.from('-NOSCRIPT No matching script. Please use EVAL.\r\n', 'latin1');
const DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024;

class LuaPanic extends Error {}

function errorReply(text: string): Buffer {
  return Buffer.from(`-${text.replace(/[\r\n]+/g, ' ')}\r\n`, 'latin1');
}

/** The engine: see README.md. */
export class LuaEngine {
  readonly #wasm: WasmModule;
  readonly #memoryLimit: number;
  readonly #loadTimeout: number;
  #evalCtx = 0;
  #fnCtx = 0;
  readonly #scripts = new Map<string, CachedScript>();
  readonly #libraries = new Map<string, LibraryEntry>();
  readonly #functions = new Map<string, FunctionEntry>();
  /** Scratch memory for arguments passed into the wasm. */
  #scratch = 0;
  #scratchSize = 0;
  #sha = 0;
  // The current run.
  #host: ScriptHost | undefined;
  #pending: Uint8Array = Buffer.alloc(0);
  #yielded: Promise<CheckResult> | undefined;
  #busy = false;
  #registering: Map<string, FunctionEntry> | undefined;
  #registeringLibrary = '';

  /** @internal use createLuaEngine() */
  constructor(options: LuaEngineOptions = {}) {
    this.#memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
    this.#loadTimeout = options.functionLoadTimeout ?? 500;
    this.#wasm = instantiate({
      call: (argv, len, resp) => this.#onCall(argv, len, resp),
      read: (dst) => this.#wasm.heap().set(this.#pending, dst),
      acl: (argv, len) => {
        const args = this.#decodeArgv(argv, len);
        const allowed = this.#host?.aclCheck ? this.#host.aclCheck(args) : true;
        return allowed === undefined ? -1 : allowed ? 1 : 0;
      },
      log: (level, msg, len) => {
        this.#host?.log?.(level, Buffer.from(this.#wasm.heap().subarray(msg, msg + len)));
      },
      check: (canYield) => this.#onCheck(canYield !== 0),
      register: (name, nameLen, ref, flags, desc, descLen) =>
        this.#onRegister(name, nameLen, ref, flags, desc, descLen),
      panic: (msg) => {
        const h = this.#wasm.heap();
        let end = msg;
        while (h[end] !== 0) end++;
        throw new LuaPanic(Buffer.from(h.subarray(msg, end)).toString('latin1'));
      },
    });
    this.#sha = this.#wasm.exports.mr_malloc(41);
    this.#evalCtx = this.#newState(0);
    this.#fnCtx = this.#newState(1);
  }

  #newState(isFunctions: number): number {
    const ctx = this.#wasm.exports.mr_new(isFunctions, this.#memoryLimit);
    if (ctx === 0) throw new Error('could not create a Lua state');
    return ctx;
  }

  /** Bytes held by the EVAL state and by the FUNCTION state (Redis's used_memory_lua / used_memory_vm_functions). */
  memoryUsage(): { eval: number; functions: number } {
    return { eval: this.#wasm.exports.mr_memory(this.#evalCtx), functions: this.#wasm.exports.mr_memory(this.#fnCtx) };
  }

  /** True while a script is suspended (its Promise has not settled). */
  get busy(): boolean {
    return this.#busy;
  }

  /** SHA1 of a script body, in lower-case hex (as SCRIPT LOAD returns it). */
  sha1hex(body: Uint8Array | string): string {
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const p = this.#put(buf);
    this.#wasm.exports.mr_sha1hex(p, buf.length, this.#sha);
    return Buffer.from(this.#wasm.heap().subarray(this.#sha, this.#sha + 40)).toString('latin1');
  }

  // ----- EVAL -----

  /** True if the script is in the cache (SCRIPT EXISTS). */
  hasScript(sha: string): boolean {
    return this.#scripts.has(sha.toLowerCase());
  }

  /** The cached script with this sha. */
  getScript(sha: string): CachedScript | undefined {
    return this.#scripts.get(sha.toLowerCase());
  }

  /**
   * Compiles and caches a script (SCRIPT LOAD); returns its sha. Throws LuaScriptError with Redis's error (e.g.
   * `ERR Error compiling script (new function): user_script:1: ...`).
   */
  loadScript(body: Uint8Array | string): string {
    return this.#create(typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body)).sha;
  }

  #create(body: Buffer): CachedScript {
    this.#checkIdle();
    const sha = this.sha1hex(body);
    const cached = this.#scripts.get(sha);
    if (cached) return cached;
    const p = this.#put(body);
    const flags = this.#guard(this.#evalCtx, () => this.#wasm.exports.mr_eval_create(this.#evalCtx, p, body.length));
    if (flags < 0) throw new LuaScriptError(this.#output(this.#evalCtx));
    const script = { sha, body, flags };
    this.#scripts.set(sha, script);
    return script;
  }

  /**
   * EVAL: compiles the body if needed (cached by sha) and runs it with KEYS and ARGV. Returns the reply in
   * `protocol` (an error reply for compile and run-time errors), or a Promise of it when host.check() suspended
   * the script.
   */
  eval(body: Uint8Array | string, keys: readonly Uint8Array[], args: readonly Uint8Array[], protocol: Protocol, host: ScriptHost): ScriptReply {
    let script: CachedScript;
    try {
      script = this.#create(typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body));
    } catch (e) {
      if (e instanceof LuaScriptError) return e.reply;
      throw e;
    }
    return this.#evalRun(script.sha, keys, args, protocol, host);
  }

  /** EVALSHA: runs a cached script; `-NOSCRIPT No matching script. Please use EVAL.` when it is not cached. */
  evalsha(sha: string, keys: readonly Uint8Array[], args: readonly Uint8Array[], protocol: Protocol, host: ScriptHost): ScriptReply {
    const script = this.#scripts.get(sha.toLowerCase());
    if (!script) return NOSCRIPT;
    return this.#evalRun(script.sha, keys, args, protocol, host);
  }

  #evalRun(sha: string, keys: readonly Uint8Array[], args: readonly Uint8Array[], protocol: Protocol, host: ScriptHost): ScriptReply {
    this.#checkIdle();
    const e = this.#wasm.exports;
    const shaP = this.#sha;
    this.#wasm.heap().set(Buffer.from(sha, 'latin1'), shaP);
    const argsP = this.#putArgs(keys, args);
    return this.#run(this.#evalCtx, host, () =>
      e.mr_eval_run(this.#evalCtx, shaP, argsP, keys.length, args.length, protocol, host.check ? 1 : 0),
    );
  }

  /** SCRIPT FLUSH: forgets every script and starts a fresh EVAL Lua state (as Redis does). */
  flushScripts(): void {
    this.#checkIdle();
    this.#scripts.clear();
    this.#wasm.exports.mr_close(this.#evalCtx);
    this.#evalCtx = this.#newState(0);
  }

  // ----- FUNCTION -----

  /**
   * FUNCTION LOAD [REPLACE]: the code starts with `#!lua name=<library>`. Returns the library name; throws
   * LuaScriptError with Redis's error text (e.g. `ERR Library 'x' already exists`).
   */
  loadLibrary(code: Uint8Array | string, replace = false): string {
    this.#checkIdle();
    const buf = typeof code === 'string' ? Buffer.from(code, 'utf8') : Buffer.from(code);
    const e = this.#wasm.exports;
    const ctx = this.#fnCtx;
    const p = this.#put(buf);
    const codeOffset = e.mr_fn_meta(ctx, p, buf.length);
    const text = this.#output(ctx).toString('latin1');
    if (codeOffset < 0) throw new LuaScriptError(errorReply(`ERR ${text}`));
    const name = text;
    const old = this.#libraries.get(name);
    if (old && !replace) throw new LuaScriptError(errorReply(`ERR Library '${name}' already exists`));
    // libraryUnlink(): the old library's functions stop counting for the duplicate check.
    if (old) for (const fn of old.functions.keys()) this.#functions.delete(fn);
    const registered = new Map<string, FunctionEntry>();
    this.#registering = registered;
    this.#registeringLibrary = name;
    let status: number;
    try {
      status = this.#guard(ctx, () => e.mr_fn_create(ctx, p + codeOffset, buf.length - codeOffset, this.#loadTimeout));
    } finally {
      this.#registering = undefined;
    }
    const fail = (message: string): never => {
      for (const fn of registered.values()) e.mr_fn_unref(ctx, fn.ref);
      if (old) for (const [fn, entry] of old.functions) this.#functions.set(fn, entry);
      throw new LuaScriptError(errorReply(`ERR ${message}`));
    };
    if (status !== 0) fail(this.#output(ctx).toString('latin1'));
    if (registered.size === 0) fail('No functions registered');
    for (const fn of registered.keys()) if (this.#functions.has(fn)) fail(`Function ${fn} already exists`);
    if (old) for (const fn of old.functions.values()) e.mr_fn_unref(ctx, fn.ref);
    this.#libraries.set(name, { name, code: buf, functions: registered });
    for (const [fn, entry] of registered) this.#functions.set(fn, entry);
    return name;
  }

  /** FCALL: runs a registered function; `-ERR Function not found` when there is none. */
  callFunction(name: string, keys: readonly Uint8Array[], args: readonly Uint8Array[], protocol: Protocol, host: ScriptHost): ScriptReply {
    this.#checkIdle();
    const fn = this.#functions.get(name);
    if (!fn) return errorReply('ERR Function not found');
    const e = this.#wasm.exports;
    const nameBuf = Buffer.from(name, 'latin1');
    const argsP = this.#putArgs(keys, args, nameBuf);
    return this.#run(this.#fnCtx, host, () =>
      e.mr_fn_call(this.#fnCtx, fn.ref, argsP, nameBuf.length, argsP + nameBuf.length, keys.length, args.length, protocol, host.check ? 1 : 0),
    );
  }

  /** The function registered under this name. */
  getFunction(name: string): LuaFunctionInfo | undefined {
    const fn = this.#functions.get(name);
    return fn && { name: fn.name, library: fn.library, description: fn.description, flags: fn.flags };
  }

  /** FUNCTION DELETE: false if there is no such library. */
  deleteLibrary(name: string): boolean {
    this.#checkIdle();
    const lib = this.#libraries.get(name);
    if (!lib) return false;
    for (const fn of lib.functions.values()) {
      this.#functions.delete(fn.name);
      this.#wasm.exports.mr_fn_unref(this.#fnCtx, fn.ref);
    }
    this.#libraries.delete(name);
    return true;
  }

  /** FUNCTION FLUSH: every library goes, and the FUNCTION Lua state starts fresh. */
  flushFunctions(): void {
    this.#checkIdle();
    this.#libraries.clear();
    this.#functions.clear();
    this.#wasm.exports.mr_close(this.#fnCtx);
    this.#fnCtx = this.#newState(1);
  }

  /** The loaded libraries, in load order. */
  listLibraries(): LuaLibraryInfo[] {
    return [...this.#libraries.values()].map((lib) => ({
      name: lib.name,
      engine: 'LUA' as const,
      code: lib.code,
      functions: [...lib.functions.values()].map(({ name, library, description, flags }) => ({ name, library, description, flags })),
    }));
  }

  /** Fresh EVAL and FUNCTION states, no scripts, no libraries. */
  reset(): void {
    this.flushScripts();
    this.flushFunctions();
  }

  /** Runs a full garbage collection of both states. */
  collectGarbage(): void {
    this.#wasm.exports.mr_gc(this.#evalCtx);
    this.#wasm.exports.mr_gc(this.#fnCtx);
  }

  // ----- internals -----

  #checkIdle(): void {
    if (this.#busy) throw new LuaBusyError();
  }

  #run(ctx: number, host: ScriptHost, start: () => number): ScriptReply {
    this.#host = host;
    this.#yielded = undefined;
    const status = this.#guard(ctx, start);
    if (status === 0) {
      this.#host = undefined;
      return this.#output(ctx);
    }
    this.#busy = true;
    return this.#resumeLoop(ctx, host);
  }

  async #resumeLoop(ctx: number, host: ScriptHost): Promise<Buffer> {
    try {
      for (;;) {
        let decision: CheckResult;
        try {
          decision = await this.#yielded!;
        } catch {
          decision = 'continue';
        }
        this.#host = host;
        this.#yielded = undefined;
        const status = this.#guard(ctx, () => this.#wasm.exports.mr_resume(ctx, decision === 'kill' ? 1 : 0));
        if (status === 0) return this.#output(ctx);
      }
    } finally {
      this.#host = undefined;
      this.#busy = false;
    }
  }

  /** Runs into the wasm; a Lua panic (an unprotected error, which should not happen) resets that state. */
  #guard(ctx: number, f: () => number): number {
    const sp = this.#wasm.exports.stackSave();
    try {
      return f();
    } catch (e) {
      if (!(e instanceof LuaPanic)) throw e;
      this.#wasm.exports.stackRestore(sp);
      this.#busy = false;
      if (ctx === this.#evalCtx) {
        this.#scripts.clear();
        this.#evalCtx = this.#newState(0);
      } else {
        this.#libraries.clear();
        this.#functions.clear();
        this.#fnCtx = this.#newState(1);
      }
      throw new Error(`Lua panic (the Lua state was reset): ${e.message}`);
    }
  }

  #output(ctx: number): Buffer {
    const e = this.#wasm.exports;
    const p = e.mr_out_ptr(ctx);
    const n = e.mr_out_len(ctx);
    return Buffer.from(this.#wasm.heap().subarray(p, p + n));
  }

  #reserve(n: number): number {
    if (n > this.#scratchSize) {
      if (this.#scratch) this.#wasm.exports.mr_free(this.#scratch);
      this.#scratchSize = Math.max(n, this.#scratchSize * 2, 4096);
      this.#scratch = this.#wasm.exports.mr_malloc(this.#scratchSize);
      if (this.#scratch === 0) throw new Error('out of wasm memory');
    }
    return this.#scratch;
  }

  #put(buf: Uint8Array): number {
    const p = this.#reserve(buf.length + 1);
    this.#wasm.heap().set(buf, p);
    return p;
  }

  /** keys then args as (u32 len, bytes), after an optional prefix. */
  #putArgs(keys: readonly Uint8Array[], args: readonly Uint8Array[], prefix?: Uint8Array): number {
    let n = prefix?.length ?? 0;
    for (const k of keys) n += 4 + k.length;
    for (const a of args) n += 4 + a.length;
    const p = this.#reserve(n + 1);
    const h = this.#wasm.heap();
    const dv = new DataView(h.buffer);
    let o = p;
    if (prefix) {
      h.set(prefix, o);
      o += prefix.length;
    }
    for (const list of [keys, args]) {
      for (const item of list) {
        dv.setUint32(o, item.length, true);
        h.set(item, o + 4);
        o += 4 + item.length;
      }
    }
    return p;
  }

  #decodeArgv(p: number, len: number): Buffer[] {
    // One copy of the whole argv block, the arguments are views into it (a copy per argument cost more).
    const block = Buffer.from(this.#wasm.heap().subarray(p, p + len));
    const argc = block.readUInt32LE(0);
    const out: Buffer[] = new Array(argc);
    let o = 4;
    for (let i = 0; i < argc; i++) {
      const l = block.readUInt32LE(o);
      out[i] = block.subarray(o + 4, o + 4 + l);
      o += 4 + l;
    }
    return out;
  }

  #onCall(argv: number, len: number, resp: number): number {
    const args = this.#decodeArgv(argv, len);
    let reply: Uint8Array;
    try {
      reply = this.#host ? this.#host.call(args, resp === 3 ? 3 : 2) : errorReply('ERR no host');
      if (reply.length === 0) reply = errorReply('ERR empty reply from the host');
    } catch (e) {
      reply = errorReply(`ERR ${e instanceof Error ? e.message : String(e)}`);
    }
    this.#pending = reply;
    return reply.length;
  }

  #onCheck(canYield: boolean): number {
    const check = this.#host?.check;
    if (!check) return 0;
    let r: CheckResult | Promise<CheckResult>;
    try {
      r = check.call(this.#host, canYield);
    } catch {
      return 0;
    }
    if (r === 'kill') return 1;
    if (r === 'continue') return 0;
    if (!canYield) {
      r.catch(() => {});
      return 0;
    }
    this.#yielded = r;
    return 2;
  }

  #onRegister(name: number, nameLen: number, ref: number, flags: number, desc: number, descLen: number): number {
    const h = this.#wasm.heap();
    const fnName = Buffer.from(h.subarray(name, name + nameLen)).toString('latin1');
    const registering = this.#registering;
    let error: string | undefined;
    if (!registering) error = 'redis.register_function can only be called on FUNCTION LOAD command';
    else if (registering.has(fnName)) error = 'Function already exists in the library';
    if (error !== undefined) {
      this.#pending = Buffer.from(error, 'latin1');
      return this.#pending.length;
    }
    const description = descLen < 0 ? null : Buffer.from(h.subarray(desc, desc + descLen)).toString('latin1');
    registering!.set(fnName, { name: fnName, library: this.#registeringLibrary, description, flags, ref });
    return 0;
  }
}

/** Loads the wasm module (compiled once per process) and creates an engine with fresh Lua states. */
export async function createLuaEngine(options: LuaEngineOptions = {}): Promise<LuaEngine> {
  return new LuaEngine(options);
}
