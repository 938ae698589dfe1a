/**
 * Moving bytes across the wasm boundary: a scratch buffer in the wasm heap for what goes in (a script body, KEYS and
 * ARGV as length-prefixed items), and copies out of the heap (a Lua state's output, redis.call's argv block).
 */
import type { WasmModule } from './wasm.js';

export class WasmMemory {
  readonly #wasm: WasmModule;
  /** Scratch memory for arguments passed into the wasm. */
  #scratch = 0;
  #scratchSize = 0;

  constructor(wasm: WasmModule) {
    this.#wasm = wasm;
  }

  /** A copy of `length` heap bytes from `at`. */
  copy(at: number, length: number): Buffer {
    return Buffer.from(this.#wasm.heap().subarray(at, at + length));
  }

  /** A copy of a Lua state's output buffer (a reply, or an error text). */
  output(ctx: number): Buffer {
    const e = this.#wasm.exports;
    return this.copy(e.mr_out_ptr(ctx), e.mr_out_len(ctx));
  }

  /** The scratch buffer, grown to at least n bytes. */
  reserve(n: number): number {
    if (n > this.#scratchSize) {
      if (this.#scratch) this.#wasm.exports.mr_free(this.#scratch);
      this.#scratchSize = Math.max(n, this.#scratchSize * 2, 4096);
      this.#scratch = this.#wasm.exports.mr_malloc(this.#scratchSize);
      if (this.#scratch === 0) throw new Error('out of wasm memory');
    }
    return this.#scratch;
  }

  /** Copies bytes into the scratch buffer; returns where. */
  put(buf: Uint8Array): number {
    const p = this.reserve(buf.length + 1);
    this.#wasm.heap().set(buf, p);
    return p;
  }

  /** keys then args as (u32 len, bytes), after an optional prefix, into the scratch buffer; returns where. */
  putArgs(keys: readonly Uint8Array[], args: readonly Uint8Array[], prefix?: Uint8Array): number {
    let n = prefix?.length ?? 0;
    for (const k of keys) n += 4 + k.length;
    for (const a of args) n += 4 + a.length;
    const p = this.reserve(n + 1);
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

  /** The arguments of a redis.call argv block (u32 argc, then u32 len and bytes for each). */
  decodeArgv(p: number, len: number): Buffer[] {
    // One copy of the whole argv block, the arguments are views into it (a copy per argument cost more).
    const block = this.copy(p, len);
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
}
