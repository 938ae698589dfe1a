#!/usr/bin/env node
/**
 * Bundles a package's entries (tsc's output in dist/) into ES modules under dist/bundle/, run by the build of
 * @mini-redis/protocol and @mini-redis/store after `tsc -b`, from the package's directory:
 *
 *   node ../../tools/scripts/bundle-esm.mjs index.js [conformance/index.js ...]
 *
 * Importing one module instead of the 14-20 tsc modules of a package took its import from ~8-18 ms to ~2-4 ms here
 * (Node's ES module loader resolves, reads and compiles each module on its own). The entries share their modules
 * through chunks (esbuild's splitting), so two entries of a package still have one copy of each class; every bare
 * import (another package, node:*) stays an import. The package's `exports` point at dist/bundle/; the types stay
 * tsc's (dist/*.d.ts).
 */
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const entries = process.argv.slice(2);
if (entries.length === 0) throw new Error('bundle-esm: name the entries (paths under dist/)');
const cwd = process.cwd();
// esbuild from the package being built (its devDependency), not from this script's folder.
const { build } = createRequire(join(cwd, 'package.json'))('esbuild');
const outdir = join(cwd, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: entries.map((entry) => ({ in: join(cwd, 'dist', entry), out: entry.replace(/\.js$/, '') })),
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
