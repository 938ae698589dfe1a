/**
 * The embedding API's loader (copied to dist/lib/load.js by scripts/bundle-lib.mjs): runs dist/library.bundle.cjs, the
 * server's code in one CommonJS bundle, with V8's code cache for it (runBundle, from the bin). Importing ~130 ES modules
 * (resolving, reading, compiling each, and again compiling every function a first start calls) took 60-90 ms; the
 * bundle with its cache takes a few. @mini-redis/protocol and @mini-redis/store are not in the bundle: they are the
 * packages' own modules, given to it here, so a value or a store made with them is the same class the server uses.
 */
import * as protocol from '@mini-redis/protocol';
import * as store from '@mini-redis/store';

// process.getBuiltinModule (Node >= 20.16, this package needs 20.19): an ES module import of node:module or node:url
// builds their ESM facades, which read every export (lazy ones too).
const { createRequire } = process.getBuiltinModule('node:module');
const { fileURLToPath } = process.getBuiltinModule('node:url');

const nodeRequire = createRequire(import.meta.url);
const { runBundle } = nodeRequire('../mini-redis-server.cjs');
const injected = new Map([
  ['@mini-redis/protocol', protocol],
  ['@mini-redis/store', store],
]);
const bundleFile = fileURLToPath(new URL('../library.bundle.cjs', import.meta.url));
// Node's require from the bundle's own place (dist/), for Node's built-in modules and @mini-redis/lua's package.json.
const fromDist = createRequire(bundleFile);
const bundleRequire = Object.assign((id) => injected.get(id) ?? fromDist(id), { resolve: fromDist.resolve });

/** The bundle's exports: `main` (the package's entry) and `testing` (@mini-redis/server/testing). */
export const library = runBundle(bundleFile, fileURLToPath(new URL('../library.bundle.cache', import.meta.url)), bundleRequire);
