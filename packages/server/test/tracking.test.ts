/**
 * Client-side caching (CLIENT TRACKING) against the real redis-server: multi-connection scripts whose every received
 * byte is compared (default mode, BCAST with prefixes, OPTIN/OPTOUT with CLIENT CACHING, NOLOOP, REDIRECT in RESP2
 * and RESP3, flushes, errors), then what only our side shows (INFO, tracking-table-max-keys).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient } from './helpers.js';
import { expectSameScript, runScript, startPair, type Pair, type Step } from './multi-connection.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair(['--enable-debug-command', 'yes']);
});
afterAll(async () => {
  await pair.close();
});

const s = (c: number, line: string, replies = 1): Step => ({ c, cmd: line.split(' '), replies });

describe('CLIENT TRACKING, byte for byte with redis-server on every connection', { timeout: 30_000 }, () => {
  test('default mode in RESP3: reads remember keys, writes by others and oneself invalidate, after the reply', async () => {
    await expectSameScript(pair, 2, [
      s(0, 'HELLO 3'),
      s(0, 'CLIENT TRACKING on'),
      s(0, 'GET a'),
      s(0, 'MGET b c'),
      s(0, 'HGET h f'),
      s(1, 'SET a 1'),
      s(1, 'SET a 2'),
      s(1, 'MSET b 1 c 2'),
      s(0, 'PING'),
      s(0, 'GET a'),
      s(0, 'SET a 3'),
      s(0, 'GET a'),
      s(0, 'MULTI'),
      s(0, 'GET a'),
      s(0, 'SET a 4'),
      s(0, 'GET a'),
      s(0, 'EXEC'),
      s(1, 'DEL a'),
      s(0, 'EXISTS a'),
      s(1, 'EXPIRE a 100'),
      s(1, 'SET a x'),
      s(0, 'STRLEN a'),
      s(1, 'APPEND a y'),
      s(0, 'LRANGE l 0 -1'),
      s(1, 'RPUSH l v'),
      s(0, 'CLIENT TRACKINGINFO'),
      s(0, 'CLIENT GETREDIR'),
      s(0, 'FLUSHDB'),
      s(1, 'FLUSHALL'),
      s(0, 'PING'),
      s(0, 'GET z'),
      s(0, 'CLIENT TRACKING off'),
      s(1, 'SET z 1'),
      s(0, 'CLIENT TRACKINGINFO'),
      s(0, 'CLIENT GETREDIR'),
      s(0, 'CLIENT TRACKING on'),
      s(0, 'GET y'),
      s(0, 'RESET'),
      s(0, 'HELLO 3'),
      s(1, 'SET y 1'),
      s(0, 'CLIENT TRACKINGINFO'),
    ]);
  });

  test('expiry invalidates, GET of a wrong type still tracks, scripts track for their caller', async () => {
    await expectSameScript(pair, 2, [
      s(1, 'DEBUG SET-ACTIVE-EXPIRE 0'),
      s(0, 'HELLO 3'),
      s(0, 'CLIENT TRACKING on'),
      s(1, 'SET e v PX 30'),
      s(0, 'GET e'),
      { sleep: 80 },
      s(0, 'GET e'),
      s(0, 'PING'),
      s(1, 'SET e2 v PX 30'),
      s(0, 'GET e2'),
      { sleep: 80 },
      s(1, 'GET e2'),
      s(0, 'PING'),
      s(1, 'RPUSH l a'),
      s(0, 'GET l'),
      s(1, 'RPUSH l b'),
      s(0, 'PING'),
      { c: 0, cmd: ['EVAL', "return redis.call('get',KEYS[1])", '1', 's'] },
      s(1, 'SET s 1'),
      s(0, 'PING'),
      { c: 0, cmd: ['EVAL_RO', "return redis.call('get',KEYS[1])", '1', 'r'] },
      s(1, 'SET r 1'),
      s(0, 'PING'),
      // Redis 7.0: a read inside a script remembers the script's declared keys; a script that only writes, nothing
      { c: 0, cmd: ['EVAL', "redis.call('set','k3','bar')", '2', 'k1', 'k2'] },
      s(1, 'MSET k2 1 k1 1'),
      s(0, 'PING'),
      { c: 0, cmd: ['EVAL', "redis.call('get','k3')", '2', 'k1', 'k2'] },
      s(1, 'MSET k2 2 k1 2'),
      s(0, 'PING'),
      s(1, 'DEBUG SET-ACTIVE-EXPIRE 1'),
    ]);
  });

  test('a served BLMOVE gets its reply first, then the invalidation of the key it wrote (Redis: current client = receiver)', async () => {
    await expectSameScript(pair, 2, [
      s(1, 'RPUSH list2 a'),
      s(0, 'HELLO 3'),
      s(0, 'CLIENT TRACKING on'),
      s(0, 'LRANGE list2 0 -1'),
      { c: 0, cmd: ['BLMOVE', 'list1', 'list2', 'LEFT', 'LEFT', '0'], replies: 0 },
      { sleep: 30 },
      s(1, 'RPUSH list1 foo'),
      { sleep: 30 },
      s(0, 'PING'),
    ]);
  });

  test('NOLOOP: one\'s own writes are not reported', async () => {
    await expectSameScript(pair, 2, [
      s(0, 'HELLO 3'),
      s(0, 'CLIENT TRACKING on NOLOOP'),
      s(0, 'GET a'),
      s(0, 'SET a 1'),
      s(0, 'GET a'),
      s(1, 'SET a 2'),
      s(0, 'PING'),
      s(0, 'CLIENT TRACKINGINFO'),
    ]);
  });

  test('OPTIN and OPTOUT with CLIENT CACHING, and their errors', async () => {
    await expectSameScript(pair, 2, [
      s(0, 'HELLO 3'),
      s(0, 'CLIENT CACHING yes'),
      s(0, 'CLIENT TRACKING on OPTIN'),
      s(0, 'GET a'),
      s(1, 'SET a 1'),
      s(0, 'CLIENT CACHING yes'),
      s(0, 'CLIENT TRACKINGINFO'),
      s(0, 'GET b'),
      s(0, 'GET c'),
      s(1, 'SET b 1'),
      s(1, 'SET c 1'),
      s(0, 'PING'),
      s(0, 'CLIENT CACHING no'),
      s(0, 'CLIENT CACHING maybe'),
      s(0, 'CLIENT CACHING yes'),
      s(0, 'MULTI'),
      s(0, 'GET d'),
      s(0, 'GET e'),
      s(0, 'EXEC'),
      s(1, 'MSET d 1 e 1'),
      s(0, 'PING'),
      s(0, 'CLIENT TRACKING on OPTOUT'),
      s(0, 'CLIENT TRACKING off'),
      s(0, 'CLIENT TRACKING on OPTOUT'),
      s(0, 'GET f'),
      s(0, 'CLIENT CACHING no'),
      s(0, 'CLIENT TRACKINGINFO'),
      s(0, 'GET g'),
      s(1, 'MSET f 1 g 1'),
      s(0, 'PING'),
      s(0, 'CLIENT CACHING yes'),
      s(0, 'CLIENT TRACKING on OPTIN OPTOUT'),
      s(0, 'CLIENT TRACKING on OPTIN'),
    ]);
  });

  test('BCAST with prefixes, NOLOOP, and the prefix errors', async () => {
    await expectSameScript(pair, 3, [
      s(0, 'HELLO 3'),
      s(1, 'HELLO 3'),
      s(0, 'CLIENT TRACKING on BCAST PREFIX user: PREFIX obj'),
      s(1, 'CLIENT TRACKING on BCAST NOLOOP'),
      s(2, 'SET user:1 a'),
      s(0, 'PING'),
      s(1, 'PING'),
      s(2, 'MSET obj2 x obj1 y other z'),
      s(0, 'PING'),
      s(1, 'PING'),
      s(1, 'SET mine 1'),
      s(1, 'MSET mine 2 yours 3'),
      s(0, 'CLIENT TRACKINGINFO'),
      s(1, 'CLIENT TRACKINGINFO'),
      s(0, 'CLIENT TRACKING on BCAST PREFIX us'),
      s(0, 'CLIENT TRACKING on BCAST PREFIX a PREFIX ab'),
      s(0, 'CLIENT TRACKING on BCAST PREFIX new'),
      s(0, 'CLIENT TRACKINGINFO'),
      s(0, 'CLIENT TRACKING on'),
      s(0, 'CLIENT TRACKING on BCAST OPTIN'),
      s(0, 'CLIENT TRACKING on PREFIX x'),
      s(2, 'CLIENT TRACKING on BCAST PREFIX'),
      s(2, 'CLIENT TRACKING on NOPE'),
      s(2, 'CLIENT TRACKING maybe'),
      s(2, 'CLIENT TRACKING on REDIRECT notanumber'),
      s(2, 'CLIENT TRACKING on REDIRECT 99999'),
      s(2, 'INFO nosuchsection'),
      s(0, 'FLUSHALL'),
      s(1, 'PING'),
    ]);
  });

  test('REDIRECT to a RESP2 subscriber of __redis__:invalidate, to a RESP3 client, and a broken redirect', async () => {
    await expectSameScript(pair, 4, [
      s(1, 'SUBSCRIBE __redis__:invalidate'),
      s(0, 'CLIENT TRACKING on REDIRECT {id:1}'),
      s(0, 'GET a'),
      s(2, 'SET a 1'),
      s(1, 'PING'),
      s(0, 'CLIENT GETREDIR'),
      s(0, 'CLIENT TRACKINGINFO'),
      s(0, 'FLUSHDB'),
      s(1, 'PING'),
      s(0, 'CLIENT TRACKING on REDIRECT {id:1} REDIRECT {id:2}'),
      s(3, 'HELLO 3'),
      s(3, 'CLIENT TRACKING on BCAST REDIRECT {id:1}'),
      s(2, 'SET b 1'),
      s(1, 'PING'),
      s(2, 'HELLO 3'),
      s(0, 'CLIENT TRACKING on REDIRECT {id:2}'),
      s(0, 'GET c'),
      s(1, 'SET c 1'),
      s(2, 'PING'),
      s(3, 'CLIENT TRACKING off'),
      s(3, 'CLIENT TRACKING on REDIRECT {id:2}'),
      s(3, 'GET d'),
      s(2, 'QUIT'),
      s(1, 'SET d 1'),
      s(3, 'PING'),
      s(3, 'CLIENT TRACKINGINFO'),
    ]);
  });
});

/** A RESP3 client tracking `keys` (read with MGET) on our server after a FLUSHALL, and a second client. */
async function trackingReader(keys: string[]): Promise<{ reader: RawClient; admin: RawClient }> {
  const reader = await RawClient.connect(pair.server.port);
  const admin = await RawClient.connect(pair.server.port);
  await admin.call('FLUSHALL');
  await reader.call('HELLO', '3');
  await reader.call('CLIENT', 'TRACKING', 'on');
  await reader.call('MGET', ...keys);
  return { reader, admin };
}

