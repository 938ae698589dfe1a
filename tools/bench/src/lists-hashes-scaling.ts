/**
 * Scaling check of the list and hash families, ours beside redis-server (both pinned to core 0): microseconds per
 * operation for LPUSH, RPOP, LINDEX 0, HSET and HGET on a list / hash already holding 1k, 10k, 100k and 1M elements
 * (flat is the goal: O(1) commands must not slow down with size), and the resident memory each server grows by per
 * element when a 1M-element list and a 1M-field hash are built. Run `pnpm build` first, then
 * `pnpm --filter @mini-redis/bench run bench:lists-hashes-scaling`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, requireProgram, startPinned, type ServerProcess } from './server-processes.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = resolve(root, 'packages/server/dist/cli.js');
const SIZES = [1_000, 10_000, 100_000, 1_000_000];
const OPS = 20_000;
const BATCH = 1_000;

/** A pipelining client that only needs to count simple replies (+, -, :, $). */
class Pipe {
  private pending = 0;
  private buffer = '';
  private done: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => this.consume(chunk));
  }

  static open(port: number): Promise<Pipe> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new Pipe(socket)));
      socket.once('error', reject);
    });
  }

  private consume(chunk: string): void {
    this.buffer += chunk;
    let position = 0;
    for (;;) {
      const lineEnd = this.buffer.indexOf('\r\n', position);
      if (lineEnd < 0) break;
      let next = lineEnd + 2;
      if (this.buffer[position] === '$') {
        const length = Number(this.buffer.slice(position + 1, lineEnd));
        if (length >= 0) {
          next += length + 2;
          if (next > this.buffer.length) break;
        }
      }
      position = next;
      this.pending--;
    }
    this.buffer = this.buffer.slice(position);
    if (this.pending === 0) this.done?.();
  }

  /** Sends the commands in batches and waits for every reply. */
  async run(commands: string[][]): Promise<void> {
    for (let start = 0; start < commands.length; start += BATCH) {
      const batch = commands.slice(start, start + BATCH);
      let text = '';
      for (const args of batch) {
        text += `*${args.length}\r\n`;
        for (const arg of args) text += `$${Buffer.byteLength(arg, 'latin1')}\r\n${arg}\r\n`;
      }
      this.pending += batch.length;
      await new Promise<void>((resolveBatch) => {
        this.done = resolveBatch;
        this.socket.write(text, 'latin1');
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

function residentBytes(server: ServerProcess): number {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

function filler(command: string, key: string, from: number, to: number, pair: boolean): string[][] {
  const commands: string[][] = [];
  for (let start = from; start < to; start += 1000) {
    const args = [command, key];
    for (let index = start; index < Math.min(to, start + 1000); index++) {
      if (pair) args.push(`field:${index}`, `value:${index}`);
      else args.push(`item:${index}`);
    }
    commands.push(args);
  }
  return commands;
}

async function timed(pipe: Pipe, commands: string[][]): Promise<number> {
  const started = process.hrtime.bigint();
  await pipe.run(commands);
  return Number(process.hrtime.bigint() - started) / 1000 / commands.length;
}

async function scaling(server: ServerProcess): Promise<Array<Record<string, string | number>>> {
  const pipe = await Pipe.open(server.port);
  const rows: Array<Record<string, string | number>> = [];
  let filled = 0;
  await pipe.run([['FLUSHALL']]);
  for (const size of SIZES) {
    await pipe.run(filler('RPUSH', 'L', filled, size, false));
    await pipe.run(filler('HSET', 'H', filled, size, true));
    filled = size;
    const ops = (make: (index: number) => string[]) => Array.from({ length: OPS }, (_, index) => make(index));
    rows.push({
      server: server.name,
      size,
      'LPUSH µs': (await timed(pipe, ops(() => ['LPUSH', 'L', 'x']))).toFixed(2),
      'RPOP µs': (await timed(pipe, ops(() => ['RPOP', 'L']))).toFixed(2),
      'LINDEX 0 µs': (await timed(pipe, ops(() => ['LINDEX', 'L', '0']))).toFixed(2),
      'HSET µs': (await timed(pipe, ops((index) => ['HSET', 'H', `new:${index}`, 'v']))).toFixed(2),
      'HGET µs': (await timed(pipe, ops((index) => ['HGET', 'H', `field:${index % size}`]))).toFixed(2),
    });
    await pipe.run(ops((index) => ['HDEL', 'H', `new:${index}`]));
  }
  pipe.close();
  return rows;
}

async function memory(server: ServerProcess): Promise<Record<string, string | number>> {
  const pipe = await Pipe.open(server.port);
  const size = 1_000_000;
  await pipe.run([['FLUSHALL']]);
  await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  const empty = residentBytes(server);
  await pipe.run(filler('RPUSH', 'L', 0, size, false));
  const withList = residentBytes(server);
  await pipe.run(filler('HSET', 'H', 0, size, true));
  const withHash = residentBytes(server);
  pipe.close();
  return {
    server: server.name,
    'list bytes/element': Math.round((withList - empty) / size),
    'hash bytes/field': Math.round((withHash - withList) / size),
  };
}

async function main(): Promise<void> {
  const hint = 'install redis-server, redis-tools and util-linux';
  requireProgram('taskset', hint);
  const redisServer = requireProgram('redis-server', hint);
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`pnpm build\` first`);
  const redisPort = await freePort();
  const oursPort = await freePort();
  const redis = await startPinned('redis-server', 0, redisPort, [
    redisServer, '--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
  ]);
  const ours = await startPinned('mini-redis', 0, oursPort, [process.execPath, cli, '--port', String(oursPort)]);
  try {
    const rows = [...(await scaling(redis)), ...(await scaling(ours))];
    console.table(rows);
    console.table([await memory(redis), await memory(ours)]);
  } finally {
    await Promise.all([redis.stop(), ours.stop()]);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
