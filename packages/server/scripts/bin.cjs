#!/usr/bin/env node
'use strict';
/**
 * The mini-redis-server bin (copied to dist/ by scripts/bundle-cli.mjs): runs the bundled CLI
 * (mini-redis-server.bundle.cjs) with V8's code cache for it (mini-redis-server.bundle.cache, made at build time by
 * running the CLI once), so the code that a start runs is not parsed and compiled again at every start. V8 refuses a
 * cache made by another Node version or with other V8 flags (cachedDataRejected); the bundle is then compiled as
 * usual. Same behaviour either way: only the start is faster.
 *
 * A CommonJS file: Node runs it with its CommonJS loader, without setting up the ES module loader at all (an ES module
 * bin spent about 4 ms more of every start there: resolving, fs/promises, the module job).
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');

const filename = join(__dirname, 'mini-redis-server.bundle.cjs');
const cacheFile = join(__dirname, 'mini-redis-server.bundle.cache');
// The bundle is ASCII (esbuild escapes the rest; bundle-cli.mjs checks): latin1 reads it without UTF-8 decoding.
const source = readFileSync(filename, 'latin1');
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The CommonJS wrapper, as Node's own loader applies it (the #! line made a comment; lines stay where they are).
const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
const wrapper = `(function (exports, require, module, __filename, __dirname) {${body}\n})`;
const script = new Script(wrapper, { filename, ...(cachedData !== undefined ? { cachedData } : {}) });
if (process.env['MINI_REDIS_WRITE_CODE_CACHE'] === '1') {
  // Build time: the cache is written at exit, with every function the run compiled.
  process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
}
const bundleModule = { exports: {} };
// The bundle's require resolves from its own place (dist/), as Node's loader would give it; the bin is there too.
script.runInThisContext()(bundleModule.exports, require, bundleModule, filename, __dirname);
