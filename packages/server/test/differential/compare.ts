/**
 * Runs one generated command sequence against the real redis-server and against ours over raw sockets, and compares
 * the reply bytes one by one. The only normalisations are of values that legitimately differ: TTL-like replies are
 * compared by sign, KEYS replies as sorted lists (hash-table order is not part of the contract).
 */
import { RawClient, showBytes, splitReplies } from '../helpers.js';
import type { GeneratedCommand, GeneratedSequence } from './generators.js';

/** Where each server listens. */
export interface Targets {
  readonly redisPort: number;
  readonly oursPort: number;
}

const TIME_COMMANDS = new Set(['ttl', 'pttl', 'expiretime', 'pexpiretime']);
const RUN_TIMEOUT_MS = 10_000;

/** The reply bytes as compared: TTL-like positive integers hidden, KEYS elements sorted. */
export function normalise(command: GeneratedCommand, reply: Buffer): string {
  const text = reply.toString('latin1');
  const head = command[0]!.toLowerCase();
  if (TIME_COMMANDS.has(head)) return /^:[1-9]\d*\r\n$/.test(text) ? ':<positive>\r\n' : text;
  if (head === 'keys' && text.startsWith('*')) {
    const header = text.slice(0, text.indexOf('\r\n') + 2);
    const elements = splitReplies(reply.subarray(header.length)).map((element) => element.toString('latin1'));
    return header + elements.sort().join('');
  }
  return text;
}

/** Connections kept across runs (reopened when a server closed one). */
export class DifferentialSession {
  private redis: RawClient | undefined;
  private ours: RawClient | undefined;

  constructor(private readonly targets: Targets) {}

  private async connections(): Promise<[RawClient, RawClient]> {
    if (this.redis === undefined || this.redis.isClosed) this.redis = await RawClient.connect(this.targets.redisPort);
    if (this.ours === undefined || this.ours.isClosed) this.ours = await RawClient.connect(this.targets.oursPort);
    return [this.redis, this.ours];
  }

  /**
   * Runs a sequence on both servers (after RESET, FLUSHALL and, for RESP3, HELLO 3) and throws an Error describing
   * the first differing reply: the sequence, Redis's bytes and ours.
   */
  async check(sequence: GeneratedSequence): Promise<void> {
    const [redis, ours] = await this.connections();
    const setup: GeneratedCommand[] = [['RESET'], ['FLUSHALL']];
    if (sequence.resp3) setup.push(['HELLO', '3']);
    const all = [...setup, ...sequence.commands];
    const [theirs, mine] = await Promise.all([run(redis, all), run(ours, all)]);
    for (let index = setup.length; index < all.length; index++) {
      const command = all[index]!;
      const expected = theirs[index];
      const actual = mine[index];
      if (expected === undefined || actual === undefined) {
        throw new Error(describe(sequence, index - setup.length, expected, actual, 'a server did not answer in time'));
      }
      if (normalise(command, expected) !== normalise(command, actual)) {
        throw new Error(describe(sequence, index - setup.length, expected, actual));
      }
    }
  }

  /** Closes both connections. */
  async close(): Promise<void> {
    await Promise.all([this.redis?.close(), this.ours?.close()]);
  }
}

/** Pipelines the commands in one write and collects each reply's bytes; on a timeout, drops the connection. */
async function run(client: RawClient, commands: GeneratedCommand[]): Promise<Buffer[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Buffer[]>((resolve) => (timer = setTimeout(() => resolve([]), RUN_TIMEOUT_MS)));
  const replies = await Promise.race([client.pipelineRaw(commands), timeout]);
  clearTimeout(timer);
  if (replies.length === 0) client.raw.destroy();
  return replies;
}

/** Shows a command with its arguments quoted, as a redis-cli line. */
export function showCommand(command: GeneratedCommand): string {
  return command
    .map((arg) => (/^[!-~]+$/.test(arg) && !arg.includes('"') ? arg : `"${showBytes(arg).replace(/"/g, '\\"')}"`))
    .join(' ');
}

function describe(
  sequence: GeneratedSequence,
  failing: number,
  expected: Buffer | undefined,
  actual: Buffer | undefined,
  note = 'replies differ',
): string {
  const lines = [`${note} at command #${failing + 1} (${sequence.resp3 ? 'RESP3, after HELLO 3' : 'RESP2'}):`];
  sequence.commands.forEach((command, index) => {
    lines.push(`${index === failing ? '>>' : '  '} ${showCommand(command)}`);
  });
  lines.push(`redis-server: ${expected === undefined ? '(no reply)' : showBytes(expected)}`);
  lines.push(`ours:         ${actual === undefined ? '(no reply)' : showBytes(actual)}`);
  return lines.join('\n');
}
