/**
 * @mini-redis/lua: Redis 7.0.15's Lua 5.1 (with cjson, cmsgpack, struct, bit) compiled to WebAssembly, with the
 * script <-> Redis glue of Redis's script_lua.c, eval.c and function_lua.c, for EVAL/EVALSHA/SCRIPT and
 * FUNCTION/FCALL. See README.md.
 */
export { createLuaEngine, LuaEngine } from './engine.js';
export {
  LuaScriptError,
  LuaBusyError,
  SCRIPT_FLAGS,
  scriptFlagNames,
  type Protocol,
  type CheckResult,
  type ScriptHost,
  type ScriptReply,
  type CachedScript,
  type LuaFunctionInfo,
  type LuaLibraryInfo,
  type LuaEngineOptions,
} from './engine-types.js';
