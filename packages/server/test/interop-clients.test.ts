/**
 * Interop with real Node clients: ioredis (default options: INFO ready check, CLIENT SETINFO) and node-redis v6
 * (RESP3 by default with HELLO 3, and RESP2), each doing the everyday commands, transactions, pipelines, WATCH,
 * binary values, and error replies surfacing as the client's own error classes with Redis's text.
 */
import { Redis, ReplyError } from 'ioredis';
import { createClient, ErrorReply, RESP_TYPES, WatchError } from 'redis';
import type { MiniRedisServer } from '@mini-redis/server';
import { createList } from '@mini-redis/store';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer } from './helpers.js';

const NOT_INTEGER = 'ERR value is not an integer or out of range';
const WRONG_TYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

/** Every byte value once, and bytes that are not valid UTF-8. */
const BINARY = Buffer.from([...Array.from({ length: 256 }, (_, index) => index), 0xc3, 0x28, 0xff, 0xfe, 0x00]);

let server: MiniRedisServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

describe('ioredis', () => {
  let client: Redis;
  let other: Redis;

  beforeAll(async () => {
    client = new Redis({ port: server.port, host: '127.0.0.1', keyPrefix: 'io:', maxRetriesPerRequest: 0 });
    other = new Redis({ port: server.port, host: '127.0.0.1', keyPrefix: 'io:', maxRetriesPerRequest: 0 });
    await Promise.all([
      new Promise((resolve) => client.once('ready', resolve)),
      new Promise((resolve) => other.once('ready', resolve)),
    ]);
  });

  afterAll(() => {
    client.disconnect();
    other.disconnect();
  });

  test('reaches ready (its INFO ready check passed)', async () => {
    expect(client.status).toBe('ready');
    expect(await client.info('server')).toContain('redis_version:7.0.15');
  });

  test('SET, GET, INCR, MSET, MGET, EXPIRE, TTL, DEL', async () => {
    expect(await client.set('string', 'value')).toBe('OK');
    expect(await client.get('string')).toBe('value');
    expect(await client.get('missing')).toBeNull();
    expect(await client.incr('counter')).toBe(1);
    expect(await client.incrby('counter', 41)).toBe(42);
    expect(await client.mset('a', '1', 'b', '2')).toBe('OK');
    expect(await client.mget('a', 'missing', 'b')).toEqual(['1', null, '2']);
    expect(await client.expire('a', 1000)).toBe(1);
    expect(await client.ttl('a')).toBe(1000);
    expect(await client.ttl('b')).toBe(-1);
    expect(await client.ttl('missing')).toBe(-2);
    expect(await client.set('with-options', 'x', 'EX', 100, 'NX')).toBe('OK');
    expect(await client.set('with-options', 'y', 'EX', 100, 'NX')).toBeNull();
    expect(await client.del('a', 'b', 'missing')).toBe(2);
    expect(await client.incrbyfloat('float', '1.5')).toBe('1.5');
  });

  test('MULTI/EXEC', async () => {
    const replies = await client.multi().set('tx', '1').incr('tx').get('tx').exec();
    expect(replies).toEqual([
      [null, 'OK'],
      [null, 2],
      [null, '2'],
    ]);
  });

  test("an error at run time inside EXEC is that command's error", async () => {
    await client.set('not-a-number', 'abc');
    const replies = await client.multi().incr('not-a-number').get('not-a-number').exec();
    expect(replies?.[0]?.[0]).toBeInstanceOf(ReplyError);
    expect((replies?.[0]?.[0] as Error).message).toBe(NOT_INTEGER);
    expect(replies?.[1]).toEqual([null, 'abc']);
  });

  test('pipeline', async () => {
    const pipeline = client.pipeline();
    for (let index = 0; index < 100; index++) pipeline.set(`p${index}`, String(index)).get(`p${index}`);
    const replies = await pipeline.exec();
    expect(replies).toHaveLength(200);
    expect(replies?.[199]).toEqual([null, '99']);
  });

  test('WATCH: a write by another client aborts EXEC', async () => {
    await client.set('watched', '1');
    expect(await client.watch('watched')).toBe('OK');
    await other.set('watched', '2');
    expect(await client.multi().set('watched', '3').exec()).toBeNull();
    expect(await client.get('watched')).toBe('2');
  });

  test('binary Buffers round-trip', async () => {
    expect(await client.set(Buffer.from([0xff, 0x00, 0x80]), BINARY)).toBe('OK');
    expect((await client.getBuffer(Buffer.from([0xff, 0x00, 0x80])))?.equals(BINARY)).toBe(true);
    expect(await client.strlen(Buffer.from([0xff, 0x00, 0x80]))).toBe(BINARY.length);
  });

  test("error replies are ReplyErrors with Redis's text", async () => {
    await client.set('text', 'abc');
    await expect(client.incr('text')).rejects.toBeInstanceOf(ReplyError);
    await expect(client.incr('text')).rejects.toThrow(NOT_INTEGER);
    await expect(client.call('NOSUCHCOMMAND', 'x')).rejects.toThrow(
      "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'x' ",
    );
    // (ECHO: ioredis would add its key prefix to GET's missing key.)
    await expect(client.call('ECHO')).rejects.toThrow("ERR wrong number of arguments for 'echo' command");
    server.store.db(0).set('io:list', createList());
    await expect(client.get('list')).rejects.toThrow(WRONG_TYPE);
  });
});

