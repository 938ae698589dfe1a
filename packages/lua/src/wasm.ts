/**
 * Loads wasm/redis-lua.wasm (built by build/build.sh) with the imports it needs: the host_* functions of
 * csrc/glue.c, plus the handful of emscripten runtime imports (setjmp/longjmp through invoke_vii, heap growth,
 * a clock). No filesystem, no stdout: libc's stdio calls are stubs.
 */
import { readFileSync } from 'node:fs';

// The few WebAssembly JS API shapes used here (our lib settings have no DOM/WebAssembly declarations).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmTable {
  get(index: number): unknown;
}
interface CompiledModule {
  readonly __compiled: unique symbol;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => CompiledModule;
  Instance: new (module: CompiledModule, imports: object) => { exports: Record<string, unknown> };
};

/** The callbacks glue.c calls; engine.ts implements them. */
export interface WasmHostImports {
  call(argv: number, len: number, resp: number): number;
  read(dst: number): void;
  acl(argv: number, len: number): number;
  log(level: number, msg: number, len: number): void;
  check(canYield: number): number;
  register(name: number, nameLen: number, ref: number, flags: number, desc: number, descLen: number): number;
  panic(msg: number): never;
}

/** The exports of glue.c (pointers are numbers into `memory`). */
export interface WasmExports {
  memory: WasmMemory;
  mr_new(isFunctions: number, memLimit: number): number;
  mr_close(ctx: number): void;
  mr_set_memory_limit(ctx: number, limit: number): void;
  mr_memory(ctx: number): number;
  mr_gc(ctx: number): void;
  mr_out_ptr(ctx: number): number;
  mr_out_len(ctx: number): number;
  mr_sha1hex(p: number, len: number, out41: number): void;
  mr_eval_create(ctx: number, body: number, len: number): number;
  mr_eval_forget(ctx: number, sha40: number): void;
  mr_eval_run(ctx: number, sha40: number, args: number, nkeys: number, nargs: number, resp: number, hook: number): number;
  mr_resume(ctx: number, kill: number): number;
  mr_fn_meta(ctx: number, payload: number, len: number): number;
  mr_fn_create(ctx: number, code: number, len: number, timeoutMs: number): number;
  mr_fn_unref(ctx: number, ref: number): void;
  mr_fn_call(ctx: number, ref: number, name: number, nameLen: number, args: number, nkeys: number, nargs: number, resp: number, hook: number): number;
  mr_malloc(n: number): number;
  mr_free(p: number): void;
  stackSave(): number;
  stackRestore(sp: number): void;
}

/** An instantiated module: its exports and a fresh byte view of its (growable) memory. */
export interface WasmModule {
  readonly exports: WasmExports;
  /** The current Uint8Array over the memory (a new one after the memory grew). */
  heap(): Uint8Array;
}

let compiled: CompiledModule | undefined;

/**
 * The compiled module, read and compiled once per process. MINI_REDIS_LUA_WASM names another build of the same
 * sources (a benchmarking aid: tools/bench compares an Asyncify build this way).
 */
export function wasmModule(): CompiledModule {
  const override = process.env['MINI_REDIS_LUA_WASM'];
  compiled ??= new WebAssembly.Module(readFileSync(override ? override : new URL('../wasm/redis-lua.wasm', import.meta.url)));
  return compiled;
}

/** A new instance (its own memory, so its own Lua states) calling `host`. */
export function instantiate(host: WasmHostImports): WasmModule {
  // Assigned once the instance exists; the imports below close over it.
  // eslint-disable-next-line prefer-const
  let exports!: WasmExports & Record<string, unknown>;
  let view = new Uint8Array(0);
  let tempRet0 = 0;
  const heap = (): Uint8Array => {
    if (view.buffer !== exports.memory.buffer) view = new Uint8Array(exports.memory.buffer);
    return view;
  };
  /** Table entries called through invoke_vii, looked up once (Table.get is slow). */
  const functions: ((a: number, b: number) => void)[] = [];
  const table = (): WasmTable => exports['__indirect_function_table'] as WasmTable;
  const cString = (p: number): string => {
    const h = heap();
    let end = p;
    while (h[end] !== 0) end++;
    return Buffer.from(h.subarray(p, end)).toString('latin1');
  };
  const env = {
    host_call: (argv: number, len: number, resp: number) => host.call(argv, len, resp),
    host_read: (dst: number) => host.read(dst),
    host_acl: (argv: number, len: number) => host.acl(argv, len),
    host_log: (level: number, msg: number, len: number) => host.log(level, msg, len),
    host_check: (canYield: number) => host.check(canYield),
    host_register: (name: number, nameLen: number, ref: number, flags: number, desc: number, descLen: number) =>
      host.register(name, nameLen, ref, flags, desc, descLen),
    host_panic: (msg: number) => host.panic(msg),
    // setjmp/longjmp as emscripten does it: a longjmp throws, invoke_* catches and reports it through setThrew.
    invoke_vii: (index: number, a1: number, a2: number) => {
      const sp = exports.stackSave();
      try {
        let f = functions[index];
        if (!f) functions[index] = f = table().get(index) as (a: number, b: number) => void;
        f(a1, a2);
      } catch (e) {
        exports.stackRestore(sp);
        if (e !== Infinity) throw e;
        (exports['setThrew'] as (a: number, b: number) => void)(1, 0);
      }
    },
    _emscripten_throw_longjmp: () => {
      throw Infinity;
    },
    getTempRet0: () => tempRet0,
    setTempRet0: (v: number) => {
      tempRet0 = v;
    },
    emscripten_get_now: () => performance.now(),
    emscripten_memcpy_big: (dest: number, src: number, num: number) => {
      heap().copyWithin(dest, src, src + num);
    },
    emscripten_resize_heap: (requested: number) => {
      const memory = exports.memory;
      const max = 2 ** 31;
      requested >>>= 0;
      if (requested > max) return 0;
      const old = memory.buffer.byteLength;
      const target = Math.min(max, Math.max(requested, Math.ceil(old * 1.25)));
      try {
        memory.grow(Math.ceil((target - old) / 65536));
        return 1;
      } catch {
        try {
          memory.grow(Math.ceil((requested - old) / 65536));
          return 1;
        } catch {
          return 0;
        }
      }
    },
    abort: () => {
      throw new Error('redis-lua wasm: abort()');
    },
    exit: (code: number) => {
      throw new Error(`redis-lua wasm: exit(${code})`);
    },
    __assert_fail: (cond: number, file: number, line: number) => {
      throw new Error(`redis-lua wasm: assertion failed: ${cString(cond)} at ${cString(file)}:${line}`);
    },
    // stdio is never used by the engine (no print, no io library, no loadfile): stubs.
    __syscall_open: () => -1,
    __syscall_fcntl64: () => 0,
    __syscall_ioctl: () => 0,
    __syscall_dup3: () => -1,
  };
  const wasi = {
    fd_write: (_fd: number, iov: number, iovcnt: number, pnum: number) => {
      const dv = new DataView(exports.memory.buffer);
      let n = 0;
      for (let i = 0; i < iovcnt; i++) n += dv.getUint32(iov + i * 8 + 4, true);
      dv.setUint32(pnum, n, true);
      return 0;
    },
    fd_read: () => 0,
    fd_close: () => 0,
    fd_seek: () => 0,
  };
  const instance = new WebAssembly.Instance(wasmModule(), { env, wasi_snapshot_preview1: wasi });
  exports = instance.exports as unknown as WasmExports & Record<string, unknown>;
  (exports['__wasm_call_ctors'] as () => void)();
  return { exports, heap };
}
