/**
 * A differential runner for the HyperLogLog, geo and SORT families: random command sequences, run after RESET,
 * FLUSHALL and the shared seed of one key of every type (SEED_COMMANDS on Redis, seedEveryType on ours) plus the
 * family's own setup, replies compared byte for byte in RESP2 or RESP3. A `compare` hook may normalise a reply whose
 * order Redis leaves unspecified. DIFF_LOG=<file> appends every sequence run (as JSON) to the file, to find one that
 * hangs a server.
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import type { MiniRedisServer } from '@mini-redis/server';
import { createList, createSortedSet } from '@mini-redis/store';
import { expect } from 'vitest';
import { RawClient, showBytes, splitReplies, startTestServer } from '../helpers.js';
import { startRedisServer, type RedisProcess } from '../redis-process.js';
import { SEED_COMMANDS, seedEveryType } from '../side-by-side.js';
import { showCommand } from './compare.js';
import type { GeneratedCommand } from './generators.js';

export type { GeneratedCommand };

/** Number of runs: the env var (a count) or the default. */
export function runsFrom(variable: string, fallback: number): number {
  return Number(process.env[variable] ?? fallback);
}

/** fast-check seed from DIFF_SEED when set (to replay or vary long runs). */
export function seedOption(): { seed?: number } {
  const seed = process.env['DIFF_SEED'];
  return seed === undefined ? {} : { seed: Number(seed) };
}

export interface FamilyHarness {
  readonly redis: RedisProcess;
  readonly server: MiniRedisServer;
  readonly theirs: RawClient;
  readonly ours: RawClient;
  close(): Promise<void>;
}

export async function startHarness(): Promise<FamilyHarness> {
  const redis = await startRedisServer();
  const server = await startTestServer();
  const theirs = await RawClient.connect(redis.port);
  const ours = await RawClient.connect(server.port);
  return {
    redis, server, theirs, ours,
    async close() {
      await theirs.close();
      await ours.close();
      await server.close();
      await redis.stop();
    },
  };
}

/** The elements of an array reply, sorted (for replies whose order is unspecified). */
export function sortedArray(reply: Buffer): string {
  const text = reply.toString('latin1');
  if (!text.startsWith('*') || text.startsWith('*-1')) return text;
  const header = text.slice(0, text.indexOf('\r\n') + 2);
  return header + splitReplies(reply.subarray(header.length)).map((e) => e.toString('latin1')).sort().join('');
}

/**
 * Writes a setup command of another family (RPUSH, SADD, ZADD, HSET) straight into our store, as those commands live
 * in other branches; false for any other command (sent as a command).
 */
export function applyToStore(server: MiniRedisServer, command: GeneratedCommand): boolean {
  const db = server.store.db(0);
  const [name, key, ...rest] = command;
  switch (name!.toUpperCase()) {
    case 'RPUSH': {
      const current = db.getTyped(key!, 'list');
      if (current) for (const item of rest) current.pushBack(item);
      else db.set(key!, createList(rest));
      return true;
    }
    case 'SADD': {
      const current = db.getTyped(key!, 'set') ?? new Set<string>();
      for (const item of rest) current.add(item);
      db.set(key!, current);
      return true;
    }
    case 'ZADD': {
      const current = db.getTyped(key!, 'zset') ?? createSortedSet();
      for (let i = 0; i + 1 < rest.length; i += 2) current.add(rest[i + 1]!, Number(rest[i]));
      db.set(key!, current);
      return true;
    }
    case 'HSET': {
      const current = db.getTyped(key!, 'hash') ?? new Map<string, string>();
      for (let i = 0; i + 1 < rest.length; i += 2) current.set(rest[i]!, rest[i + 1]!);
      db.set(key!, current);
      return true;
    }
    default:
      return false;
  }
}

/** Runs one sequence on both servers and fails with a listing at the first differing reply. */
export async function checkSequence(
  harness: FamilyHarness,
  resp3: boolean,
  setup: GeneratedCommand[],
  commands: GeneratedCommand[],
  normalise: (command: GeneratedCommand, reply: Buffer) => string = (_command, reply) => reply.toString('latin1'),
): Promise<void> {
  const { theirs, ours, server } = harness;
  const log = process.env['DIFF_LOG'];
  if (log !== undefined) appendFileSync(log, JSON.stringify({ resp3, setup, commands }) + '\n');
  const hello = resp3 ? [['HELLO', '3']] : [];
  await theirs.pipelineRaw([['RESET'], ['FLUSHALL'], ...SEED_COMMANDS, ...setup, ...hello]);
  await ours.pipelineRaw([['RESET'], ...hello]);
  seedEveryType(server);
  const viaCommands = setup.filter((command) => !applyToStore(server, command));
  if (viaCommands.length > 0) await ours.pipelineRaw(viaCommands);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 15_000)));
  const both = Promise.all([theirs.pipelineRaw(commands), ours.pipelineRaw(commands)]);
  const result = await Promise.race([both, timeout]);
  clearTimeout(timer);
  if (result === 'timeout') {
    const listing = commands.map((line) => `   ${showCommand(line).slice(0, 300)}`).join('\n');
    expect.fail(`a server did not answer in time (${resp3 ? 'RESP3' : 'RESP2'}):\n${listing}`);
  }
  const [expected, actual] = result;
  commands.forEach((args, index) => {
    const want = normalise(args, expected[index]!);
    const got = normalise(args, actual[index]!);
    if (want !== got) {
      const listing = commands.map((line, at) => `${at === index ? '>>' : '  '} ${showCommand(line)}`).join('\n');
      expect.fail(
        `replies differ at #${index + 1} (${resp3 ? 'RESP3' : 'RESP2'}):\n${listing}\n` +
          `redis-server: ${showBytes(expected[index]!).slice(0, 2000)}\nours:         ${showBytes(actual[index]!).slice(0, 2000)}`,
      );
    }
  });
}

/** A sequence arbitrary: RESP2/3 and 1..maxLength commands. */
export function sequenceOf(command: fc.Arbitrary<GeneratedCommand>, maxLength = 15) {
  return fc.record({ resp3: fc.boolean(), commands: fc.array(command, { minLength: 1, maxLength }) });
}
