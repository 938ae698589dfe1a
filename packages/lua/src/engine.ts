/**
 * The TypeScript side of the engine: two Lua states in one wasm instance (EVAL's and FUNCTION's, as in Redis
 * 7.0), the script cache, FUNCTION LOAD / FCALL, and the host callbacks of a running script. Its public types are in
 * engine-types.ts, the library registry in libraries.ts, the byte copies across the wasm boundary in wasm-memory.ts.
 */
import {
  type CachedScript,
  LuaBusyError,
  type LuaEngineOptions,
  type LuaFunctionInfo,
  type LuaLibraryInfo,
  LuaScriptError,
  type Protocol,
  type ScriptHost,
  type ScriptReply,
} from './engine-types.js';
import { errorReply, HostCallbacks, LuaPanic } from './host-callbacks.js';
import { type FunctionEntry, info, Libraries } from './libraries.js';
import { instantiate, type WasmModule } from './wasm.js';
import { WasmMemory } from './wasm-memory.js';

const NOSCRIPT = Buffer.from('-NOSCRIPT No matching script. Please use EVAL.\r\n', 'latin1');
const DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024;

/** The engine: see README.md. */
export class LuaEngine {
  readonly #wasm: WasmModule;
  readonly #memoryLimit: number;
  readonly #loadTimeout: number;
  #evalCtx = 0;
  #fnCtx = 0;
  readonly #scripts = new Map<string, CachedScript>();
  readonly #libraries = new Libraries();
  readonly #memory: WasmMemory;
  #sha = 0;
  /** The host callbacks, and the current run's state. */
  readonly #calls: HostCallbacks;
  readonly #guardBound = (ctx: number, f: () => number) => this.#guard(ctx, f);

