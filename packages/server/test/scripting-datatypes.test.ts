/**
 * Scripts calling the data-type commands (strings, lists, hashes, sets, sorted sets, streams) compared byte for byte with
 * redis-server, for RESP2 and RESP3 clients and redis.setresp(2) / (3) inside the script (so every reply type is
 * converted to Lua and back both ways), and hostile scripts (endless loop killed by SCRIPT KILL, deep recursion,
 * runaway memory, a huge reply, errors caught by pcall) that must leave the server serving other clients.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient } from './helpers.js';
import { startSideBySide, type SideBySide } from './side-by-side.js';

let both: SideBySide;
beforeAll(async () => {
  both = await startSideBySide();
});
afterAll(() => both?.close());

/** Script bodies; each runs as `redis.setresp(N) <body>` with KEYS = {k1, k2} and ARGV = {a1, a2}. */
const BODIES: string[] = [
  // lists
  "redis.call('RPUSH', KEYS[1], 'a', 'b', 'c', 'b') return redis.call('LRANGE', KEYS[1], 0, -1)",
  "return {redis.call('LPOP', KEYS[1]), redis.call('LPOP', KEYS[1], 2), redis.call('LPOP', 'missing', 2), redis.call('LPOP', 'missing')}",
  "redis.call('RPUSH', KEYS[1], 'x', 'y', 'x') return {redis.call('LPOS', KEYS[1], 'x', 'COUNT', 0), redis.call('LPOS', KEYS[1], 'nope'), redis.call('LLEN', KEYS[1])}",
  "return redis.call('LMPOP', 2, 'missing', KEYS[1], 'RIGHT', 'COUNT', 2)",
  "return redis.call('LMPOP', 1, 'missing', 'LEFT')",
  "return redis.call('BLPOP', 'missing', 0)",
  "return redis.call('BLMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT', 0)",
  "redis.call('RPUSH', KEYS[1], 'p') return {redis.call('LINSERT', KEYS[1], 'BEFORE', 'p', 'o'), redis.call('LINDEX', KEYS[1], 0), redis.call('LSET', KEYS[1], 0, 'q')}",
  "return redis.pcall('LSET', KEYS[1], 99, 'v')",
  "return redis.pcall('LPUSH', 'str', 'v')",
  // hashes
  "redis.call('HSET', 'h', 'f1', 'v1', 'f2', 'v2', 'n', '10') return redis.call('HGETALL', 'h')",
  "return {redis.call('HMGET', 'h', 'f1', 'nope', 'f2'), redis.call('HEXISTS', 'h', 'f1'), redis.call('HLEN', 'h'), redis.call('HSTRLEN', 'h', 'f2')}",
  "return {redis.call('HINCRBY', 'h', 'n', 5), redis.call('HINCRBYFLOAT', 'h', 'n', '0.25'), redis.call('HGET', 'h', 'n')}",
  "return {redis.call('HKEYS', 'h'), redis.call('HVALS', 'h'), redis.call('HSETNX', 'h', 'f1', 'x')}",
  "return redis.call('HSCAN', 'h', 0)",
  "return redis.call('HGETALL', 'missing')",
  "return redis.pcall('HINCRBY', 'h', 'f1', 1)",
  "return redis.pcall('HGET', 'str', 'f')",
  // sets
  "redis.call('SADD', 's', 'm1', 'm2', 'm3') return {redis.call('SCARD', 's'), redis.call('SISMEMBER', 's', 'm2'), redis.call('SMISMEMBER', 's', 'm1', 'nope')}",
  "return redis.call('SORT', 's', 'ALPHA')",
  "return {redis.call('SREM', 's', 'm3', 'nope'), redis.call('SINTERCARD', 1, 's'), redis.call('SMOVE', 's', 's2', 'm1')}",
  "return redis.pcall('SADD', 'str', 'x')",
  // sorted sets: scores are doubles in RESP3 (Lua gets {double=...} under setresp(3))
  "redis.call('ZADD', 'z', 1, 'one', 2.5, 'two', '-inf', 'low') return redis.call('ZRANGE', 'z', 0, -1, 'WITHSCORES')",
  "return {redis.call('ZSCORE', 'z', 'two'), redis.call('ZSCORE', 'z', 'nope'), redis.call('ZMSCORE', 'z', 'one', 'nope', 'low')}",
  "return {redis.call('ZINCRBY', 'z', '0.5', 'one'), redis.call('ZRANK', 'z', 'two'), redis.call('ZCARD', 'z'), redis.call('ZCOUNT', 'z', '(1', '+inf')}",
  "return redis.call('ZRANGEBYSCORE', 'z', '-inf', '2', 'WITHSCORES', 'LIMIT', 0, 2)",
  "return redis.call('ZPOPMIN', 'z')",
  "return redis.call('ZPOPMAX', 'z', 5)",
  "redis.call('ZADD', 'z', 3, 'a', 4, 'b') return redis.call('ZMPOP', 1, 'z', 'MIN', 'COUNT', 1)",
  "return redis.call('ZRANDMEMBER', 'missing', 2, 'WITHSCORES')",
  "return {redis.call('ZADD', 'z', 'INCR', 1, 'b'), redis.call('ZADD', 'z', 'NX', 'INCR', 1, 'b')}",
  "return redis.call('ZREMRANGEBYSCORE', 'z', '-inf', '+inf')",
  "return redis.pcall('ZADD', 'z', 'nan', 'x')",
  "return redis.pcall('ZADD', 'h', 1, 'x')",
  // streams (fixed IDs: the replies carry them)
  "return {redis.call('XADD', 'st', '1-1', 'f', 'v'), redis.call('XADD', 'st', '2-0', 'a', '1', 'b', '2'), redis.call('XLEN', 'st')}",
  "return redis.call('XRANGE', 'st', '-', '+')",
  "return redis.call('XREVRANGE', 'st', '+', '-', 'COUNT', 1)",
  "return redis.call('XREAD', 'COUNT', 10, 'STREAMS', 'st', '0')",
  "return redis.call('XREAD', 'STREAMS', 'st', '$')",
  "return {redis.call('XGROUP', 'CREATE', 'st', 'g', '0'), redis.call('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 1, 'STREAMS', 'st', '>')}",
  "return redis.call('XPENDING', 'st', 'g')",
  "return redis.call('XINFO', 'STREAM', 'st')",
  "return redis.pcall('XADD', 'st', '1-0', 'f', 'v')",
  "return {redis.call('XTRIM', 'st', 'MAXLEN', 1), redis.call('XDEL', 'st', '2-0')}",
  // strings and keys
  "return {redis.call('SET', 'str', 'text', 'GET'), redis.call('GETRANGE', 'str', 0, 1), redis.call('INCRBYFLOAT', 'fl', '1.5'), redis.call('STRLEN', 'str')}",
  "return {redis.call('TYPE', 'h'), redis.call('TYPE', 'str'), redis.call('TYPE', 'missing'), redis.call('EXISTS', 'h', 'str', 'missing')}",
  "return redis.call('OBJECT', 'ENCODING', 'h')",
  "return {redis.call('EXPIRE', 'str', 100), redis.call('TTL', 'str'), redis.call('PERSIST', 'str'), redis.call('TTL', 'str')}",
  "return redis.call('SET', 'x', 'y', 'NX')",
  "return redis.call('SET', 'x', 'z', 'NX')",
  "return redis.call('COPY', 'h', 'h2')",
  "return redis.call('DEL', 'h2', 'missing')",
];

