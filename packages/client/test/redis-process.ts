/**
 * Spawns Debian's real redis-server on a free port (a copy of packages/server/test/redis-process.ts, plus a fixed port
 * for restarts), and locates the Redis
 * command-line tools. A missing binary is a loud failure, never a skip: these tests are the server's proof of
 * compatibility.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** A running redis-server child process. */
export interface RedisProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** Kills the process and waits for it to exit. */
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'install them with `apt-get install redis-server redis-tools` (.ci/run does this on a fresh machine)';

/** The absolute path of a Redis tool (redis-server, redis-cli, redis-benchmark); throws when it is not on PATH. */
export function requireBinary(name: 'redis-server' | 'redis-cli' | 'redis-benchmark'): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      `${name} is not on PATH: the interop and differential tests need the real Redis tools; ${INSTALL_HINT}`,
    );
  }
}

/** A TCP port free right now on 127.0.0.1 (bind port 0, read it, close). */
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

/** Resolves true when something on the port answers PING with +PONG (or with NOAUTH: it is up, just locked). */
export function pingPort(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let answer = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG') || answer.startsWith('-NOAUTH'));
    });
    socket.on('error', () => done(false));
  });
}

/** Polls until the port answers PING, or throws after `timeoutMs`. */
export async function waitForPing(port: number, timeoutMs = 10_000, what = 'server'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pingPort(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${what} on port ${port} did not answer PING within ${timeoutMs} ms`);
}

/** Waits for a child process to exit, killing it first (SIGKILL after a grace period). */
export function stopProcess(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts `redis-server` on a free port with no persistence (`--save '' --appendonly no`), waits until it answers
 * PING, and returns it. `extraArgs` are more `--name value` directives (e.g. `['--requirepass', 'secret']`).
 * `prefix` runs it under another program (e.g. `['taskset', '-c', '0']`).
 */
export async function startRedisServer(
  extraArgs: string[] = [],
  prefix: string[] = [],
  fixedPort?: number,
): Promise<RedisProcess> {
  const binary = requireBinary('redis-server');
  const port = fixedPort ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
  args.push(...extraArgs);
  const [command, ...rest] = prefix.length > 0 ? [...prefix, binary, ...args] : [binary, ...args];
  const child = spawn(command!, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`redis-server exited early (code ${code}):\n${output}`))),
  );
  exited.catch(() => {});
  await Promise.race([waitForPing(port, 10_000, 'redis-server'), exited]);
  return { port, child, stop: () => stopProcess(child) };
}
