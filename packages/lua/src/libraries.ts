/**
 * FUNCTION's registry: the loaded libraries in load order and every registered function by name (function names are
 * unique across libraries), as FUNCTION LOAD / DELETE / LIST and FCALL see them.
 */
import type { LuaFunctionInfo, LuaLibraryInfo } from './engine-types.js';

/** A registered function: its info and the Lua registry reference of its callable. */
export interface FunctionEntry extends LuaFunctionInfo {
  readonly ref: number;
}

interface LibraryEntry {
  readonly name: string;
  readonly code: Buffer;
  readonly functions: Map<string, FunctionEntry>;
}

export class Libraries {
  readonly #libraries = new Map<string, LibraryEntry>();
  /** Every library's functions by lower-cased name: Redis's global function dict hashes and compares without case. */
  readonly #functions = new Map<string, FunctionEntry>();

  library(name: string): LibraryEntry | undefined {
    return this.#libraries.get(name);
  }

  function(name: string): FunctionEntry | undefined {
    return this.#functions.get(name.toLowerCase());
  }

  /** Takes a library's functions out of the by-name index (FUNCTION LOAD REPLACE, before loading the new code). */
  unlink(library: LibraryEntry): void {
    for (const fn of library.functions.keys()) this.#functions.delete(fn.toLowerCase());
  }

  /** Puts a library's functions back in the by-name index (the replacing load failed). */
  relink(library: LibraryEntry): void {
    for (const [fn, entry] of library.functions) this.#functions.set(fn.toLowerCase(), entry);
  }

  /** Adds (or replaces) a library and indexes its functions. */
  add(name: string, code: Buffer, functions: Map<string, FunctionEntry>): void {
    const library = { name, code, functions };
    this.#libraries.set(name, library);
    this.relink(library);
  }

  /** Removes a library and its functions; returns it (undefined when there is none). */
  delete(name: string): LibraryEntry | undefined {
    const library = this.#libraries.get(name);
    if (!library) return undefined;
    this.unlink(library);
    this.#libraries.delete(name);
    return library;
  }

  clear(): void {
    this.#libraries.clear();
    this.#functions.clear();
  }

  /** FUNCTION LIST's view, in load order. */
  list(): LuaLibraryInfo[] {
    return [...this.#libraries.values()].map((lib) => ({
      name: lib.name,
      engine: 'LUA' as const,
      code: lib.code,
      functions: [...lib.functions.values()].map(info),
    }));
  }
}

/** A function's info without its reference. */
export function info({ name, library, description, flags }: LuaFunctionInfo): LuaFunctionInfo {
  return { name, library, description, flags };
}
