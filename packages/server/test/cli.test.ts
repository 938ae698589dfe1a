/**
 * The mini-redis-server CLI: redis-server's argument conventions and redis.conf files (parsed in-process), and the
 * real binary started as a child process: startup line, options applied, clean exit on SIGTERM, errors for bad input.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { RawClient } from './helpers.js';
import { freePort } from './redis-process.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'mini-redis-cli-'));

afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Runs the CLI and resolves once it printed its startup line (or exited). */
function run(args: string[]): Promise<{ output: () => string; exited: Promise<number | null>; kill: (signal: NodeJS.Signals) => void }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve) => {
    const done = () => resolve({ output: () => output, exited, kill: (signal) => child.kill(signal) });
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready to accept connections')) done();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(done);
  });
}

describe('the mini-redis-server binary', () => {
  test('starts with a config file and overrides, serves, and exits cleanly on SIGTERM', async () => {
    const port = await freePort();
    const config = join(directory, 'redis.conf');
    writeFileSync(config, `port 1\nrequirepass secret\ndatabases 4\n`);
    const server = await run([config, '--port', String(port)]);
    expect(server.output()).toContain(`ready to accept connections tcp on 127.0.0.1:${port}`);
    const client = await RawClient.connect(port);
    expect(String(await client.callRaw('PING'))).toBe('-NOAUTH Authentication required.\r\n');
    expect(String(await client.callRaw('AUTH', 'secret'))).toBe('+OK\r\n');
    expect(String(await client.callRaw('SELECT', '4'))).toBe('-ERR DB index is out of range\r\n');
    expect(String(await client.callRaw('CONFIG', 'GET', 'databases'))).toBe('*2\r\n$9\r\ndatabases\r\n$1\r\n4\r\n');
    server.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('Received SIGTERM');
    await client.close();
  });

  test('SHUTDOWN stops the process', async () => {
    const port = await freePort();
    const server = await run(['--port', String(port)]);
    const client = await RawClient.connect(port);
    await client.write(Buffer.from('SHUTDOWN\r\n'));
    expect(await server.exited).toBe(0);
    await client.close();
  });

  test('bad input: unknown directive, busy port, --version', async () => {
    const bad = await run(['--port', '0', '--no-such-directive', 'x']);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('FATAL CONFIG ERROR');
    const port = await freePort();
    const first = await run(['--port', String(port)]);
    const second = await run(['--port', String(port)]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('EADDRINUSE');
    first.kill('SIGINT');
    expect(await first.exited).toBe(0);
    const version = await run(['--version']);
    expect(await version.exited).toBe(0);
    expect(version.output()).toMatch(/^mini-redis-server v=\d+\.\d+\.\d+ redis_version=7\.0\.15/);
  });
});
