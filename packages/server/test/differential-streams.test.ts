/**
 * Differential test of the stream family: random sequences of stream commands (explicit IDs, `*` on a future-seeded
 * key, trimming with `=`/`~`/LIMIT over small node sizes, groups, reads, pending lists, claims, XINFO) run against
 * Debian's real redis-server 7.0.15 and against ours, in RESP2 and RESP3; every reply must be the same bytes after
 * the time normalisation described in differential/stream-generators.ts. STREAM_DIFF_RUNS=5000 runs it longer; the
 * seed is FC_SEED's.
 */
import fc from 'fast-check';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { showCommand } from './differential/compare.js';
import type { GeneratedCommand, GeneratedSequence } from './differential/generators.js';
import { normaliseStreamReply, streamSequenceArbitrary } from './differential/stream-generators.js';
import { RawClient, showBytes, startTestServer } from './helpers.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';

const RUNS = Number(process.env['STREAM_DIFF_RUNS'] ?? 300);

let redis: RedisProcess;
let server: MiniRedisServer;
let real: RawClient | undefined;
let mine: RawClient | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
  server = await startTestServer();
});

afterAll(async () => {
  await Promise.all([real?.close(), mine?.close()]);
  await redis?.stop();
  await server?.close();
});

/** Pipelines the commands; after 10 s without all replies, drops the connection and returns what came. */
async function withTimeout(client: RawClient, commands: GeneratedCommand[]): Promise<Buffer[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Buffer[]>((resolve) => (timer = setTimeout(() => resolve([]), 10_000)));
  const replies = await Promise.race([client.pipelineRaw(commands), timeout]);
  clearTimeout(timer);
  if (replies.length === 0) client.raw.destroy();
  return replies;
}

async function check(sequence: GeneratedSequence): Promise<void> {
  if (real === undefined || real.isClosed) real = await RawClient.connect(redis.port);
  if (mine === undefined || mine.isClosed) mine = await RawClient.connect(server.port);
  const setup: GeneratedCommand[] = [['RESET'], ['FLUSHALL']];
  if (sequence.resp3) setup.push(['HELLO', '3']);
  const all = [...setup, ...sequence.commands];
  const [theirs, ours] = await Promise.all([withTimeout(real, all), withTimeout(mine, all)]);
  for (let index = setup.length; index < all.length; index++) {
    const command = all[index]!;
    if (theirs[index] === undefined || ours[index] === undefined) {
      throw new Error(`no reply in time at command #${index - setup.length + 1}: ${showCommand(command)}\n${sequence.commands.map(showCommand).join('\n')}`);
    }
    const expected = normaliseStreamReply(command, theirs[index]!.toString('latin1'));
    const actual = normaliseStreamReply(command, ours[index]!.toString('latin1'));
    if (expected !== actual) {
      const lines = [`replies differ at command #${index - setup.length + 1} (${sequence.resp3 ? 'RESP3' : 'RESP2'}):`];
      sequence.commands.forEach((c, i) => lines.push(`${i === index - setup.length ? '>>' : '  '} ${showCommand(c)}`));
      lines.push(`redis-server: ${showBytes(theirs[index]!)}`, `ours:         ${showBytes(ours[index]!)}`);
      throw new Error(lines.join('\n'));
    }
  }
}

describe('stream differential against redis-server', () => {
  test(`${RUNS} random stream command sequences reply the same bytes`, async () => {
    await fc.assert(fc.asyncProperty(streamSequenceArbitrary(), check), { numRuns: RUNS });
  }, 900_000);

  test('normalisation hides times only', () => {
    expect(normaliseStreamReply(['XINFO', 'CONSUMERS', 's', 'g'], '$4\r\nidle\r\n:1999\r\n')).toBe('$4\r\nidle\r\n:1s\r\n');
    expect(normaliseStreamReply(['XINFO', 'STREAM', 's'], '$16\r\nradix-tree-nodes\r\n:7\r\n')).toBe(
      '$16\r\nradix-tree-nodes\r\n:7\r\n',
    );
    expect(normaliseStreamReply(['XLEN', 's'], ':1234567890123\r\n')).toBe(':1234567890123\r\n');
    expect(normaliseStreamReply(['XPENDING', 's', 'g', '-', '+', '1'], '*1\r\n*4\r\n$3\r\n1-0\r\n$1\r\nc\r\n:5012\r\n:1\r\n')).toBe(
      '*1\r\n*4\r\n$3\r\n1-0\r\n$1\r\nc\r\n:5s\r\n:1\r\n',
    );
  });
});
