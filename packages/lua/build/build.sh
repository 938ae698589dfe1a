#!/usr/bin/env bash
# Builds wasm/redis-lua.wasm from the vendored sources: Redis 7.0.15's Lua 5.1.5 (deps/lua, as patched by
# Debian's redis 7.0.15-1~deb12u10), a few files of Redis's src/, the patches in build/patches and csrc/glue.c.
#
#   bash packages/lua/build/build.sh            # writes packages/lua/wasm/
#   OUT=/tmp/x bash packages/lua/build/build.sh # writes elsewhere (the reproducibility check does this)
#
# Needs Debian bookworm's emscripten 3.1.6 (apt-get install emscripten); other versions give other bytes.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PKG="$(dirname "$HERE")"
OUT="${OUT:-$PKG/wasm}"
EXPECTED_EMCC="3.1.6"

command -v emcc >/dev/null || { echo "emcc not found: apt-get install emscripten" >&2; exit 2; }
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
# (sed reads all of emcc's output: `head -1` would close the pipe early and emcc dies of a BrokenPipeError)
ver="$(emcc --version 2>/dev/null | sed -nE '1s/.* ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p')"
if [ "$ver" != "$EXPECTED_EMCC" ]; then
  echo "warning: emcc $ver, the committed build used $EXPECTED_EMCC: the output will differ" >&2
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# The tree layout Redis's sources expect (lua_cjson.c includes ../../../src/solarisfixes.h).
mkdir -p "$WORK/deps/lua/src" "$WORK/src"
cp "$PKG"/vendor/lua/*.[ch] "$WORK/deps/lua/src/"
cp "$PKG"/vendor/redis/*.[ch] "$WORK/src/"
for p in "$HERE"/patches/*.patch; do
  patch -s -p1 -d "$WORK" < "$p"
done

LUA="$WORK/deps/lua/src"
LUA_SRC="lapi.c lcode.c ldebug.c ldo.c ldump.c lfunc.c lgc.c llex.c lmem.c lobject.c lopcodes.c lparser.c lstate.c
  lstring.c ltable.c ltm.c lundump.c lvm.c lzio.c lauxlib.c lbaselib.c ldblib.c lmathlib.c lstrlib.c ltablib.c
  lua_cjson.c lua_struct.c lua_cmsgpack.c lua_bit.c strbuf.c fpconv.c"
SOURCES=()
for f in $LUA_SRC; do SOURCES+=("$LUA/$f"); done
SOURCES+=("$WORK/src/sds.c" "$WORK/src/sha1.c" "$WORK/src/rand.c" "$WORK/src/resp_parser.c"
  "$PKG/csrc/shim/util_min.c" "$PKG/csrc/glue.c")

mkdir -p "$OUT"
# Redis's deps/Makefile flags for Lua (-DLUA_ANSI -DENABLE_CJSON_GLOBAL -DREDIS_STATIC='' -O2), plus
# LUA_USELONGLONG for 64-bit string.format("%d") as on 64-bit hosts. -ffile-prefix-map keeps temp paths out.
emcc -O2 \
  -DLUA_ANSI -DENABLE_CJSON_GLOBAL -DREDIS_STATIC= -DLUA_USELONGLONG \
  -I"$PKG/csrc/shim" -I"$LUA" -I"$WORK/src" \
  -ffile-prefix-map="$WORK"=. -ffile-prefix-map="$PKG"=. \
  -sENVIRONMENT=node -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createRedisLua -sSINGLE_FILE=0 \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16MB -sMAXIMUM_MEMORY=2GB -sTOTAL_STACK=5MB \
  -sSUPPORT_LONGJMP=1 -sFILESYSTEM=0 -sASSERTIONS=0 -sERROR_ON_UNDEFINED_SYMBOLS=0 \
  -sEXPORTED_RUNTIME_METHODS='["stackSave","stackRestore"]' \
  -sEXPORTED_FUNCTIONS='["_malloc","_free"]' \
  --js-library "$PKG/csrc/imports.js" \
  ${EXTRA_EMCC_FLAGS:-} \
  "${SOURCES[@]}" -o "$WORK/redis-lua.mjs"
# Only the .wasm is used: src/wasm.ts provides the imports itself (emscripten's generated loader uses require()
# and __dirname in an ES module, and installs process-wide uncaughtException/unhandledRejection handlers).
cp "$WORK/redis-lua.wasm" "$OUT/redis-lua.wasm"
echo "built $OUT/redis-lua.wasm" >&2
