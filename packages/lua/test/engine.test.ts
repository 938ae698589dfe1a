/**
 * Engine behaviour that has no redis-server counterpart to compare with byte for byte: hostile scripts (endless
 * loops, runaway memory, deep recursion, huge replies), suspending and killing through host.check(), the script
 * cache, and the PRNG's first values against a fresh redis-server.
 */
import { describe, expect, test } from 'vitest';
import { createLuaEngine, LuaBusyError, LuaScriptError, type ScriptHost } from '@mini-redis/lua';
import { startRedisServer } from '../../server/test/redis-process.js';
import { SyncRedis } from './sync-redis.js';

const ok: ScriptHost = { call: () => Buffer.from('+OK\r\n') };
const text = (b: Buffer | Promise<Buffer>): string => {
  if (b instanceof Promise) throw new Error('unexpected Promise');
  return b.toString('latin1');
};
const none: Buffer[] = [];

describe('hostile scripts', () => {
  test('an endless loop is killed by a synchronous check()', async () => {
    const engine = await createLuaEngine();
    let checks = 0;
    const reply = engine.eval('while true do end', none, none, 2, { ...ok, check: () => (++checks >= 3 ? 'kill' : 'continue') });
    expect(text(reply)).toMatch(/^-ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.\r\n$/);
    expect(checks).toBe(3);
    expect(text(engine.eval('return 1', none, none, 2, ok))).toBe(':1\r\n');
  });

  test('pcall cannot swallow the kill', async () => {
    const engine = await createLuaEngine();
    const script = 'for i = 1, 1000 do pcall(function() while true do end end) end return "escaped"';
    const reply = engine.eval(script, none, none, 2, { ...ok, check: () => 'kill' });
    expect(text(reply)).toMatch(/^-ERR Script killed by user with SCRIPT KILL/);
  });

  test('a Promise from check() suspends the script; the engine is busy meanwhile; it resumes or is killed', async () => {
    const engine = await createLuaEngine();
    let checks = 0;
    const slow = engine.eval('local i = 0 while i < 3e6 do i = i + 1 end return i', none, none, 2, {
      ...ok,
      check: (canYield) => {
        checks++;
        expect(canYield).toBe(true);
        return new Promise((resolve) => setImmediate(() => resolve('continue')));
      },
    });
    expect(slow).toBeInstanceOf(Promise);
    expect(engine.busy).toBe(true);
    expect(() => engine.eval('return 1', none, none, 2, ok)).toThrow(LuaBusyError);
    expect((await slow).toString()).toBe(':3000000\r\n');
    expect(checks).toBeGreaterThan(10);
    expect(engine.busy).toBe(false);

    const killed = engine.eval('while true do end', none, none, 3, { ...ok, check: () => Promise.resolve('kill' as const) });
    expect((await killed).toString()).toMatch(/^-ERR Script killed by user with SCRIPT KILL/);
    expect(text(engine.eval('return 2', none, none, 2, ok))).toBe(':2\r\n');
  });

  test('inside pcall the script cannot yield, but a synchronous kill still works', async () => {
    const engine = await createLuaEngine();
    const seen: boolean[] = [];
    const reply = engine.eval('pcall(function() local i = 0 while i < 1e6 do i = i + 1 end end) return 1', none, none, 2, {
      ...ok,
      check: (canYield) => {
        seen.push(canYield);
        return canYield ? 'continue' : new Promise(() => {});
      },
    });
    expect(text(reply)).toBe(':1\r\n');
    expect(seen).toContain(false);
  });

  test('runaway memory gets an error and the engine keeps working', async () => {
    const engine = await createLuaEngine({ memoryLimit: 16 * 1024 * 1024 });
    const script = 'local t = {} local i = 0 while true do i = i + 1 t[i] = string.rep("x", 100) .. i end';
    const reply = text(engine.eval(script, none, none, 2, ok));
    expect(reply).toMatch(/^-ERR Error running script [0-9a-f]{40}, not enough memory\r\n$/);
    expect(engine.memoryUsage().eval).toBeLessThan(16 * 1024 * 1024);
    expect(text(engine.eval('return #string.rep("y", 1000)', none, none, 2, ok))).toBe(':1000\r\n');
    expect(text(engine.eval("return string.rep('x', 64 * 1024 * 1024)", none, none, 2, ok))).toMatch(/not enough memory/);
    expect(text(engine.eval(script, none, none, 2, ok))).toMatch(/not enough memory/);
    expect(text(engine.eval('return 3', none, none, 2, ok))).toBe(':3\r\n');
  });

  test('deep recursion is an error, not a crash', async () => {
    const engine = await createLuaEngine();
    expect(text(engine.eval('local function f() return 1 + f() end return f()', none, none, 2, ok))).toMatch(/stack overflow/);
    expect(text(engine.eval('local function f() return pcall(f) end return f()', none, none, 2, ok))).toMatch(/^(:|\*|-)/);
    expect(text(engine.eval("local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x", none, none, 2, ok))).toMatch(/stack overflow|C stack overflow/);
    expect(text(engine.eval('return 1', none, none, 2, ok))).toBe(':1\r\n');
  });

  test('pattern matching recursion is capped', async () => {
    const engine = await createLuaEngine();
    const reply = text(engine.eval("return string.match(string.rep('a', 5000), string.rep('a?', 5000) .. string.rep('a', 5000))", none, none, 2, ok));
    expect(reply).toMatch(/pattern too complex/);
  });

  test('huge replies', async () => {
    const engine = await createLuaEngine();
    const big = text(engine.eval("return string.rep('x', 20 * 1024 * 1024)", none, none, 2, ok));
    expect(big.length).toBe(20 * 1024 * 1024 + 13);
    const many = engine.eval('local t = {} for i = 1, 200000 do t[i] = i end return t', none, none, 3, ok) as Buffer;
    expect(many.subarray(0, 10).toString()).toBe('*200000\r\n:');
  });

  test('print and the missing libraries are harmless errors', async () => {
    const engine = await createLuaEngine();
    expect(text(engine.eval("print('x')", none, none, 2, ok))).toMatch(/nonexistent global variable 'print'/);
    expect(text(engine.eval('return io.write("x")', none, none, 2, ok))).toMatch(/nonexistent global variable 'io'/);
    expect(text(engine.eval('return dofile("/etc/passwd")', none, none, 2, ok))).toMatch(/nonexistent global variable 'dofile'/);
  });

  test('a throwing host.call becomes an error reply', async () => {
    const engine = await createLuaEngine();
    const host: ScriptHost = { call: () => { throw new Error('host broke'); } };
    expect(text(engine.eval("return redis.pcall('get', 'x')", none, none, 2, host))).toBe('-ERR host broke\r\n');
  });
});

