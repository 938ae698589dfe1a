#!/usr/bin/env node
/**
 * Consumer test: packs every package (`pnpm pack`, as they would be published), installs the tarballs with plain npm
 * into a scratch project, imports each package with `import` and `require`, runs the `mini-redis-server` binary, and
 * runs every README example marked ```ts run (with tsx), so that the READMEs cannot lie. Run after `pnpm build`:
 *
 *   node tools/scripts/consumer-test.mjs
 *
 * Prints one line per check; exits 1 on the first failure.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const TSX = JSON.parse(readFileSync(join(root, 'tools/bench/package.json'), 'utf8')).dependencies.tsx;
const scratch = mkdtempSync(join(tmpdir(), 'mini-redis-consumer-'));
const tarballs = join(scratch, 'tarballs');
const app = join(scratch, 'app');
mkdirSync(tarballs);
mkdirSync(app);

function check(name, fn) {
  try {
    const result = fn();
    console.log(`ok   ${name}`);
    return result;
  } catch (error) {
    console.error(`FAIL ${name}\n${error.stdout ?? ''}${error.stderr ?? ''}${error.stack ?? error}`);
    process.exitCode = 1;
    throw error;
  }
}

const run = (command, args, options = {}) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe', timeout: 120_000, ...options });

function freePort() {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function request(port, text) {
  return new Promise((resolveReply, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk;
      if (data.endsWith('\r\n')) {
        socket.end();
        resolveReply(data);
      }
    });
    socket.on('close', () => resolveReply(data));
    socket.on('error', reject);
  });
}

async function main() {
  const packages = readdirSync(join(root, 'packages')).filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')));
  const names = packages.map((dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')).name);
  for (const dir of packages) {
    check(`pack ${dir}`, () => run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(root, 'packages', dir) }));
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const files = readdirSync(tarballs).map((file) => join(tarballs, file));
  check('npm install the tarballs', () =>
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files, `tsx@${TSX}`], { cwd: app }),
  );
  for (const name of names) {
    check(`import ${name}`, () => run(process.execPath, ['--input-type=module', '-e', `await import('${name}')`], { cwd: app }));
    check(`require ${name}`, () => run(process.execPath, ['-e', `require('${name}')`], { cwd: app }));
  }
  if (names.includes('@mini-redis/server')) {
    const port = await freePort();
    const cli = spawn(join(app, 'node_modules/.bin/mini-redis-server'), ['--port', String(port)], { cwd: app, stdio: 'pipe' });
    let output = '';
    cli.stdout.on('data', (chunk) => (output += chunk));
    cli.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolveExit) => cli.on('exit', (code) => resolveExit(code)));
    let pong;
    for (let i = 0; i < 100 && pong === undefined; i++) {
      pong = await request(port, 'PING\r\n').catch(() => undefined);
      if (pong === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    check('mini-redis-server answers PING', () => {
      if (pong !== '+PONG\r\n') throw new Error(`no PONG from the CLI (got ${JSON.stringify(pong)}):\n${output}`);
    });
    await request(port, 'SHUTDOWN NOSAVE\r\n').catch(() => undefined);
    const code = await exited;
    check('mini-redis-server exits 0 on SHUTDOWN', () => {
      if (code !== 0) throw new Error(`exit code ${code}:\n${output}`);
    });
  }
  for (const name of names) {
    const readme = join(app, 'node_modules', name, 'README.md');
    if (!existsSync(readme)) continue;
    const blocks = [...readFileSync(readme, 'utf8').matchAll(/```ts run\n([\s\S]*?)```/g)].map((match) => match[1]);
    blocks.forEach((code, index) => {
      const file = join(app, `example-${name.replace(/\W/g, '-')}-${index + 1}.mts`);
      writeFileSync(file, code);
      check(`${name} README example ${index + 1}`, () =>
        run(process.execPath, ['--import', 'tsx', file], { cwd: app, timeout: 30_000 }),
      );
    });
  }
}

main()
  .catch(() => {
    process.exitCode = 1;
  })
  .finally(() => {
    if (process.exitCode) console.error(`consumer test failed; scratch project kept in ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  });
