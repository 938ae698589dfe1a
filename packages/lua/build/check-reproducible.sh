#!/usr/bin/env bash
# Rebuilds the wasm into a temporary directory and compares it byte for byte with the committed
# wasm/redis-lua.wasm. Exit 0: identical; 1: different; 2: emcc (Debian's emscripten 3.1.6) is not installed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PKG="$(dirname "$HERE")"
command -v emcc >/dev/null || { echo "emcc not found: the reproducibility check needs apt-get install emscripten" >&2; exit 2; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
OUT="$TMP" bash "$HERE/build.sh"
if cmp -s "$TMP/redis-lua.wasm" "$PKG/wasm/redis-lua.wasm"; then
  echo "wasm/redis-lua.wasm is reproducible: $(sha256sum "$PKG/wasm/redis-lua.wasm" | cut -d' ' -f1)"
else
  echo "wasm/redis-lua.wasm differs from a fresh build:" >&2
  sha256sum "$TMP/redis-lua.wasm" "$PKG/wasm/redis-lua.wasm" >&2
  exit 1
fi
