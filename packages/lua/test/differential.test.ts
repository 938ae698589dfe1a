/**
 * The engine against Debian's redis-server 7.0.15: the same script, keys and args through EVAL on the real server
 * and through engine.eval() with a host that forwards redis.call to that same server; the raw reply bytes must be
 * equal, in RESP2 and RESP3.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLuaEngine, type LuaEngine, type ScriptHost } from '@mini-redis/lua';
import { startRedisServer, type RedisProcess } from '../../server/test/redis-process.js';
import { SyncRedis } from './sync-redis.js';

let redis: RedisProcess;
let sync: SyncRedis;
let engine: LuaEngine;

beforeAll(async () => {
  redis = await startRedisServer();
  sync = await SyncRedis.open(redis.port);
  engine = await createLuaEngine();
});

afterAll(async () => {
  await sync?.close();
  await redis?.stop();
});

/** Forwards redis.call to the real server; errors Redis raises before running a command inside scripts are faked. */
const forwardingHost: ScriptHost = {
  call(args, protocol) {
    const name = args[0]!.toString('latin1').toLowerCase();
    if (name === 'nosuchcommand') return Buffer.from('-ERR Unknown Redis command called from script\r\n');
    return sync.call(args, protocol);
  },
};

interface Case {
  readonly script: string;
  readonly keys?: string[];
  readonly args?: string[];
  readonly setup?: string[][];
}

const buf = (list: string[] = []) => list.map((s) => Buffer.from(s, 'latin1'));

function compare(c: Case, protocol: 2 | 3): void {
  const setup = () => {
    sync.call(['FLUSHALL'], 2);
    for (const cmd of c.setup ?? []) sync.call(cmd, 2);
  };
  setup();
  const keys = c.keys ?? [];
  const args = c.args ?? [];
  const expected = sync.call(['EVAL', c.script, String(keys.length), ...keys, ...args], protocol);
  setup();
  const actual = engine.eval(c.script, buf(keys), buf(args), protocol, forwardingHost);
  if (actual instanceof Promise) throw new Error('unexpected yield');
  expect(actual.toString('latin1')).toBe(expected.toString('latin1'));
}

const conversions: Record<string, Case> = {
  'integer': { script: 'return 42' },
  'negative float truncates': { script: 'return -3.99' },
  'huge number': { script: 'return 1e300' },
  'nan': { script: 'return 0/0' },
  'inf': { script: 'return 1/0' },
  'string': { script: "return 'hello'" },
  'binary string': { script: "return '\\0\\1\\255\\r\\n'" },
  'true': { script: 'return true' },
  'false': { script: 'return false' },
  'nil': { script: 'return nil' },
  'no return': { script: 'local x = 1' },
  'multiple returns keep the first': { script: 'return 1, 2, 3' },
  'array stops at nil': { script: "return {1, 'two', 3.7, true, false, nil, 'after'}" },
  'nested arrays': { script: "return {{1, {2, {3, {}}}}, {'a'}}" },
  'hash part ignored': { script: "return {1, 2, x = 'y'}" },
  'status table': { script: "return {ok = 'FINE'}" },
  'status with newline': { script: "return {ok = 'a\\r\\nb'}" },
  'error table': { script: "return {err = 'MYERR something bad'}" },
  'error table with newline': { script: "return {err = 'bad\\nthing'}" },
  'error_reply': { script: "return redis.error_reply('MY custom')" },
  'error_reply without code': { script: "return redis.error_reply('custom')" },
  'error_reply with dash': { script: "return redis.error_reply('-X y')" },
  'status_reply': { script: "return redis.status_reply('DONE')" },
  'double table': { script: 'return {double = 3.14159}' },
  'double table inf': { script: 'return {double = 1/0}' },
  'double table integral': { script: 'return {double = 5}' },
  'map table': { script: "return {map = {a = 1}}" },
  'set table': { script: "return {set = {x = true}}" },
  'big_number table': { script: "return {big_number = '123456789012345678901234567890'}" },
  'verbatim table': { script: "return {verbatim_string = {format = 'txt', string = 'hello'}}" },
  'KEYS and ARGV': { script: 'return {KEYS[1], KEYS[2], ARGV[1], #KEYS, #ARGV}', keys: ['k1', 'k2'], args: ['a1'] },
  'setresp 3 + map from HGETALL': { script: "redis.setresp(3) return redis.call('hgetall', 'h')", setup: [['HSET', 'h', 'f', 'v']] },
  'RESP3 reply seen by Lua': { script: "redis.setresp(3) local r = redis.call('hgetall', 'h') return type(r) .. ':' .. type(r.map) .. ':' .. tostring(r.map.f)", setup: [['HSET', 'h', 'f', 'v']] },
  'RESP3 null': { script: "redis.setresp(3) local r = redis.call('get', 'missing') return type(r)" },
  'RESP2 null is false': { script: "local r = redis.call('get', 'missing') return {type(r), tostring(r)}" },
  'RESP3 double from ZSCORE': { script: "redis.setresp(3) local r = redis.call('zscore', 'z', 'm') return {type(r), tostring(r.double)}", setup: [['ZADD', 'z', '1.5', 'm']] },
  'RESP3 double returned': { script: "redis.setresp(3) return redis.call('zscore', 'z', 'm')", setup: [['ZADD', 'z', '1.5', 'm']] },
  'RESP3 set from SMEMBERS': { script: "redis.setresp(3) return redis.call('smembers', 's')", setup: [['SADD', 's', 'only']] },
  'RESP3 booleans returned': { script: 'redis.setresp(3) return {true, false}' },
  'RESP2 booleans returned': { script: 'return {true, false}' },
  'status reply from SET': { script: "return redis.call('set', 'k', 'v')" },
  'status reply seen by Lua': { script: "local r = redis.call('set', 'k', 'v') return r.ok" },
  'integer reply': { script: "return redis.call('incr', 'n')" },
  'number args formatted with %.17g': { script: "redis.call('set', 'k', 0.1) return redis.call('get', 'k')" },
  'integer args': { script: "redis.call('set', 'k', 12345678901234) return redis.call('get', 'k')" },
  'array reply': { script: "return redis.call('lrange', 'l', 0, -1)", setup: [['RPUSH', 'l', 'a', 'b', 'c']] },
  'pcall error table': { script: "local r = redis.pcall('incr', 's') return {type(r), r.err}", setup: [['SET', 's', 'x']] },
  'pcall error returned': { script: "return redis.pcall('incr', 's')", setup: [['SET', 's', 'x']] },
  'wrongtype error returned': { script: "return redis.pcall('lpush', 's', 'x')", setup: [['SET', 's', 'x']] },
};

