/**
 * CLIENT subcommands, MONITOR and SHUTDOWN over real sockets. Expected texts are redis-server 7.0.15's.
 */
import { ManualClock } from '@mini-redis/store';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, startTestServer } from './helpers.js';

/** CLIENT LIST's fields, in Redis 7.0's order. */
const FIELDS = [
  'id', 'addr', 'laddr', 'fd', 'name', 'age', 'idle', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'qbuf',
  'qbuf-free', 'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'events', 'cmd', 'user',
  'redir', 'resp',
];

let server: MiniRedisServer;
let client: RawClient;

async function raw(...args: string[]): Promise<string> {
  return (await client.callRaw(...args)).toString('latin1');
}

/** Parses one CLIENT LIST line into [field, value] pairs. */
function fields(line: string): Array<[string, string]> {
  return line.split(' ').map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
}

beforeAll(async () => {
  server = await startTestServer({ clock: new ManualClock(1_700_000_000_250) });
  client = await RawClient.connect(server.port);
});

afterAll(async () => {
  await client.close();
  await server.close();
});

describe('CLIENT', () => {
  test('ID, GETNAME, SETNAME, INFO', async () => {
    const id = (await client.call('CLIENT', 'ID')) as number;
    expect(await raw('CLIENT', 'GETNAME')).toBe('$-1\r\n');
    expect(await raw('CLIENT', 'SETNAME', 'a b')).toBe('-ERR Client names cannot contain spaces, newlines or special characters.\r\n');
    expect(await raw('CLIENT', 'SETNAME', 'worker-1')).toBe('+OK\r\n');
    expect(await raw('CLIENT', 'GETNAME')).toBe('$8\r\nworker-1\r\n');
    const line = (await client.call('CLIENT', 'INFO')) as string;
    expect(line.endsWith('\n')).toBe(true);
    const parsed = new Map(fields(line.trimEnd()));
    expect(parsed.get('id')).toBe(String(id));
    expect(parsed.get('name')).toBe('worker-1');
    expect(parsed.get('cmd')).toBe('client|info');
    expect(await raw('CLIENT', 'SETNAME', '')).toBe('+OK\r\n');
    expect(await raw('CLIENT', 'GETNAME')).toBe('$-1\r\n');
  });

  test('LIST: one line per client, fields present and in order', async () => {
    const other = await RawClient.connect(server.port);
    await other.pipeline([['SELECT', '2'], ['HELLO', '3']]);
    const text = (await client.call('CLIENT', 'LIST')) as string;
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(fields(line).map(([name]) => name)).toEqual(FIELDS);
    const second = new Map(fields(lines[1]!));
    expect(second.get('db')).toBe('2');
    expect(second.get('resp')).toBe('3');
    expect(second.get('cmd')).toBe('hello');
    expect(second.get('flags')).toBe('N');
    expect(second.get('multi')).toBe('-1');
    expect(second.get('user')).toBe('default');
    const otherId = (await other.call('CLIENT', 'ID')) as number;
    const byId = (await client.call('CLIENT', 'LIST', 'ID', String(otherId), '999')) as string;
    expect(byId.split('\n')).toHaveLength(2);
    expect(byId.startsWith(`id=${otherId} `)).toBe(true);
    expect(await raw('CLIENT', 'LIST', 'TYPE', 'pubsub')).toBe('$0\r\n\r\n');
    expect(await raw('CLIENT', 'LIST', 'TYPE', 'foo')).toBe("-ERR Unknown client type 'foo'\r\n");
    expect(await raw('CLIENT', 'LIST', 'ID', 'abc')).toBe('-ERR Invalid client ID\r\n');
    expect(await raw('CLIENT', 'LIST', 'foo')).toBe('-ERR syntax error\r\n');
    await other.close();
  });

  test('KILL ip:port closes the other connection', async () => {
    const other = await RawClient.connect(server.port);
    const line = (await other.call('CLIENT', 'INFO')) as string;
    const address = new Map(fields(line.trimEnd())).get('addr')!;
    expect(await raw('CLIENT', 'KILL', address)).toBe('+OK\r\n');
    await other.closed;
    expect(other.isClosed).toBe(true);
    expect(await raw('CLIENT', 'KILL', address)).toBe('-ERR No such client\r\n');
  });

  test('KILL filters reply how many they closed', async () => {
    const first = await RawClient.connect(server.port);
    const second = await RawClient.connect(server.port);
    const firstId = (await first.call('CLIENT', 'ID')) as number;
    expect(await raw('CLIENT', 'KILL', 'ID', String(firstId))).toBe(':1\r\n');
    await first.closed;
    expect(await raw('CLIENT', 'KILL', 'ID', '999999')).toBe(':0\r\n');
    expect(await raw('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes')).toBe(':1\r\n');
    await second.closed;
    expect(client.isClosed).toBe(false);
    expect(await raw('CLIENT', 'KILL', 'ID', 'abc')).toBe('-ERR client-id should be greater than 0\r\n');
    expect(await raw('CLIENT', 'KILL', 'ID', '0')).toBe('-ERR client-id should be greater than 0\r\n');
    expect(await raw('CLIENT', 'KILL', 'TYPE', 'foo')).toBe("-ERR Unknown client type 'foo'\r\n");
    expect(await raw('CLIENT', 'KILL', 'USER', 'nobody')).toBe("-ERR No such user 'nobody'\r\n");
    expect(await raw('CLIENT', 'KILL', 'SKIPME', 'maybe')).toBe('-ERR syntax error\r\n');
    expect(await raw('CLIENT', 'KILL', 'foo', 'bar')).toBe('-ERR syntax error\r\n');
    expect(await raw('CLIENT', 'KILL', 'ADDR', '1.1.1.1:1')).toBe(':0\r\n');
  });

  test('SETINFO, NO-EVICT, NO-TOUCH, PAUSE, UNPAUSE, TRACKING, unknown subcommand', async () => {
    expect(await raw('CLIENT', 'SETINFO', 'LIB-NAME', 'node-redis')).toBe('+OK\r\n');
    expect(await raw('CLIENT', 'SETINFO', 'lib-ver', '5.0.0')).toBe('+OK\r\n');
    expect(await raw('CLIENT', 'SETINFO', 'foo', 'x')).toBe("-ERR Unrecognized option 'foo'\r\n");
    expect(await raw('CLIENT', 'NO-EVICT', 'on')).toBe('+OK\r\n');
    expect(await raw('CLIENT', 'NO-EVICT', 'maybe')).toBe('-ERR syntax error\r\n');
    expect(await raw('CLIENT', 'NO-TOUCH', 'on')).toBe('+OK\r\n');
    const flags = new Map(fields(((await client.call('CLIENT', 'INFO')) as string).trimEnd())).get('flags');
    expect(flags).toBe('eT');
    await client.pipeline([['CLIENT', 'NO-EVICT', 'off'], ['CLIENT', 'NO-TOUCH', 'off']]);
    expect(await raw('CLIENT', 'PAUSE', '10')).toBe('+OK\r\n');
    expect(await raw('CLIENT', 'PAUSE', 'abc')).toBe('-ERR timeout is not an integer or out of range\r\n');
    expect(await raw('CLIENT', 'PAUSE', '-1')).toBe('-ERR timeout is negative\r\n');
    expect(await raw('CLIENT', 'PAUSE', '10', 'foo')).toBe('-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n');
    expect(await raw('CLIENT', 'UNPAUSE')).toBe('+OK\r\n');
    expect(await raw('CLIENT', 'TRACKING', 'off')).toBe('+OK\r\n');
    expect(await raw('CLIENT', 'TRACKING', 'foo')).toBe('-ERR syntax error\r\n');
    expect(await raw('CLIENT', 'GETREDIR')).toBe(':-1\r\n');
    expect(await raw('CLIENT', 'foo')).toBe("-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n");
    expect(await raw('CLIENT', 'SETNAME')).toBe("-ERR wrong number of arguments for 'client|setname' command\r\n");
    expect(await raw('CLIENT', 'HELP')).toMatch(/^\*\d+\r\n\+CLIENT <subcommand> \[<arg> \[value\] \[opt\] \.\.\.\]\. Subcommands are:\r\n/);
  });
});

