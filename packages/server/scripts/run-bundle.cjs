'use strict';
/**
 * Runs one of this package's CommonJS bundles (copied to dist/ by the bundle scripts; used by the mini-redis-server
 * bin and by the embedding API's entries) with V8's code cache for it, made at build time by running the bundle once:
 * the code a start runs is then neither parsed nor compiled again. V8 refuses a cache made by another Node version or
 * with other V8 flags (cachedDataRejected); the bundle is then compiled as usual. Same behaviour either way: only the
 * start is faster.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

/**
 * Runs the bundle at `filename` (absolute; made by bundle-shared.mjs's wrapBundle) with the cache at `cacheFile`, its
 * `require` being `bundleRequire`;
 * returns its exports. With MINI_REDIS_WRITE_CODE_CACHE=1 (build time) the cache is written at exit, with every
 * function the run compiled.
 */
module.exports = function runBundle(filename, cacheFile, bundleRequire) {
  // The bundle is ASCII (esbuild escapes the rest; the build checks): latin1 makes its string without UTF-8 decoding.
  // It is already wrapped as a function expression (wrapBundle), as Node's CommonJS loader wraps a module: wrapping
  // it here made a second 300 KB string for V8 to flatten (read and compile 0.5 ms slower).
  const source = readFileSync(filename).toString('latin1');
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(source, { filename, ...(cachedData !== undefined ? { cachedData } : {}) });
  if (process.env['MINI_REDIS_WRITE_CODE_CACHE'] === '1') {
    process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  }
  const bundleModule = { exports: {} };
  script.runInThisContext()(bundleModule.exports, bundleRequire, bundleModule, filename, dirname(filename));
  return bundleModule.exports;
};
