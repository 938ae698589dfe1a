/**
 * Inline commands (what telnet and `redis-cli` piping send) against Debian's real redis-server 7.0.15: random lines
 * with quotes, escapes, tabs and stray backslashes, each sent on a fresh connection to both servers. Everything
 * each server writes back until it closes or goes quiet must be the same bytes, including the protocol errors
 * (`unbalanced quotes`) after which both close the connection. INLINE_RUNS=2000 runs it longer.
 *
 * Left out on purpose: a NUL byte in an inline line. Redis looks for the newline with strchr, which stops at the NUL,
 * so it never sees the line end and the connection hangs until 64 KB arrive; we answer the line instead.
 */
import fc from 'fast-check';
import { connect } from 'node:net';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { showBytes, startTestServer } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

const RUNS = Number(process.env['INLINE_RUNS'] ?? 200);
const QUIET_MS = 40;

/** Sends bytes on a new connection and collects the answer until the server closes or stays quiet. */
function exchange(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    const quiet = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, QUIET_MS);
    };
    const socket = connect({ port, host: '127.0.0.1' }, () => {
      socket.write(bytes);
      quiet();
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      quiet();
    });
    socket.on('close', finish);
    socket.on('error', finish);
  });
}

const piece = fc.constantFrom(
  'a', 'b', 'k', ' ', '  ', '\t', '"', "'", '\\', '\\x4', '\\x41', '\\xZZ', '\\n', '\\"', "\\'", '""', "''", '"a b"',
  "'c d'", 'x"y', '"q"r', "'s't", '\xff', '1', '-1',
);
const command = fc.constantFrom('ECHO', 'PING', 'SET k', 'GET k', 'EXISTS', 'MGET', 'STRLEN', 'NOSUCH', '');
const line = fc
  .tuple(command, fc.array(piece, { maxLength: 8 }), fc.constantFrom('\r\n', '\n'))
  .map(([name, rest, end]) => `${name} ${rest.join('')}${end}`);
const request = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => Buffer.from(lines.join(''), 'latin1'));

let redis: RedisProcess;
let server: MiniRedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startTestServer();
});

afterAll(async () => {
  await redis?.stop();
  await server?.close();
});

test(`${RUNS} random inline requests get the same bytes as from redis-server`, async () => {
  await fc.assert(
    fc.asyncProperty(request, async (bytes) => {
      const answers = await Promise.all([exchange(redis.port, bytes), exchange(server.port, bytes)]);
      let expected = answers[0];
      const actual = answers[1];
      // redis-server closes at once after a protocol error, with the rest of the request unread: the kernel then sends
      // a reset, which can discard its error reply before we read it. An empty answer is that artifact: ask again.
      for (let attempt = 0; attempt < 5 && expected.length === 0 && actual.length > 0; attempt++) {
        expected = await exchange(redis.port, bytes);
      }
      if (!expected.equals(actual)) {
        expect.fail(`request ${showBytes(bytes)}\nredis-server: ${showBytes(expected)}\nours:         ${showBytes(actual)}`);
      }
    }),
    { numRuns: RUNS },
  );
}, 120_000);