describe('MONITOR', () => {
  test("receives another client's commands in Redis's format", async () => {
    const watcher = await RawClient.connect(server.port);
    expect((await watcher.callRaw('MONITOR')).toString('latin1')).toBe('+OK\r\n');
    const line = watcher.nextReply();
    await client.call('SET', 'k', 'a "quoted"\nvalue');
    expect((await line).toString('latin1')).toMatch(
      /^\+1700000000\.250000 \[0 127\.0\.0\.1:\d+\] "SET" "k" "a \\"quoted\\"\\nvalue"\r\n$/,
    );
    await watcher.close();
  });
});

describe('SHUTDOWN', () => {
  test('argument errors', async () => {
    expect(await raw('SHUTDOWN', 'foo')).toBe('-ERR syntax error\r\n');
    expect(await raw('SHUTDOWN', 'SAVE', 'NOSAVE')).toBe('-ERR syntax error\r\n');
    expect(await raw('SHUTDOWN', 'ABORT', 'NOW')).toBe('-ERR syntax error\r\n');
    expect(await raw('SHUTDOWN', 'ABORT')).toBe('-ERR No shutdown in progress.\r\n');
    const [multi, inside, exec] = await client.pipeline([['MULTI'], ['SHUTDOWN'], ['EXEC']]);
    expect(multi).toBeDefined();
    expect(String(inside)).toContain('Command not allowed inside a transaction');
    expect(String(exec)).toContain('EXECABORT');
  });

  test('closes every client and the embedded server, then calls onShutdown', async () => {
    const target = await startTestServer();
    let hooked = false;
    target.onShutdown = () => {
      hooked = true;
    };
    const bystander = await RawClient.connect(target.port);
    const caller = await RawClient.connect(target.port);
    caller.write('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
    await caller.closed;
    await bystander.closed;
    expect(await caller.readFor(0)).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hooked).toBe(true);
    await expect(RawClient.connect(target.port)).rejects.toThrow();
  });
});
