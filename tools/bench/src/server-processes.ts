/**
 * Child processes for the server benchmark: free ports, starting a server pinned to a CPU core, waiting for PING,
 * and running redis-benchmark. Loopback only.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** Throws a clear error when a required program is not on PATH. */
export function requireProgram(name: string, hint: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${name} is not on PATH: ${hint}`);
  }
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const timer = setTimeout(() => finish(false), 500);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => finish(chunk.toString('latin1').startsWith('+PONG')));
    socket.on('error', () => finish(false));
  });
}

/** A server child process on a port. */
export interface ServerProcess {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns `command` pinned to `core` with taskset, and waits until it answers PING on `port`. */
export async function startPinned(name: string, core: number, port: number, command: string[]): Promise<ServerProcess> {
  const child = spawn('taskset', ['-c', String(core), ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (!(await pingOnce(port))) {
    if (child.exitCode !== null) throw new Error(`${name} exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`${name} did not answer PING on port ${port}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGINT');
    });
  return { name, port, child, stop };
}

/** Runs redis-benchmark (pinned to `core`) and returns requests per second by test name ("SET", "MSET (10 keys)"). */
export function runRedisBenchmark(core: number, args: string[]): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', String(core), 'redis-benchmark', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const results = new Map<string, number>();
      for (const line of output.split(/[\r\n]+/)) {
        const match = /^\s*(.+?): ([\d.]+) requests per second/.exec(line);
        if (match) results.set(match[1]!, Number(match[2]));
      }
      if (code !== 0 || /error/i.test(output)) reject(new Error(`redis-benchmark failed (code ${code}):\n${output}`));
      else resolve(results);
    });
  });
}
