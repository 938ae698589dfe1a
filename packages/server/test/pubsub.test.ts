/**
 * Pub/sub against the real redis-server: multi-connection scripts whose every received byte is compared (RESP2
 * subscribed mode, RESP3 pushes interleaved with replies, patterns, shard channels, MULTI, RESET), plus what only
 * our side can show (INFO and CLIENT LIST fields, cleanup on disconnect).
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

describe('pub/sub, byte for byte with redis-server on every connection', () => {
  test('RESP2 subscribers, patterns, counts and subscribed-mode errors', async () => {
    await expectSameScript(pair, 3, [
      s(0, 'SUBSCRIBE news sport', 2),
      s(1, 'PSUBSCRIBE n* s?ort [ab]*', 3),
      s(2, 'PUBLISH news hello'),
      s(2, 'PUBLISH sport goal'),
      s(2, 'PUBLISH other x'),
      s(2, 'PUBLISH apple pie'),
      s(0, 'GET x'),
      s(0, 'CLIENT LIST'),
      s(0, 'MULTI'),
      s(0, 'PING'),
      s(0, 'PING hi'),
      s(0, 'SUBSCRIBE news'),
      s(0, 'UNSUBSCRIBE nothere'),
      s(0, 'PSUBSCRIBE x*'),
      s(2, 'PUBLISH xylophone y'),
      s(0, 'PUNSUBSCRIBE x*'),
      s(0, 'UNSUBSCRIBE news'),
      s(0, 'UNSUBSCRIBE sport'),
      s(0, 'GET x'),
      s(0, 'UNSUBSCRIBE'),
      s(0, 'PUNSUBSCRIBE'),
      s(1, 'PUNSUBSCRIBE s?ort'),
      s(1, 'PUNSUBSCRIBE', 2),
      s(1, 'PING'),
      s(2, 'PUBSUB NUMPAT'),
      s(2, 'PUBSUB CHANNELS'),
      s(2, 'PUBSUB NUMSUB news sport'),
    ]);
  });

  test('RESP3: pushes interleave with ordinary replies; a client receives its own publish first', async () => {
    await expectSameScript(pair, 2, [
      s(0, 'HELLO 3'),
      s(0, 'SUBSCRIBE ch'),
      s(0, 'SET k v'),
      s(1, 'PUBLISH ch one'),
      s(0, 'GET k'),
      s(0, 'PUBLISH ch self', 2),
      s(0, 'PING'),
      s(0, 'PSUBSCRIBE c*'),
      s(1, 'PUBLISH ch two'),
      s(0, 'GET nothere'),
      s(0, 'UNSUBSCRIBE ch'),
      s(0, 'PUNSUBSCRIBE c*'),
      s(0, 'UNSUBSCRIBE'),
      s(0, 'HELLO 2'),
      s(0, 'SUBSCRIBE a'),
      s(0, 'HELLO 3'),
      s(1, 'PUBLISH a resp3'),
      s(0, 'GET k'),
    ]);
  });

  test('shard channels, MULTI/EXEC, RESET, PUBSUB introspection and errors', async () => {
    await expectSameScript(pair, 2, [
      s(0, 'SSUBSCRIBE {s}a {s}b', 2),
      s(1, 'SPUBLISH {s}a m1'),
      s(1, 'PUBLISH {s}a not-shard'),
      s(1, 'PUBSUB SHARDCHANNELS {s}a'),
      s(1, 'PUBSUB SHARDNUMSUB {s}a {s}b nope'),
      s(1, 'PUBSUB SHARDCHANNELS a b'),
      s(1, 'PUBSUB CHANNELS a b'),
      s(0, 'SUBSCRIBE plain'),
      s(0, 'SUNSUBSCRIBE {s}a'),
      s(0, 'SUNSUBSCRIBE {s}b'),
      s(0, 'SUNSUBSCRIBE'),
      s(0, 'GET x'),
      s(0, 'RESET'),
      s(1, 'PUBLISH plain gone'),
      s(0, 'GET x'),
      s(0, 'MULTI'),
      s(0, 'SUBSCRIBE m1 m2'),
      s(0, 'SSUBSCRIBE m3'),
      s(0, 'PING'),
      s(0, 'EXEC'),
      s(1, 'PUBLISH m2 in-multi'),
      // the message must reach connection 0 before QUIT, or QUIT's wait counts the message as its reply (a race)
      { sleep: 30 },
      s(0, 'QUIT'),
      s(1, 'PUBSUB NUMSUB m1 m2'),
      s(1, 'PUBSUB'),
      s(1, 'PUBSUB NUMPAT extra'),
      s(1, 'PUBSUB nosuch'),
      s(1, 'PUBSUB HELP'),
      s(1, 'SUBSCRIBE'),
      s(1, 'PUBLISH onlychannel'),
    ]);
  });

  test('CLIENT REPLY OFF silences replies but not (un)subscribe confirmations nor messages, RESP2 and RESP3', async () => {
    await expectSameScript(pair, 3, [
      s(0, 'HELLO 3'),
      { c: 0, cmd: ['CLIENT', 'REPLY', 'OFF'], replies: 0 },
      s(0, 'SUBSCRIBE channel'),
      s(0, 'PSUBSCRIBE ch*'),
      s(2, 'PUBLISH channel hello', 1),
      { sleep: 30 },
      s(0, 'UNSUBSCRIBE channel'),
      s(0, 'PUNSUBSCRIBE ch*'),
      { c: 0, cmd: ['PING'], replies: 0 },
      { c: 1, cmd: ['CLIENT', 'REPLY', 'OFF'], replies: 0 },
      s(1, 'SUBSCRIBE a b', 2),
      { c: 1, cmd: ['PING'], replies: 0 },
      // (UNSUBSCRIBE with no channel walks Redis's channel dict, in an order seeded at random per process)
      s(1, 'UNSUBSCRIBE b a', 2),
      { sleep: 30 },
    ]);
  });

  test('binary channel names and messages, glob classes and escapes', async () => {
    await expectSameScript(pair, 2, [
      { c: 0, cmd: ['PSUBSCRIBE', 'b[\x00-\x7f]n', 'a\\*', 'h?llo'], replies: 3 },
      { c: 1, cmd: ['PUBLISH', 'b\x01n', '\xff\x00\r\n'] },
      { c: 1, cmd: ['PUBLISH', 'a*', 'literal star'] },
      { c: 1, cmd: ['PUBLISH', 'ab', 'no'] },
      { c: 1, cmd: ['PUBLISH', 'hallo', ''] },
      { c: 0, cmd: ['SUBSCRIBE', ''] },
      { c: 1, cmd: ['PUBLISH', '', 'empty channel'] },
    ]);
  });
});

describe('pub/sub state on our side', () => {
  test('INFO counts, CLIENT LIST sub/psub/ssub and flag P, CLIENT KILL TYPE pubsub, cleanup on disconnect', async () => {
    const server = pair.server;
    const subscriber = await RawClient.connect(server.port);
    const admin = await RawClient.connect(server.port);
    await subscriber.callRaw('SUBSCRIBE', 'a', 'b');
    await subscriber.nextReply();
    await subscriber.callRaw('PSUBSCRIBE', 'p*');
    await subscriber.callRaw('SSUBSCRIBE', 's');
    const info = String(await admin.call('INFO', 'stats'));
    expect(info).toContain('pubsub_channels:2\r\npubsub_patterns:1\r\npubsubshard_channels:1\r\n');
    const list = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
    expect(list.trim().split('\n')).toHaveLength(1);
    expect(list).toMatch(/ flags=P db=0 sub=2 psub=1 ssub=1 /);
    expect(String(await admin.call('CLIENT', 'LIST', 'TYPE', 'normal'))).not.toContain('flags=P');
    expect(await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub')).toBe(1);
    await subscriber.closed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(String(await admin.call('INFO', 'stats'))).toContain(
      'pubsub_channels:0\r\npubsub_patterns:0\r\npubsubshard_channels:0\r\n',
    );
    expect(await admin.call('PUBLISH', 'a', 'nobody')).toBe(0);
    await admin.close();
  });

  test('a slow publisher pipeline reaches every subscriber in order', async () => {
    const server = pair.server;
    const subscribers = await Promise.all([1, 2, 3].map(() => RawClient.connect(server.port)));
    for (const subscriber of subscribers) await subscriber.call('SUBSCRIBE', 'fan');
    const publisher = await RawClient.connect(server.port);
    const replies = await publisher.pipeline(Array.from({ length: 200 }, (_, index) => ['PUBLISH', 'fan', `m${index}`]));
    expect(replies.every((reply) => reply === 3)).toBe(true);
    for (const subscriber of subscribers) {
      const messages = await Promise.all(Array.from({ length: 200 }, () => subscriber.nextReply()));
      expect(subscriber.decode(messages[199]!)).toEqual(['message', 'fan', 'm199']);
      expect(subscriber.decode(messages[0]!)).toEqual(['message', 'fan', 'm0']);
      await subscriber.close();
    }
    await publisher.close();
  });
});
