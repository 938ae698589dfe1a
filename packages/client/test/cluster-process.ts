/**
 * A real 3-master Redis Cluster of Debian redis-server processes on free ports (cluster bus on its own free port
 * via `cluster-port`), created with `redis-cli --cluster create`. Missing binaries fail loudly.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, requireBinary, startRedisServer, type RedisProcess } from './redis-process.js';

const run = promisify(execFile);

export interface RedisClusterProcesses {
  readonly ports: number[];
  /** `redis-cli -p port args...` output. */
  cli(port: number, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startRedisCluster(masters = 3): Promise<RedisClusterProcesses> {
  const cli = requireBinary('redis-cli');
  requireBinary('redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'mini-redis-cluster-'));
  const processes: RedisProcess[] = [];
  const redisCli = async (port: number, ...args: string[]) => (await run(cli, ['-p', String(port), ...args])).stdout.trim();
  try {
    for (let index = 0; index < masters; index++) {
      const port = await freePort();
      const bus = await freePort();
      processes.push(
        await startRedisServer(
          [
            '--cluster-enabled', 'yes',
            '--cluster-config-file', join(dir, `nodes-${port}.conf`),
            '--cluster-port', String(bus),
            '--cluster-node-timeout', '5000',
            '--dir', dir,
          ],
          [],
          port,
        ),
      );
    }
    const ports = processes.map((process) => process.port);
    await run(cli, ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-yes']);
    const deadline = Date.now() + 20_000;
    for (const port of ports) {
      while (!(await redisCli(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) {
        if (Date.now() > deadline) throw new Error(`cluster node ${port} did not reach cluster_state:ok`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    return {
      ports,
      cli: redisCli,
      async stop() {
        await Promise.all(processes.map((process) => process.stop()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(processes.map((process) => process.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
