/**
 * Scripting against redis-server: EVAL/EVALSHA/SCRIPT/FUNCTION/FCALL replies compared byte for byte in RESP2 and
 * RESP3 (conversions both ways, error texts, flags, libraries), random Lua return values, and the busy-script
 * protocol (BUSY for other clients, SCRIPT KILL, UNKILLABLE) on both servers.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient } from './helpers.js';
import { startSideBySide, type SideBySide } from './side-by-side.js';

let both: SideBySide;
beforeAll(async () => {
  both = await startSideBySide();
});
afterAll(() => both?.close());

const SCRIPTS: string[][] = [
  ['EVAL', 'return 1', '0'],
  ['EVAL', 'return 3.99', '0'],
  ['EVAL', 'return -0.5', '0'],
  ['EVAL', "return 'x'", '0'],
  ['EVAL', 'return true', '0'],
  ['EVAL', 'return false', '0'],
  ['EVAL', 'return nil', '0'],
  ['EVAL', "return {1, 'two', {3, {4}}, nil, 5}", '0'],
  ['EVAL', "return {ok='fine'}", '0'],
  ['EVAL', "return {err='ERR custom'}", '0'],
  ['EVAL', "return {err='no prefix'}", '0'],
  ['EVAL', "return redis.error_reply('MY err')", '0'],
  ['EVAL', "return redis.status_reply('DONE')", '0'],
  ['EVAL', 'return {KEYS[1], KEYS[2], ARGV[1], #ARGV}', '2', 'k1', 'k2', 'a1', 'a2'],
  ['EVAL', "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])", '1', 'key', 'value'],
  ['EVAL', "return redis.call('INCR', 'counter')", '0'],
  ['EVAL', "return redis.call('GET', 'missing')", '0'],
  ['EVAL', "return redis.pcall('INCR', 'key')", '0'],
  ['EVAL', "local ok, e = pcall(redis.call, 'INCR', 'key'); return {tostring(ok), e.err}", '0'],
  ['EVAL', "return redis.call('nosuchcommand')", '0'],
  ['EVAL', "return redis.call('SET', 'only-key')", '0'],
  ['EVAL', "return redis.call('EVAL', 'return 1', '0')", '0'],
  ['EVAL', 'return undefined_global', '0'],
  ['EVAL', 'x = 1', '0'],
  ['EVAL', 'return (', '0'],
  ['EVAL', "error('boom')", '0'],
  ['EVAL', "error({err='ERR table'})", '0'],
  ['EVAL', 'return redis.sha1hex("")', '0'],
  ['EVAL', "return cjson.encode({a=1, b={true, false}})", '0'],
  ['EVAL', "return cjson.decode('[1,2,{\"x\":\"y\"}]')[3].x", '0'],
  ['EVAL', "return cmsgpack.unpack(cmsgpack.pack({1, 2, 'three'}))", '0'],
  ['EVAL', "return struct.pack('>I2', 258)", '0'],
  ['EVAL', 'return bit.band(0xff, 0x0f)', '0'],
  ['EVAL', 'return {math.random(), math.random(100)}', '0'],
  ['EVAL', "redis.setresp(3); return redis.call('HELLO')", '0'],
  ['EVAL', 'redis.setresp(3); return {double=3.5}', '0'],
  ['EVAL', "redis.setresp(3); return {map={a=1}}", '0'],
  ['EVAL', "redis.setresp(3); return {set={x=true}}", '0'],
  ['EVAL', "return {double='3.5'}", '0'],
  ['EVAL', "return string.format('%d', 2^53)", '0'],
  ['EVAL', 'return tostring(1e15)', '0'],
  ['EVAL', 'print("harmless")', '0'],
  ['EVAL', 'return 1', '-1'],
  ['EVAL', 'return 1', '3', 'a'],
  ['EVAL', 'return 1', 'x'],
  ['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', '0'],
  ['SCRIPT', 'LOAD', 'return 42'],
  ['EVALSHA', '1fa00e76656cc152ad327c13fe365858fd7be306', '0'],
  ['EVALSHA', '1FA00E76656CC152AD327C13FE365858FD7BE306', '0'],
  ['SCRIPT', 'EXISTS', '1fa00e76656cc152ad327c13fe365858fd7be306', 'ffffffffffffffffffffffffffffffffffffffff'],
  ['SCRIPT', 'LOAD', 'return ('],
  ['EVAL_RO', "return redis.call('SET', 'a', 'b')", '0'],
  ['EVAL_RO', "return redis.call('GET', 'key')", '0'],
  ['EVAL', "#!lua flags=no-writes\nreturn redis.call('SET', 'a', 'b')", '0'],
  ['EVAL_RO', "#!lua\nreturn 1", '0'],
  ['EVAL', '#!lua flags=bogus\nreturn 1', '0'],
  ['EVAL', '#!nolua\nreturn 1', '0'],
  ['SCRIPT', 'FLUSH'],
  ['EVALSHA', '1fa00e76656cc152ad327c13fe365858fd7be306', '0'],
  ['SCRIPT', 'FLUSH', 'BOGUS'],
  ['SCRIPT', 'KILL'],
  ['FUNCTION', 'FLUSH'],
  ['FUNCTION', 'LOAD', "#!lua name=lib1\nredis.register_function('echo1', function(keys, args) return args[1] end)"],
  ['FUNCTION', 'LOAD', "#!lua name=lib1\nredis.register_function('echo1', function(keys, args) return args[1] end)"],
  ['FUNCTION', 'LOAD', 'REPLACE', "#!lua name=lib1\nredis.register_function{function_name='echo1', callback=function(keys, args) return #keys end, flags={'no-writes'}, description='d'}"],
  ['FCALL', 'echo1', '2', 'a', 'b', 'c'],
  ['FCALL_RO', 'echo1', '0'],
  ['FCALL', 'nosuch', '0'],
  ['FUNCTION', 'LOAD', "#!lua name=lib2\nredis.register_function('w', function(keys) return redis.call('SET', keys[1], 'v') end)"],
  ['FCALL', 'w', '1', 'fk'],
  ['FCALL_RO', 'w', '1', 'fk'],
  // With several libraries FUNCTION LIST follows Redis's dict order (seeded at random): list one at a time.
  ['FUNCTION', 'LIST', 'LIBRARYNAME', 'lib1', 'WITHCODE'],
  ['FUNCTION', 'LIST', 'LIBRARYNAME', 'lib2'],
  ['FUNCTION', 'LIST', 'BOGUS'],
  ['FUNCTION', 'DELETE', 'lib2'],
  ['FUNCTION', 'DELETE', 'lib2'],
  ['FUNCTION', 'LIST'],
  ['FUNCTION', 'LOAD', 'return 1'],
  ['FUNCTION', 'LOAD', "#!lua name=empty\nlocal x = 1"],
  ['FUNCTION', 'STATS'],
  ['FUNCTION', 'KILL'],
  ['FUNCTION', 'FLUSH'],
];

/** Switches both connections' protocol (HELLO's reply carries the client id, which differs). */
async function hello(protocol: string): Promise<void> {
  await Promise.all([both.real.call('HELLO', protocol), both.mine.call('HELLO', protocol)]);
}

