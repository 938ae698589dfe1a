/**
 * The bundles the bin and the package entries run (scripts/bundle-cli.mjs, scripts/bundle-lib.mjs): their V8 code
 * caches are accepted by this Node (a build that stopped making them, or made them for another bundle, would only be
 * slower, so nothing else would notice), and the entries hand out one server class and the store package's own modules.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import * as main from '@mini-redis/server';
import * as testing from '@mini-redis/server/testing';
import { MapStore, typeOf } from '@mini-redis/store';
import { describe, expect, test } from 'vitest';
import { RawClient } from './helpers.js';

const dist = (name: string) => fileURLToPath(new URL(`../dist/${name}`, import.meta.url));

describe('bundles run with their code cache', () => {
  for (const name of ['mini-redis-server', 'library']) {
    test(`${name}.bundle.cjs: the cache is accepted`, () => {
      const filename = dist(`${name}.bundle.cjs`);
      const source = readFileSync(filename).toString('latin1');
      const script = new Script(source, { filename, cachedData: readFileSync(dist(`${name}.bundle.cache`)) });
      expect(script.cachedDataRejected).toBe(false);
      // Wrapped as Node's CommonJS loader wraps a module: the script's value is the module function.
      expect(typeof script.runInThisContext()).toBe('function');
    });
  }
});

describe('package entries', () => {
  test('export what tsc built, from one bundle', () => {
    expect(Object.keys(main).sort()).toEqual(['MiniRedisServer', 'REDIS_VERSION', 'VERSION', 'startServer']);
    expect(Object.keys(testing).sort()).toEqual(['fromBytes', 'resetServer', 'seed', 'snapshot', 'toBytes', 'useServer']);
    expect(main.VERSION).toBe(JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')).version);
  });

  test("a store from @mini-redis/store is the server's store, and holds the server's values", async () => {
    const store = new MapStore();
    const server = await main.startServer({ port: 0, store });
    try {
      expect(server.store).toBe(store);
      const client = await RawClient.connect(server.port);
      expect((await client.callRaw('RPUSH', 'queue', 'job')).toString()).toBe(':1\r\n');
      await client.close();
      const value = store.db(0).get('queue');
      expect(value === undefined ? undefined : typeOf(value)).toBe('list');
      testing.resetServer(server);
      expect(store.db(0).get('queue')).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

/** EVAL (the Lua wasm, found through @mini-redis/lua's package.json), COMMAND DOCS (the JSON), INFO server (node:os). */
const FILES_CHECK = 'EVAL "return redis.call(\'ping\')" 0\r\nCOMMAND DOCS get\r\nINFO server\r\n';

/** Sends FILES_CHECK on a connection and resolves with everything read until INFO's os line came. */
function filesCheck(options: { port: number; host: string } | { path: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(options, () => socket.write(FILES_CHECK));
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (/\r\nos:[^\r]*\r\n/.test(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
  });
}

function expectFilesFound(text: string): void {
  expect(text.startsWith('+PONG\r\n')).toBe(true);
  expect(text).toContain('$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n');
  expect(text).toMatch(/\r\nos:\S+ \S+ \S+\r\n/);
}

describe('the bundles find the files and modules they load on first use', () => {
  test('library bundle', async () => {
    const server = await main.startServer({ port: 0 });
    try {
      expectFilesFound(await filesCheck({ port: server.port, host: '127.0.0.1' }));
    } finally {
      await server.close();
    }
  });

  test('CLI bundle (the bin, on a Unix socket)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'mini-redis-bundles-'));
    const path = join(directory, 's.sock');
    const child = spawn(process.execPath, [dist('mini-redis-server.cjs'), '--port', '0', '--unixsocket', path], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('ready to accept connections')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`the bin exited with ${String(code)}: ${output}`)));
      });
      expectFilesFound(await filesCheck({ path }));
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