async function hello(protocol: string): Promise<void> {
  await Promise.all([both.real.call('HELLO', protocol), both.mine.call('HELLO', protocol)]);
}

describe('scripts calling data-type commands reply as on redis-server', () => {
  for (const protocol of ['2', '3']) {
    for (const resp of [2, 3]) {
      test(`RESP${protocol} client, redis.setresp(${resp})`, async () => {
        await hello(protocol);
        await both.same([['FLUSHALL'], ['SET', 'str', 'v']]);
        for (const body of BODIES) {
          await both.same([['EVAL', `redis.setresp(${resp}) ${body}`, '2', 'k1', 'k2', 'a1', 'a2']]);
        }
        // The data the scripts left behind is the same too.
        await both.same([['LRANGE', 'k1', 0, -1], ['LRANGE', 'k2', 0, -1], ['HGETALL', 'h'], ['GET', 'str'], ['GET', 'fl'], ['SMEMBERS', 's2'], ['ZRANGE', 'z', 0, -1, 'WITHSCORES'], ['XRANGE', 'st', '-', '+'], ['DBSIZE']]);
      });
    }
  }
});

/** Sends a command on a fresh connection to each server and expects the same reply bytes. */
async function sameOnFresh(command: string[]): Promise<[Buffer, Buffer]> {
  const [real, mine] = await Promise.all([RawClient.connect(both.redis.port), RawClient.connect(both.server.port)]);
  try {
    const replies = await Promise.all([real.callRaw(...command), mine.callRaw(...command)]);
    return replies;
  } finally {
    await real.close();
    await mine.close();
  }
}

