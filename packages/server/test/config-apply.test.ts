/**
 * CONFIG SET changes that must take effect at run time: port and bind listen anew (clients stay connected), a change
 * that cannot be applied is refused with Redis's text and undoes every parameter of the same CONFIG SET, and
 * appendonly yes is refused (no persistence yet).
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { MiniRedisServer } from '@mini-redis/server';
import { RawClient, startTestServer } from './helpers.js';
import { freePort, pingPort } from './redis-process.js';

let server: MiniRedisServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

async function cmd(client: RawClient, ...args: string[]): Promise<string> {
  return (await client.callRaw(...args)).toString('latin1');
}

test('CONFIG SET port listens on the new port; connected clients stay; a busy port is refused and nothing changes', async () => {
  const client = await RawClient.connect(server.port);
  const oldPort = server.port;
  const newPort = await freePort();
  expect(await cmd(client, 'CONFIG', 'SET', 'port', String(newPort))).toBe('+OK\r\n');
  expect(server.port).toBe(newPort);
  expect(await pingPort(newPort)).toBe(true);
  expect(await pingPort(oldPort)).toBe(false);
  expect(await cmd(client, 'PING')).toBe('+PONG\r\n');

  const busy = createServer();
  const busyPort = await freePort();
  await new Promise<void>((resolve) => busy.listen(busyPort, '127.0.0.1', resolve));
  try {
    expect(await cmd(client, 'CONFIG', 'SET', 'maxmemory-samples', '9', 'port', String(busyPort))).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.\r\n",
    );
    expect(await cmd(client, 'CONFIG', 'GET', 'maxmemory-samples')).toBe('*2\r\n$17\r\nmaxmemory-samples\r\n$1\r\n5\r\n');
    expect(await cmd(client, 'CONFIG', 'GET', 'port')).toBe(`*2\r\n$4\r\nport\r\n$${String(newPort).length}\r\n${newPort}\r\n`);
    expect(await pingPort(newPort)).toBe(true);
  } finally {
    busy.close();
  }
  client.close();
});

test('CONFIG SET bind listens on the new addresses; an address that cannot be bound is refused', async () => {
  const client = await RawClient.connect(server.port);
  expect(await cmd(client, 'CONFIG', 'SET', 'bind', '127.0.0.1 -::1')).toBe('+OK\r\n');
  expect(await cmd(client, 'CONFIG', 'GET', 'bind')).toBe('*2\r\n$4\r\nbind\r\n$14\r\n127.0.0.1 -::1\r\n');
  expect(await pingPort(server.port)).toBe(true);
  expect(await cmd(client, 'CONFIG', 'SET', 'bind', '192.0.2.254')).toBe(
    "-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.\r\n",
  );
  expect(await cmd(client, 'CONFIG', 'GET', 'bind')).toBe('*2\r\n$4\r\nbind\r\n$14\r\n127.0.0.1 -::1\r\n');
  expect(await pingPort(server.port)).toBe(true);
  client.close();
});

test('appendonly yes is refused (data is in memory only); no is accepted', async () => {
  const client = await RawClient.connect(server.port);
  expect(await cmd(client, 'CONFIG', 'SET', 'appendonly', 'yes')).toBe(
    "-ERR CONFIG SET failed (possibly related to argument 'appendonly') - this server keeps its data in memory only (no AOF): appendonly yes is not supported\r\n",
  );
  expect(await cmd(client, 'CONFIG', 'SET', 'appendonly', 'no')).toBe('+OK\r\n');
  client.close();
});