describe.each([3, 2] as const)('node-redis v6, RESP%i', (resp) => {
  let client: ReturnType<typeof createClient>;
  let other: ReturnType<typeof createClient>;
  const errors: Error[] = [];
  const key = (name: string) => `nr${resp}:${name}`;

  beforeAll(async () => {
    const url = `redis://127.0.0.1:${server.port}`;
    client = createClient({ url, RESP: resp });
    other = createClient({ url, RESP: resp });
    client.on('error', (error: Error) => errors.push(error));
    other.on('error', (error: Error) => errors.push(error));
    await client.connect();
    await other.connect();
  });

  afterAll(async () => {
    client.destroy();
    other.destroy();
  });

  test('connects (its handshake: HELLO, CLIENT SETINFO) without errors', async () => {
    expect(client.isReady).toBe(true);
    expect(await client.ping()).toBe('PONG');
    expect(errors).toEqual([]);
  });

  test('SET, GET, INCR, MSET, MGET, EXPIRE, TTL, DEL', async () => {
    expect(await client.set(key('string'), 'value')).toBe('OK');
    expect(await client.get(key('string'))).toBe('value');
    expect(await client.get(key('missing'))).toBeNull();
    expect(await client.incr(key('counter'))).toBe(1);
    expect(await client.incrBy(key('counter'), 41)).toBe(42);
    expect(await client.mSet([key('a'), '1', key('b'), '2'])).toBe('OK');
    expect(await client.mGet([key('a'), key('missing'), key('b')])).toEqual(['1', null, '2']);
    expect(await client.expire(key('a'), 1000)).toBe(1);
    expect(await client.ttl(key('a'))).toBe(1000);
    expect(await client.ttl(key('missing'))).toBe(-2);
    expect(await client.set(key('nx'), 'x', { condition: 'NX', expiration: { type: 'EX', value: 100 } })).toBe('OK');
    expect(await client.set(key('nx'), 'y', { condition: 'NX' })).toBeNull();
    expect(await client.del([key('a'), key('b'), key('missing')])).toBe(2);
    // INCRBYFLOAT replies a bulk string in RESP3 too (Redis 7.0).
    expect(await client.incrByFloat(key('float'), 1.5)).toBe('1.5');
  });

  test('MULTI/EXEC', async () => {
    const replies = await client.multi().set(key('tx'), '1').incr(key('tx')).get(key('tx')).exec();
    expect(replies).toEqual(['OK', 2, '2']);
  });

  test('pipeline', async () => {
    const batch = client.multi();
    for (let index = 0; index < 100; index++) batch.set(key(`p${index}`), String(index)).get(key(`p${index}`));
    const replies = await batch.execAsPipeline();
    expect(replies).toHaveLength(200);
    expect(replies[199]).toBe('99');
  });

  test('WATCH: a write by another client makes EXEC throw WatchError', async () => {
    await client.set(key('watched'), '1');
    expect(await client.watch(key('watched'))).toBe('OK');
    await other.set(key('watched'), '2');
    await expect(client.multi().set(key('watched'), '3').exec()).rejects.toBeInstanceOf(WatchError);
    expect(await client.get(key('watched'))).toBe('2');
  });

  test('binary Buffers round-trip', async () => {
    const binaryKey = Buffer.concat([Buffer.from(key('')), Buffer.from([0xff, 0x00, 0x80])]);
    expect(await client.set(binaryKey, BINARY)).toBe('OK');
    const value = await client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get(binaryKey);
    expect(Buffer.isBuffer(value) && value.equals(BINARY)).toBe(true);
  });

  test("error replies are ErrorReplies with Redis's text", async () => {
    await client.set(key('text'), 'abc');
    await expect(client.incr(key('text'))).rejects.toBeInstanceOf(ErrorReply);
    await expect(client.incr(key('text'))).rejects.toThrow(NOT_INTEGER);
    server.store.db(0).set(key('list'), createList());
    await expect(client.get(key('list'))).rejects.toThrow(WRONG_TYPE);
    await expect(client.sendCommand(['NOSUCHCOMMAND'])).rejects.toThrow(
      "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: ",
    );
  });
});
