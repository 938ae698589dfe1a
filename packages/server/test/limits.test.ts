/**
 * Protocol and connection limits as Redis applies them, over real sockets: protocol errors (Redis's text, then the
 * connection really closed), client-query-buffer-limit, proto-max-bulk-len, maxclients, the idle timeout and
 * protected mode. Where the behaviour is visible on the wire it is compared with the real redis-server.
 */
import { connect, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, startTestServer } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

/** Sends `data`, then collects every byte until the server closes the connection (or `timeoutMs`). */
function exchange(port: number, data: string | Buffer, host = '127.0.0.1', timeoutMs = 3000): Promise<{ bytes: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, host, () => socket.write(data));
    let bytes = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ bytes, closed: false });
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => (bytes += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ bytes, closed: true });
    });
  });
}

/**
 * Writes `first`, then 1 MiB chunks (waiting for drain) until a write fails or `limitMs` passes. Returns how many bytes
 * were accepted by the socket and whether a write failed (the server closed the connection).
 */
function flood(port: number, first: string, limitMs = 5000): Promise<{ written: number; failed: boolean; reply: string }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let written = 0;
    let reply = '';
    let done = false;
    const finish = (failed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ written, failed, reply });
    };
    const timer = setTimeout(() => finish(false), limitMs);
    socket.on('data', (data: Buffer) => (reply += data.toString('latin1')));
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    const pump = () => {
      while (!done) {
        written += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    socket.on('connect', () => {
      socket.write(first);
      pump();
    });
  });
}

/** A command's raw reply as a latin1 string. */
async function cmd(client: RawClient, ...args: string[]): Promise<string> {
  return (await client.callRaw(...args)).toString('latin1');
}

let server: MiniRedisServer;
let redis: RedisProcess;
const logs: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ log: (line) => logs.push(line) });
  redis = await startRedisServer();
});

afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

