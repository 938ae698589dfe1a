/**
 * Interop with Redis's own command-line tools: redis-cli (argument commands, commands on stdin, --no-raw and -3
 * output, --pipe mass insertion) and redis-benchmark. Each redis-cli invocation runs against the real redis-server too,
 * and the two outputs must be identical.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer } from './helpers.js';
import { requireBinary, startRedisServer, type RedisProcess } from './redis-process.js';

const run = promisify(execFile);

interface Output {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

let server: MiniRedisServer;
let redis: RedisProcess;
let redisCli: string;
let redisBenchmark: string;

/** Runs redis-cli against a port with `args`, feeding `input` on stdin when given. */
function cli(port: number, args: string[], input?: string): Promise<Output> {
  return new Promise((resolve, reject) => {
    const child = spawn(redisCli, ['-p', String(port), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('latin1')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('latin1')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
    // redis-cli may exit before reading its stdin: the pipe then breaks, which is no failure of the test
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** Runs the same redis-cli invocation against redis-server and ours (after the same setup), and returns both. */
async function both(args: string[], input?: string): Promise<{ ours: Output; theirs: Output }> {
  const theirs = await cli(redis.port, args, input);
  const ours = await cli(server.port, args, input);
  return { ours, theirs };
}

beforeAll(async () => {
  redisCli = requireBinary('redis-cli');
  redisBenchmark = requireBinary('redis-benchmark');
  redis = await startRedisServer();
  server = await startTestServer();
});

afterAll(async () => {
  await redis?.stop();
  await server?.close();
});

describe('redis-cli, same output as with redis-server', () => {
  const cases: Array<[string, string[], string?]> = [
    ['PING', ['PING']],
    ['FLUSHALL', ['FLUSHALL']],
    ['SET then GET (raw output)', ['SET', 'cli-key', 'hello world']],
    ['GET', ['GET', 'cli-key']],
    ['GET --no-raw', ['--no-raw', 'GET', 'cli-key']],
    ['GET missing --no-raw', ['--no-raw', 'GET', 'missing']],
    ['INCR --no-raw', ['--no-raw', 'INCR', 'cli-counter']],
    ['INCRBYFLOAT', ['INCRBYFLOAT', 'cli-float', '1.5']],
    ['MSET', ['MSET', 'a', '1', 'b', '2']],
    ['MGET --no-raw', ['--no-raw', 'MGET', 'a', 'missing', 'b']],
    ['unknown command', ['FOO', 'bar']],
    ['unknown command --no-raw', ['--no-raw', 'FOO', 'bar']],
    ['wrong type', ['--no-raw', 'INCR', 'cli-key']],
    ['wrong arity', ['--no-raw', 'GET']],
    ['binary value, escaped on stdin', ['--no-raw'], 'SET bin "\\x00\\x01\\xff\\r\\n"\nGET bin\nSTRLEN bin\n'],
    ['binary value read back raw', ['GET', 'bin']],
    ['EXISTS and DEL', ['--no-raw', 'DEL', 'a', 'b', 'missing']],
    ['RESP3 null', ['-3', '--no-raw', 'GET', 'missing']],
    ['RESP3 integer', ['-3', '--no-raw', 'STRLEN', 'cli-key']],
    ['RESP3 double', ['-3', '--no-raw', 'INCRBYFLOAT', 'cli-float', '0.25']],
    ['select a database', ['-n', '3', '--no-raw', 'SET', 'in-three', 'x']],
    ['commands on stdin', [], 'SET s "a b"\nGET s\nMGET s nosuch\nINCR s\nEXISTS s\n'],
    ['commands on stdin, --no-raw', ['--no-raw'], 'SET s "a b"\nGET s\nMGET s nosuch\nDEL s\nGET s\n'],
    ['a transaction on stdin', ['--no-raw'], 'MULTI\nSET t 1\nINCR t\nGET t\nEXEC\n'],
    ['DBSIZE', ['--no-raw', 'DBSIZE']],
  ];

  test.each(cases)('%s', async (_name, args, input) => {
    // Act
    const { ours, theirs } = await both(args, input);

    // Assert
    expect(ours).toEqual(theirs);
  });

  test('HELLO 3 map, printed by redis-cli -3 (ids differ)', async () => {
    const { ours, theirs } = await both(['-3', '--no-raw', 'HELLO', '3']);
    const withoutId = (output: Output) => output.stdout.replace(/"id" => \(integer\) \d+/, '"id" => (integer) N');
    expect(withoutId(ours)).toBe(withoutId(theirs));
    expect(ours.stdout).toContain('1# "server" => "redis"');
  });
});

describe('redis-cli --pipe', () => {
  test('mass insertion of 10 000 SETs, then DBSIZE', async () => {
    // Arrange
    await cli(server.port, ['FLUSHALL']);
    let payload = '';
    for (let index = 0; index < 10_000; index++) {
      const key = `mass:${index}`;
      const value = `value-${index}`;
      payload += `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`;
    }

    // Act
    const output = await cli(server.port, ['--pipe'], payload);

    // Assert
    expect(output.stdout).toContain('errors: 0, replies: 10000');
    expect(output.code).toBe(0);
    expect((await cli(server.port, ['DBSIZE'])).stdout).toBe('10000\n');
    expect((await cli(server.port, ['GET', 'mass:9999'])).stdout).toBe('value-9999\n');
  });
});

describe('redis-benchmark', () => {
  test('PING_INLINE, PING_MBULK, SET, GET, INCR, MSET each report requests per second, without errors', async () => {
    // Act
    const { stdout, stderr } = await run(
      redisBenchmark,
      ['-p', String(server.port), '-q', '-n', '10000', '-t', 'ping,set,get,incr,mset'],
      { timeout: 120_000 },
    );

    // Assert: the final line of each test (progress lines end in \r).
    const lines = stdout.split(/[\r\n]+/).map((line) => line.trim());
    const results = new Map<string, number>();
    for (const line of lines) {
      const match = /^(.+): ([\d.]+) requests per second/.exec(line);
      if (match) results.set(match[1]!, Number(match[2]));
    }
    expect([...results.keys()].sort()).toEqual(['GET', 'INCR', 'MSET (10 keys)', 'PING_INLINE', 'PING_MBULK', 'SET']);
    for (const [name, perSecond] of results) expect(perSecond, name).toBeGreaterThan(0);
    expect(stdout + stderr).not.toMatch(/error|warning/i);
  }, 180_000);
});