describe('scripts reply as on redis-server', () => {
  for (const protocol of ['2', '3']) {
    test(`RESP${protocol}: conversions, errors, flags, SCRIPT and FUNCTION`, async () => {
      await hello(protocol);
      await both.same([['FLUSHALL'], ['SCRIPT', 'FLUSH'], ['FUNCTION', 'FLUSH'], ['SET', 'key', 'text']]);
      for (const script of SCRIPTS) await both.same([script]);
    });
  }

  test('random return values convert the same way (RESP2 and RESP3, setresp 2 and 3)', async () => {
    const leaf = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((value) => String(value)),
      fc.string({ maxLength: 6 }).map((text) => JSON.stringify(text)),
      fc.constantFrom('true', 'false', 'nil'),
    );
    const value: fc.Arbitrary<string> = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }).map((items) => `{${items.join(', ')}}`)),
    })).node as fc.Arbitrary<string>;
    await fc.assert(
      fc.asyncProperty(value, fc.constantFrom('2', '3'), fc.constantFrom(2, 3), async (expression, protocol, resp) => {
        await hello(protocol);
        await both.same([['EVAL', `redis.setresp(${resp}); return ${expression}`, '0']]);
      }),
      { numRuns: Number(process.env['SCRIPT_RUNS'] ?? 200) },
    );
  });
});

describe('busy scripts', () => {
  test('other clients get BUSY, SCRIPT KILL stops a read-only loop, a writer is UNKILLABLE', async () => {
    for (const port of [both.redis.port, both.server.port]) {
      const admin = await RawClient.connect(port);
      const runner = await RawClient.connect(port);
      try {
        await admin.call('CONFIG', 'SET', 'busy-reply-threshold', '100');
        const loop = runner.callRaw('EVAL', 'while true do end', '0');
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect((await admin.callRaw('GET', 'x')).toString()).toBe('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
        expect((await admin.callRaw('FUNCTION', 'KILL')).toString()).toBe('-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n');
        expect((await admin.callRaw('SCRIPT', 'KILL')).toString()).toBe('+OK\r\n');
        expect((await loop).toString()).toMatch(/^-ERR Script killed by user with SCRIPT KILL\.\.\. script: /);
        const writer = runner.callRaw(
          'EVAL',
          "redis.call('SET', 'w', '1') local s = tonumber(redis.call('TIME')[1]) while tonumber(redis.call('TIME')[1]) - s < 2 do end return 1",
          '0',
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect((await admin.callRaw('SCRIPT', 'KILL')).toString()).toMatch(/^-UNKILLABLE Sorry the script already executed write commands/);
        await writer;
        expect(await admin.call('GET', 'w')).toBe('1');
        await admin.call('CONFIG', 'SET', 'busy-reply-threshold', '5000');
      } finally {
        await admin.close();
        await runner.close();
      }
    }
  }, 60_000);
});