const errors: Record<string, Case> = {
  'syntax error': { script: 'return +' },
  'syntax error line 3': { script: 'local a = 1\nlocal b = 2\nreturn a +' },
  'runtime error': { script: 'local t = nil return t.x' },
  'error()': { script: "error('boom')" },
  'error() with table': { script: "error({err = 'CUSTOM failure'})" },
  'error() level 0': { script: "error('plain', 0)" },
  'error() number': { script: 'error(42)' },
  'nonexistent global read': { script: 'return x' },
  'global write': { script: 'x = 1 return 1' },
  'print is absent': { script: "print('x') return 1" },
  'loadfile is absent': { script: 'return loadfile' },
  'os is absent': { script: 'return os.time()' },
  'debug is absent': { script: 'return debug' },
  'redis.call wrong command': { script: "return redis.call('nosuchcommand')" },
  'redis.call error raised': { script: "return redis.call('incr', 's')", setup: [['SET', 's', 'x']] },
  'redis.call error on line 2': { script: "local a = 1\nreturn redis.call('incr', 's')", setup: [['SET', 's', 'x']] },
  'redis.call no args': { script: 'return redis.call()' },
  'redis.call bad arg type': { script: "return redis.call('get', {})" },
  'pcall catches redis.call': { script: "local ok, e = pcall(redis.call, 'incr', 's') return {tostring(ok), e}", setup: [['SET', 's', 'x']] },
  'pcall catches error()': { script: "local ok, e = pcall(error, 'x') return {tostring(ok), e}" },
  'pcall catches a table error': { script: "local ok, e = pcall(function() error({err='T'}) end) return {tostring(ok), e}" },
  'redis.setresp bad': { script: 'redis.setresp(4)' },
  'redis.set_repl bad': { script: 'redis.set_repl(99)' },
  'redis.set_repl ok': { script: 'redis.set_repl(redis.REPL_NONE) return 1' },
  'redis.log bad level': { script: "redis.log(99, 'x')" },
  'redis.log ok': { script: "redis.log(redis.LOG_DEBUG, 'x') return 1" },
  'redis.sha1hex': { script: "return redis.sha1hex('abc')" },
  'redis.sha1hex wrong args': { script: 'return redis.sha1hex()' },
  'readonly redis table': { script: 'redis.call = nil' },
  'readonly string metatable': { script: "getmetatable('').__index = {}" },
  'error_reply wrong args': { script: 'return redis.error_reply(1, 2)' },
  'shebang flags': { script: '#!lua flags=no-writes\nreturn 1' },
  'shebang bad flag': { script: '#!lua flags=bogus\nreturn 1' },
  'shebang bad engine': { script: '#!python\nreturn 1' },
  'shebang keeps line numbers': { script: '#!lua\nerror("x")' },
  'string.rep negative': { script: "return string.rep('x', -1)" },
  'stack overflow by recursion': { script: 'local function f(n) return 1 + f(n + 1) end return f(1)' },
  'C stack overflow': { script: "local s = 'return 1' for i = 1, 300 do s = 'return (' .. s:sub(8) .. ')' end return loadstring(s)()" },
  'deep table returned': { script: 'local t = {} local c = t for i = 1, 100 do c[1] = {} c = c[1] end return t' },
  'unpack too many': { script: 'return unpack({}, 1, 1e8)' },
  'coroutine inside': { script: "local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end) local _, x = coroutine.resume(co, 1) local _, y = coroutine.resume(co, 10) return {x, y}" },
  'redis.breakpoint': { script: 'return redis.breakpoint()' },
  'redis.debug': { script: "return redis.debug('x')" },
  'redis.replicate_commands': { script: 'return redis.replicate_commands()' },
  'version': { script: 'return {redis.REDIS_VERSION, redis.REDIS_VERSION_NUM}' },
  'globals list': { script: "local r = {} for k in pairs(_G) do r[#r + 1] = k end table.sort(r) return r" },
  'redis table keys': { script: "local r = {} for k in pairs(redis) do r[#r + 1] = k end table.sort(r) return r" },
  'string.format %d 64-bit': { script: "return string.format('%d', 2^53)" },
  'tostring precision': { script: 'return tostring(1/3)' },
};

