/**
 * The committed wasm/redis-lua.wasm is what build/build.sh produces from the vendored sources. Needs Debian's
 * emscripten 3.1.6 (`apt-get install emscripten`); without emcc the check is skipped (CI does not install it:
 * run `pnpm --filter @mini-redis/lua run check:wasm` after changing csrc/, vendor/ or build/).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const hasEmcc = spawnSync('sh', ['-c', 'command -v emcc'], { encoding: 'utf8' }).status === 0;
const script = fileURLToPath(new URL('../build/check-reproducible.sh', import.meta.url));

test.skipIf(!hasEmcc)('build/build.sh reproduces wasm/redis-lua.wasm byte for byte', () => {
  const out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(out).toMatch(/is reproducible/);
}, 300_000);