test('FUNCTION STATS names the running function and its command; FUNCTION KILL stops it (both servers)', async () => {
  for (const port of [both.redis.port, both.server.port]) {
    const admin = await RawClient.connect(port);
    const runner = await RawClient.connect(port);
    try {
      await admin.call('CONFIG', 'SET', 'busy-reply-threshold', '50');
      await admin.call('FUNCTION', 'LOAD', 'REPLACE', "#!lua name=busy\nredis.register_function{function_name='spin', callback=function() while true do end end, flags={'no-writes'}}");
      const spin = runner.callRaw('fcall', 'spin', '1', 'kk', 'arg1');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const stats = (await admin.callRaw('FUNCTION', 'STATS')).toString();
      expect(stats.replace(/duration_ms\r\n:\d+/, 'duration_ms\r\n:N')).toBe(
        '*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n$7\r\ncommand\r\n*5\r\n$5\r\nfcall\r\n$4\r\nspin\r\n$1\r\n1\r\n$2\r\nkk\r\n$4\r\narg1\r\n' +
          '$11\r\nduration_ms\r\n:N\r\n$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:1\r\n',
      );
      expect((await admin.callRaw('FUNCTION', 'KILL')).toString()).toBe('+OK\r\n');
      expect((await spin).toString()).toBe('-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.\r\n');
      expect((await admin.callRaw('FUNCTION', 'STATS')).toString()).toMatch(/^\*4\r\n\$14\r\nrunning_script\r\n\$-1\r\n/);
    } finally {
      await admin.call('CONFIG', 'SET', 'busy-reply-threshold', '5000');
      await admin.call('FUNCTION', 'DELETE', 'busy');
      await admin.close();
      await runner.close();
    }
  }
}, 30_000);