const libraries: Record<string, Case> = {
  'cjson encode': { script: "return cjson.encode({1, 2, 'x', {a = true}})" },
  'cjson decode': { script: "local t = cjson.decode('[1,2.5,\"x\",{\"a\":null}]') return {t[1], t[2], t[3], type(t[4].a)}" },
  'cjson floats': { script: 'return cjson.encode({0.1, 1e300, -0.0, 123456789012})' },
  'cjson decode error': { script: "return cjson.decode('[1,')" },
  'cjson null': { script: 'return tostring(cjson.null)' },
  'cjson deep': { script: "return cjson.encode(cjson.decode(string.rep('[', 100) .. string.rep(']', 100)))" },
  'cmsgpack round trip': { script: "local p = cmsgpack.pack({1, 2.5, 'x', {a = 1}, true, -2^40}) local t = cmsgpack.unpack(p) return {p, t[1], tostring(t[2]), t[3], t[4].a, tostring(t[5]), t[6]}" },
  'cmsgpack large ints': { script: 'return cmsgpack.pack(2^53, -2^63, 2^64, 255, 65536)' },
  'struct pack l': { script: "return struct.pack('>l<lLiIhHbBd', 1, -2, 3, 4, 5, 6, 7, 8, 9, 1.5)" },
  'struct size T': { script: "return {struct.size('T'), struct.size('l'), struct.size('i'), struct.size('!d')}" },
  'struct unpack': { script: "return {struct.unpack('>l', struct.pack('>l', -123456789012))}" },
  'bit ops': { script: 'return {bit.band(0xff, 0x0f), bit.bor(1, 2), bit.bxor(3, 1), bit.lshift(1, 31), bit.tohex(255), bit.bnot(0)}' },
  'math.random after randomseed': { script: 'math.randomseed(7) return {math.random(), math.random(100), math.random(5, 10)}' },
  'math.randomseed': { script: 'math.randomseed(42) return {math.random(1000), math.random(1000)}' },
  'math.random floats': { script: "math.randomseed(1) local r = {} for i = 1, 5 do r[i] = tostring(math.random()) end return r" },
  'string library': { script: "return {string.format('%5.2f|%s|%q', 3.14159, 'x', 'a\\nb'), ('abc'):upper(), string.byte('A'), ('x'):rep(3, ',')}" },
  'gsub and find': { script: "return {string.gsub('hello world', 'o', '0'), string.find('abc', 'b', 1, true)}" },
  'table.concat/sort': { script: "local t = {3, 1, 2} table.sort(t) return table.concat(t, ',')" },
  'loadstring': { script: "return loadstring('return 7')()" },
  'tonumber edge': { script: "return {tonumber('0x10'), tonumber('1e2'), tostring(tonumber('x'))}" },
};

describe('differential vs redis-server 7.0.15', () => {
  for (const [group, cases] of Object.entries({ conversions, errors, libraries })) {
    describe(group, () => {
      for (const [name, c] of Object.entries(cases)) {
        test(`${name} (RESP2)`, () => compare(c, 2));
        test(`${name} (RESP3)`, () => compare(c, 3));
      }
    });
  }
});
