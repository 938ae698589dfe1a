/**
 * CLIENT REPLY ON|OFF|SKIP against the real redis-server, byte for byte: silenced replies (errors too), SKIP covering
 * the next command only, SKIP while OFF, RESET turning replies back on, and pub/sub messages still delivered while
 * replies are off.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RawClient } from './helpers.js';
import { expectSameScript, startPair, type Pair, type Step } from './multi-connection.js';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair.close();
});

const s = (c: number, line: string, replies = 1): Step => ({ c, cmd: line.split(' '), replies });

test('CLIENT REPLY, byte for byte with redis-server', async () => {
  await expectSameScript(pair, 2, [
    s(0, 'CLIENT REPLY SKIP', 0),
    s(0, 'SET a 1', 0),
    s(0, 'GET a'),
    s(0, 'CLIENT REPLY OFF', 0),
    s(0, 'SET b 2', 0),
    s(0, 'NOSUCHCOMMAND', 0),
    s(0, 'CLIENT REPLY SKIP', 0),
    s(0, 'GET b', 0),
    s(0, 'CLIENT REPLY ON'),
    s(0, 'GET b'),
    s(0, 'CLIENT REPLY SKIP', 0),
    s(0, 'CLIENT REPLY SKIP', 0),
    s(0, 'PING', 0),
    s(0, 'PING'),
    s(0, 'CLIENT REPLY maybe'),
    s(0, 'CLIENT REPLY'),
    s(0, 'HELLO 3', 1),
    s(0, 'SUBSCRIBE ch'),
    s(0, 'CLIENT REPLY OFF', 0),
    s(1, 'PUBLISH ch still-delivered'),
    s(0, 'GET a', 0),
    s(0, 'RESET'),
    s(0, 'GET a'),
  ]);
}, 15_000);

test('a blocked command answered after CLIENT REPLY SKIP stays silent', async () => {
  const client = await RawClient.connect(pair.server.port);
  client.write('*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$4\r\n0.05\r\n');
  await new Promise((resolve) => setTimeout(resolve, 120));
  expect((await client.callRaw('PING')).toString('latin1')).toBe('+PONG\r\n');
  await client.close();
});