describe('host callbacks', () => {
  test('redis.call gets the arguments as Redis formats them, in the setresp protocol', async () => {
    const engine = await createLuaEngine();
    const calls: [string[], number][] = [];
    const host: ScriptHost = { call: (args, p) => { calls.push([args.map((a) => a.toString('latin1')), p]); return Buffer.from(':1\r\n'); } };
    engine.eval("redis.call('set', KEYS[1], 0.1, 3, -0, 1e20, '\\0') redis.setresp(3) redis.call('get', 'k')", [Buffer.from('key')], none, 2, host);
    expect(calls).toEqual([
      [['set', 'key', '0.10000000000000001', '3', '-0', '1e+20', '\0'], 2],
      [['get', 'k'], 3],
    ]);
  });

  test('redis.log and redis.acl_check_cmd go to the host', async () => {
    const engine = await createLuaEngine();
    const logs: [number, string][] = [];
    const host: ScriptHost = {
      ...ok,
      log: (level, message) => logs.push([level, message.toString()]),
      aclCheck: (args) => (args[0]!.toString() === 'nosuch' ? undefined : args[0]!.toString() === 'get'),
    };
    const reply = engine.eval("redis.log(redis.LOG_WARNING, 'a', 1, 'b') return {redis.acl_check_cmd('get', 'x') and 1 or 0, redis.acl_check_cmd('set', 'x', 'y') and 1 or 0}", none, none, 2, host);
    expect(text(reply)).toBe('*2\r\n:1\r\n:0\r\n');
    expect(logs).toEqual([[3, 'a 1 b']]);
    expect(text(engine.eval("return redis.acl_check_cmd('nosuch')", none, none, 2, host))).toMatch(/Invalid command passed to redis.acl_check_cmd\(\)/);
  });
});

describe('script cache', () => {
  test('loadScript, hasScript, evalsha, flushScripts', async () => {
    const engine = await createLuaEngine();
    const sha = engine.loadScript('return 1');
    expect(sha).toBe('e0e1f9fabfc9d4800c877a703b823ac0578ff8db');
    expect(engine.sha1hex('return 1')).toBe(sha);
    expect(engine.hasScript(sha.toUpperCase())).toBe(true);
    expect(engine.getScript(sha)?.flags).toBe(16);
    expect(engine.loadScript('#!lua flags=no-writes,allow-oom\nreturn 1')).toHaveLength(40);
    expect(engine.getScript(engine.sha1hex('#!lua flags=no-writes,allow-oom\nreturn 1'))?.flags).toBe(3);
    expect(text(engine.evalsha(sha, none, none, 2, ok))).toBe(':1\r\n');
    expect(() => engine.loadScript('return +')).toThrow(LuaScriptError);
    try {
      engine.loadScript('return +');
    } catch (e) {
      expect((e as LuaScriptError).message).toBe("ERR Error compiling script (new function): user_script:1: unexpected symbol near '+'");
    }
    engine.flushScripts();
    expect(engine.hasScript(sha)).toBe(false);
    expect(text(engine.evalsha(sha, none, none, 2, ok))).toBe('-NOSCRIPT No matching script. Please use EVAL.\r\n');
    engine.reset();
    expect(text(engine.eval('return 5', none, none, 2, ok))).toBe(':5\r\n');
  });
});

describe('math.random', () => {
  test('a fresh engine draws the same sequence as a fresh redis-server', async () => {
    const redis = await startRedisServer();
    const sync = await SyncRedis.open(redis.port);
    try {
      const engine = await createLuaEngine();
      const script = 'local r = {} for i = 1, 5 do r[i] = tostring(math.random()) end r[6] = math.random(1000) return r';
      for (let run = 0; run < 3; run++) {
        const expected = sync.call(['EVAL', script, '0']).toString('latin1');
        expect(text(engine.eval(script, none, none, 2, ok))).toBe(expected);
      }
    } finally {
      await sync.close();
      await redis.stop();
    }
  });
});
