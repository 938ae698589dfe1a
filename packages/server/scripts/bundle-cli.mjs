/**
 * Bundles the CLI (dist/cli.js and every module it imports, @mini-redis/protocol and @mini-redis/store included) into
 * one file, dist/mini-redis-server.js, the package's bin: Node then reads, resolves and compiles one module at start
 * instead of ~140 (the start-up cost of the CLI was almost all module loading; issue 12). Runs after `tsc -b`.
 *
 * Kept outside: @mini-redis/lua (its wasm file is found next to its own dist; the engine only starts on the first
 * EVAL/FUNCTION). Paths computed from import.meta.url keep working: version.ts reads ../package.json (the bundle is
 * in dist/ too), and command-docs.ts's JSON path is rewritten to its place under dist/commands/server/.
 */
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** command-docs.js reads './command-docs.json' next to itself: from the bundle, that is commands/server/. */
const docsPath = {
  name: 'command-docs-path',
  setup(context) {
    context.onLoad({ filter: /[\\/]commands[\\/]server[\\/]command-docs\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const rewritten = source.replace("'./command-docs.json'", "'./commands/server/command-docs.json'");
      if (rewritten === source) throw new Error('bundle-cli: the command-docs.json path was not found in command-docs.js');
      return { contents: rewritten, loader: 'js' };
    });
  },
};

await build({
  entryPoints: [`${dist}cli.js`],
  outfile: `${dist}mini-redis-server.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@mini-redis/lua'],
  plugins: [docsPath],
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
});
