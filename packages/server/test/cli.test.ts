/**
 * The mini-redis-server CLI: redis-server's argument conventions and redis.conf files (parsed in-process), and the
 * real binary started as a child process: startup line, options applied, clean exit on SIGTERM, errors for bad input.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { RawClient } from './helpers.js';
import { freePort, requireBinary } from './redis-process.js';

/** The package's bin: the bundled CLI (scripts/bundle-cli.mjs). */
const CLI = fileURLToPath(new URL('../dist/mini-redis-server.cjs', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'mini-redis-cli-'));

afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Runs the CLI and resolves once it printed its startup line (or exited). */
function run(args: string[]): Promise<{ output: () => string; exited: Promise<number | null>; kill: (signal: NodeJS.Signals) => void }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // 'close' (after the exit and the last output read): the output is complete when `exited` resolves.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve) => {
    const done = () => resolve({ output: () => output, exited, kill: (signal) => child.kill(signal) });
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) done();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(done);
  });
}

/** Runs a binary to its exit; resolves with its stderr and status. */
function runToExit(command: string, args: string[]): Promise<{ stderr: string; code: number | null }> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': the exit can come before the last of stderr has been read (seen under load).
  return new Promise((resolve) => child.on('close', (code) => resolve({ stderr, code })));
}

describe('fatal configuration errors, word for word as redis-server', () => {
  const file = join(directory, 'bad.conf');
  writeFileSync(file, 'port 7000\n# comment\n\nmaxclients abc\n');
  const quotes = join(directory, 'quotes.conf');
  writeFileSync(quotes, 'save "a\n');
  const cases: string[][] = [
    ['--nosuch', '1'],
    ['--requirepass', '--port', '7000'],
    ['--port', '1', '2'],
    ['--maxmemory', '1.5gb'],
    ['--maxmemory-policy', 'nope'],
    ['--save', '10'],
    ['--bind'],
    ['--rename-command', 'NOSUCHCMD', 'x'],
    ['--rename-command', 'get', 'set'],
    ['--include', join(directory, 'missing.conf')],
    ['--port', 'abc', '--maxclients', '0'],
    [file],
    [file, '--port', '7001'],
    [quotes],
  ];
  for (const args of cases) {
    test(args.join(' '), async () => {
      const [ours, theirs] = await Promise.all([
        runToExit(process.execPath, [CLI, ...args]),
        runToExit(requireBinary('redis-server'), args),
      ]);
      expect(theirs.code).toBe(1);
      expect(ours).toEqual(theirs);
    });
  }
});

describe('the mini-redis-server binary', () => {
  test('starts with a config file and overrides, serves, and exits cleanly on SIGTERM', async () => {
    const port = await freePort();
    const config = join(directory, 'redis.conf');
    writeFileSync(config, `port 1\nrequirepass secret\ndatabases 4\n`);
    const server = await run([config, '--port', String(port)]);
    expect(server.output()).toMatch(
      new RegExp(`^\\d+:C \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n`),
    );
    expect(server.output()).toContain(`* Running mode=standalone, port=${port}.\n`);
    expect(server.output()).toMatch(/:M \d\d \w{3} \d{4} [\d:.]+ \* Ready to accept connections\n/);
    const client = await RawClient.connect(port);
    expect(String(await client.callRaw('PING'))).toBe('-NOAUTH Authentication required.\r\n');
    expect(String(await client.callRaw('AUTH', 'secret'))).toBe('+OK\r\n');
    expect(String(await client.callRaw('SELECT', '4'))).toBe('-ERR DB index is out of range\r\n');
    expect(String(await client.callRaw('CONFIG', 'GET', 'databases'))).toBe('*2\r\n$9\r\ndatabases\r\n$1\r\n4\r\n');
    server.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/\n\d+:signal-handler \(\d+\) Received SIGTERM scheduling shutdown...\n/);
    expect(server.output()).toContain('# Redis is now ready to exit, bye bye...');
    await client.close();
  });

  test('the bundled bin loads what it loads lazily (COMMAND DOCS data, the Lua engine); SHUTDOWN stops the process', async () => {
    const port = await freePort();
    const server = await run(['--port', String(port)]);
    const client = await RawClient.connect(port);
    expect(String(await client.callRaw('COMMAND', 'DOCS', 'get'))).toContain('Get the value of a key');
    expect(String(await client.callRaw('EVAL', "return redis.call('set', KEYS[1], ARGV[1])", '1', 'k', 'v'))).toBe('+OK\r\n');
    expect(String(await client.callRaw('FCALL_RO', 'nosuch', '0'))).toBe('-ERR Function not found\r\n');
    // redis-server's default bind (every address; protected mode keeps non-loopback clients out without a password)
    expect(String(await client.callRaw('CONFIG', 'GET', 'bind'))).toBe('*2\r\n$4\r\nbind\r\n$6\r\n* -::*\r\n');
    await client.write(Buffer.from('SHUTDOWN\r\n'));
    expect(await server.exited).toBe(0);
    await client.close();
  });

  test('bad input: unknown directive, busy port, --version', async () => {
    const bad = await run(['--port', '0', '--no-such-directive', 'x']);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toBe(
      "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 3\n>>> 'no-such-directive \"x\"'\nBad directive or wrong number of arguments\n",
    );
    const port = await freePort();
    const first = await run(['--port', String(port)]);
    const second = await run(['--port', String(port)]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('bind: Address already in use');
    first.kill('SIGINT');
    expect(await first.exited).toBe(0);
    const version = await run(['--version']);
    expect(await version.exited).toBe(0);
    expect(version.output()).toMatch(/^mini-redis-server v=\d+\.\d+\.\d+ redis_version=7\.0\.15/);
  });

  test('no durability by accident: save points, appendonly yes and daemonize yes are refused at start', async () => {
    for (const args of [['--save', '900 1'], ['--appendonly', 'yes'], ['--daemonize', 'yes']]) {
      const result = await runToExit(process.execPath, [CLI, '--port', '0', ...args]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^\n\*\*\* FATAL CONFIG FILE ERROR \(Redis 7\.0\.15\) \*\*\*\n(save 900 1|appendonly yes|daemonize yes)/);
    }
  });

  test('rename-command, logfile and loglevel are honoured', async () => {
    const port = await freePort();
    const logfile = join(directory, 'server.log');
    const config = join(directory, 'rename.conf');
    writeFileSync(config, `rename-command CONFIG myconfig\nrename-command FLUSHALL ""\nlogfile ${logfile}\nloglevel warning\n`);
    const child = spawn(process.execPath, [CLI, config, '--port', String(port)], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let client: RawClient | undefined;
    for (let attempt = 0; attempt < 100 && client === undefined; attempt++) {
      client = await RawClient.connect(port).catch(() => undefined);
      if (client === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(String(await client!.callRaw('CONFIG', 'GET', 'port'))).toMatch(/^-ERR unknown command 'CONFIG'/);
    expect(String(await client!.callRaw('myconfig', 'GET', 'loglevel'))).toBe('*2\r\n$8\r\nloglevel\r\n$7\r\nwarning\r\n');
    expect(String(await client!.callRaw('FLUSHALL'))).toMatch(/^-ERR unknown command 'FLUSHALL'/);
    child.kill('SIGTERM');
    await exited;
    await client!.close();
    const text = readFileSync(logfile, 'utf8');
    expect(text).toMatch(/^\d+:C \d\d \w{3} \d{4} [\d:.]+ # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n/);
    expect(text).toContain('# Redis is now ready to exit, bye bye...\n');
    expect(text).not.toContain('* Ready to accept connections'); // a notice: below loglevel warning
  });
});
