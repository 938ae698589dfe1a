/**
 * `unixsocket`/`unixsocketperm` served (embedded and by the CLI, over a real Unix socket and with `redis-cli -s`), and
 * the start-up banner (`always-show-logo`, or a terminal), compared with redis-server 7.0's own output.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { startServer } from '../src/index.js';
import { UnixSocketError } from '../src/net/listener.js';
import { freePort, requireBinary } from './redis-process.js';

/** The package's bin: the bundled CLI (scripts/bundle-cli.mjs). */
const CLI = fileURLToPath(new URL('../dist/mini-redis-server.cjs', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'mini-redis-unix-'));
const run = promisify(execFile);

afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Sends raw bytes on a Unix socket and resolves with the first reply chunk. */
function askUnix(path: string, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path }, () => socket.write(request));
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString());
    });
    socket.once('error', reject);
  });
}

interface Started {
  output: () => string;
  exited: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
}

/** Spawns a server (ours or redis-server) and resolves once it logged `until` (or exited). */
function spawnUntil(command: string, args: string[], until: string): Promise<Started> {
  // In the scratch directory: a dump.rdb where the tests run would make redis-server log its loading.
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: directory });
  let output = '';
  // 'close' (after the exit and the last output read): the output is complete when `exited` resolves.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve) => {
    const done = () => resolve({ output: () => output, exited, kill: (signal) => child.kill(signal) });
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(until)) done();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(done);
  });
}

/** Log lines without pid, role and time stamp; redis-server's lines this server has no reason to print dropped. */
function messages(output: string, pid: number | undefined = undefined): string[] {
  return output
    .split('\n')
    .map((line) => line.replace(/^\d+:[CMS] \d\d \w{3} \d{4} [\d:.]+ /, '').replace(/^\d+:signal-handler \(\d+\) /, ''))
    .map((line) => (pid === undefined ? line : line.replace(`PID: ${pid}`, 'PID: <pid>')))
    .filter((line) => !line.includes('monotonic clock') && !line.includes('WARNING Memory overcommit') && !line.includes('Redis version='));
}

describe('unixsocket, embedded', () => {
  test('serves the protocol on the path with unixsocketperm, replaces a stale file, removes it at close', async () => {
    const path = join(directory, 'embedded.sock');
    writeFileSync(path, 'stale'); // a left-over file: removed at start, as Redis does
    const logs: string[] = [];
    const server = await startServer({ port: 0, config: { unixsocket: path, unixsocketperm: '700' }, log: (line) => logs.push(line) });
    expect(statSync(path).isSocket()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o700);
    expect(await askUnix(path, 'PING\r\n')).toBe('+PONG\r\n');
    expect(await askUnix(path, 'SET k v\r\n')).toBe('+OK\r\n');
    const line = await askUnix(path, 'CLIENT INFO\r\n');
    expect(line).toMatch(new RegExp(`^\\$\\d+\r\nid=\\d+ addr=${path}:0 laddr=${path}:0 fd=\\d+ name= age=\\d+ idle=\\d+ flags=U db=0 `));
    // TCP at the same time, and its clients keep their address and flags.
    const tcp = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('GET k\r\nCLIENT INFO\r\n'));
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
        if (text.includes('resp=2')) {
          socket.destroy();
          resolve(text);
        }
      });
    });
    expect(tcp).toMatch(/^\$1\r\nv\r\n\$\d+\r\nid=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=\d+ name= age=\d+ idle=\d+ flags=N /);
    await server.close();
    expect(existsSync(path)).toBe(false);
    expect(logs).toContain('* Removing the unix socket file.');
  });

  test('unixsocketperm 0 leaves the mode to the umask; restart() opens the socket again', async () => {
    const path = join(directory, 'restart.sock');
    const server = await startServer({ port: 0, config: { unixsocket: path } });
    expect(statSync(path).isSocket()).toBe(true);
    await server.restart();
    expect(await askUnix(path, 'PING\r\n')).toBe('+PONG\r\n');
    await server.close();
    expect(existsSync(path)).toBe(false);
  });

  test('tcp: false listens on the Unix socket only', async () => {
    const path = join(directory, 'only.sock');
    const server = await startServer({ port: 0, tcp: false, config: { unixsocket: path } });
    expect(server.port).toBe(0);
    expect(await askUnix(path, 'CONFIG GET port\r\n')).toBe('*2\r\n$4\r\nport\r\n$1\r\n0\r\n');
    // A new bind list opens nothing while the port is 0; CONFIG SET port then listens on TCP, as in Redis.
    expect(await askUnix(path, 'CONFIG SET bind 127.0.0.1\r\n')).toBe('+OK\r\n');
    const port = await freePort();
    expect(await askUnix(path, `CONFIG SET port ${port}\r\n`)).toBe('+OK\r\n');
    const pong = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
      socket.once('data', (chunk) => {
        socket.destroy();
        resolve(chunk.toString());
      });
    });
    expect(pong).toBe('+PONG\r\n');
    await server.close();
  });

  test('a path that cannot be bound rejects with Redis\'s reason, and nothing stays open', async () => {
    const path = join(directory, 'no-such-dir', 'x.sock');
    const error = await startServer({ port: 0, config: { unixsocket: path } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnixSocketError);
    expect((error as Error).message).toBe('bind: No such file or directory');
    const long = join(directory, 'x'.repeat(120));
    const tooLong = await startServer({ port: 0, config: { unixsocket: long } }).catch((caught: unknown) => caught);
    expect((tooLong as Error).message).toBe(`unix socket path too long (${long.length}), must be under 108`);
  });
});

