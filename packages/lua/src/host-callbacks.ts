/**
 * The wasm's calls back into the engine while a script runs: redis.call / redis.pcall into the host, the busy-script
 * check (which may suspend the script), redis.acl_check_cmd, redis.log, and redis.register_function during FUNCTION
 * LOAD; with the bytes the wasm reads back (a reply, or a registration error). And the run itself: a script's
 * start, and its resumption each time a host check's Promise settles.
 */
import type { CheckResult, ScriptHost, ScriptReply } from './engine-types.js';
import type { FunctionEntry } from './libraries.js';
import type { WasmHostImports, WasmModule } from './wasm.js';
import type { WasmMemory } from './wasm-memory.js';

/** A RESP error reply of a text (line breaks folded to spaces). */
export function errorReply(text: string): Buffer {
  return Buffer.from(`-${text.replace(/[\r\n]+/g, ' ')}\r\n`, 'latin1');
}

/** Thrown by the panic callback: an unprotected Lua error (which should not happen). */
export class LuaPanic extends Error {}

/** Runs into the wasm on a Lua state, resetting the state if Lua panics. */
export type Guard = (ctx: number, run: () => number) => number;

/** The host callbacks and the state of the current run they share with the engine. */
export class HostCallbacks implements Omit<WasmHostImports, 'read' | 'panic'> {
  /** The host of the running script (undefined between runs). */
  host: ScriptHost | undefined;
  /** What the wasm reads next with `read`. */
  pending: Uint8Array = Buffer.alloc(0);
  /** The host check's Promise that suspended the script. */
  yielded: Promise<CheckResult> | undefined;
  /** The functions FUNCTION LOAD's library body registers (undefined outside FUNCTION LOAD), and its library. */
  registering: Map<string, FunctionEntry> | undefined;
  registeringLibrary = '';
  /** True while a script is suspended (its Promise has not settled). */
  busy = false;
  readonly #wasm: WasmModule;
  readonly #memory: WasmMemory;

  constructor(wasm: WasmModule, memory: WasmMemory) {
    this.#wasm = wasm;
    this.#memory = memory;
  }

  /** Runs a script from `start`: its reply, or a Promise of it when a host check suspends it. */
  run(ctx: number, host: ScriptHost, start: () => number, guard: Guard): ScriptReply {
    this.host = host;
    this.yielded = undefined;
    const status = guard(ctx, start);
    if (status === 0) {
      this.host = undefined;
      return this.#memory.output(ctx);
    }
    this.busy = true;
    return this.#resumeLoop(ctx, host, guard);
  }

  async #resumeLoop(ctx: number, host: ScriptHost, guard: Guard): Promise<Buffer> {
    try {
      for (;;) {
        let decision: CheckResult;
        try {
          decision = await this.yielded!;
        } catch {
          decision = 'continue';
        }
        this.host = host;
        this.yielded = undefined;
        const status = guard(ctx, () => this.#wasm.exports.mr_resume(ctx, decision === 'kill' ? 1 : 0));
        if (status === 0) return this.#memory.output(ctx);
      }
    } finally {
      this.host = undefined;
      this.busy = false;
    }
  }

  call(argv: number, len: number, resp: number): number {
    const args = this.#memory.decodeArgv(argv, len);
    let reply: Uint8Array;
    try {
      reply = this.host ? this.host.call(args, resp === 3 ? 3 : 2) : errorReply('ERR no host');
      if (reply.length === 0) reply = errorReply('ERR empty reply from the host');
    } catch (e) {
      reply = errorReply(`ERR ${e instanceof Error ? e.message : String(e)}`);
    }
    this.pending = reply;
    return reply.length;
  }

  acl(argv: number, len: number): number {
    const args = this.#memory.decodeArgv(argv, len);
    const allowed = this.host?.aclCheck ? this.host.aclCheck(args) : true;
    return allowed === undefined ? -1 : allowed ? 1 : 0;
  }

  log(level: number, msg: number, len: number): void {
    this.host?.log?.(level, this.#memory.copy(msg, len));
  }

  /** 0: go on, 1: kill, 2: suspend (the Promise is in `yielded`). */
  check(canYield: number): number {
    const check = this.host?.check;
    if (!check) return 0;
    let r: CheckResult | Promise<CheckResult>;
    try {
      r = check.call(this.host, canYield !== 0);
    } catch {
      return 0;
    }
    if (r === 'kill') return 1;
    if (r === 'continue') return 0;
    if (canYield === 0) {
      r.catch(() => {});
      return 0;
    }
    this.yielded = r;
    return 2;
  }

  /** 0 when registered, else the length of the error text left in `pending`. */
  register(name: number, nameLen: number, ref: number, flags: number, desc: number, descLen: number): number {
    const fnName = this.#memory.copy(name, nameLen).toString('latin1');
    const registering = this.registering;
    let error: string | undefined;
    if (!registering) error = 'redis.register_function can only be called on FUNCTION LOAD command';
    else if (registering.has(fnName)) error = 'Function already exists in the library';
    if (error !== undefined) {
      this.pending = Buffer.from(error, 'latin1');
      return this.pending.length;
    }
    const description = descLen < 0 ? null : this.#memory.copy(desc, descLen).toString('latin1');
    registering!.set(fnName, { name: fnName, library: this.registeringLibrary, description, flags, ref });
    return 0;
  }
}
