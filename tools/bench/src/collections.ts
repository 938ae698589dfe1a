/**
 * Set and sorted-set complexity and memory: time per operation at 1k..1M elements (SADD, SISMEMBER; ZADD, ZSCORE,
 * ZRANK, ZRANGEBYSCORE LIMIT 0 10), pipelined over one connection to an in-process mini-redis and to a real
 * redis-server, and memory bytes per element of a 1M-member set and zset (heap after GC for ours, used_memory for
 * Redis). `pnpm build`, then `pnpm --filter @mini-redis/bench run bench:collections`. BENCH_MAX (default 1000000).
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { startServer } from '@mini-redis/server';
import { freePort, requireProgram } from './server-processes.js';

const MAX = Number(process.env['BENCH_MAX'] ?? 1_000_000);
const SIZES = [1_000, 10_000, 100_000, 1_000_000].filter((size) => size <= MAX);
const OPS = 20_000;

/** A pipelining connection that only counts replies (every reply here is one line or one small array). */
class Pipe {
  private pending = 0;
  private resolve: (() => void) | undefined;
  private tail = '';
  private last = '';
  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => this.onData(chunk));
  }
  static open(port: number): Promise<Pipe> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => resolve(new Pipe(socket)));
      socket.once('error', reject);
    });
  }
  private onData(chunk: string): void {
    // Each command here gets exactly one top-level reply; count top-level replies by their header lines.
    const text = this.tail + chunk;
    let index = 0;
    while (this.pending > 0) {
      const end = text.indexOf('\r\n', index);
      if (end === -1) break;
      const line = text.slice(index, end);
      if (line[0] === '*') {
        const count = Number(line.slice(1));
        let cursor = end + 2;
        let complete = true;
        for (let item = 0; item < count; item++) {
          const header = text.indexOf('\r\n', cursor);
          if (header === -1) { complete = false; break; }
          const length = Number(text.slice(cursor + 1, header));
          cursor = header + 2 + (length >= 0 ? length + 2 : 0);
          if (cursor > text.length) { complete = false; break; }
        }
        if (!complete) break;
        index = cursor;
      } else if (line[0] === '$') {
        const length = Number(line.slice(1));
        const after = end + 2 + (length >= 0 ? length + 2 : 0);
        if (after > text.length) break;
        index = after;
      } else {
        index = end + 2;
      }
      this.last = line;
      this.pending--;
    }
    this.tail = text.slice(index);
    if (this.pending === 0) this.resolve?.();
  }
  run(commands: string[][]): Promise<string> {
    this.pending = commands.length;
    const payload = commands
      .map((args) => `*${args.length}\r\n` + args.map((arg) => `$${Buffer.byteLength(arg, 'latin1')}\r\n${arg}\r\n`).join(''))
      .join('');
    return new Promise((resolve) => {
      this.resolve = () => resolve(this.last);
      this.socket.write(payload, 'latin1');
    });
  }
  close(): void {
    this.socket.destroy();
  }
}

async function fill(pipe: Pipe, command: 'SADD' | 'ZADD', key: string, from: number, to: number): Promise<void> {
  const batch: string[][] = [];
  for (let start = from; start < to; start += 1000) {
    const args = [command, key];
    for (let n = start; n < Math.min(to, start + 1000); n++) {
      if (command === 'ZADD') args.push(String(n), `member:${n}`);
      else args.push(`member:${n}`);
    }
    batch.push(args);
    if (batch.length === 50) await pipe.run(batch.splice(0));
  }
  if (batch.length !== 0) await pipe.run(batch);
}

/** Microseconds per operation for OPS pipelined commands made by `make`. */
async function timePerOp(pipe: Pipe, make: (n: number) => string[]): Promise<number> {
  const commands = Array.from({ length: OPS }, (_, n) => make(n));
  const start = process.hrtime.bigint();
  for (let offset = 0; offset < commands.length; offset += 1000) await pipe.run(commands.slice(offset, offset + 1000));
  return Number(process.hrtime.bigint() - start) / 1000 / OPS;
}

async function measure(port: number): Promise<Record<string, Record<string, number>>> {
  const pipe = await Pipe.open(port);
  await pipe.run([['FLUSHALL']]);
  const table: Record<string, Record<string, number>> = {};
  let filled = 0;
  for (const size of SIZES) {
    await fill(pipe, 'SADD', 's', filled, size);
    await fill(pipe, 'ZADD', 'z', filled, size);
    filled = size;
    const random = (n: number) => String((n * 7919) % size);
    table[size] = {
      'SADD (new)': await timePerOp(pipe, (n) => ['SADD', 'snew', `x:${size}:${n}`]),
      SISMEMBER: await timePerOp(pipe, (n) => ['SISMEMBER', 's', `member:${random(n)}`]),
      'ZADD (update)': await timePerOp(pipe, (n) => ['ZADD', 'z', random(n), `member:${random(n)}`]),
      ZSCORE: await timePerOp(pipe, (n) => ['ZSCORE', 'z', `member:${random(n)}`]),
      ZRANK: await timePerOp(pipe, (n) => ['ZRANK', 'z', `member:${random(n)}`]),
      'ZRANGEBYSCORE LIMIT 0 10': await timePerOp(pipe, (n) => ['ZRANGEBYSCORE', 'z', random(n), '+inf', 'LIMIT', '0', '10']),
    };
    await pipe.run([['DEL', 'snew']]);
  }
  pipe.close();
  for (const row of Object.values(table)) for (const name of Object.keys(row)) row[name] = Number(row[name]!.toFixed(2));
  return table;
}

function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Waits until a server answers INFO. */
async function waitForServer(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await usedMemory(port);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`no server on port ${port}`);
}

async function main(): Promise<void> {
  requireProgram('redis-server', 'apt-get install redis-server');
  const redisPort = await freePort();
  const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await waitForServer(redisPort);
  const ours = await startServer({ port: 0 });
  try {
    console.log(`µs per operation (${OPS} pipelined commands over one connection), by collection size\n`);
    console.log('redis-server:');
    console.table(await measure(redisPort));
    console.log('mini-redis (in-process):');
    console.table(await measure(ours.port));

    const memory: Array<Record<string, string | number>> = [];
    for (const kind of ['SADD', 'ZADD'] as const) {
      const pipe = await Pipe.open(ours.port);
      await pipe.run([['FLUSHALL']]);
      const before = heap();
      await fill(pipe, kind, 'm', 0, MAX);
      const oursBytes = (heap() - before) / MAX;
      pipe.close();
      const real = await Pipe.open(redisPort);
      await real.run([['FLUSHALL']]);
      const redisBefore = await usedMemory(redisPort);
      await fill(real, kind, 'm', 0, MAX);
      const redisBytes = ((await usedMemory(redisPort)) - redisBefore) / MAX;
      real.close();
      memory.push({ type: kind === 'SADD' ? 'set' : 'zset', members: MAX, 'ours bytes/member': Math.round(oursBytes), 'redis bytes/member': Math.round(redisBytes) });
    }
    console.log('memory per member ("member:N" members; zset scores N):');
    console.table(memory);
  } finally {
    await ours.close();
    redis.kill();
  }
}

/** used_memory from INFO memory. */
function usedMemory(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.write('INFO memory\r\n'));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const match = /used_memory:(\d+)/.exec(text);
      if (match !== null && text.endsWith('\r\n\r\n')) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('error', reject);
  });
}

await main();
