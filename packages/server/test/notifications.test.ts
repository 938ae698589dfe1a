/**
 * Keyspace notifications against the real redis-server: a subscriber on `__key*__:*` sees the same messages, byte
 * for byte, for the same commands and `notify-keyspace-events` settings (each class, K and E apart, 'new', lazy and
 * active expiry). The list/hash/set/zset classes join once those families land (the lead merges); the commands
 * below are the string, bitmap and generic ones this tree has.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient } from './helpers.js';
import { expectSameScript, startPair, type Pair, type Step } from './multi-connection.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair.close();
});

const s = (c: number, line: string, replies = 1): Step => ({ c, cmd: line.split(' '), replies });

/** Connection 0 listens to every keyspace and keyevent channel; connection 1 sets the classes and runs `lines`. */
function script(classes: string, lines: string[]): Step[] {
  return [
    { c: 1, cmd: ['CONFIG', 'SET', 'notify-keyspace-events', classes] },
    s(0, 'PSUBSCRIBE __key*__:*'),
    ...lines.map((line) => (line.startsWith('sleep ') ? { sleep: Number(line.slice(6)) } : s(1, line))),
    { c: 1, cmd: ['CONFIG', 'SET', 'notify-keyspace-events', ''] },
  ];
}

const STRING_COMMANDS = [
  'SET a 1', 'SET a 2', 'SET a 3 EX 100', 'SET a 3 NX', 'SET b 3 XX', 'SET a 4 GET', 'SETNX a 1', 'SETNX n 1',
  'SETEX a 10 v', 'PSETEX b 10000 v', 'GETSET a x', 'GETSET c x', 'MSET a 1 d 2', 'MSETNX e 1 a 2', 'MSETNX e 1 f 2',
  'GETDEL a', 'GETEX b EX 10', 'GETEX b PERSIST', 'GETEX b PERSIST', 'GETEX b', 'GETEX b PXAT 1', 'APPEND g x',
  'APPEND g y', 'SETRANGE g 0 z', 'SETRANGE g 5 z', 'SETRANGE h 2 w', 'INCR i', 'DECR i', 'INCRBY i 3', 'DECRBY i 3',
  'INCRBYFLOAT i 1.5', 'INCRBYFLOAT j 1', 'SET x notanumber', 'INCR x', 'SETBIT k 1 1', 'SETBIT k 1 1',
  'SETBIT k 9 0', 'BITOP AND dest g k', 'BITOP OR dest missing', 'BITOP OR nope missing', 'BITFIELD bf SET u8 0 1',
  'BITFIELD bf GET u8 0', 'BITFIELD bf INCRBY u8 0 1 OVERFLOW FAIL INCRBY u8 0 300',
  'BITFIELD bf OVERFLOW FAIL INCRBY u8 0 300',
];

const GENERIC_COMMANDS = [
  'SET a 1', 'SET b 2', 'DEL a b c', 'UNLINK b', 'SET a 1', 'EXPIRE a 100', 'EXPIRE a 100 NX', 'EXPIRE a 200 GT',
  'PEXPIRE a 100000', 'EXPIREAT a 99999999999', 'PEXPIREAT a 99999999999000', 'PERSIST a', 'PERSIST a',
  'EXPIRE a -1', 'EXPIRE a 10', 'SET a 1', 'RENAME a b', 'SET c 3', 'RENAME b c', 'RENAMENX c d', 'SET e 1',
  'RENAMENX d e', 'RENAME d d', 'MOVE d 1', 'SET d 9', 'MOVE d 1', 'COPY d e2', 'COPY d e2', 'COPY d e2 REPLACE',
  'COPY d e3 DB 2', 'SET t v PX 50', 'sleep 100', 'GET t', 'SET u v PX 50', 'sleep 100', 'EXISTS u', 'FLUSHDB',
  'SWAPDB 0 1', 'SELECT 1', 'DEL d', 'SELECT 0',
];

describe('keyspace notifications, byte for byte with redis-server', () => {
  test('every string and bitmap event, keyspace and keyevent channels (KEA)', async () => {
    await expectSameScript(pair, 2, script('KEA', STRING_COMMANDS));
  });

  test('every generic event and lazy expiry, with new-key events (KEAn)', async () => {
    await expectSameScript(pair, 2, script('KEAn', GENERIC_COMMANDS));
  });

  test('new-key events alone, keyspace channel only (Kn)', async () => {
    await expectSameScript(pair, 2, script('Kn', STRING_COMMANDS));
  });

  test('one class at a time: $ and g with keyevent only, and neither K nor E publishes nothing', async () => {
    await expectSameScript(pair, 2, script('E$', [...STRING_COMMANDS, ...GENERIC_COMMANDS]));
    await expectSameScript(pair, 2, script('Eg', [...STRING_COMMANDS, ...GENERIC_COMMANDS]));
    await expectSameScript(pair, 2, script('A', [...STRING_COMMANDS, 'PING']));
  });

  test('key misses of GET, MGET, GETDEL and GETEX (Km)', async () => {
    await expectSameScript(pair, 2, script('Km', ['GET nope', 'SET a 1', 'MGET nope a nope2', 'GETDEL nope', 'GETEX nope EX 1', 'GET a']));
  });

  test('active expiry publishes expired without any access (Ex)', async () => {
    await expectSameScript(pair, 2, script('Ex', ['SET t1 v PX 30', 'sleep 400', 'PING', 'SET t2 v PX 30', 'sleep 400', 'PING']));
  });
});

describe('keyspace notifications on our side', () => {
  test('CONFIG SET takes effect at once and a RESP3 subscriber gets pushes between its replies', async () => {
    const client = await RawClient.connect(pair.server.port);
    await client.call('HELLO', '3');
    await client.call('CONFIG', 'SET', 'notify-keyspace-events', 'E$');
    await client.call('SUBSCRIBE', '__keyevent@0__:set');
    const reply = await client.callRaw('SET', 'key', 'value');
    expect(reply.toString('latin1')).toBe('>3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:set\r\n$3\r\nkey\r\n');
    expect((await client.nextReply()).toString('latin1')).toBe('+OK\r\n');
    await client.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    expect((await client.callRaw('SET', 'key', 'again')).toString('latin1')).toBe('+OK\r\n');
    await client.close();
  });
});
