#!/usr/bin/env node
/**
 * The mini-redis-server bin (copied to dist/ by scripts/bundle-cli.mjs): runs the bundled CLI
 * (mini-redis-server.bundle.cjs) with V8's code cache for it (mini-redis-server.bundle.cache, made at build time by
 * running the CLI once), so the code that a start runs is not parsed and compiled again at every start. V8 refuses a
 * cache made by another Node version or with other V8 flags (cachedDataRejected); the bundle is then compiled as
 * usual. Same behaviour either way: only the start is faster.
 *
 * Node's built-in modules are taken with process.getBuiltinModule rather than `import`: an ES module import of
 * node:fs builds its ESM facade, which reads every export, lazy ones included (fs.ReadStream loads Node's file
 * streams), about 2-3 ms at every start for nothing.
 */
// process.getBuiltinModule came with Node 20.16 and 22.3; older Node 20 releases import.
const builtin = typeof process.getBuiltinModule === 'function' ? (name) => process.getBuiltinModule(name) : (name) => import(name);
const [{ readFileSync, writeFileSync }, { createRequire }, { fileURLToPath }, { Script }] = await Promise.all(
  ['node:fs', 'node:module', 'node:url', 'node:vm'].map(builtin),
);

const bundle = new URL('./mini-redis-server.bundle.cjs', import.meta.url);
const cacheFile = new URL('./mini-redis-server.bundle.cache', import.meta.url);
const filename = fileURLToPath(bundle);
// The bundle is ASCII (esbuild escapes the rest; bundle-cli.mjs checks): latin1 reads it without UTF-8 decoding.
const source = readFileSync(bundle, 'latin1');
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
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, filename, fileURLToPath(new URL('.', bundle)));
