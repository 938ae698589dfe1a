// The connection core against both servers: handshake, automatic pipelining, typed errors, timeouts, lifecycle.
import { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import {
  ConnectionClosedError,
  createClient,
  ReplyError,
  TimeoutError,
  type RedisClient,
} from '@mini-redis/client';
import { targetsFor, type RunningServer } from './targets.js';
import { freePort } from './redis-process.js';

describe.each(targetsFor('strings', 'keys', 'server'))('core against $name', (target) => {
  let server: RunningServer;
  const clients: RedisClient[] = [];
  const open = (options: Parameters<typeof createClient>[0] = {}) => {
    const client = createClient({ port: server.port, ...options });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await target.start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.disconnect()));
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await server.stop();
  });

  test('handshake: RESP3 by default, SELECT and SETNAME from the URL and options', async () => {
    // arrange
    const client = open({ url: `redis://127.0.0.1:${server.port}/3`, name: 'conn-a' });
    // act
    await client.ready();
    // assert
    expect(client.protocol).toBe(3);
    expect(await client.clientGetname()).toBe('conn-a');
    await client.set('db3-key', 'x');
    const other = open({ db: 0 });
    expect(await other.get('db3-key')).toBeNull();
    expect(await other.sendCommand(['SELECT', '3'])).toBe('OK');
    expect(await other.get('db3-key')).toBe('x');
  });

  test('protocol 2 on request: HGETALL-like replies are the same shape', async () => {
    const client = open({ protocol: 2, name: 'resp2' });
    await client.ready();
    expect(client.protocol).toBe(2);
    expect(await client.clientGetname()).toBe('resp2');
    expect(await client.configGet('maxmemory')).toEqual({ maxmemory: '0' });
  });

  test('commands issued in the same tick go out in one socket write', async () => {
    const client = open();
    await client.ready();
    const write = vi.spyOn(Socket.prototype, 'write');
    const keys = Array.from({ length: 100 }, (_, index) => `auto:${index}`);
    const results = await Promise.all([...keys.map((key, index) => client.set(key, String(index))), ...keys.map((key) => client.get(key))]);
    // (the in-process server's sockets write too: count the client's socket only)
    const clientWrites = write.mock.contexts.filter((socket) => (socket as Socket).remotePort === server.port);
    expect(clientWrites).toHaveLength(1);
    expect(results.slice(100)).toEqual(keys.map((_, index) => String(index)));
  });

  test('sequential awaits each get their own reply', async () => {
    const client = open();
    for (let index = 0; index < 50; index++) {
      expect(await client.set('seq', String(index))).toBe('OK');
      expect(await client.get('seq')).toBe(String(index));
    }
  });

  test('typed errors: ReplyError with the server code, and the connection stays usable', async () => {
    const client = open();
    await client.set('str', 'abc');
    const error = await client.incr('str').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReplyError);
    expect((error as ReplyError).code).toBe('ERR');
    expect((error as ReplyError).message).toBe('ERR value is not an integer or out of range');
    expect((error as ReplyError).command).toBe('INCR');
    const unknown = await client.sendCommand(['NOSUCHCOMMAND']).catch((caught: unknown) => caught);
    expect((unknown as ReplyError).code).toBe('ERR');
    expect(await client.get('str')).toBe('abc');
  });

  test('binary-safe: Buffers in, Buffers out with withBuffers()', async () => {
    const client = open();
    const bytes = Buffer.from([0, 0xff, 0x80, 13, 10, 0x41]);
    await client.set(bytes, bytes);
    const buffers = client.withBuffers();
    const value = await buffers.get(bytes);
    expect(Buffer.isBuffer(value)).toBe(true);
    expect(value).toEqual(bytes);
    expect(await client.get('missing')).toBeNull();
    expect(await buffers.get('missing')).toBeNull();
  });

  test('10,000 commands in flight with timeouts: one slow command times out, the others complete', async () => {
    const client = open({ commandTimeout: 5000 });
    await client.ready();
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const slow = client.sendCommand(['DEBUG', 'SLEEP', '0.3'], { timeout: 50 });
    const fast = Array.from({ length: 10_000 }, (_, index) => client.set(`t:${index % 100}`, String(index)));
    const started = Date.now();
    const error = await slow.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(280);
    const results = await Promise.all(fast);
    expect(results.every((result) => result === 'OK')).toBe(true);
    // the late DEBUG reply was matched and dropped: the next reply goes to the next command
    expect(await client.get('t:99')).toBe('9999');
    // one timer per connection, not one per command
    expect(timers.mock.calls.length).toBeLessThan(10);
  });

  test('a command on a default timeout rejects with TimeoutError; later commands still work', async () => {
    const client = open({ commandTimeout: 60 });
    const slow = client.sendCommand(['DEBUG', 'SLEEP', '0.2']);
    const after = client.get('nothing');
    await expect(slow).rejects.toBeInstanceOf(TimeoutError);
    await expect(after).rejects.toBeInstanceOf(TimeoutError);
    expect(await client.withTimeout(0).ping()).toBe('PONG');
    expect(await client.echo('still usable')).toBe('still usable');
  });

  test('quit() waits for replies; later commands reject with ConnectionClosedError', async () => {
    const client = open();
    const pending = client.set('q', '1');
    const ended = new Promise<void>((resolve) => client.on('end', resolve));
    await client.quit();
    await ended;
    expect(await pending).toBe('OK');
    expect(client.status).toBe('closed');
    await expect(client.get('q')).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  test('disconnect() rejects what is in flight with ConnectionClosedError', async () => {
    const client = open();
    await client.ready();
    const slow = client.sendCommand(['DEBUG', 'SLEEP', '0.1']);
    await client.disconnect();
    await expect(slow).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  test('AUTH: a wrong password is reported through the error event', async () => {
    const client = open({ username: 'nosuch', password: 'wrong', reconnectStrategy: false });
    const error = await new Promise<Error>((resolve) => client.on('error', resolve));
    expect(error).toBeInstanceOf(ReplyError);
  });
});

describe('without a server', () => {
  test('an error event with no listener does not crash; the offline queue limit rejects', async () => {
    const port = await freePort();
    const client = createClient({ port, maxOfflineQueue: 2, reconnectStrategy: () => 20 });
    const first = client.get('a');
    const second = client.get('b');
    await expect(client.get('c')).rejects.toThrow(/offline queue is full/);
    const reconnecting = await new Promise((resolve) => client.on('reconnecting', resolve));
    expect(reconnecting).toMatchObject({ attempt: 1, delay: 20 });
    await client.disconnect();
    await expect(first).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(second).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  test('enableOfflineQueue false rejects at once', async () => {
    const client = createClient({ port: await freePort(), enableOfflineQueue: false, reconnectStrategy: false });
    await expect(client.get('a')).rejects.toBeInstanceOf(ConnectionClosedError);
    await client.disconnect();
  });

  test('URL parsing', async () => {
    const client = createClient({ url: 'rediss://us%40er:p%3Ass@example.invalid:6380/4', reconnectStrategy: false, connectTimeout: 1 });
    client.on('error', () => {});
    expect(client.options).toMatchObject({
      host: 'example.invalid',
      port: 6380,
      db: 4,
      username: 'us@er',
      password: 'p:ss',
      tls: { servername: 'example.invalid' },
    });
    await client.disconnect();
    expect(() => createClient({ url: 'http://x' })).toThrow(TypeError);
  });
});