  /** @internal use createLuaEngine() */
  constructor(options: LuaEngineOptions = {}) {
    this.#memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
    this.#loadTimeout = options.functionLoadTimeout ?? 500;
    this.#wasm = instantiate({
      call: (argv, len, resp) => this.#calls.call(argv, len, resp),
      read: (dst) => this.#wasm.heap().set(this.#calls.pending, dst),
      acl: (argv, len) => this.#calls.acl(argv, len),
      log: (level, msg, len) => this.#calls.log(level, msg, len),
      check: (canYield) => this.#calls.check(canYield),
      register: (name, nameLen, ref, flags, desc, descLen) =>
        this.#calls.register(name, nameLen, ref, flags, desc, descLen),
      panic: (msg) => {
        const h = this.#wasm.heap();
        let end = msg;
        while (h[end] !== 0) end++;
        throw new LuaPanic(Buffer.from(h.subarray(msg, end)).toString('latin1'));
      },
    });
    this.#memory = new WasmMemory(this.#wasm);
    this.#calls = new HostCallbacks(this.#wasm, this.#memory);
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
    return this.#calls.busy;
  }

  /** SHA1 of a script body, in lower-case hex (as SCRIPT LOAD returns it). */
  sha1hex(body: Uint8Array | string): string {
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const p = this.#memory.put(buf);
    this.#wasm.exports.mr_sha1hex(p, buf.length, this.#sha);
    return this.#memory.copy(this.#sha, 40).toString('latin1');
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
    const p = this.#memory.put(body);
    const flags = this.#guard(this.#evalCtx, () => this.#wasm.exports.mr_eval_create(this.#evalCtx, p, body.length));
    if (flags < 0) throw new LuaScriptError(this.#memory.output(this.#evalCtx));
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
    const argsP = this.#memory.putArgs(keys, args);
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
    const p = this.#memory.put(buf);
    const codeOffset = e.mr_fn_meta(ctx, p, buf.length);
    const text = this.#memory.output(ctx).toString('latin1');
    if (codeOffset < 0) throw new LuaScriptError(errorReply(`ERR ${text}`));
    const name = text;
    const old = this.#libraries.library(name);
    if (old && !replace) throw new LuaScriptError(errorReply(`ERR Library '${name}' already exists`));
    // libraryUnlink(): the old library's functions stop counting for the duplicate check.
    if (old) this.#libraries.unlink(old);
    const registered = new Map<string, FunctionEntry>();
    this.#calls.registering = registered;
    this.#calls.registeringLibrary = name;
    let status: number;
    try {
      status = this.#guard(ctx, () => e.mr_fn_create(ctx, p + codeOffset, buf.length - codeOffset, this.#loadTimeout));
    } finally {
      this.#calls.registering = undefined;
    }
    const fail = (message: string): never => {
      for (const fn of registered.values()) e.mr_fn_unref(ctx, fn.ref);
      if (old) this.#libraries.relink(old);
      throw new LuaScriptError(errorReply(`ERR ${message}`));
    };
    if (status !== 0) fail(this.#memory.output(ctx).toString('latin1'));
    if (registered.size === 0) fail('No functions registered');
    for (const fn of registered.keys()) if (this.#libraries.function(fn)) fail(`Function ${fn} already exists`);
    if (old) for (const fn of old.functions.values()) e.mr_fn_unref(ctx, fn.ref);
    this.#libraries.add(name, buf, registered);
    return name;
  }

  /** FCALL: runs a registered function; `-ERR Function not found` when there is none. */
  callFunction(name: string, keys: readonly Uint8Array[], args: readonly Uint8Array[], protocol: Protocol, host: ScriptHost): ScriptReply {
    this.#checkIdle();
    const fn = this.#libraries.function(name);
    if (!fn) return errorReply('ERR Function not found');
    const e = this.#wasm.exports;
    const nameBuf = Buffer.from(name, 'latin1');
    const argsP = this.#memory.putArgs(keys, args, nameBuf);
    return this.#run(this.#fnCtx, host, () =>
      e.mr_fn_call(this.#fnCtx, fn.ref, argsP, nameBuf.length, argsP + nameBuf.length, keys.length, args.length, protocol, host.check ? 1 : 0),
    );
  }

  /** The function registered under this name. */
  getFunction(name: string): LuaFunctionInfo | undefined {
    const fn = this.#libraries.function(name);
    return fn && info(fn);
  }

  /** FUNCTION DELETE: false if there is no such library. */
  deleteLibrary(name: string): boolean {
    this.#checkIdle();
    const lib = this.#libraries.delete(name);
    if (!lib) return false;
    for (const fn of lib.functions.values()) this.#wasm.exports.mr_fn_unref(this.#fnCtx, fn.ref);
    return true;
  }

  /** FUNCTION FLUSH: every library goes, and the FUNCTION Lua state starts fresh. */
  flushFunctions(): void {
    this.#checkIdle();
    this.#libraries.clear();
    this.#wasm.exports.mr_close(this.#fnCtx);
    this.#fnCtx = this.#newState(1);
  }

  /** The loaded libraries, in load order. */
  listLibraries(): LuaLibraryInfo[] {
    return this.#libraries.list();
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
    if (this.#calls.busy) throw new LuaBusyError();
  }

  #run(ctx: number, host: ScriptHost, start: () => number): ScriptReply {
    return this.#calls.run(ctx, host, start, this.#guardBound);
  }

  /** Runs into the wasm; a Lua panic (an unprotected error, which should not happen) resets that state. */
  #guard(ctx: number, f: () => number): number {
    const sp = this.#wasm.exports.stackSave();
    try {
      return f();
    } catch (e) {
      if (!(e instanceof LuaPanic)) throw e;
      this.#wasm.exports.stackRestore(sp);
      this.#calls.busy = false;
      if (ctx === this.#evalCtx) {
        this.#scripts.clear();
        this.#evalCtx = this.#newState(0);
      } else {
        this.#libraries.clear();
        this.#fnCtx = this.#newState(1);
      }
      throw new Error(`Lua panic (the Lua state was reset): ${e.message}`);
    }
  }
}

/** Loads the wasm module (compiled once per process) and creates an engine with fresh Lua states. */
export async function createLuaEngine(options: LuaEngineOptions = {}): Promise<LuaEngine> {
  return new LuaEngine(options);
}
