/**
 * CONFIG GET/SET for every Redis 7.0 parameter, compared with the real redis-server: the list of names (aliases
 * included, hidden ones only by exact name), the defaults, and for each parameter a set of good and bad values (memory
 * units, percents, octal, bounds, enums, multi-argument syntax): the same reply bytes and the same value read back.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSideBySide, type SideBySide } from './side-by-side.js';

let sides: SideBySide;

beforeAll(async () => {
  sides = await startSideBySide();
});

afterAll(async () => {
  await sides?.close();
});

/** Values this server has on purpose (the test servers' own start-up arguments, or what this server does not do). */
const OWN_VALUES = new Set([
  'port', 'bind', 'dir', 'save', 'enable-debug-command', 'tcp-backlog', 'io-threads', 'pidfile', 'logfile', 'daemonize',
]);

/** Not set in this test: they would rebind or lock out the test's connections, or differ by design. */
const NOT_SET = new Map<string, string>([
  ['port', 'rebinds the listener (tested in config.test.ts)'],
  ['bind', 'rebinds the listener (tested in config.test.ts)'],
  ['tls-port', 'would start TLS on redis-server'],
  ['requirepass', 'locks the test connection out'],
  ['masterauth', 'sensitive: redis-server redacts it'],
  ['appendonly', 'yes: this server refuses it (no AOF); redis-server starts writing one'],
  ['maxclients', 'redis-server adjusts it to the file descriptor limit'],
  ['watchdog-period', 'redis-server arms a SIGALRM watchdog'],
  ['timeout', 'may close the test connection'],
]);

const HIDDEN = ['use-exit-on-panic', 'rdb-key-save-delay', 'key-load-delay', 'watchdog-period', 'loading-process-events-interval-bytes'];

const VALUES = [
  'yes', 'no', 'YES', 'maybe', '', '0', '1', '-1', '5', '100', '511', '777', '0777', '800', '65535', '65536', '1k', '1kb',
  '2MB', '1g', '1Gb', '1.5', '1.5gb', '-5%', '5%', '100%', '101%', '1%%', 'abc', ' 1', '+1', '007', '-0', '2147483647',
  '2147483648', '-2147483649', '4294967295', '4294967296', '9223372036854775807', '9223372036854775808',
  '18446744073709551615', '18446744073709551616', '99999999999999999999gb', 'everysec', 'ALLKEYS-LRU', 'relative',
  'save now', 'default', 'nosave force', 'save  now', 'KEA', 'Q', 'gx', '10 1', '10 1 20', '10 0 20 x', '1 0',
  'normal 1k 2mb 3', 'replica 1 2 3', 'master 1 2 3', 'normal 1 2 -3', 'normal 1 2', 'pubsub 1gb 1 0 normal 0 0 0',
  '1 2 3', '1 2', '1 2 3000', '-2000 0 2000', '50 99 99.9', '50.5 0 100', '101', '-1 5', '1e2', 'no one',
  'localhost 6379', 'a_b', 'host-1.example', '{title}', '{title} {port}', '{x}', 'x {title}', '}{', 'dump.rdb', 'a/b',
  'ip', 'hostname', 'optional', 'allchannels', 'clients', 'local', 'panic', 'systemd',
];

function text(buffer: Buffer): string {
  return buffer.toString('latin1');
}

/** CONFIG GET <pattern> as a sorted list of "name=value" (the order of a pattern's matches is a hash order). */
async function getAll(client: SideBySide['real'], pattern: string): Promise<string[]> {
  const reply = (await client.call('CONFIG', 'GET', pattern)) as unknown;
  const flat: unknown[] = Array.isArray(reply) ? reply : [...(reply as Map<unknown, unknown>).entries()].flat();
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) out.push(`${String(flat[i])}=${String(flat[i + 1])}`);
  return out.sort();
}

