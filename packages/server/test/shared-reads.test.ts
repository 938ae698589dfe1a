/**
 * Every connection reads into one shared buffer (src/net/connection.ts): what a read leaves undecoded (a command cut
 * in the middle, or waiting behind a blocking command) must survive the next reads of other connections. Several
 * clients send SETs of random values cut at random points, interleaved, then read their values back.
 */
import { fc } from '@fast-check/vitest';
import { encodeCommand } from '@mini-redis/protocol';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RawClient, startTestServer } from './helpers.js';

let server: MiniRedisServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

test('commands cut at random points on interleaved connections decode as sent', async () => {
  const clients = await Promise.all([0, 1, 2].map(() => RawClient.connect(server.port, 'buffer')));
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.nat(2), fc.oneof(fc.uint8Array({ maxLength: 30 }), fc.uint8Array({ minLength: 60_000, maxLength: 100_000 }))), {
        minLength: 1,
        maxLength: 8,
      }),
      fc.array(fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1_000, max: 70_000 })), { minLength: 1, maxLength: 8 }),
      async (sets, cuts) => {
        const streams = clients.map(() => [] as Buffer[]);
        const expected = new Map<string, Buffer>();
        sets.forEach(([client, value], index) => {
          const key = `k${index}`;
          expected.set(key, Buffer.from(value));
          streams[client]!.push(encodeCommand(['SET', key, Buffer.from(value)]));
        });
        const bytes = streams.map((parts) => Buffer.concat(parts));
        const offsets = [0, 0, 0];
        const replies = clients.map((client, index) =>
          client.sendRawReplies(Buffer.alloc(0), streams[index]!.length),
        );
        // Round-robin pieces of each client's stream, with a pause so each piece is a read of its own.
        for (let turn = 0; offsets.some((offset, index) => offset < bytes[index]!.length); turn++) {
          for (let index = 0; index < clients.length; index++) {
            // at most about 40 turns: a big value is never sent byte by byte
            const size = Math.max(cuts[(turn + index) % cuts.length]!, Math.ceil(bytes[index]!.length / 40));
            const piece = bytes[index]!.subarray(offsets[index], offsets[index]! + size);
            offsets[index]! += piece.length;
            if (piece.length > 0) clients[index]!.write(piece);
          }
          await pause();
        }
        for (const reply of await Promise.all(replies)) for (const bytes of reply) expect(bytes.toString()).toBe('+OK\r\n');
        for (const [key, value] of expected) expect(await clients[0]!.call('GET', key)).toEqual(value);
      },
    ),
    { numRuns: 15 },
  );
  for (const client of clients) await client.close();
}, 60_000);
