/**
 * What the two bundles of this package share (scripts/bundle-cli.mjs: the mini-redis-server bin; scripts/bundle-lib.mjs:
 * the embedding API's entries): esbuild's options for a CommonJS bundle of dist/ (tsc's output) that Node runs through
 * vm.Script with a V8 code cache, the two source rewrites that keep files found next to the bundle in dist/, and the
 * ASCII check the loaders' latin1 read relies on.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * @mini-redis/protocol and @mini-redis/store are imported through their entries, ES modules that their own build
 * bundles from their tsc output (tools/scripts/bundle-esm.mjs). `tsc -b` here rebuilds their tsc output through the
 * project references but not those bundles: stop with a clear message when one is missing (build with `pnpm build`,
 * or `turbo run build --filter=@mini-redis/server...`, which build the dependencies with their own scripts first).
 */
export function assertDependencyBundles() {
  const require = createRequire(new URL('../package.json', import.meta.url));
  for (const name of ['@mini-redis/protocol', '@mini-redis/store']) {
    const bundle = require.resolve(`${name}/package.json`).replace(/package\.json$/, 'dist/bundle/index.js');
    if (!existsSync(bundle)) throw new Error(`bundle: ${name}'s entry ${bundle} is missing: build the dependencies first (pnpm build)`);
  }
}

/** version.js reads ../package.json at load: in a bundle, the version is written in at build time (one file less). */
const versionInline = {
  name: 'version-inline',
  setup(context) {
    context.onLoad({ filter: /[\\/]server[\\/]dist[\\/]version\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
      const rewritten = source.replace(
        /JSON\.parse\(readFileSync\(new URL\('\.\.\/package\.json', import\.meta\.url\), 'utf8'\)\)\.version/,
        JSON.stringify(version),
      );
      if (rewritten === source) throw new Error('bundle: the package.json read was not found in version.js');
      return { contents: rewritten, loader: 'js' };
    });
  },
};

/** command-docs.js reads './command-docs.json' next to itself: from the bundle, that is commands/server/. */
const docsPath = {
  name: 'command-docs-path',
  setup(context) {
    context.onLoad({ filter: /[\\/]commands[\\/]server[\\/]command-docs\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const rewritten = source.replace("'./command-docs.json'", "'./commands/server/command-docs.json'");
      if (rewritten === source) throw new Error('bundle: the command-docs.json path was not found in command-docs.js');
      return { contents: rewritten, loader: 'js' };
    });
  },
};

/**
 * @mini-redis/lua's wasm.js finds its wasm as '../wasm/redis-lua.wasm' next to its own dist: in the bundle, the
 * package's directory is resolved (from the bundle, on the first EVAL/FUNCTION only) through its package.json.
 */
const luaWasmPath = {
  name: 'lua-wasm-path',
  setup(context) {
    context.onLoad({ filter: /[\\/]lua[\\/]dist[\\/]wasm\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const rewritten = source.replace(
        "new URL('../wasm/redis-lua.wasm', import.meta.url)",
        "require('node:path').join(require('node:path').dirname(require.resolve('@mini-redis/lua/package.json')), 'wasm', 'redis-lua.wasm')",
      );
      if (rewritten === source) throw new Error('bundle: the wasm path was not found in @mini-redis/lua wasm.js');
      return { contents: rewritten, loader: 'js' };
    });
  },
};

/**
 * esbuild options for a bundle written to dist/: import.meta.url is the bundle's URL (command-docs.js and the Lua
 * wasm are found from there, through the rewrites above), the version is written in. `external` adds modules required
 * at run time rather than bundled.
 */
export function bundleOptions({ external = [], ...rest }) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // '@mini-redis/lua/package.json': only resolved (for the wasm's directory), never loaded.
    external: ['@mini-redis/lua/package.json', ...external],
    plugins: [docsPath, luaWasmPath, versionInline],
    // The bundle's URL for import.meta.url, made when first read (node:url's pathToFileURL is not free at start).
    define: { 'import.meta.url': '__bundle.url' },
    banner: { js: 'const __bundle = { get url() { return require("node:url").pathToFileURL(__filename).href; } };' },
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    charset: 'ascii',
    logLevel: 'warning',
    ...rest,
  };
}

/**
 * Makes esbuild's bundle at `file` what the bin's runBundle compiles: the module body wrapped in a function expression as
 * Node's CommonJS loader wraps a module (a #! line made a comment, so every line keeps its number and the source map
 * stays right; its sourceMappingURL comment moved after the wrapper, as the last line). Checks it is ASCII: the loader
 * reads it as latin1 (no UTF-8 decoding).
 */
export function wrapBundle(file) {
  const source = readFileSync(file, 'latin1');
  if (/[^\x00-\x7f]/.test(source)) throw new Error(`${file}: the bundle is not ASCII`);
  const mapComment = /\n(\/\/# sourceMappingURL=[^\n]*)\n?$/.exec(source);
  const code = mapComment === null ? source : source.slice(0, mapComment.index + 1);
  const body = code.startsWith('#!') ? `//${code.slice(2)}` : code;
  // "use strict" first in the function body, on the wrapper's line (lines keep their numbers): the code is ES modules'
  // (strict) and esbuild's own directive comes after the banner, where it is not a directive.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {"use strict";${body}\n})\n${mapComment === null ? '' : `${mapComment[1]}\n`}`;
  writeFileSync(file, wrapped, 'latin1');
}