test('CONFIG GET * lists the same 192 names (aliases included), with the same defaults', async () => {
  const real = await getAll(sides.real, '*');
  const mine = await getAll(sides.mine, '*');
  expect(real.length).toBe(192);
  const names = (list: string[]) => list.map((entry) => entry.split('=')[0]);
  expect(names(mine)).toEqual(names(real));
  const own = (entry: string) => !OWN_VALUES.has(entry.split('=')[0]!);
  expect(mine.filter(own)).toEqual(real.filter(own));
  for (const name of HIDDEN) {
    await sides.same([['CONFIG', 'GET', name], ['CONFIG', 'GET', name.toUpperCase()], ['CONFIG', 'GET', name.slice(0, 5) + '*']]);
  }
});

test('CONFIG SET of every parameter with good and bad values: the same replies and values read back', async () => {
  const names = [...(await getAll(sides.real, '*')).map((entry) => entry.split('=')[0]!), ...HIDDEN];
  let compared = 0;
  const differences: string[] = [];
  for (const name of names) {
    if (NOT_SET.has(name)) continue;
    const [realBefore] = await Promise.all([sides.real.callRaw('CONFIG', 'GET', name)]);
    const realOriginal = ((await sides.real.call('CONFIG', 'GET', name)) as unknown as string[])[1] ?? '';
    const mineOriginal = ((await sides.mine.call('CONFIG', 'GET', name)) as unknown as string[])[1] ?? '';
    expect(realBefore.length).toBeGreaterThan(0);
    for (const value of VALUES) {
      const [real, mine] = await Promise.all([
        sides.real.callRaw('CONFIG', 'SET', name, value),
        sides.mine.callRaw('CONFIG', 'SET', name, value),
      ]);
      if (text(mine) !== text(real)) differences.push(`CONFIG SET ${name} ${JSON.stringify(value)}: ${text(mine)} vs ${text(real)}`);
      if (!OWN_VALUES.has(name)) {
        const [realValue, mineValue] = await Promise.all([
          sides.real.callRaw('CONFIG', 'GET', name),
          sides.mine.callRaw('CONFIG', 'GET', name),
        ]);
        if (text(mineValue) !== text(realValue)) {
          differences.push(`CONFIG GET ${name} after SET ${JSON.stringify(value)}: ${text(mineValue)} vs ${text(realValue)}`);
        }
      }
      compared++;
    }
    await sides.real.callRaw('CONFIG', 'SET', name, realOriginal);
    await sides.mine.callRaw('CONFIG', 'SET', name, mineOriginal);
  }
  expect(differences.slice(0, 20).join('\n')).toBe('');
  expect(compared).toBeGreaterThan(150 * VALUES.length);
  // several at once: atomic (nothing changes when one fails), duplicates, unknown names, immutable and protected ones
  await sides.same([
    ['CONFIG', 'SET', 'maxmemory-samples', '7', 'hz', 'abc'],
    ['CONFIG', 'GET', 'maxmemory-samples'],
    ['CONFIG', 'SET', 'maxmemory-samples', '7', 'MAXMEMORY-samples', '8'],
    ['CONFIG', 'SET', 'maxmemory-samples', '7', 'nosuch', '8'],
    ['CONFIG', 'SET', 'nosuch', '7', 'daemonize', 'no'],
    ['CONFIG', 'SET', 'daemonize', 'no', 'nosuch', '8'],
    ['CONFIG', 'SET', 'dir', '/tmp'],
    ['CONFIG', 'SET', 'DBFILENAME', 'x.rdb'],
    ['CONFIG', 'SET', 'slave-priority', '-1'],
    ['CONFIG', 'SET', 'SLAVE-PRIORITY', '-1'],
    ['CONFIG', 'SET', 'maxmemory-samples', '7', 'lfu-log-factor', '3'],
    ['CONFIG', 'GET', 'maxmemory-samples'],
    ['CONFIG', 'GET', 'lfu-log-factor'],
    ['CONFIG', 'SET', 'maxmemory-samples', '5', 'lfu-log-factor', '10'],
    ['CONFIG', 'SET', 'maxmemory-samples'],
  ]);
}, 120_000);
