#!/usr/bin/env node
'use strict';
/**
 * The mini-redis-server bin (copied to dist/ by scripts/bundle-cli.mjs): runs the bundled CLI
 * (mini-redis-server.bundle.cjs) with V8's code cache for it (mini-redis-server.bundle.cache, made at build time by
 * running the CLI once; see run-bundle.cjs).
 *
 * A CommonJS file: Node runs it with its CommonJS loader, without setting up the ES module loader at all (an ES module
 * bin spent about 4 ms more of every start there: resolving, fs/promises, the module job).
 */
const { join } = require('node:path');
const runBundle = require('./run-bundle.cjs');

// The bundle's require resolves from its own place (dist/), as Node's loader would give it: the bin is there too.
runBundle(join(__dirname, 'mini-redis-server.bundle.cjs'), join(__dirname, 'mini-redis-server.bundle.cache'), require);
