/**
 * Server administration over real sockets: INFO's layout and keyspace, CONFIG GET/SET/RESETSTAT/REWRITE (RESP2 and
 * RESP3), TIME/LASTSAVE/ROLE/SAVE, SLOWLOG, LATENCY, MEMORY and DEBUG. Expected texts are redis-server 7.0.15's.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@mini-redis/store';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, startTestServer } from './helpers.js';

const START = 1_700_000_000_123;
let server: MiniRedisServer;
let clock: ManualClock;
let client: RawClient;

async function raw(...args: string[]): Promise<string> {
  return (await client.callRaw(...args)).toString('latin1');
}

/** The body of a bulk string reply. */
function body(reply: string): string {
  return reply.slice(reply.indexOf('\r\n') + 2, -2);
}

beforeAll(async () => {
  clock = new ManualClock(START);
  server = await startTestServer({ clock });
  client = await RawClient.connect(server.port);
});

afterAll(async () => {
  await client.close();
  await server.close();
});

describe('INFO', () => {
  test('every line is a "# Section" header or key:value, sections split by one blank line', async () => {
    const text = body(await raw('INFO', 'everything'));
    const sections = text.split('\r\n\r\n');
    expect(sections.map((section) => section.split('\r\n')[0])).toEqual([
      '# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# CPU', '# Modules',
      '# Commandstats', '# Errorstats', '# Latencystats', '# Cluster', '# Keyspace',
    ]);
    expect(text.endsWith('\r\n')).toBe(true);
    for (const line of text.split('\r\n')) {
      if (line === '') continue;
      expect(line).toMatch(/^(# [A-Za-z]+|[a-z_0-9]+:.*)$/);
    }
  });

  test('server fields in Redis order, with our own version', async () => {
    const text = body(await raw('INFO', 'server'));
    const keys = text.split('\r\n').filter((line) => line.includes(':')).map((line) => line.split(':')[0]);
    expect(keys.slice(0, 6)).toEqual(['redis_version', 'redis_git_sha1', 'redis_git_dirty', 'redis_build_id', 'redis_mode', 'os']);
    expect(text).toContain('redis_version:7.0.15\r\n');
    expect(text).toContain('redis_mode:standalone\r\n');
    expect(text).toContain(`run_id:${server.runId}\r\n`);
    expect(text).toContain(`tcp_port:${server.port}\r\n`);
    expect(text).toMatch(/\r\nmini_redis_version:\d+\.\d+\.\d+\r\n/);
  });

  test('default sections leave out commandstats and latencystats; unknown section is empty', async () => {
    const text = body(await raw('INFO'));
    expect(text).not.toContain('# Commandstats');
    expect(text).toContain('# Errorstats');
    expect(await raw('INFO', 'nosuchsection')).toBe('$0\r\n\r\n');
  });

  test('sections come in Redis order whatever the order asked', async () => {
    const text = body(await raw('INFO', 'CLUSTER', 'replication'));
    expect(text.startsWith('# Replication\r\nrole:master\r\nconnected_slaves:0\r\n')).toBe(true);
    expect(text.endsWith('\r\n\r\n# Cluster\r\ncluster_enabled:0\r\n')).toBe(true);
  });

  test('keyspace line after writes', async () => {
    expect(await raw('INFO', 'keyspace')).toBe('$12\r\n# Keyspace\r\n\r\n');
    await client.pipeline([['SET', 'a', '1'], ['SET', 'b', '2', 'PX', '100000'], ['SELECT', '3'], ['SET', 'c', '3'], ['SELECT', '0']]);
    expect(body(await raw('INFO', 'keyspace'))).toBe(
      '# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n',
    );
  });

  test('stats count connections and commands; CONFIG RESETSTAT clears them', async () => {
    expect(body(await raw('INFO', 'stats'))).toMatch(/total_connections_received:1\r\ntotal_commands_processed:\d+\r\n/);
    expect(await raw('CONFIG', 'RESETSTAT')).toBe('+OK\r\n');
    expect(body(await raw('INFO', 'stats'))).toContain('total_connections_received:0\r\ntotal_commands_processed:1\r\n');
  });

  test('expired_keys counts keys reclaimed by expiry, lazily or actively; CONFIG RESETSTAT restarts it', async () => {
    const expired = async () => Number(/expired_keys:(\d+)/.exec(body(await raw('INFO', 'stats')))![1]);
    const before = await expired();
    await client.pipeline([['SET', 'gone1', 'x', 'PX', '10'], ['SET', 'gone2', 'x', 'PX', '10'], ['SET', 'stays', 'x', 'PX', '100000']]);
    clock.advance(20);
    expect(await raw('GET', 'gone1')).toBe('$-1\r\n');
    expect(await expired()).toBe(before + 1);
    server.store.expireCycle();
    expect(await expired()).toBe(before + 2);
    expect(await raw('CONFIG', 'RESETSTAT')).toBe('+OK\r\n');
    expect(await expired()).toBe(0);
    await client.call('DEL', 'stays');
    clock.set(clock.now() - 20); // later tests read the clock as it was
  });

  test('RESP3: a verbatim txt string', async () => {
    const other = await RawClient.connect(server.port);
    await other.call('HELLO', '3');
    const reply = (await other.callRaw('INFO', 'cluster')).toString('latin1');
    expect(reply).toBe('=34\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n');
    await other.close();
  });
});

describe('CONFIG', () => {
  test('GET: several patterns, globs, exact names as given, no duplicates', async () => {
    expect(await raw('CONFIG', 'GET', 'maxmemory', 'maxmemory')).toBe('*2\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
    expect(await raw('CONFIG', 'GET', 'HZ')).toBe('*2\r\n$2\r\nHZ\r\n$2\r\n10\r\n');
    expect(await raw('CONFIG', 'GET', 'nonexist')).toBe('*0\r\n');
    const pairs = (await client.call('CONFIG', 'GET', 'zset-max-*-entries')) as string[];
    expect(pairs).toEqual(['zset-max-listpack-entries', '128', 'zset-max-ziplist-entries', '128']);
    expect(await raw('CONFIG', 'GET')).toBe("-ERR wrong number of arguments for 'config|get' command\r\n");
  });

  test('SET round trip, several pairs at once, aliases', async () => {
    expect(await raw('CONFIG', 'SET', 'maxmemory', '1kb', 'maxmemory-policy', 'ALLKEYS-LRU')).toBe('+OK\r\n');
    expect(await client.call('CONFIG', 'GET', 'maxmemory', 'maxmemory-policy')).toEqual(['maxmemory', '1024', 'maxmemory-policy', 'allkeys-lru']);
    expect(await raw('CONFIG', 'SET', 'zset-max-ziplist-entries', '5', 'zset-max-listpack-entries', '6')).toBe('+OK\r\n');
    expect(await client.call('CONFIG', 'GET', 'zset-max-ziplist-entries')).toEqual(['zset-max-ziplist-entries', '6']);
    expect(await raw('CONFIG', 'SET', 'notify-keyspace-events', 'KEA')).toBe('+OK\r\n');
    expect(await client.call('CONFIG', 'GET', 'notify-keyspace-events')).toEqual(['notify-keyspace-events', 'AKE']);
    await client.pipeline([
      ['CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction', 'zset-max-listpack-entries', '128'],
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
    ]);
  });

  test('SET errors, and a failing pair changes nothing', async () => {
    const failed = (name: string, why: string) => `-ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}\r\n`;
    expect(await raw('CONFIG', 'SET', 'foo', 'bar')).toBe("-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n");
    expect(await raw('CONFIG', 'SET', 'hz', '5', 'foo')).toBe('-ERR syntax error\r\n');
    expect(await raw('CONFIG', 'SET', 'hz', '5', 'HZ', '6')).toBe(failed('HZ', 'duplicate parameter'));
    expect(await raw('CONFIG', 'SET', 'hz', 'abc')).toBe(failed('hz', "argument couldn't be parsed into an integer"));
    expect(await raw('CONFIG', 'SET', 'maxclients', '0')).toBe(failed('maxclients', 'argument must be between 1 and 4294967295 inclusive'));
    expect(await raw('CONFIG', 'SET', 'slowlog-log-slower-than', '-5')).toBe(
      failed('slowlog-log-slower-than', 'argument must be between -1 and 9223372036854775807 inclusive'),
    );
    expect(await raw('CONFIG', 'SET', 'appendonly', 'maybe')).toBe(failed('appendonly', "argument must be 'yes' or 'no'"));
    expect(await raw('CONFIG', 'SET', 'maxmemory', '1x')).toBe(failed('maxmemory', 'argument must be a memory value'));
    expect(await raw('CONFIG', 'SET', 'daemonize', 'yes')).toBe(failed('daemonize', "can't set immutable config"));
    expect(await raw('CONFIG', 'SET', 'save', '100')).toBe(failed('save', 'Invalid save parameters'));
    expect(await raw('CONFIG', 'SET', 'hz', '5', 'maxmemory-policy', 'bad')).toBe(
      failed('maxmemory-policy', 'argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction'),
    );
    expect(await client.call('CONFIG', 'GET', 'hz')).toEqual(['hz', '10']);
    expect(await raw('CONFIG', 'SET', 'hz', '1000')).toBe('+OK\r\n');
    expect(await client.call('CONFIG', 'GET', 'hz')).toEqual(['hz', '500']);
    await client.call('CONFIG', 'SET', 'hz', '10');
  });

  test('RESP3 GET is a map', async () => {
    const other = await RawClient.connect(server.port);
    await other.call('HELLO', '3');
    expect((await other.callRaw('CONFIG', 'GET', 'maxmemory')).toString('latin1')).toBe('%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
    await other.close();
  });

  test('requirepass set at runtime applies to new connections', async () => {
    await client.call('CONFIG', 'SET', 'requirepass', 'secret');
    const other = await RawClient.connect(server.port);
    expect((await other.callRaw('GET', 'a')).toString('latin1')).toBe('-NOAUTH Authentication required.\r\n');
    expect((await other.callRaw('AUTH', 'secret')).toString('latin1')).toBe('+OK\r\n');
    await other.call('CONFIG', 'SET', 'requirepass', '');
    await other.close();
  });

  test('REWRITE replaces known directives, comments out unknown ones, appends changed parameters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mini-redis-rewrite-'));
    const file = join(dir, 'redis.conf');
    writeFileSync(file, '# my config\nhz 20\nhash-max-ziplist-entries 64\nunknown-directive x\n');
    server.config.configFile = file;
    try {
      await client.call('CONFIG', 'SET', 'hz', '15', 'maxmemory-policy', 'allkeys-lru', 'hash-max-listpack-entries', '100');
      expect(await raw('CONFIG', 'REWRITE')).toBe('+OK\r\n');
      const text = readFileSync(file, 'utf8');
      // as Redis: a line it does not know becomes a `# ???` comment, new parameters follow the signature line
      expect(text.startsWith('# my config\nhz 15\nhash-max-listpack-entries 100\n# ??? unknown-directive x\n\n# Generated by CONFIG REWRITE\n')).toBe(true);
      expect(text).toContain('\nmaxmemory-policy allkeys-lru\n');
    } finally {
      server.config.configFile = undefined;
      await client.call('CONFIG', 'SET', 'hz', '10', 'maxmemory-policy', 'noeviction', 'hash-max-listpack-entries', '512');
      rmSync(dir, { recursive: true });
    }
  });

  test('REWRITE without a config file, HELP', async () => {
    expect(await raw('CONFIG', 'REWRITE')).toBe('-ERR The server is running without a config file\r\n');
    const help = (await client.call('CONFIG', 'HELP')) as unknown[];
    expect(help).toHaveLength(11);
  });
});

describe('TIME, LASTSAVE, ROLE, SAVE', () => {
  test('TIME reads the store clock', async () => {
    expect(await raw('TIME')).toBe('*2\r\n$10\r\n1700000000\r\n$6\r\n123000\r\n');
    clock.advance(1000);
    expect(await client.call('TIME')).toEqual(['1700000001', '123000']);
  });

  test('LASTSAVE is the start time; ROLE is a master without replicas', async () => {
    expect(await raw('LASTSAVE')).toBe(':1700000000\r\n');
    expect(await raw('ROLE')).toBe('*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n');
  });

  test('SAVE and BGSAVE report that persistence is not available', async () => {
    expect(await raw('SAVE')).toMatch(/^-ERR persistence is not available/);
    expect(await raw('BGSAVE')).toMatch(/^-ERR persistence is not available/);
    expect(await raw('BGSAVE', 'foo')).toBe('-ERR syntax error\r\n');
  });
});

describe('SLOWLOG', () => {
  test('logs every command at threshold 0, trims long arguments, GET count', async () => {
    await client.call('SLOWLOG', 'RESET');
    await client.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    await client.call('CLIENT', 'SETNAME', 'slowpoke');
    await client.call('ECHO', 'x'.repeat(130));
    const many = Array.from({ length: 40 }, (_, i) => `key${i}`);
    await client.call('DEL', ...many);
    await client.call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
    const entries = (await client.call('SLOWLOG', 'GET', '-1')) as unknown[][];
    // Newest first. As in Redis, the threshold is read after a command ran: the CONFIG SET that switched logging on
    // is logged, the one that switched it off is not.
    expect(entries.map((entry) => (entry[3] as string[])[0])).toEqual(['DEL', 'ECHO', 'CLIENT', 'CONFIG']);
    const [id, time, duration, args, address, name] = entries[1]!;
    expect(typeof id).toBe('number');
    expect(time).toBe(1700000001);
    expect(typeof duration).toBe('number');
    expect(args).toEqual(['ECHO', `${'x'.repeat(128)}... (2 more bytes)`]);
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(name).toBe('slowpoke');
    const trimmed = entries[0]![3] as string[];
    expect(trimmed).toHaveLength(32);
    expect(trimmed[31]).toBe('... (10 more arguments)');
    expect(trimmed[30]).toBe('key29');
    expect(await raw('SLOWLOG', 'LEN')).toBe(':4\r\n');
    expect(((await client.call('SLOWLOG', 'GET', '2')) as unknown[]).length).toBe(2);
    expect(await raw('SLOWLOG', 'RESET')).toBe('+OK\r\n');
    expect(await raw('SLOWLOG', 'GET')).toBe('*0\r\n');
    await client.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
  });

  test('errors', async () => {
    expect(await raw('SLOWLOG', 'GET', 'abc')).toBe('-ERR count should be greater than or equal to -1\r\n');
    expect(await raw('SLOWLOG', 'GET', '-2')).toBe('-ERR count should be greater than or equal to -1\r\n');
    expect(await raw('SLOWLOG', 'foo')).toBe("-ERR unknown subcommand 'foo'. Try SLOWLOG HELP.\r\n");
    expect(await raw('SLOWLOG')).toBe("-ERR wrong number of arguments for 'slowlog' command\r\n");
  });
});

describe('LATENCY and MEMORY', () => {
  test('LATENCY reports no samples', async () => {
    expect(await raw('LATENCY', 'LATEST')).toBe('*0\r\n');
    expect(await raw('LATENCY', 'HISTORY', 'command')).toBe('*0\r\n');
    expect(await raw('LATENCY', 'RESET', 'a', 'b')).toBe(':0\r\n');
    expect(await raw('LATENCY', 'GRAPH', 'command')).toBe("-ERR No samples available for event 'command'\r\n");
    expect(await raw('LATENCY', 'DOCTOR')).toMatch(/^\$288\r\nI'm sorry, Dave, I can't do that\. Latency monitoring is disabled/);
  });

  test('MEMORY USAGE, DOCTOR, errors', async () => {
    expect(await raw('MEMORY', 'USAGE', 'nokey')).toBe('$-1\r\n');
    // Earlier tests ran with maxmemory 1kb, which (as in Redis) evicted every key: write 'a' again.
    await raw('SET', 'a', '1');
    expect(await raw('MEMORY', 'USAGE', 'a')).toMatch(/^:\d+\r\n$/);
    expect(await raw('MEMORY', 'USAGE', 'k', 'SAMPLES', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(await raw('MEMORY', 'USAGE', 'k', 'FOO')).toBe('-ERR syntax error\r\n');
    expect(await raw('MEMORY', 'DOCTOR')).toMatch(/^\$\d+\r\nHi Sam, /);
  });
});

describe('DEBUG', () => {
  test('OBJECT, SET-ACTIVE-EXPIRE, LOG, ERROR and unknown subcommands', async () => {
    await client.pipeline([['SET', 'k', 'v'], ['SET', 'n', '12345']]);
    expect(await raw('DEBUG', 'OBJECT', 'k')).toMatch(/^\+Value at:0x[0-9a-f]{12} refcount:1 encoding:embstr serializedlength:2 lru:\d+ lru_seconds_idle:0\r\n$/);
    expect(await raw('DEBUG', 'OBJECT', 'n')).toMatch(/encoding:int serializedlength:3 /);
    expect(await raw('DEBUG', 'OBJECT', 'nokey')).toBe('-ERR no such key\r\n');
    expect(await raw('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('+OK\r\n');
    expect(await raw('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).toBe('+OK\r\n');
    expect(await raw('DEBUG', 'LOG', 'hello')).toBe('+OK\r\n');
    expect(await raw('DEBUG', 'ERROR', 'MYERR bar')).toBe('-MYERR bar\r\n');
    expect(await raw('DEBUG', 'foo')).toBe("-ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.\r\n");
    expect(await raw('DEBUG', 'SLEEP')).toBe("-ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP.\r\n");
  });

  test('SLEEP does not block other clients', async () => {
    const other = await RawClient.connect(server.port);
    const started = performance.now();
    const sleeping = client.callRaw('DEBUG', 'SLEEP', '0.3');
    expect((await other.callRaw('PING')).toString('latin1')).toBe('+PONG\r\n');
    expect(performance.now() - started).toBeLessThan(200);
    expect((await sleeping).toString('latin1')).toBe('+OK\r\n');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    await other.close();
  });
});