describe('unixsocket, the CLI against redis-server', () => {
  test('--port 0 --unixsocket: same start-up and shutdown lines, redis-cli -s works, CLIENT LIST as Redis', async () => {
    const ours = join(directory, 'ours.sock');
    const theirs = join(directory, 'theirs.sock');
    const args = (path: string) => ['--port', '0', '--unixsocket', path, '--unixsocketperm', '770', '--save', ''];
    const ready = 'The server is now ready to accept connections at';
    const [a, b] = await Promise.all([
      spawnUntil(process.execPath, [CLI, ...args(ours)], ready),
      spawnUntil(requireBinary('redis-server'), args(theirs), ready),
    ]);
    const cli = requireBinary('redis-cli');
    for (const path of [ours, theirs]) {
      expect(statSync(path).mode & 0o777).toBe(0o770);
      expect((await run(cli, ['-s', path, 'PING'])).stdout).toBe('PONG\n');
      expect((await run(cli, ['-s', path, 'SET', 'k', 'v'])).stdout).toBe('OK\n');
      expect((await run(cli, ['-s', path, 'GET', 'k'])).stdout).toBe('v\n');
    }
    const list = async (path: string) => (await run(cli, ['-s', path, 'CLIENT', 'LIST'])).stdout;
    const fields = (line: string) => line.replace(/ fd=\d+/, '').replace(/ id=\d+|^id=\d+ /, '').split(' ').filter((field) => /^(addr|laddr|flags|db|cmd)=/.test(field));
    expect(fields(await list(ours))).toEqual(fields(await list(theirs)).map((field) => field.replace(theirs, ours)));
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    await b.exited;
    expect(existsSync(ours)).toBe(false);
    expect(existsSync(theirs)).toBe(false);
    expect(messages(a.output()).map((line) => line.replace(ours, '<path>'))).toEqual(
      messages(b.output()).map((line) => line.replace(theirs, '<path>')),
    );
  });

  test('a socket path that cannot be bound, and port 0 without a Unix socket, stop the start as in Redis', async () => {
    const path = join(directory, 'missing', 'x.sock');
    for (const args of [['--port', '0', '--unixsocket', path], ['--port', '0']]) {
      const [a, b] = await Promise.all([
        spawnUntil(process.execPath, [CLI, ...args, '--save', ''], '\0'),
        spawnUntil(requireBinary('redis-server'), [...args, '--save', ''], '\0'),
      ]);
      expect(await a.exited).toBe(1);
      expect(await b.exited).toBe(1);
      expect(messages(a.output())).toEqual(messages(b.output()));
    }
  });
});

describe('the start-up banner', () => {
  test('always-show-logo yes prints redis-server 7.0\'s logo, line for line', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const args = (port: number) => ['--port', String(port), '--always-show-logo', 'yes', '--save', ''];
    const [a, b] = await Promise.all([
      spawnUntil(process.execPath, [CLI, ...args(portA)], 'Ready to accept connections'),
      spawnUntil(requireBinary('redis-server'), args(portB), 'Ready to accept connections'),
    ]);
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    await Promise.all([a.exited, b.exited]);
    const pidOf = (output: string) => Number(/PID: (\d+)/.exec(output)?.[1]);
    const ours = messages(a.output(), pidOf(a.output())).map((line) => line.replace(`Port: ${portA}`, 'Port: N'));
    const theirs = messages(b.output(), pidOf(b.output())).map((line) => line.replace(`Port: ${portB}`, 'Port: N'));
    expect(ours).toEqual(theirs);
    expect(ours).toContain('                _._                                                  ');
    expect(ours).toContain(' |    `-._   `._    /     _.-\'    |     PID: <pid>');
  });

  test('on a terminal the logo shows without always-show-logo; with a logfile or a pipe, the one-line form', async () => {
    const port = await freePort();
    // script(1) gives the server a pseudo-terminal as stdout.
    const command = `${process.execPath} ${CLI} --port ${port} --save ''`;
    const child = spawn('script', ['-qefc', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
    });
    expect(output).toContain(`Port: ${port}`);
    expect(output).toContain('Running in standalone mode');
    expect(output).not.toContain('Running mode=standalone');
    const exited = new Promise((resolve) => child.on('exit', resolve));
    process.kill(Number(/PID: (\d+)/.exec(output)?.[1]), 'SIGTERM');
    await exited;
    expect(output).toContain('Redis is now ready to exit, bye bye...');
  });
});
