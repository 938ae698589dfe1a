// Memory per small string key, against redis-server: each server is a fresh process on a free port (pinned with
// taskset); its resident memory (VmRSS, /proc/PID/status) is read after start and after loading the keys
// `key:0000000`.. with 10-byte values (pipelined SETs over one socket, batches of 1000), once the server settled and
// was sent MEMORY PURGE (jemalloc's purge for redis-server; a no-op in ours). Bytes/key = RSS growth / keys. Before
// the first reading each server gets the same warm-up (20k other keys, then FLUSHALL), so that pages of code touched
// for the first time are not counted as per-key memory; RssAnon (RSS without file-backed pages) is shown too.
//
// BENCH_ROUNDS (default 1) repeats; BENCH_KEYS (default 1000000); BENCH_CORE (default 1) is the core both servers
// are pinned to, one at a time; BENCH_CLI (default packages/server/dist/mini-redis-server.cjs) is our server's CLI,
// BENCH_NODE_FLAGS extra node flags for it (e.g. "--max-semi-space-size=4"); BENCH_SETTLE_MS (default 30000): the
// wait after the load before the final reading. Ours is also read 3 s after the load: until V8's memory reducer runs
// (some seconds after allocation stops) the young generation keeps the size it grew to under load (up to 2 x 16 MB
// of semi-spaces by default, about 30 bytes/key at 1M keys); the reducer shrinks it.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort, requireProgram, startPinned, type ServerProcess } from './server-processes.js';

const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const CORE = Number(process.env.BENCH_CORE ?? 1);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 30_000);
/** The early reading, ms after the load: before V8's memory reducer (which shrinks the young generation) ran. */
const EARLY_MS = 3000;
const CLI =
  process.env.BENCH_CLI ??
  fileURLToPath(new URL('../../../packages/server/dist/mini-redis-server.cjs', import.meta.url));
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
const BATCH = 1000;
const WARMUP_KEYS = 20_000;

/** VmRSS (or another field of /proc/PID/status, e.g. RssAnon), bytes. */
function rssBytes(pid: number, field = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (match === null) throw new Error(`no ${field} for ${pid}`);
  return Number(match[1]) * 1024;
}

/** BENCH_SMAPS=1: the largest resident mappings (kB), to see where RSS is (glibc [heap], anonymous V8 pages...). */
function largestMappings(pid: number): string {
  const rows: [string, number][] = [];
  let current = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss !== null) rows.push([current, Number(rss[1])]);
    else if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) current = line;
  }
  rows.sort((a, b) => b[1] - a[1]);
  return rows
    .slice(0, 12)
    .map(([mapping, kb]) => `${kb} kB ${mapping}`)
    .join('\n');
}

