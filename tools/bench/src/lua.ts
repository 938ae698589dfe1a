// Lua engine benchmark: EVALSHA-style runs of `return 1` and of a script making 10 redis.call's with a trivial
// host, the cost of the count hook (host.check), and the same against an Asyncify build when one is given.
// Run: pnpm --filter @mini-redis/bench run bench:lua
//   LUA_BENCH_ASYNCIFY=/path/redis-lua.wasm also measures that build (make it with
//   OUT=/tmp/asyncify EXTRA_EMCC_FLAGS='-sASYNCIFY=1 -sASYNCIFY_IMPORTS=["host_check"]' bash packages/lua/build/build.sh)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLuaEngine, type ScriptHost } from '@mini-redis/lua';

const REPLY = Buffer.from('+OK\r\n');
const host: ScriptHost = { call: () => REPLY };
const hostWithCheck: ScriptHost = { call: () => REPLY, check: () => 'continue' };
const none: Buffer[] = [];
const keys = [Buffer.from('key')];
const args = [Buffer.from('value')];
const TENCALLS = "for i = 1, 10 do redis.call('set', KEYS[1], ARGV[1]) end return 1";
const LOOP = 'local s = 0 for i = 1, 1e7 do s = s + i end return s';

async function measure(label: string): Promise<void> {
  const engine = await createLuaEngine();
  const one = engine.loadScript('return 1');
  const ten = engine.loadScript(TENCALLS);
  const loop = engine.loadScript(LOOP);
  const rate = (name: string, n: number, f: () => void) => {
    for (let i = 0; i < Math.min(n, 10_000); i++) f();
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f();
    const ns = Number(process.hrtime.bigint() - start);
    console.log(`${label.padEnd(9)} ${name.padEnd(44)} ${((n * 1e9) / ns).toFixed(0).padStart(10)} /s  ${(ns / n / 1000).toFixed(2).padStart(8)} us`);
  };
  rate('EVALSHA return 1', 200_000, () => engine.evalsha(one, none, none, 2, host));
  rate('EVALSHA return 1 (with check hook)', 200_000, () => engine.evalsha(one, none, none, 2, hostWithCheck));
  rate('EVALSHA 10x redis.call (calls/s = x10)', 50_000, () => engine.evalsha(ten, keys, args, 2, host));
  rate('1e7-iteration Lua loop (with check hook)', 5, () => engine.evalsha(loop, none, none, 2, hostWithCheck));
}

const asyncify = process.env['LUA_BENCH_ASYNCIFY'];
if (process.env['MINI_REDIS_LUA_WASM']) {
  await measure('asyncify');
} else {
  await measure('default');
  if (asyncify) {
    execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      stdio: 'inherit',
      env: { ...process.env, MINI_REDIS_LUA_WASM: asyncify },
    });
  }
}
