/**
 * Differential test of the list and hash families: random sequences of list and hash commands (valid shapes, bad
 * counts, options and arities) over keys of every type, run against Debian's real redis-server 7.0.15 and against
 * ours; every reply must be the same bytes, in RESP2 and RESP3. Where Redis's order is unspecified (HKEYS, HVALS,
 * HGETALL, HSCAN) replies are compared as multisets; HRANDFIELD by shape and size (its picks are checked in
 * lists-hashes.test.ts); an HSCAN that Redis or we answer in several steps only by shape.
 * LH_DIFF_RUNS=20000 runs it longer; FC_SEED picks the seed.
 */
import fc from 'fast-check';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { showCommand } from './differential/compare.js';
import type { GeneratedCommand } from './differential/generators.js';
import { listHashSequence } from './differential/lists-hashes-generators.js';
import { RawClient, showBytes, splitReplies, startTestServer } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';
import { SEED_COMMANDS, seedEveryType } from './side-by-side.js';

const RUNS = Number(process.env['LH_DIFF_RUNS'] ?? 300);

/** Splits an aggregate reply into its header line and its elements' bytes (undefined when not an aggregate). */
function aggregate(reply: Buffer): { header: string; elements: string[] } | undefined {
  const type = reply[0];
  if (type !== 0x2a && type !== 0x25) return undefined; // '*' or '%'
  const lineEnd = reply.indexOf('\r\n');
  const header = reply.toString('latin1', 0, lineEnd + 2);
  if (header === '*-1\r\n') return undefined;
  return { header, elements: splitReplies(reply.subarray(lineEnd + 2)).map((element) => element.toString('latin1')) };
}

function pairs(elements: string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < elements.length; index += 2) out.push(elements[index]! + elements[index + 1]!);
  return out.sort();
}

/** The reply as compared: exact, except for the orders and picks Redis leaves unspecified. */
export function normaliseListHash(command: GeneratedCommand, reply: Buffer): string {
  const head = command[0]!.toLowerCase();
  const text = reply.toString('latin1');
  const parts = aggregate(reply);
  if (parts === undefined) {
    if (head === 'hrandfield' && text.startsWith('$') && text !== '$-1\r\n') return '<a field>';
    return text;
  }
  switch (head) {
    case 'hkeys':
    case 'hvals':
      return parts.header + parts.elements.sort().join('');
    case 'hgetall':
      return parts.header + pairs(parts.elements).join('');
    case 'hrandfield':
      return parts.header;
    case 'hscan': {
      const inner = aggregate(Buffer.from(parts.elements[1] ?? '', 'latin1'));
      // A step that is not the whole hash, or one from a cursor other than 0 (in a hashtable its meaning is Redis's
      // bucket order): compared by shape.
      if (parts.elements[0] !== '$1\r\n0\r\n' || inner === undefined || command[2] !== '0') return '<scan step>';
      return `${parts.header}${parts.elements[0]}${inner.header}${pairs(inner.elements).join('')}`;
    }
    default:
      return text;
  }
}

/** EXEC's reply: each queued command's reply normalised as that command's. */
function normaliseExec(queued: GeneratedCommand[], reply: Buffer): string {
  const parts = aggregate(reply);
  if (parts === undefined || parts.elements.length !== queued.length) return reply.toString('latin1');
  return parts.header + parts.elements.map((element, index) => normaliseListHash(queued[index]!, Buffer.from(element, 'latin1'))).join('');
}

let redis: RedisProcess;
let server: MiniRedisServer;
let theirs: RawClient;
let ours: RawClient;

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startTestServer();
  theirs = await RawClient.connect(redis.port);
  ours = await RawClient.connect(server.port);
});

afterAll(async () => {
  await theirs?.close();
  await ours?.close();
  await redis?.stop();
  await server?.close();
});

test(`${RUNS} random list and hash sequences reply the same bytes as redis-server`, async () => {
  await fc.assert(
    fc.asyncProperty(listHashSequence(), async ({ resp3, commands }) => {
      await theirs.pipelineRaw([['RESET'], ['FLUSHALL'], ...SEED_COMMANDS, ...(resp3 ? [['HELLO', '3']] : [])]);
      await ours.pipelineRaw([['RESET'], ...(resp3 ? [['HELLO', '3']] : [])]);
      seedEveryType(server);
      const [expected, actual] = await Promise.all([theirs.pipelineRaw(commands), ours.pipelineRaw(commands)]);
      let queued: GeneratedCommand[] | undefined;
      commands.forEach((args, index) => {
        const head = args[0]!.toUpperCase();
        let want: string;
        let got: string;
        if (head === 'EXEC' && queued !== undefined) {
          want = normaliseExec(queued, expected[index]!);
          got = normaliseExec(queued, actual[index]!);
        } else {
          want = normaliseListHash(args, expected[index]!);
          got = normaliseListHash(args, actual[index]!);
        }
        if (head === 'MULTI') queued = [];
        else if (head === 'EXEC' || head === 'DISCARD') queued = undefined;
        else if (queued !== undefined && expected[index]!.toString('latin1') === '+QUEUED\r\n') queued.push(args);
        if (want !== got) {
          const listing = commands.map((line, at) => `${at === index ? '>>' : '  '} ${showCommand(line)}`).join('\n');
          expect.fail(
            `replies differ at #${index + 1} (${resp3 ? 'RESP3' : 'RESP2'}):\n${listing}\n` +
              `redis-server: ${showBytes(expected[index]!)}\nours:         ${showBytes(actual[index]!)}`,
          );
        }
      });
    }),
    { numRuns: RUNS },
  );
}, 600_000);

test('normalisation: orders as multisets, HRANDFIELD by shape, partial HSCAN steps by shape', () => {
  const hgetall = (items: string[]): Buffer =>
    Buffer.from(`%${items.length / 2}\r\n${items.map((item) => `$${item.length}\r\n${item}\r\n`).join('')}`);
  expect(normaliseListHash(['HGETALL', 'h'], hgetall(['a', '1', 'b', '2']))).toBe(
    normaliseListHash(['HGETALL', 'h'], hgetall(['b', '2', 'a', '1'])),
  );
  expect(normaliseListHash(['HGETALL', 'h'], hgetall(['a', '1', 'b', '2']))).not.toBe(
    normaliseListHash(['HGETALL', 'h'], hgetall(['a', '2', 'b', '1'])),
  );
  expect(normaliseListHash(['LRANGE', 'l', '0', '-1'], Buffer.from('*2\r\n$1\r\nb\r\n$1\r\na\r\n'))).toBe(
    '*2\r\n$1\r\nb\r\n$1\r\na\r\n',
  );
  expect(normaliseListHash(['HSCAN', 'h', '0'], Buffer.from('*2\r\n$2\r\n17\r\n*0\r\n'))).toBe('<scan step>');
});