function command(...args: string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

/** A minimal client: sends a payload and waits for `replies` complete replies (simple, error, integer or bulk). */
class Connection {
  private buffer = '';
  private waiting: { count: number; replies: string[]; resolve: (replies: string[]) => void } | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.drain();
    });
  }

  static open(port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  send(payload: string, count: number): Promise<string[]> {
    return new Promise((resolve) => {
      this.waiting = { count, replies: [], resolve };
      this.socket.write(payload);
      this.drain();
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private drain(): void {
    const waiting = this.waiting;
    if (waiting === undefined) return;
    let offset = 0;
    while (waiting.replies.length < waiting.count) {
      const end = this.buffer.indexOf('\r\n', offset);
      if (end === -1) break;
      const type = this.buffer[offset];
      if (type === '$') {
        const length = Number(this.buffer.slice(offset + 1, end));
        if (length < 0) {
          waiting.replies.push('');
          offset = end + 2;
          continue;
        }
        if (this.buffer.length < end + 2 + length + 2) break;
        waiting.replies.push(this.buffer.slice(end + 2, end + 2 + length));
        offset = end + 2 + length + 2;
      } else {
        waiting.replies.push(this.buffer.slice(offset, end));
        offset = end + 2;
      }
    }
    this.buffer = this.buffer.slice(offset);
    if (waiting.replies.length >= waiting.count) {
      this.waiting = undefined;
      waiting.resolve(waiting.replies);
    }
  }
}

async function load(connection: Connection, keys: number, prefix = 'key:'): Promise<void> {
  for (let start = 0; start < keys; start += BATCH) {
    let payload = '';
    const end = Math.min(keys, start + BATCH);
    for (let index = start; index < end; index++) {
      payload += command('SET', `${prefix}${String(index).padStart(7, '0')}`, `v${String(index).padStart(9, '0')}`);
    }
    const replies = await connection.send(payload, end - start);
    const bad = replies.find((reply) => reply !== '+OK');
    if (bad !== undefined) throw new Error(`SET failed: ${bad}`);
  }
}

function infoField(info: string, field: string): number {
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  return match === null ? NaN : Number(match[1]);
}

interface Figure {
  server: string;
  round: number;
  'rss start MB': string;
  'rss loaded MB': string;
  'B/key (RSS) at 3 s': string;
  'B/key (RSS)': string;
  'B/key (RssAnon)': string;
  'used_memory B/key': string;
  'load s': string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(name: string, start: (port: number) => Promise<ServerProcess>, round: number): Promise<Figure> {
  const port = await freePort();
  const server = await start(port);
  try {
    const pid = server.child.pid!;
    const connection = await Connection.open(port);
    // Warm-up, the same for both: the code paths run once (the binary's pages they touch are not per-key memory).
    await load(connection, WARMUP_KEYS, 'warm:');
    await connection.send(command('FLUSHALL'), 1);
    await sleep(1000);
    const before = rssBytes(pid);
    const anonBefore = rssBytes(pid, 'RssAnon');
    const [infoBefore] = await connection.send(command('INFO', 'memory'), 1);
    const began = performance.now();
    await load(connection, KEYS);
    const loadSeconds = (performance.now() - began) / 1000;
    const [size] = await connection.send(command('DBSIZE'), 1);
    if (size !== `:${KEYS}`) throw new Error(`${name}: DBSIZE ${size}, expected ${KEYS}`);
    await sleep(EARLY_MS);
    const early = rssBytes(pid);
    await sleep(Math.max(0, SETTLE_MS - EARLY_MS));
    await connection.send(command('MEMORY', 'PURGE'), 1);
    await sleep(1000);
    const after = rssBytes(pid);
    const anonAfter = rssBytes(pid, 'RssAnon');
    if (process.env.BENCH_SMAPS !== undefined) console.log(name, largestMappings(pid));
    const [infoAfter] = await connection.send(command('INFO', 'memory'), 1);
    connection.close();
    const used = infoField(infoAfter!, 'used_memory') - infoField(infoBefore!, 'used_memory');
    return {
      server: name,
      round,
      'rss start MB': (before / 2 ** 20).toFixed(1),
      'rss loaded MB': (after / 2 ** 20).toFixed(1),
      'B/key (RSS) at 3 s': ((early - before) / KEYS).toFixed(1),
      'B/key (RSS)': ((after - before) / KEYS).toFixed(1),
      'B/key (RssAnon)': ((anonAfter - anonBefore) / KEYS).toFixed(1),
      'used_memory B/key': (used / KEYS).toFixed(1),
      'load s': loadSeconds.toFixed(1),
    };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  requireProgram('redis-server', 'install Debian redis-server (7.0)');
  requireProgram('taskset', 'install util-linux');
  const figures: Figure[] = [];
  const ratios: { round: number; 'ours / redis (RSS B/key)': string }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const redis = await measure(
      'redis-server',
      (port) =>
        startPinned('redis-server', CORE, port, [
          'redis-server',
          '--port',
          String(port),
          '--save',
          '',
          '--appendonly',
          'no',
        ]),
      round,
    );
    const ours = await measure(
      `mini-redis${NODE_FLAGS.length === 0 ? '' : ' ' + NODE_FLAGS.join(' ')}`,
      (port) => startPinned('mini-redis', CORE, port, ['node', ...NODE_FLAGS, CLI, '--port', String(port)]),
      round,
    );
    figures.push(redis, ours);
    ratios.push({
      round,
      'ours / redis (RSS B/key)': (Number(ours['B/key (RSS)']) / Number(redis['B/key (RSS)'])).toFixed(2),
    });
  }
  console.log(`${KEYS} keys key:NNNNNNN, 10-byte values; RSS growth from start to loaded+settled+MEMORY PURGE`);
  console.table(figures);
  console.table(ratios);
}

await main();