describe('tracking state on our side', () => {
  test('INFO tracking fields, CLIENT LIST flags and redir, tracking-table-max-keys', async () => {
    const { reader, admin } = await trackingReader(['k1', 'k2', 'k3']);
    let info = String(await admin.call('INFO', 'everything'));
    expect(info).toContain('tracking_clients:1\r\n');
    expect(info).toContain('tracking_total_keys:3\r\ntracking_total_items:3\r\ntracking_total_prefixes:0\r\n');
    expect(String(await admin.call('CLIENT', 'LIST'))).toMatch(/flags=t .* redir=0 resp=3/);
    expect(await admin.call('CONFIG', 'SET', 'tracking-table-max-keys', '1')).toMatchObject({ value: 'OK' });
    // trimmed right after the CONFIG SET, with no further command (Redis does it from its cron): the reader hears of it
    expect(String(await reader.nextReply())).toMatch(/^>2\r\n\$10\r\ninvalidate\r\n\*1\r\n/);
    expect(String(await reader.nextReply())).toMatch(/^>2\r\n\$10\r\ninvalidate\r\n\*1\r\n/);
    info = String(await admin.call('INFO', 'stats'));
    expect(info).toContain('tracking_total_keys:1\r\n');
    expect(await admin.call('CONFIG', 'GET', 'tracking-table-max-keys')).toEqual(['tracking-table-max-keys', '1']);
    await admin.call('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
    reader.close();
    await new Promise((resolve) => setTimeout(resolve, 30));
    info = String(await admin.call('INFO', 'clients'));
    expect(info).toContain('tracking_clients:0\r\n');
    admin.close();
  });

  test('a lowered tracking-table-max-keys trims in steps until within the limit, with no command needed', async () => {
    const { reader, admin } = await trackingReader(Array.from({ length: 250 }, (_, i) => `key${i}`));
    await admin.call('CONFIG', 'SET', 'tracking-table-max-keys', '1');
    // 249 invalidations: more than one step of 100 keys (Redis's cron keeps going until the table fits)
    for (let i = 0; i < 249; i++) expect(String(await reader.nextReply())).toMatch(/^>2\r\n\$10\r\ninvalidate\r\n/);
    expect(String(await reader.callRaw('PING'))).toBe('+PONG\r\n');
    await admin.call('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
    await reader.close();
    await admin.close();
  });
});

describe('CLIENT PAUSE, byte for byte with redis-server', { timeout: 30_000 }, () => {
  test('WRITE holds writes, may-replicate commands and EVAL back until UNPAUSE; reads and EVAL_RO run', async () => {
    await expectSameScript(pair, 4, [
      s(0, 'SET k old'),
      s(0, 'CLIENT PAUSE 10 bad'),
      s(0, 'CLIENT PAUSE x'),
      s(0, 'CLIENT PAUSE -1'),
      s(0, 'CLIENT PAUSE 1 all x'),
      s(0, 'CLIENT PAUSE 20000 WRITE'),
      { c: 1, cmd: ['SET', 'k', 'new'], replies: 0 },
      { c: 2, cmd: ['PUBLISH', 'ch', 'm'], replies: 0 },
      { c: 3, cmd: ['GET', 'k'] },
      { c: 3, cmd: ['EVAL_RO', "return redis.call('get','k')", '0'] },
      { c: 3, cmd: ['MULTI'] },
      { c: 3, cmd: ['GET', 'k'] },
      { c: 3, cmd: ['EXEC'] },
      // a script that declares no-writes is not held (getCommandFlags from its shebang), cached or not
      { c: 3, cmd: ['EVAL', '#!lua flags=no-writes\nreturn 2', '0'] },
      { c: 3, cmd: ['EVAL', '#!lua flags=no-writes\nreturn 2', '0'] },
      { c: 3, cmd: ['EVAL', 'return 1', '0'], replies: 0 },
      { sleep: 50 },
      { c: 0, cmd: ['GET', 'k'] },
      { c: 0, cmd: ['CLIENT', 'UNPAUSE'] },
      { sleep: 50 },
      { c: 0, cmd: ['GET', 'k'] },
    ]);
  });

  test('ALL holds every command of every client until the timeout', async () => {
    await expectSameScript(pair, 2, [
      s(0, 'CLIENT PAUSE 200 ALL'),
      { c: 1, cmd: ['PING'], replies: 0 },
      { c: 0, cmd: ['CLIENT', 'UNPAUSE'], replies: 0 },
      { sleep: 100 },
      { c: 1, cmd: ['ECHO', 'still'], replies: 0 },
      { sleep: 300 },
      s(1, 'GET k'),
    ]);
  });
});

describe('CLIENT PAUSE on our side', () => {
  test('postponed clients show flag b and count in blocked_clients', async () => {
    const server = pair.server;
    const admin = await RawClient.connect(server.port);
    const writer = await RawClient.connect(server.port);
    await admin.call('CLIENT', 'PAUSE', '20000', 'WRITE');
    writer.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(String(await admin.call('INFO', 'clients'))).toContain('blocked_clients:1\r\n');
    expect(String(await admin.call('CLIENT', 'LIST'))).toMatch(/flags=b .* cmd=set /);
    await admin.call('CLIENT', 'UNPAUSE');
    expect((await writer.nextReply()).toString()).toBe('+OK\r\n');
    expect(String(await admin.call('INFO', 'clients'))).toContain('blocked_clients:0\r\n');
    await admin.close();
    await writer.close();
  });

  test('WRITE also holds the may-replicate commands PFCOUNT and PUBLISH (Redis\'s pause.tcl "special commands")', async () => {
    const server = pair.server;
    const admin = await RawClient.connect(server.port);
    const counter = await RawClient.connect(server.port);
    const publisher = await RawClient.connect(server.port);
    await admin.call('PFADD', 'pause-hll', 'test');
    await admin.call('CLIENT', 'PAUSE', '20000', 'WRITE');
    counter.write('*2\r\n$7\r\nPFCOUNT\r\n$9\r\npause-hll\r\n');
    publisher.write('*3\r\n$7\r\nPUBLISH\r\n$3\r\nfoo\r\n$3\r\nbar\r\n');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(String(await admin.call('INFO', 'clients'))).toContain('blocked_clients:2\r\n');
    await admin.call('CLIENT', 'UNPAUSE');
    expect((await counter.nextReply()).toString()).toBe(':1\r\n');
    expect((await publisher.nextReply()).toString()).toBe(':0\r\n');
    await admin.call('DEL', 'pause-hll');
    await admin.close();
    await counter.close();
    await publisher.close();
  });
});

describe('CLIENT KILL and CLIENT LIST fields, byte for byte with redis-server', { timeout: 30_000 }, () => {
  test('every filter, the old form, and their errors', async () => {
    await expectSameScript(pair, 4, [
      s(0, 'CLIENT KILL 1.2.3.4:5'),
      s(0, 'CLIENT KILL nonsense'),
      s(0, 'CLIENT KILL ID abc'),
      s(0, 'CLIENT KILL ID 0'),
      s(0, 'CLIENT KILL ID'),
      s(0, 'CLIENT KILL TYPE nosuch'),
      s(0, 'CLIENT KILL TYPE master'),
      s(0, 'CLIENT KILL TYPE replica'),
      s(0, 'CLIENT KILL TYPE slave'),
      s(0, 'CLIENT KILL USER nobody'),
      s(0, 'CLIENT KILL SKIPME maybe'),
      s(0, 'CLIENT KILL ADDR 1.2.3.4:5'),
      s(0, 'CLIENT KILL LADDR 1.2.3.4:5'),
      s(0, 'CLIENT KILL MAXAGE 10'),
      s(0, 'CLIENT KILL ID 99999 TYPE normal'),
      s(0, 'CLIENT KILL ID {id:1}'),
      s(2, 'SUBSCRIBE ch'),
      s(0, 'CLIENT KILL TYPE pubsub'),
      s(0, 'CLIENT KILL ID {id:0} SKIPME yes'),
      s(0, 'CLIENT KILL USER default SKIPME yes'),
      s(0, 'PING'),
      s(0, 'CLIENT KILL ID {id:0} SKIPME no'),
    ]);
  });

});

/** CLIENT LIST/INFO text with what cannot match between two servers masked: addresses, fd, allocator sizes. */
function maskClientLines(text: string): string {
  return text
    .replace(/\$\d+\r\n/g, '$<len>\r\n')
    .replace(/(^|\n)id=\d+/g, '$1id=<id>')
    .replace(/ (addr|laddr)=\S+/g, ' $1=<addr>')
    .replace(/ (fd|age|idle|qbuf-free|rbs|rbp|tot-mem)=\d+/g, ' $1=<n>');
}

test('CLIENT LIST/INFO lines: fields, argv-mem, multi-mem, qbuf, cmd of queued and blocked commands', async () => {
  const steps: Step[] = [
    s(0, 'CLIENT SETNAME lister'),
    s(1, 'MULTI'),
    s(1, 'SET key value'),
    s(1, 'GET key'),
    s(0, 'CLIENT LIST ID {id:0} {id:1}'),
    { c: 2, cmd: ['BLPOP', 'nolist', '0'], replies: 0 },
    { sleep: 50 },
    s(0, 'CLIENT LIST ID {id:2}'),
    s(0, 'CLIENT INFO'),
    s(1, 'EXEC'),
    s(0, 'CLIENT LIST ID {id:1}'),
  ];
  const expected = await runScript(pair.redis.port, 3, steps);
  const actual = await runScript(pair.server.port, 3, steps);
  expect(maskClientLines(actual[0]!)).toBe(maskClientLines(expected[0]!));
}, 30_000);

test('MONITOR shows what redis-server shows: after the command, EXEC after its commands, scripts before theirs', async () => {
  const run: string[][] = [
    ['SET', 'k', 'v'], ['MULTI'], ['SET', 'k', '2'], ['GET', 'k'], ['EXEC'],
    ['EVAL', "redis.call('set','x','1') return redis.call('get','x')", '0'],
    ['EVAL_RO', "return redis.call('get','x')", '0'], ['CONFIG', 'GET', 'maxmemory'], ['AUTH', 'x'],
    ['AUTH', 'a', 'b', 'c'], ['HELLO', '2', 'AUTH', 'default', 'pw'], ['HELLO', '2'], ['CLIENT', 'ID'],
    ['CLIENT', 'LIST'], ['SLOWLOG', 'LEN'], ['GET'], ['NOPE'], ['SELECT', '1'], ['LPUSH', 'l', 'a\x00"\n'],
    ['BLPOP', 'l', '0'], ['SUBSCRIBE', 'c'], ['UNSUBSCRIBE', 'c'], ['SELECT', '0'], ['QUIT'],
  ];
  const steps: Step[] = [{ c: 0, cmd: ['MONITOR'] }, ...run.map((cmd): Step => ({ c: 1, cmd }))];
  const mask = (text: string) => text.replace(/\+\d+\.\d+ \[(\d+) [\d.]+:\d+\]/g, '+<time> [$1 <addr>]').replace(/\+\d+\.\d+ \[/g, '+<time> [');
  const expected = await runScript(pair.redis.port, 2, steps);
  const actual = await runScript(pair.server.port, 2, steps);
  expect(mask(actual[0]!)).toBe(mask(expected[0]!));
}, 30_000);

test('keymiss (m) events for read commands, byte for byte with redis-server', async () => {
  await expectSameScript(pair, 2, [
    s(0, 'CONFIG SET notify-keyspace-events KEmx'),
    s(0, 'PSUBSCRIBE __key*'),
    s(1, 'SET str v'),
    s(1, 'RPUSH list a'),
    s(1, 'HSET hash f v'),
    s(1, 'GET nokey'),
    s(1, 'GET str'),
    s(1, 'MGET str a b'),
    s(1, 'STRLEN c'),
    s(1, 'GETRANGE d 0 1'),
    s(1, 'EXISTS e str'),
    s(1, 'TYPE f'),
    s(1, 'TTL g'),
    s(1, 'HGET h f'),
    s(1, 'HGET hash nofield'),
    s(1, 'HGETALL i'),
    s(1, 'LRANGE j 0 -1'),
    s(1, 'LLEN list'),
    s(1, 'LINDEX k 0'),
    s(1, 'GET list'),
    s(1, 'OBJECT ENCODING l'),
    s(1, 'BITCOUNT n'),
    s(1, 'GETDEL o'),
    s(1, 'GETEX p'),
    s(1, 'SET exp v PX 1'),
    { sleep: 20 },
    s(1, 'GET exp'),
    s(1, 'PING'),
    s(1, 'CONFIG SET notify-keyspace-events ""'),
  ].map((step) => ('cmd' in step && step.cmd[3] === '""' ? { ...step, cmd: ['CONFIG', 'SET', 'notify-keyspace-events', ''] } : step)));
}, 30_000);
