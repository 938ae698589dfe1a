/**
 * Runs a generated sequence against redis-server and ours (after RESET, FLUSHALL, seeding keys of other types and,
 * for RESP3, HELLO 3) and compares the reply bytes, normalising only what Redis leaves unspecified: the order of
 * unordered replies (SMEMBERS, SINTER, SUNION, SDIFF, SPOP with a count, SSCAN, ZRANDMEMBER/SRANDMEMBER with a count
 * of at least the size) and the choice of random members (SRANDMEMBER / ZRANDMEMBER: the reply's shape).
 */
import type { MiniRedisServer } from '@mini-redis/server';
import { createList } from '@mini-redis/store';
import { RawClient, splitReplies } from '../helpers.js';
import { showCommand } from './compare.js';
import type { GeneratedCommand, GeneratedSequence } from './generators.js';
import { SEEDED } from './collections-generators.js';

const UNORDERED = new Set(['smembers', 'sinter', 'sunion', 'sdiff', 'spop']);

/** Splits an aggregate reply into its header and elements (undefined when not an aggregate). */
function elementsOf(text: string): { header: string; elements: string[] } | undefined {
  const first = text[0];
  if (first !== '*' && first !== '~' && first !== '%') return undefined;
  if (text.startsWith('*-1')) return undefined;
  const headerEnd = text.indexOf('\r\n') + 2;
  const body = Buffer.from(text.slice(headerEnd), 'latin1');
  return { header: text.slice(0, headerEnd), elements: splitReplies(body).map((item) => item.toString('latin1')) };
}

function sorted(text: string): string {
  const parts = elementsOf(text);
  return parts === undefined ? text : parts.header + parts.elements.sort().join('');
}

/** The reply as compared. */
export function normaliseCollection(command: GeneratedCommand, reply: Buffer): string {
  const text = reply.toString('latin1');
  const head = command[0]!.toLowerCase();
  if (text.startsWith('-')) return text;
  if (UNORDERED.has(head)) return sorted(text);
  if (head === 'srandmember' || head === 'zrandmember') {
    if (text.startsWith('$') && !text.startsWith('$-1')) return '<bulk>';
    const parts = elementsOf(text);
    return parts === undefined ? text : `${parts.header}<random>`;
  }
  if (head === 'sscan' || head === 'zscan') {
    const parts = elementsOf(text);
    if (parts === undefined || parts.elements.length !== 2) return text;
    const [cursor, list] = parts.elements as [string, string];
    if (head === 'zscan') return parts.header + cursor + list;
    return parts.header + cursor + sorted(list);
  }
  return text;
}

/** Seeds a string, a list and a hash key on both servers (lists and hashes through our store directly). */
async function seed(redis: RawClient, server: MiniRedisServer): Promise<void> {
  await redis.pipelineRaw([
    ['FLUSHALL'],
    ['SET', SEEDED.string, 'text'],
    ['RPUSH', SEEDED.list, 'a', '1'],
    ['HSET', SEEDED.hash, 'a', '1'],
  ]);
  server.store.flushAll();
  const db = server.store.db(0);
  db.set(SEEDED.string, 'text');
  db.set(SEEDED.list, createList(['a', '1']));
  db.set(SEEDED.hash, new Map([['a', '1']]));
}

export class CollectionSession {
  private redis: RawClient | undefined;
  private ours: RawClient | undefined;

  constructor(
    private readonly redisPort: number,
    private readonly server: MiniRedisServer,
  ) {}

  async check(sequence: GeneratedSequence): Promise<void> {
    if (this.redis === undefined || this.redis.isClosed) this.redis = await RawClient.connect(this.redisPort);
    if (this.ours === undefined || this.ours.isClosed) this.ours = await RawClient.connect(this.server.port);
    const redis = this.redis;
    const ours = this.ours;
    await Promise.all([redis.pipelineRaw([['RESET']]), ours.pipelineRaw([['RESET']])]);
    await seed(redis, this.server);
    const setup: GeneratedCommand[] = sequence.resp3 ? [['HELLO', '3']] : [];
    const all = [...setup, ...sequence.commands];
    const [theirs, mine] = await Promise.all([redis.pipelineRaw(all), ours.pipelineRaw(all)]);
    for (let index = setup.length; index < all.length; index++) {
      const command = all[index]!;
      const expected = normaliseCollection(command, theirs[index]!);
      const actual = normaliseCollection(command, mine[index]!);
      if (expected !== actual) {
        const lines = [`replies differ at command #${index - setup.length + 1} (${sequence.resp3 ? 'RESP3' : 'RESP2'}):`];
        sequence.commands.forEach((one, at) => lines.push(`${at === index - setup.length ? '>>' : '  '} ${showCommand(one)}`));
        lines.push(`redis-server: ${JSON.stringify(theirs[index]!.toString('latin1'))}`);
        lines.push(`ours:         ${JSON.stringify(mine[index]!.toString('latin1'))}`);
        throw new Error(lines.join('\n'));
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.redis?.close(), this.ours?.close()]);
  }
}
