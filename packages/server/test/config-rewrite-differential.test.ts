/**
 * CONFIG REWRITE compared with the real redis-server: both start from the same config file (a copy each: comments,
 * blank lines, indented lines, names in any case, aliases, repeated and multi-line parameters, include, rename-command),
 * get the same CONFIG SETs (common parameters, then random ones from the config table), rewrite, and the files must
 * match. Masked: the port and dir values (each server has its own), Redis's `user` line (this server refuses `user`
 * directives, so it cannot write one), Redis's default save points appended to a file without save lines (this server
 * refuses to start from save points, so it does not write them) and the order of the appended lines (Redis appends in
 * its hash table's order, which changes from run to run: the appended part is compared sorted).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { CONFIG_TABLE } from '../src/config-table.js';
import { REWRITE_SIGNATURE } from '../src/config-rewrite.js';
import { RawClient } from './helpers.js';
import { freePort, requireBinary, stopProcess, waitForPing } from './redis-process.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'mini-redis-rewrite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Side {
  readonly name: 'redis' | 'mini';
  readonly dir: string;
  readonly file: string;
  readonly child: ChildProcess;
  readonly client: RawClient;
}

let scenario = 0;
/** Every child started, stopped after the tests whatever happened. */
const started: ChildProcess[] = [];
afterAll(async () => {
  for (const child of started) await stopProcess(child);
});

