/**
 * Builds the mini-redis-server bin (issue 12), after `tsc -b`:
 *
 * - dist/mini-redis-server.bundle.cjs: dist/cli.js and every module it imports (@mini-redis/protocol and
 *   @mini-redis/store included) in one CommonJS file: Node reads, resolves and compiles one module at start instead
 *   of ~140 (the CLI's start-up time was mostly module loading). @mini-redis/lua's JavaScript is bundled too
 *   (requiring it as an ES module from the bundle took ~6 ms at every start: resolving its exports, the ESM loader);
 *   its wasm file stays in its package, found through the package's package.json on the first EVAL/FUNCTION.
 *   The package version is written in (version.ts's read of ../package.json), and
 *   command-docs.ts's JSON path is rewritten to its place under dist/commands/server/ (bundle-shared.mjs).
 * - dist/mini-redis-server.cjs (scripts/bin.cjs): runs the bundle with V8's code cache for it;
 * - dist/mini-redis-server.bundle.cache: that cache, made by starting the CLI once on a Unix socket, answering a
 *   PING and shutting down (the cache then holds the code a start and a command run). Another Node version refuses
 *   it and compiles the bundle as usual.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { assertDependencyBundles, bundleOptions, dist, wrapBundle } from './bundle-shared.mjs';

assertDependencyBundles();

const cacheFile = `${dist}mini-redis-server.bundle.cache`;
// V8 checks a cache against the source's length only: a cache left from another build must never meet this bundle.
rmSync(cacheFile, { force: true });

await build(
  bundleOptions({
    entryPoints: [`${dist}cli.js`],
    outfile: `${dist}mini-redis-server.bundle.cjs`,
    // Half the source to read and a smaller code cache to deserialize (measured: read + new Script with the cache
    // 5.9 -> 3.2 ms, medians of 9 fresh processes). Only identifiers change: no code reads a function's or class's
    // name (an Error subclass's name is still 'Error'); the linked source map gives stack traces their names back.
    minify: true,
  }),
);
wrapBundle(`${dist}mini-redis-server.bundle.cjs`);
copyFileSync(fileURLToPath(new URL('./bin.cjs', import.meta.url)), `${dist}mini-redis-server.cjs`);

// The code cache: one start, a PING and SHUTDOWN, on a Unix socket (no TCP port taken at build time). Optional: when
// it cannot be made, the bin compiles the bundle at every start.
const directory = mkdtempSync(join(tmpdir(), 'mini-redis-build-'));
const socket = join(directory, 'build.sock');
try {
  const child = spawn(process.execPath, [`${dist}mini-redis-server.cjs`, '--port', '0', '--unixsocket', socket, '--save', ''], {
    env: { ...process.env, MINI_REDIS_WRITE_CODE_CACHE: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let output = '';
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('ready to accept connections')) resolve(undefined);
    });
    void exited.then(() => reject(new Error(`bundle-cli: the CLI exited before it was ready:\n${output}`)));
  });
  await new Promise((resolve, reject) => {
    const client = connect({ path: socket }, () => client.write('PING\r\nSHUTDOWN\r\n'));
    client.on('error', reject);
    client.on('close', resolve);
    client.resume();
  });
  const code = await exited;
  if (code !== 0) throw new Error(`bundle-cli: the CLI exited with ${String(code)}:\n${output}`);
  readFileSync(cacheFile); // made, or this throws
} catch (error) {
  rmSync(cacheFile, { force: true });
  console.warn(`bundle-cli: no code cache for the bin (it will compile at every start): ${String(error)}`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
