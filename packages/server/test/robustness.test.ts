/**
 * Bad input never crashes the server or hurts other clients: every command of the table is called with random
 * arguments (numbers at the edges, floats, keywords, binary, keys of every type), and random bytes are thrown at
 * the socket. A handler that throws anything but a Redis error reply shows up as 'ERR internal error' and fails.
 */
import { fc } from '@fast-check/vitest';
import { ErrorReply, type RespValue } from '@mini-redis/protocol';
import type { MiniRedisServer } from '@mini-redis/server';
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RawClient, startTestServer } from './helpers.js';
import { seedEveryType } from './side-by-side.js';

/** Commands that would stop the test itself (close it, block it, or lock it out), not the server's robustness. */
const EXCLUDED = new Set([
  'shutdown', 'quit', 'monitor', 'debug', 'client|kill', 'client|pause', 'client|reply', 'config|set', 'auth', 'hello',
  'reset', 'multi', 'exec', 'discard', 'watch', 'select', 'swapdb', 'move', 'config|resetstat', 'config|rewrite',
  // (Un)subscribing answers with one push per channel (several replies to one command) and locks RESP2 into
  // subscribed mode; blocking commands wait. Their bad input is covered in pubsub.test.ts and blocking.test.ts.
  'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe',
  'blpop', 'brpop', 'brpoplpush', 'blmove', 'blmpop', 'bzpopmin', 'bzpopmax', 'bzmpop', 'wait',
]);

const KEYS = ['s', 'n', 'b', 'l', 'h', 'S', 'z', 'e', 'missing'];
const NUMBERS = [
  '0', '1', '-1', '2', '3', '10', '-100', '100', '9223372036854775807', '-9223372036854775808', '9223372036854775808',
  '18446744073709551616', '1.5', '-0.5', '0.1', 'inf', '-inf', '+inf', 'nan', '1e308', '-1e308', '1e-320', '0x10', '007',
  '', ' 1', '1 ', 'abc',
];
const KEYWORDS = [
  'EX', 'PX', 'EXAT', 'PXAT', 'NX', 'XX', 'GT', 'LT', 'KEEPTTL', 'GET', 'PERSIST', 'MATCH', 'COUNT', 'TYPE', 'REPLACE',
  'DB', 'LIMIT', 'WITHSCORES', 'LEN', 'IDX', 'MINMATCHLEN', 'WITHMATCHLEN', 'BYTE', 'BIT', 'AND', 'OR', 'XOR', 'NOT',
  'OVERFLOW', 'WRAP', 'SAT', 'FAIL', 'SET', 'INCRBY', 'u8', 'i16', 'i64', 'u63', 'u64', 'i0', '#1', '#-1', 'ASYNC',
  'SYNC', 'ID', 'ADDR', 'LADDR', 'USER', 'SKIPME', 'yes', 'no', 'ON', 'OFF', 'string', 'list', 'hash', 'set', 'zset',
  'encoding', 'help', 'HELP', 'get', 'list', 'info', 'docs', 'count', 'getkeys', '*', 'a*', '[a-', '\\',
];
const BYTES = ['\x00', '\xff\xfe', 'x'.repeat(300), 'héllo', '\r\n', '"', "'"];

const argument = fc.oneof(
  fc.constantFrom(...KEYS),
  fc.constantFrom(...NUMBERS),
  fc.constantFrom(...KEYWORDS),
  fc.constantFrom(...BYTES),
  fc.integer({ min: -1000, max: 1000 }).map(String),
);

let server: MiniRedisServer;
let client: RawClient;
let names: string[][];

/** Every key type, fresh for each batch, plus a string held as a Buffer. */
function seed(): void {
  seedEveryType(server);
  server.store.db(0).set('b', Buffer.from([0, 1, 2, 255]));
}

beforeAll(async () => {
  server = await startTestServer();
  client = await RawClient.connect(server.port);
  names = [];
  for (const spec of server.commands.all) {
    if (!EXCLUDED.has(spec.name)) names.push([spec.name]);
    for (const sub of spec.subcommands ?? []) {
      if (!EXCLUDED.has(`${spec.name}|${sub.name}`) && !EXCLUDED.has(spec.name)) names.push([spec.name, sub.name]);
    }
  }
});

afterAll(async () => {
  await client.close();
  await server.close();
});

function internalErrors(replies: RespValue[], commands: string[][]): string[] {
  const found: string[] = [];
  replies.forEach((reply, index) => {
    if (reply instanceof ErrorReply && reply.message.startsWith('ERR internal error')) {
      found.push(`${JSON.stringify(commands[index])} -> ${reply.message}`);
    }
  });
  return found;
}

test('every command with random arguments answers without an internal error', async () => {
  const command = fc
    .tuple(fc.nat(), fc.array(argument, { maxLength: 7 }))
    .map(([index, args]) => [...names[index % names.length]!, ...args]);
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), async (commands) => {
      seed();
      const replies = await client.pipeline(commands);
      expect(internalErrors(replies, commands)).toEqual([]);
    }),
    { numRuns: Number(process.env["ROBUSTNESS_RUNS"] ?? 1000) },
  );
  expect(await client.call('PING')).toEqual(expect.objectContaining({ value: 'PONG' }));
}, 60_000);

test('each command with no arguments and with many arguments answers', async () => {
  const commands: string[][] = [];
  for (const name of names) {
    commands.push([...name]);
    commands.push([...name, ...KEYS, ...NUMBERS.slice(0, 8)]);
  }
  seed();
  const replies = await client.pipeline(commands);
  expect(internalErrors(replies, commands)).toEqual([]);
});

test('random bytes on one connection leave the server serving others', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
      await new Promise<void>((resolve) => {
        const socket = connect({ port: server.port, host: '127.0.0.1' }, () => {
          socket.end(Buffer.from(bytes));
        });
        socket.on('data', () => {});
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
      });
    }),
    { numRuns: 100 },
  );
  expect(await client.call('ECHO', 'still here')).toBe('still here');
}, 60_000);

test('a reply the writer cannot encode closes only that connection, with an error', async () => {
  const spec = server.commands.lookup('echo')! as { run?: unknown };
  const original = spec.run;
  spec.run = () => 1.5; // not an integer: the writer refuses it
  try {
    const victim = await RawClient.connect(server.port);
    const reply = (await victim.sendRaw('*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n', 1)).toString('latin1');
    expect(reply).toBe('-');
    expect((await victim.readFor(50)).toString('latin1')).toMatch(/^ERR internal error: .*\r\n$/);
    await victim.closed;
    expect(victim.isClosed).toBe(true);
  } finally {
    spec.run = original;
  }
  expect(await client.call('ECHO', 'fine')).toBe('fine');
});
