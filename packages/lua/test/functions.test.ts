/**
 * FUNCTION LOAD / FCALL against Debian's redis-server 7.0.15: load errors and FCALL replies compared byte for byte.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createLuaEngine, LuaScriptError, type LuaEngine, type ScriptHost } from '@mini-redis/lua';
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

beforeEach(() => {
  sync.call(['FUNCTION', 'FLUSH']);
  sync.call(['FLUSHALL']);
  engine.flushFunctions();
});

const host: ScriptHost = { call: (args, protocol) => sync.call(args, protocol) };

/** FUNCTION LOAD on both; the replies (the name as a bulk string, or the error) must be equal. */
function load(code: string, replace = false): string {
  const expected = sync.call(['FUNCTION', 'LOAD', ...(replace ? ['REPLACE'] : []), code]).toString('latin1');
  let actual: string;
  try {
    const name = engine.loadLibrary(code, replace);
    actual = `$${Buffer.byteLength(name)}\r\n${name}\r\n`;
  } catch (e) {
    if (!(e instanceof LuaScriptError)) throw e;
    actual = e.reply.toString('latin1');
  }
  expect(actual).toBe(expected);
  return actual;
}

function fcall(name: string, keys: string[], args: string[], protocol: 2 | 3): void {
  const expected = sync.call(['FCALL', name, String(keys.length), ...keys, ...args], protocol).toString('latin1');
  const b = (l: string[]) => l.map((s) => Buffer.from(s));
  const actual = engine.callFunction(name, b(keys), b(args), protocol, host);
  if (actual instanceof Promise) throw new Error('unexpected yield');
  expect(actual.toString('latin1')).toBe(expected);
}

const LIB = `#!lua name=mylib
local function echo(keys, args) return {keys[1], args[1], #keys, #args} end
redis.register_function('echo', echo)
redis.register_function{function_name = 'ro', callback = function(keys) return redis.call('get', keys[1]) end, flags = {'no-writes'}, description = 'read one'}
redis.register_function('fail', function() error('bad thing') end)
redis.register_function('callfail', function() return redis.call('incr', 'str') end)
redis.register_function('map3', function() redis.setresp(3) return redis.call('hgetall', 'h') end)
redis.register_function('global', function() return undefined_global end)
redis.register_function('late', function() redis.register_function('x', function() end) end)
`;

describe('FUNCTION LOAD vs redis-server 7.0.15', () => {
  test('a library loads and its functions run the same', () => {
    load(LIB);
    sync.call(['SET', 'k', 'v']);
    sync.call(['SET', 'str', 'x']);
    sync.call(['HSET', 'h', 'f', '1']);
    for (const protocol of [2, 3] as const) {
      fcall('echo', ['k1', 'k2'], ['a'], protocol);
      fcall('ro', ['k'], [], protocol);
      fcall('fail', [], [], protocol);
      fcall('callfail', [], [], protocol);
      fcall('map3', [], [], protocol);
      fcall('global', [], [], protocol);
      fcall('late', [], [], protocol);
    }
    expect(engine.getFunction('ro')).toEqual({ name: 'ro', library: 'mylib', description: 'read one', flags: 1 });
    expect(engine.listLibraries().map((l) => [l.name, l.functions.map((f) => f.name)])).toEqual([
      ['mylib', ['echo', 'ro', 'fail', 'callfail', 'map3', 'global', 'late']],
    ]);
  });

  test.each([
    ['missing metadata', 'return 1'],
    ['no newline', '#!lua name=x'],
    ['no name', '#!lua\nredis.register_function("f", function() end)'],
    ['bad name', '#!lua name=a-b\nredis.register_function("f", function() end)'],
    ['unknown engine', '#!js name=x\nredis.register_function("f", function() end)'],
    ['unknown metadata', '#!lua name=x foo=bar\nredis.register_function("f", function() end)'],
    ['name twice', '#!lua name=x name=y\nredis.register_function("f", function() end)'],
    ['no functions', '#!lua name=x\nlocal a = 1'],
    ['compile error', '#!lua name=x\nlocal = 1'],
    ['runtime error', '#!lua name=x\nerror("load failure")'],
    ['redis.call at load time', '#!lua name=x\nredis.call("ping")'],
    ['bad function name', '#!lua name=x\nredis.register_function("a b", function() end)'],
    ['duplicate in library', '#!lua name=x\nredis.register_function("f", function() end)\nredis.register_function("f", function() end)'],
    ['bad callback', '#!lua name=x\nredis.register_function("f", 1)'],
    ['bad named args', '#!lua name=x\nredis.register_function{function_name="f", callback=function() end, flags={"bogus"}}'],
    ['unknown named arg', '#!lua name=x\nredis.register_function{function_name="f", callback=function() end, foo=1}'],
    ['no callback', '#!lua name=x\nredis.register_function{function_name="f"}'],
    ['too many args', '#!lua name=x\nredis.register_function("f", function() end, 3)'],
    ['globals at load time', '#!lua name=x\nfoo = 1'],
  ])('%s', (_name, code) => {
    load(code);
  });

  test('function names are found without regard to case, and collide so across libraries (Redis\'s case-insensitive dict)', () => {
    load(LIB);
    fcall('ECHO', ['k'], ['v'], 2);
    fcall('Echo', ['k'], ['v'], 3);
    load("#!lua name=other\nredis.register_function('ECHO', function() return 1 end)");
  });

  test('library and function collisions, REPLACE', () => {
    load('#!lua name=a\nredis.register_function("f", function() return 1 end)');
    load('#!lua name=a\nredis.register_function("g", function() return 2 end)');
    load('#!lua name=b\nredis.register_function("f", function() return 3 end)');
    load('#!lua name=a\nredis.register_function("g", function() return 4 end)', true);
    fcall('g', [], [], 2);
    fcall('f', [], [], 2);
    expect(engine.deleteLibrary('a')).toBe(true);
    sync.call(['FUNCTION', 'DELETE', 'a']);
    fcall('g', [], [], 2);
  });

  test('FUNCTION LOAD timeout', () => {
    load('#!lua name=slow\nwhile true do end');
  });
});
