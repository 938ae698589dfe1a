#!/usr/bin/env node
'use strict';
/**
 * The mini-redis-server bin (copied to dist/ by scripts/bundle-cli.mjs): runs the bundled CLI
 * (mini-redis-server.bundle.cjs) with V8's code cache for it (mini-redis-server.bundle.cache, made at build time by
 * running the CLI once), so the code a start runs is neither parsed nor compiled again. V8 refuses a cache made by
 * another Node version or with other V8 flags (cachedDataRejected); the bundle is then compiled as usual. Same
 * behaviour either way: only the start is faster.
 *
 * A CommonJS file: Node runs it with its CommonJS loader, without setting up the ES module loader at all (an ES module
 * bin spent about 4 ms more of every start there: resolving, fs/promises, the module job). It also exports
 * `runBundle`, which the package's entries use for their own bundle (dist/lib/load.js): one loader, and no second
 * module for the bin to resolve and compile at start (~0.4 ms).
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

/**
 * Runs the bundle at `filename` (absolute; made by scripts/bundle-shared.mjs's wrapBundle: the module body already
 * wrapped as Node's CommonJS loader wraps a module) with the cache at `cacheFile`, its `require` being
 * `bundleRequire`; returns its exports. With MINI_REDIS_WRITE_CODE_CACHE=1 (build time) the cache is written at exit,
 * with every function the run compiled.
 */
function runBundle(filename, cacheFile, bundleRequire) {
  // The bundle is ASCII (esbuild escapes the rest; the build checks): latin1 makes its string without UTF-8 decoding.
  // It is wrapped at build time: wrapping it here made a second 300 KB string for V8 to flatten (0.5 ms).
  const source = readFileSync(filename).toString('latin1');
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(source, { filename, ...(cachedData !== undefined ? { cachedData } : {}) });
  if (process.env['MINI_REDIS_WRITE_CODE_CACHE'] === '1') {
    process.on('exit', () => {
      try {
        writeFileSync(cacheFile, script.createCachedData());
      } catch {
        // a read-only install: no cache (the build checks that its cache was written)
      }
    });
  }
  const bundleModule = { exports: {} };
  script.runInThisContext()(bundleModule.exports, bundleRequire, bundleModule, filename, dirname(filename));
  return bundleModule.exports;
}
module.exports = { runBundle };

if (require.main === module) {
  // The bundle's require resolves from its own place (dist/), as Node's loader would give it: the bin is there too.
  runBundle(join(__dirname, 'mini-redis-server.bundle.cjs'), join(__dirname, 'mini-redis-server.bundle.cache'), require);
}
