/**
 * Pub/sub and blocking benchmark, ours against the real redis-server in one run: each server pinned to core 0 and
 * this client (re-executed under taskset) to core 1. PUBLISH to 1, 10 and 100 subscribers (messages delivered per
 * second, summed over subscribers; the publisher keeps a window of pipelined PUBLISHes in flight) and a BLPOP/LPUSH
 * ping-pong between two clients (round trips per second). Run `pnpm build` first, then
 * `pnpm --filter @mini-redis/bench run bench:pubsub`. BENCH_SECONDS (default 2) per measurement.
 */
import { spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, requireProgram, startPinned, type ServerProcess } from './server-processes.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = resolve(root, 'packages/server/dist/cli.js');
const seconds = Number(process.env['BENCH_SECONDS'] ?? '2');
const CLIENT_CORE = 1;
const WINDOW = 64;

if (process.env['BENCH_PINNED'] !== '1') {
  // Pin this client process to its own core, then run the benchmark in the pinned child.
  requireProgram('taskset', 'install util-linux');
  const result = spawnSync('taskset', ['-c', String(CLIENT_CORE), process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  process.exit(result.status ?? 1);
}

function command(...args: string[]): Buffer {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg, 'latin1')}\r\n${arg}\r\n`;
  return Buffer.from(out, 'latin1');
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

/** Messages delivered per second to `subscribers` subscribers of one channel. */
async function publishRate(port: number, subscribers: number): Promise<number> {
  const payload = 'p'.repeat(16);
  const frame = command('message', 'ch', payload).length; // same bytes as the pushed message (RESP2)
  const subs = await Promise.all(Array.from({ length: subscribers }, () => open(port)));
  let received = 0;
  const subscribed = subs.map(
    (socket) =>
      new Promise<void>((resolveSubscribed) => {
        let first = true;
        socket.on('data', (chunk: Buffer) => {
          if (first) {
            first = false;
            resolveSubscribed();
            return;
          }
          received += chunk.length;
        });
        socket.write(command('SUBSCRIBE', 'ch'));
      }),
  );
  await Promise.all(subscribed);
  const publisher = await open(port);
  const reply = `:${subscribers}\r\n`.length;
  const one = command('PUBLISH', 'ch', payload);
  let acknowledged = 0;
  let sent = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await new Promise<void>((done) => {
    publisher.on('data', (chunk: Buffer) => {
      acknowledged += chunk.length / reply;
      if (performance.now() >= deadline) {
        if (acknowledged >= sent) done();
        return;
      }
      while (sent - acknowledged < WINDOW) {
        publisher.write(one);
        sent++;
      }
    });
    for (; sent < WINDOW; sent++) publisher.write(one);
  });
  // Wait until every subscriber has everything, then count.
  const expected = sent * subscribers * frame;
  while (received < expected) await new Promise((resolveWait) => setTimeout(resolveWait, 1));
  const elapsed = (performance.now() - start) / 1000;
  for (const socket of [...subs, publisher]) socket.destroy();
  return received / frame / elapsed;
}

/** BLPOP/LPUSH round trips per second between two clients (A pushes to q1 and waits on q2, B the reverse). */
async function pingPong(port: number): Promise<number> {
  const a = await open(port);
  const b = await open(port);
  let rounds = 0;
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  // B: BLPOP q1, then LPUSH q2 each time it gets an element.
  b.on('data', (chunk: Buffer) => {
    const text = chunk.toString('latin1');
    if (text.includes('*2')) b.write(Buffer.concat([command('LPUSH', 'q2', 'x'), command('BLPOP', 'q1', '0')]));
  });
  b.write(command('BLPOP', 'q1', '0'));
  await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  await new Promise<void>((done) => {
    a.on('data', (chunk: Buffer) => {
      if (!chunk.toString('latin1').includes('*2')) return;
      rounds++;
      if (performance.now() >= deadline) return done();
      a.write(Buffer.concat([command('LPUSH', 'q1', 'x'), command('BLPOP', 'q2', '0')]));
    });
    a.write(Buffer.concat([command('LPUSH', 'q1', 'x'), command('BLPOP', 'q2', '0')]));
  });
  const elapsed = (performance.now() - start) / 1000;
  a.destroy();
  b.destroy();
  return rounds / elapsed;
}

/** True when the server knows LPUSH (ours gets it from the list family's branch). */
async function hasCommand(port: number, name: string): Promise<boolean> {
  const socket = await open(port);
  const answer = await new Promise<string>((resolveAnswer) => {
    socket.once('data', (chunk: Buffer) => resolveAnswer(chunk.toString('latin1')));
    socket.write(command('COMMAND', 'INFO', name));
  });
  socket.destroy();
  return answer.toLowerCase().includes(name);
}

async function main(): Promise<void> {
  const hint = 'install redis-server and util-linux';
  const redisServer = requireProgram('redis-server', hint);
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`pnpm build\` first`);
  const redisPort = await freePort();
  const oursPort = await freePort();
  const redis = await startPinned('redis-server', 0, redisPort, [
    redisServer, '--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
  ]);
  const ours = await startPinned('mini-redis', 0, oursPort, [process.execPath, cli, '--port', String(oursPort)]);
  const servers: ServerProcess[] = [redis, ours];
  try {
    console.log(`servers on core 0, client on core ${CLIENT_CORE}; ${seconds}s per measurement\n`);
    console.log('| benchmark | redis-server | mini-redis | ratio |');
    console.log('|---|---:|---:|---:|');
    for (const subscribers of [1, 10, 100]) {
      const theirs = await publishRate(redis.port, subscribers);
      const mine = await publishRate(ours.port, subscribers);
      console.log(`| PUBLISH to ${subscribers} subscriber(s), messages delivered/s | ${Math.round(theirs)} | ${Math.round(mine)} | ${(mine / theirs).toFixed(2)} |`);
    }
    const theirs = await pingPong(redis.port);
    if (await hasCommand(ours.port, 'lpush')) {
      const mine = await pingPong(ours.port);
      console.log(`| BLPOP/LPUSH ping-pong, round trips/s | ${Math.round(theirs)} | ${Math.round(mine)} | ${(mine / theirs).toFixed(2)} |`);
    } else {
      console.log(`| BLPOP/LPUSH ping-pong, round trips/s | ${Math.round(theirs)} | (no LPUSH in this build) | - |`);
    }
  } finally {
    for (const server of servers) await server.stop();
  }
}

await main();