describe('hostile scripts leave the server serving', () => {
  async function stillServing(port: number): Promise<void> {
    const other = await RawClient.connect(port);
    try {
      expect((await other.callRaw('PING')).toString()).toBe('+PONG\r\n');
      expect((await other.callRaw('EVAL', 'return 7', '0')).toString()).toBe(':7\r\n');
    } finally {
      await other.close();
    }
  }

  test('deep recursion: a Lua error, the same text as Redis', async () => {
    const [real, mine] = await sameOnFresh(['EVAL', 'local function f(n) return f(n + 1) + 1 end return f(1)', '0']);
    expect(mine.toString('latin1')).toBe(real.toString('latin1'));
    expect(mine.toString()).toMatch(/^-ERR .*stack overflow/);
    const [realC, mineC] = await sameOnFresh(['EVAL', "local function f(n) return pcall(f, n + 1) end return tostring(f(1))", '0']);
    expect(mineC.toString('latin1')).toBe(realC.toString('latin1'));
    await stillServing(both.server.port);
  });

  test('errors inside pcall are caught, as on Redis', async () => {
    for (const body of [
      "local ok, err = pcall(function() error('boom') end) return {tostring(ok), err}",
      "local ok, err = pcall(function() error({err='ERR tabled'}) end) return {tostring(ok), err.err}",
      "local ok, err = pcall(redis.call, 'NOSUCH') return {tostring(ok), err.err}",
      "local ok, err = pcall(redis.call, 'INCR', 'str') return {tostring(ok), err.err}",
      "local ok, err = pcall(function() local t = nil return t.x end) return {tostring(ok), err}",
      "local ok, err = pcall(error) return {tostring(ok), tostring(err)}",
      "return {pcall(redis.call, 'SET', 'pc', 'v')}",
    ]) {
      await both.same([['SET', 'str', 'text'], ['EVAL', body, '0']]);
    }
    await stillServing(both.server.port);
  });

  test('a huge reply (16 MB bulk, 200k-element array) arrives whole on both', async () => {
    const [real, mine] = await sameOnFresh(['EVAL', "return string.rep('x', 16 * 1024 * 1024)", '0']);
    expect(mine.length).toBe(real.length);
    expect(mine.equals(real)).toBe(true);
    const [realArray, mineArray] = await sameOnFresh(['EVAL', 'local t = {} for i = 1, 200000 do t[i] = i end return t', '0']);
    expect(mineArray.equals(realArray)).toBe(true);
    await stillServing(both.server.port);
  }, 60_000);

  test('runaway memory hits our per-state cap (Redis has none): an error, the server and the engine go on', async () => {
    const client = await RawClient.connect(both.server.port);
    try {
      const reply = (await client.callRaw('EVAL', "local s = string.rep('x', 1024 * 1024) local t = {} local i = 0 while true do i = i + 1 t[i] = s .. i end", '0')).toString();
      expect(reply).toMatch(/^-ERR Error running script .*not enough memory\r\n$/);
      expect((await client.callRaw('EVAL', "local t = {} for i = 1, 1000 do t[i] = string.rep('y', 1000) end return #t", '0')).toString()).toBe(':1000\r\n');
    } finally {
      await client.close();
    }
    await stillServing(both.server.port);
  }, 60_000);

  test('FCALL argument errors in Redis\'s order and texts (both servers)', async () => {
    const replies: string[][] = [];
    for (const port of [both.redis.port, both.server.port]) {
      const client = await RawClient.connect(port);
      try {
        await client.call('FUNCTION', 'LOAD', 'REPLACE', "#!lua name=argtest\nredis.register_function('argtest', function() return 1 end)");
        const out: string[] = [];
        for (const args of [['argtest', 'bad'], ['nosuch', 'bad'], ['argtest', '5'], ['argtest', '-1'], ['ARGTEST', '0']]) {
          out.push((await client.callRaw('FCALL', ...args)).toString());
        }
        replies.push(out);
        await client.call('FUNCTION', 'DELETE', 'argtest');
      } finally {
        await client.close();
      }
    }
    expect(replies[0]![0]).toBe('-ERR Bad number of keys provided\r\n');
    expect(replies[1]).toEqual(replies[0]);
  });

  test('XREAD and XREADGROUP with BLOCK are refused inside scripts, byte for byte (both servers)', async () => {
    const replies: string[][] = [];
    for (const port of [both.redis.port, both.server.port]) {
      const client = await RawClient.connect(port);
      try {
        await client.call('DEL', 's');
        await client.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
        const out: string[] = [];
        for (const script of [
          "return redis.pcall('xread','BLOCK',0,'STREAMS','s','$')",
          "return redis.pcall('XREADGROUP','GROUP','g','c','BLOCK',0,'STREAMS','s','>')",
          "return redis.pcall('xread','COUNT',1,'STREAMS','s','0')",
        ]) {
          out.push((await client.callRaw('EVAL', script, '1', 's')).toString());
        }
        replies.push(out);
      } finally {
        await client.call('DEL', 's');
        await client.close();
      }
    }
    expect(replies[0]![0]).toMatch(/xread command is not allowed with BLOCK option from scripts/);
    expect(replies[1]).toEqual(replies[0]);
  });

  test('EXEC during a busy script: EXECABORT ... BUSY, the transaction is discarded (both servers)', async () => {
    for (const port of [both.redis.port, both.server.port]) {
      const admin = await RawClient.connect(port);
      const runner = await RawClient.connect(port);
      const transaction = await RawClient.connect(port);
      try {
        await admin.call('CONFIG', 'SET', 'busy-reply-threshold', '20');
        await admin.call('SET', 'xx', '1');
        expect((await transaction.callRaw('MULTI')).toString()).toBe('+OK\r\n');
        expect((await transaction.callRaw('INCR', 'xx')).toString()).toBe('+QUEUED\r\n');
        const loop = runner.callRaw('EVAL', 'while true do end', '0');
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect((await transaction.callRaw('INCR', 'xx')).toString()).toMatch(/^-BUSY /);
        expect((await transaction.callRaw('EXEC')).toString()).toBe(
          '-EXECABORT Transaction discarded because of: BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n',
        );
        expect((await admin.callRaw('SCRIPT', 'KILL')).toString()).toBe('+OK\r\n');
        await loop;
        expect((await admin.callRaw('GET', 'xx')).toString()).toBe('$1\r\n1\r\n');
        expect((await transaction.callRaw('PING', 'asdf')).toString()).toBe('$4\r\nasdf\r\n');
      } finally {
        await admin.call('CONFIG', 'SET', 'busy-reply-threshold', '5000');
        await admin.close();
        await runner.close();
        await transaction.close();
      }
    }
  }, 30_000);

  test('an endless loop: BUSY for others, SCRIPT KILL ends it, then everyone is served (both servers)', async () => {
    for (const port of [both.redis.port, both.server.port]) {
      const admin = await RawClient.connect(port);
      const runner = await RawClient.connect(port);
      try {
        await admin.call('CONFIG', 'SET', 'busy-reply-threshold', '50');
        const loop = runner.callRaw('EVAL', "local n = 0 while true do n = n + 1 if n % 1000 == 0 then redis.call('EXISTS', 'k') end end", '0');
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect((await admin.callRaw('PING')).toString()).toMatch(/^-BUSY /);
        expect((await admin.callRaw('FUNCTION', 'STATS')).toString()).toBe(
          '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n',
        );
        expect((await admin.callRaw('SCRIPT', 'KILL')).toString()).toBe('+OK\r\n');
        expect((await loop).toString()).toMatch(/^-ERR Script killed by user with SCRIPT KILL\.\.\./);
        expect((await runner.callRaw('PING')).toString()).toBe('+PONG\r\n');
        await stillServing(port);
      } finally {
        await admin.call('CONFIG', 'SET', 'busy-reply-threshold', '5000');
        await admin.close();
        await runner.close();
      }
    }
  }, 30_000);
});