describe('protocol errors: Redis text, then the connection closed', () => {
  const cases: Array<[string, string | Buffer]> = [
    ['invalid multibulk length', '*3000000000\r\n'],
    ['invalid bulk length', '*1\r\n$-5\r\n'],
    ["expected '$'", '*1\r\n:5\r\n'],
    ['too big mbulk count string', '*' + '1'.repeat(70 * 1024)],
    ['too big bulk count string', '*1\r\n$' + '1'.repeat(70 * 1024)],
    ['too big inline request', 'GET ' + 'x'.repeat(70 * 1024)],
    ['unbalanced quotes', 'SET "a b\r\n'],
    ['after good commands', 'PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n'],
  ];
  for (const [name, data] of cases) {
    test(name, async () => {
      const ours = await exchange(server.port, data);
      const theirs = await exchange(redis.port, data);
      expect(theirs.closed).toBe(true);
      expect(ours).toEqual(theirs);
      expect(ours.bytes).toMatch(/-ERR Protocol error: /);
    });
  }

  test('the peer cannot go on writing after a protocol error (the socket is closed, not half-closed)', async () => {
    const result = await flood(server.port, '*x\r\n');
    expect(result.reply).toBe('-ERR Protocol error: invalid multibulk length\r\n');
    expect(result.failed).toBe(true);
    expect(result.written).toBeLessThan(64 * 1024 * 1024);
  });

  test('QUIT closes the connection for good too', async () => {
    const result = await flood(server.port, 'QUIT\r\n');
    expect(result.reply).toBe('+OK\r\n');
    expect(result.failed).toBe(true);
    expect(result.written).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('client-query-buffer-limit and proto-max-bulk-len', () => {
  test('a client whose unprocessed input passes the limit is closed and logged, others are served, memory stays bounded', async () => {
    const admin = await RawClient.connect(server.port);
    expect(await cmd(admin, 'CONFIG', 'SET', 'client-query-buffer-limit', '1mb')).toBe('+OK\r\n');
    try {
      const before = process.memoryUsage().rss;
      logs.length = 0;
      const flooding = flood(server.port, '*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$100000000\r\n');
      const other = await RawClient.connect(server.port);
      for (let i = 0; i < 20; i++) expect(await cmd(other, 'PING')).toBe('+PONG\r\n');
      const result = await flooding;
      expect(result.failed).toBe(true);
      expect(result.reply).toBe('');
      expect(result.written).toBeLessThan(64 * 1024 * 1024);
      expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
      const line = logs.find((entry) => entry.includes('max query buffer length'));
      expect(line).toMatch(
        /^# Closing client that reached max query buffer length: id=\d+ addr=127\.0\.0\.1:\d+ .* \(qbuf initial bytes: "a{64}"\)$/,
      );
      expect(await cmd(other, 'PING')).toBe('+PONG\r\n');
      other.close();
    } finally {
      expect(await cmd(admin, 'CONFIG', 'SET', 'client-query-buffer-limit', '1gb')).toBe('+OK\r\n');
      admin.close();
    }
  });

  test('proto-max-bulk-len set at run time applies to connected clients', async () => {
    const client = await RawClient.connect(server.port);
    expect(await cmd(client, 'CONFIG', 'SET', 'proto-max-bulk-len', '1mb')).toBe('+OK\r\n');
    try {
      const ok = await exchange(server.port, `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048576\r\n${'v'.repeat(1048576)}\r\nQUIT\r\n`);
      expect(ok.bytes).toBe('+OK\r\n+OK\r\n');
      const big = await exchange(server.port, '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n');
      expect(big).toEqual({ bytes: '-ERR Protocol error: invalid bulk length\r\n', closed: true });
    } finally {
      expect(await cmd(client, 'CONFIG', 'SET', 'proto-max-bulk-len', '512mb')).toBe('+OK\r\n');
      client.close();
    }
  });
});

describe('maxclients, timeout, protected mode', () => {
  test('maxclients: the client past the limit gets Redis text and is closed; rejected_connections counts it', async () => {
    const own = await startTestServer({ config: { maxclients: '2' } });
    try {
      const a = await RawClient.connect(own.port);
      const b = await RawClient.connect(own.port);
      const refused = await exchange(own.port, 'PING\r\n');
      expect(refused).toEqual({ bytes: '-ERR max number of clients reached\r\n', closed: true });
      expect(await cmd(a, 'INFO', 'stats')).toMatch(/rejected_connections:1\r\n/);
      b.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await exchange(own.port, 'PING\r\nQUIT\r\n')).toEqual({ bytes: '+PONG\r\n+OK\r\n', closed: true });
      a.close();
    } finally {
      await own.close();
    }
  });

  test('timeout closes idle clients but not monitors; 0 closes none', async () => {
    const own = await startTestServer({ config: { timeout: '1', hz: '50' } });
    try {
      const idle = await RawClient.connect(own.port);
      const monitor = await RawClient.connect(own.port);
      expect(await cmd(monitor, 'MONITOR')).toBe('+OK\r\n');
      const busy = await RawClient.connect(own.port);
      for (let i = 0; i < 8; i++) {
        expect(await cmd(busy, 'PING')).toBe('+PONG\r\n');
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(idle.isClosed).toBe(true);
      expect(monitor.isClosed).toBe(false);
      expect(busy.isClosed).toBe(false);
      expect(await cmd(busy, 'CONFIG', 'SET', 'timeout', '0')).toBe('+OK\r\n');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(busy.isClosed).toBe(false);
      busy.close();
      monitor.close();
    } finally {
      await own.close();
    }
  });

  test('protected mode: without a password, a non-loopback client gets the DENIED text of redis-server', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)?.address;
    expect(external, 'a non-loopback IPv4 address to connect from').toBeDefined();
    const own = await startTestServer({ host: '0.0.0.0' });
    const real = await startRedisServer(['--bind', '* -::*']);
    try {
      const ours = await exchange(own.port, 'PING\r\n', external);
      const theirs = await exchange(real.port, 'PING\r\n', external);
      expect(theirs.bytes).toMatch(/^-DENIED Redis is running in protected mode/);
      expect(ours).toEqual(theirs);
      expect(await exchange(own.port, 'PING\r\nQUIT\r\n', '127.0.0.1')).toEqual({ bytes: '+PONG\r\n+OK\r\n', closed: true });
      // a password lifts it, as does protected-mode no
      const admin = await RawClient.connect(own.port);
      expect(await cmd(admin, 'CONFIG', 'SET', 'protected-mode', 'no')).toBe('+OK\r\n');
      expect(await exchange(own.port, 'PING\r\nQUIT\r\n', external)).toEqual({ bytes: '+PONG\r\n+OK\r\n', closed: true });
      expect(await cmd(admin, 'CONFIG', 'SET', 'protected-mode', 'yes', 'requirepass', 'pw')).toBe('+OK\r\n');
      expect((await exchange(own.port, 'PING\r\nQUIT\r\n', external)).bytes).toBe(
        '-NOAUTH Authentication required.\r\n+OK\r\n',
      );
      admin.close();
    } finally {
      await own.close();
      await real.stop();
    }
  });
});