/** Starts both servers, each from its own copy of `text` (`{port}`, `{dir}` filled in; `{include}` is a second file). */
async function startBoth(text: string, include = ''): Promise<Side[]> {
  scenario++;
  const sides: Side[] = [];
  for (const name of ['redis', 'mini'] as const) {
    const dir = join(root, `${scenario}-${name}`);
    mkdirSync(dir);
    const port = await freePort();
    const file = join(dir, 'redis.conf');
    writeFileSync(join(dir, 'included.conf'), include);
    writeFileSync(file, text.replaceAll('{port}', String(port)).replaceAll('{dir}', dir).replaceAll('{include}', join(dir, 'included.conf')));
    const command = name === 'redis' ? requireBinary('redis-server') : process.execPath;
    // the port is also given on the command line, so that no file (an empty one too) leaves the default port
    const args = [...(name === 'redis' ? [file] : [CLI, file]), '--port', String(port)];
    // this server refuses save points unless told it runs in memory only
    const env = { ...process.env, MINI_REDIS_IN_MEMORY: '1' };
    const child = spawn(command, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${name} exited (${code}):\n${output}`))));
    exited.catch(() => {});
    await Promise.race([waitForPing(port, 10_000, name), exited]);
    sides.push({ name, dir, file, child, client: await RawClient.connect(port) });
  }
  return sides;
}

async function stopBoth(sides: Side[]): Promise<void> {
  for (const side of sides) {
    await side.client.close();
    await stopProcess(side.child);
  }
}

/** The same command on both: the same reply expected. */
async function both(sides: Side[], ...args: string[]): Promise<string> {
  const [expected, actual] = await Promise.all(sides.map(async (side) => (await side.client.callRaw(...args)).toString('latin1')));
  expect(actual, args.join(' ')).toBe(expected);
  return expected!;
}

const DEFAULT_SAVE = ['save 3600 1', 'save 300 100', 'save 60 10000'];

/** A rewritten file with what differs by design masked: the kept part as is, the appended part sorted. */
function normalised(side: Side): { kept: string[]; appended: string[] } {
  const lines = readFileSync(side.file, 'utf8')
    .replaceAll(side.dir, '{dir}')
    .split('\n')
    .map((line) => line.replace(/^port \d+$/, 'port {port}'))
    .filter((line) => !line.startsWith('user '));

  const signature = lines.indexOf(REWRITE_SIGNATURE);
  if (signature === -1) return { kept: lines, appended: [] };
  let appended = lines.slice(signature + 1);
  // this server does not append the default save points when the file had no save line (it refuses to start from a
  // file with save points unless MINI_REDIS_IN_MEMORY is set): Redis's are masked then
  if (side.name === 'redis' && DEFAULT_SAVE.every((line) => appended.includes(line)) && !lines.slice(0, signature).some((line) => line.startsWith('save '))) {
    appended = appended.filter((line) => !DEFAULT_SAVE.includes(line));
  }
  return { kept: lines.slice(0, signature + 1), appended: appended.sort() };
}

async function rewriteAndCompare(sides: Side[]): Promise<void> {
  expect(await both(sides, 'CONFIG', 'REWRITE')).toBe('+OK\r\n');
  const [redis, mini] = sides.map(normalised);
  expect(mini!.kept.join('\n')).toBe(redis!.kept.join('\n'));
  expect(mini!.appended.join('\n')).toBe(redis!.appended.join('\n'));
}

const BASE = `# A config file for the CONFIG REWRITE differential test
port {port}
dir {dir}
bind 127.0.0.1

   # an indented comment
\tmaxmemory 100mb
MaxMemory-Policy allkeys-lru
save 900 1
save 300 10


hz 10
hz 20
list-max-ziplist-size -2
client-output-buffer-limit normal 0 0 0
client-output-buffer-limit pubsub 32mb 8mb 60
rename-command FLUSHALL ""
include {include}
notify-keyspace-events KEA
timeout 0
lua-time-limit 5000
   appendfsync   "everysec"   
protected-mode no
logfile ""
# the end`;

describe('CONFIG REWRITE, side by side with redis-server', () => {
  test('changed parameters in place, repeated lines dropped, aliases renamed, new ones appended', async () => {
    const sides = await startBoth(BASE, 'maxclients 1000\nslowlog-max-len 64\n');
    try {
      await both(sides, 'CONFIG', 'SET', 'maxmemory', '200mb', 'hz', '15', 'list-max-listpack-size', '-3');
      await both(sides, 'CONFIG', 'SET', 'save', '60 100', 'appendfsync', 'always', 'maxmemory-clients', '10%');
      await both(sides, 'CONFIG', 'SET', 'client-output-buffer-limit', 'replica 1mb 1mb 10 pubsub 33554432 8388608 60');
      await both(sides, 'CONFIG', 'SET', 'notify-keyspace-events', '', 'busy-reply-threshold', '3000');
      await both(sides, 'CONFIG', 'SET', 'tcp-keepalive', '60', 'loglevel', 'warning', 'hash-max-ziplist-entries', '100');
      await rewriteAndCompare(sides);
      // a second rewrite: the signature is there already, new lines go after the earlier ones
      await both(sides, 'CONFIG', 'SET', 'maxmemory', '0', 'save', '', 'slowlog-log-slower-than', '5000');
      await rewriteAndCompare(sides);
    } finally {
      await stopBoth(sides);
    }
  });

  test('a file without a final newline, a signature of its own, strings with spaces and quotes', async () => {
    const text = `port {port}\ndir {dir}\nbind 127.0.0.1\n${REWRITE_SIGNATURE}\nmaxmemory 1gb\nproc-title-template "{title} {listen-addr}"`;
    const sides = await startBoth(text);
    try {
      await both(sides, 'CONFIG', 'SET', 'proc-title-template', '{title} "x" \\ {port}', 'maxmemory', '1073741825');
      await both(sides, 'CONFIG', 'SET', 'oom-score-adj-values', '1 2 3', 'ignore-warnings', 'ARM64-COW-BUG');
      await rewriteAndCompare(sides);
    } finally {
      await stopBoth(sides);
    }
  });

  test('replicaof by its alias, deprecated directives, directives given twice', async () => {
    const text = `port {port}\ndir {dir}\nbind 127.0.0.1\nslaveof 127.0.0.1 1\nlist-max-ziplist-entries 512\nlua-replicate-commands yes\nrename-command FLUSHDB ""\nrename-command DEBUG ""\nmaxmemory 5mb\nMAXMEMORY 6mb\ninclude {include}\ninclude {include}\n`;
    const sides = await startBoth(text, 'hz 12\n');
    try {
      await both(sides, 'CONFIG', 'SET', 'maxmemory', '0', 'replica-read-only', 'no');
      await rewriteAndCompare(sides);
    } finally {
      await stopBoth(sides);
    }
  });

  test('an empty config file', async () => {
    const sides = await startBoth('');
    try {
      await both(sides, 'CONFIG', 'SET', 'hz', '33');
      expect(await both(sides, 'CONFIG', 'REWRITE')).toBe('+OK\r\n');
      const [redis, mini] = sides.map((side) => normalised(side).appended.filter((line) => !line.startsWith('bind ')));
      expect(mini).toEqual(redis);
      // this server starts again from the file it wrote (without MINI_REDIS_IN_MEMORY: no save points were written)
      await stopProcess(sides[1]!.child);
      const port = await freePort();
      const again = spawn(process.execPath, [CLI, sides[1]!.file, '--port', String(port)], { cwd: sides[1]!.dir, stdio: 'ignore' });
      started.push(again);
      await waitForPing(port);
      const client = await RawClient.connect(port);
      expect(await client.call('CONFIG', 'GET', 'hz')).toEqual(['hz', '33']);
      await client.close();
      await stopProcess(again);
    } finally {
      await stopBoth(sides);
    }
  });

  describe('random parameters from the config table', () => {
    /** Not set here: they rebind, lock out or close the test connection, or this server differs on purpose. */
    const NOT_SET = new Set([
      'port', 'bind', 'requirepass', 'masterauth', 'masteruser', 'tls-port', 'appendonly', 'maxclients', 'timeout',
      'watchdog-period', 'dir', 'replicaof', 'enable-debug-command', 'unixsocket', 'logfile', 'dbfilename',
      'appendfilename', 'appenddirname', 'activedefrag',
    ]);
    const candidates = CONFIG_TABLE.filter(([name, , flags, type]) => !/[IPH]/.test(flags) && !NOT_SET.has(name) && !name.startsWith('tls-') && type !== 'special');

    /** mulberry32: seeded, so a failure can be replayed. */
    const random = (seed: number) => () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };

    const valueFor = (next: () => number, type: string, current: string): string => {
      const pick = <T,>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
      if (type === 'bool') return current === 'yes' ? 'no' : 'yes';
      if (type.startsWith('enum:') || type.startsWith('flags:')) return pick(type.slice(type.indexOf(':') + 1).split(',')).split('=')[0]!;
      if (type === 'string') return pick(['', 'some text', 'a "quoted" word']);
      const [, min, max, ...suffixes] = type.split(':');
      const memory = suffixes.includes('m');
      const low = BigInt(min!) < 0n ? 0n : BigInt(min!);
      const high = BigInt(max!) > 100000n ? 100000n : BigInt(max!);
      const number = low + BigInt(Math.floor(next() * Number(high - low + 1n)));
      if (memory) return pick([String(number), `${number % 64n}kb`, `${number % 8n}mb`, `${number % 4n}gb`]);
      return suffixes.includes('o') ? number.toString(8) : String(number);
    };

    for (const seed of [1, 2, 3, 4]) {
      test(`seed ${seed}`, async () => {
        const next = random(seed);
        const sides = await startBoth(BASE, 'maxclients 1000\n');
        try {
          const chosen = new Set<string>();
          while (chosen.size < 12) chosen.add(candidates[Math.floor(next() * candidates.length)]![0]);
          for (const name of chosen) {
            const [, , , type] = CONFIG_TABLE.find(([row]) => row === name)!;
            const current = (await sides[0]!.client.call('CONFIG', 'GET', name)) as string[];
            await both(sides, 'CONFIG', 'SET', name, valueFor(next, type, current[1] ?? ''));
          }
          await rewriteAndCompare(sides);
        } finally {
          await stopBoth(sides);
        }
      });
    }
  });

  test('without a config file', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, '--port', String(port)], { stdio: 'ignore' });
    try {
      await waitForPing(port);
      const client = await RawClient.connect(port);
      expect((await client.callRaw('CONFIG', 'REWRITE')).toString('latin1')).toBe('-ERR The server is running without a config file\r\n');
      await client.close();
    } finally {
      await stopProcess(child);
    }
  });
});
