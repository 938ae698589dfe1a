/**
 * The committed wasm/redis-lua.wasm is what build/build.sh produces from the vendored sources. Needs Debian's
 * emscripten 3.1.6 (`apt-get install emscripten`; .ci/run installs it); without emcc the test fails, as the interop
 * tests do without redis-server: a check that cannot run must not look like one that passed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const hasEmcc = spawnSync('sh', ['-c', 'command -v emcc'], { encoding: 'utf8' }).status === 0;
const script = fileURLToPath(new URL('../build/check-reproducible.sh', import.meta.url));

test('build/build.sh reproduces wasm/redis-lua.wasm byte for byte', () => {
  expect(hasEmcc, 'emcc not found: apt-get install emscripten (Debian bookworm: 3.1.6)').toBe(true);
  const out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(out).toMatch(/is reproducible/);
}, 300_000);
