/**
 * The server core over real sockets: pipelining and reply batching, requests split at every byte, inline commands,
 * protocol errors, unknown-command and arity texts, AUTH/HELLO, RESP3 switching, SELECT, QUIT, RESET, transactions
 * and WATCH, COMMAND's reply shapes, large values and backpressure. Expected bytes are those of redis-server 7.0.15.
 */
import { connect } from 'node:net';
import { ManualClock } from '@mini-redis/store';
import type { MiniRedisServer } from '@mini-redis/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RawClient, splitReplies, startTestServer } from './helpers.js';

const OK = '+OK\r\n';
const PONG = '+PONG\r\n';

function bulk(text: string): string {
  return `$${Buffer.byteLength(text, 'latin1')}\r\n${text}\r\n`;
}

/** Multibulk bytes of a command. */
function command(...args: string[]): string {
  return `*${args.length}\r\n${args.map(bulk).join('')}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** HELLO's map (RESP3) as redis-server 7.0.15 sends it, for a given client id. */
function helloMap(id: number, proto: 2 | 3): string {
  const fields = [
    bulk('server') + bulk('redis'),
    bulk('version') + bulk('7.0.15'),
    bulk('proto') + `:${proto}\r\n`,
    bulk('id') + `:${id}\r\n`,
    bulk('mode') + bulk('standalone'),
    bulk('role') + bulk('master'),
    bulk('modules') + '*0\r\n',
  ];
  return (proto === 3 ? '%7\r\n' : '*14\r\n') + fields.join('');
}

/** The client id in a HELLO reply. */
function helloId(reply: Buffer): number {
  const match = /\$2\r\nid\r\n:(\d+)\r\n/.exec(reply.toString('latin1'));
  if (!match) throw new Error(`no id in ${reply.toString('latin1')}`);
  return Number(match[1]);
}

let server: MiniRedisServer;
let clock: ManualClock;
const open: RawClient[] = [];

async function client(port = server.port): Promise<RawClient> {
  const connection = await RawClient.connect(port);
  open.push(connection);
  return connection;
}

async function raw(connection: RawClient, ...args: string[]): Promise<string> {
  return (await connection.callRaw(...args)).toString('latin1');
}

beforeAll(async () => {
  clock = new ManualClock();
  server = await startTestServer({ clock });
});

afterAll(async () => {
  for (const connection of open) connection.raw.destroy();
  await server.close();
});

describe('pipelining', () => {
  test('1000 commands in one write are answered in order', async () => {
    // Arrange
    const connection = await client();
    const commands = Array.from({ length: 1000 }, (_, index) => ['ECHO', `message-${index}`]);

    // Act
    const replies = await connection.pipelineRaw(commands);

    // Assert
    expect(replies.map((reply) => reply.toString('latin1'))).toEqual(commands.map(([, text]) => bulk(text!)));
  });

  test('1000 pipelined SET/INCR/GET keep their order', async () => {
    const connection = await client();
    const commands: string[][] = [['DEL', 'pipelined']];
    for (let index = 0; index < 333; index++)
      commands.push(['INCR', 'pipelined'], ['SET', `p${index}`, `${index}`], ['GET', `p${index}`]);

    const replies = (await connection.pipelineRaw(commands)).map((reply) => reply.toString('latin1'));

    const expected = [':0\r\n'];
    for (let index = 0; index < 333; index++) expected.push(`:${index + 1}\r\n`, OK, bulk(String(index)));
    expect(replies).toEqual(expected);
  });

  test('the replies of one read leave in one write', async () => {
    // Arrange: a socket of our own, to count the chunks that arrive.
    const socket = connect({ port: server.port, host: '127.0.0.1' });
    await new Promise((resolve) => socket.once('connect', resolve));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));

    // Act: 200 commands in one write (well under one read buffer).
    socket.write(Buffer.from(Array.from({ length: 200 }, () => command('PING')).join(''), 'latin1'));
    await sleep(100);
    socket.destroy();

    // Assert
    expect(Buffer.concat(chunks).toString('latin1')).toBe(PONG.repeat(200));
    expect(chunks.length).toBe(1);
  });
});

describe('requests split across writes', () => {
  const stream = command('ECHO', 'hello') + 'PING\r\n' + command('PING') + 'ECHO "a b"\r\n' + command('ECHO', '');
  const expected = bulk('hello') + PONG + PONG + bulk('a b') + bulk('');

  test('split at every byte', async () => {
    const connection = await client();
    for (let split = 1; split < stream.length; split++) {
      // Arrange: two separate writes, the second after the server has read the first.
      const replies = connection.sendRaw(stream.slice(0, split), 0);
      await replies;
      await sleep(2);

      // Act
      const answer = await connection.sendRaw(stream.slice(split), expected.length);

      // Assert
      expect(answer.toString('latin1'), `split at ${split}`).toBe(expected);
    }
  });

  test('one byte per write', async () => {
    const connection = await client();
    const answer = connection.sendRaw('', expected.length);
    for (const byte of stream) {
      connection.write(byte);
      await sleep(1);
    }
    expect((await answer).toString('latin1')).toBe(expected);
  });
});

describe('inline commands', () => {
  test('PING, quoted arguments, \\n-only lines and empty lines', async () => {
    const connection = await client();

    const replies = await connection.sendRawReplies(
      'PING\r\nSET inline "b c"\r\nGET inline\r\nPING\nECHO x\n\r\n\nPING\r\n',
      5,
    );

    expect(replies.map(String)).toEqual([PONG, OK, bulk('b c'), PONG, bulk('x')]);
    const last = await connection.nextReply();
    expect(String(last)).toBe(PONG);
  });

  test('escapes in double quotes and single quotes', async () => {
    const connection = await client();

    const replies = await connection.sendRawReplies("ECHO \"a\\x41\\n\"\r\nECHO 'it\\'s'\r\n", 2);

    expect(replies.map((reply) => reply.toString('latin1'))).toEqual([bulk('aA\n'), bulk("it's")]);
  });
});

describe('protocol errors', () => {
  test('an invalid multibulk length is answered, then the connection closes; other clients go on', async () => {
    // Arrange
    const bystander = await client();
    const offender = await client();

    // Act
    const answer = await offender.sendRaw('*x\r\n', '-ERR Protocol error: invalid multibulk length\r\n'.length);
    await offender.closed;

    // Assert
    expect(answer.toString('latin1')).toBe('-ERR Protocol error: invalid multibulk length\r\n');
    expect(offender.isClosed).toBe(true);
    expect(await raw(bystander, 'PING')).toBe(PONG);
  });

  test.each([
    ['*1\r\n$x\r\n', '-ERR Protocol error: invalid bulk length\r\n'],
    ['*1\r\nx\r\n', "-ERR Protocol error: expected '$', got 'x'\r\n"],
    ['SET a "b\r\n', '-ERR Protocol error: unbalanced quotes in request\r\n'],
  ])('%j', async (request, expected) => {
    const offender = await client();
    const answer = await offender.sendRaw(request, expected.length);
    await offender.closed;
    expect(answer.toString('latin1')).toBe(expected);
  });

  test('commands before the error in the same read are answered', async () => {
    const offender = await client();
    const expected = PONG + bulk('x') + '-ERR Protocol error: invalid multibulk length\r\n';
    const answer = await offender.sendRaw(
      command('PING') + command('ECHO', 'x') + '*x\r\n' + command('PING'),
      expected.length,
    );
    await offender.closed;
    expect(answer.toString('latin1')).toBe(expected);
  });

  test('*-1 and *0 are ignored', async () => {
    const connection = await client();
    const replies = await connection.sendRawReplies('*-1\r\n*0\r\nPING\r\n', 1);
    expect(String(replies[0])).toBe(PONG);
  });
});

describe('command lookup errors', () => {
  test('unknown command, with its first arguments quoted', async () => {
    const connection = await client();
    expect(await raw(connection, 'FOO', 'a', 'b')).toBe(
      "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n",
    );
    expect(await raw(connection, 'foo')).toBe("-ERR unknown command 'foo', with args beginning with: \r\n");
  });

  test('unknown command arguments are cut at 128 characters', async () => {
    const connection = await client();
    const long = 'x'.repeat(200);
    expect(await raw(connection, 'FOO', long, 'b')).toBe(
      `-ERR unknown command 'FOO', with args beginning with: '${'x'.repeat(128)}' \r\n`,
    );
  });

  test('wrong arity, any case', async () => {
    const connection = await client();
    expect(await raw(connection, 'GET')).toBe("-ERR wrong number of arguments for 'get' command\r\n");
    expect(await raw(connection, 'gEt', 'a', 'b')).toBe("-ERR wrong number of arguments for 'get' command\r\n");
    expect(await raw(connection, 'PING', 'a', 'b')).toBe("-ERR wrong number of arguments for 'ping' command\r\n");
    expect(await raw(connection, 'ECHO')).toBe("-ERR wrong number of arguments for 'echo' command\r\n");
  });

  test('unknown subcommand', async () => {
    const connection = await client();
    expect(await raw(connection, 'COMMAND', 'FOO')).toBe("-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n");
    expect(await raw(connection, 'COMMAND', 'COUNT', 'x')).toBe(
      "-ERR wrong number of arguments for 'command|count' command\r\n",
    );
  });
});

describe('AUTH and HELLO with requirepass', () => {
  let locked: MiniRedisServer;
  const NOAUTH = '-NOAUTH Authentication required.\r\n';
  const WRONGPASS = '-WRONGPASS invalid username-password pair or user is disabled.\r\n';
  const HELLO_NOAUTH =
    '-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n';

  beforeAll(async () => {
    locked = await startTestServer({ requirepass: 'secret' });
  });
  afterAll(() => locked.close());

  test('commands before AUTH get NOAUTH; unknown commands still say unknown', async () => {
    const connection = await client(locked.port);
    expect(await raw(connection, 'PING')).toBe(NOAUTH);
    expect(await raw(connection, 'GET', 'a')).toBe(NOAUTH);
    expect(await raw(connection, 'FOO')).toBe("-ERR unknown command 'FOO', with args beginning with: \r\n");
  });

  test('AUTH: wrong password, wrong user, right password', async () => {
    const connection = await client(locked.port);
    expect(await raw(connection, 'AUTH', 'wrong')).toBe(WRONGPASS);
    expect(await raw(connection, 'AUTH', 'someone', 'secret')).toBe(WRONGPASS);
    expect(await raw(connection, 'AUTH', 'secret')).toBe(OK);
    expect(await raw(connection, 'PING')).toBe(PONG);
    expect(await raw(connection, 'AUTH', 'default', 'secret')).toBe(OK);
  });

  test('HELLO needs AUTH first, or its AUTH option', async () => {
    const connection = await client(locked.port);
    expect(await raw(connection, 'HELLO', '3')).toBe(HELLO_NOAUTH);
    expect(await raw(connection, 'HELLO')).toBe(HELLO_NOAUTH);
    expect(await raw(connection, 'HELLO', '3', 'AUTH', 'default', 'wrong')).toBe(WRONGPASS);

    const reply = await connection.callRaw('HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'me');

    expect(reply.toString('latin1')).toBe(helloMap(helloId(reply), 3));
    expect(await raw(connection, 'PING')).toBe(PONG);
  });

  test('RESET logs the client out again', async () => {
    const connection = await client(locked.port);
    expect(await raw(connection, 'AUTH', 'secret')).toBe(OK);
    expect(await raw(connection, 'RESET')).toBe('+RESET\r\n');
    expect(await raw(connection, 'PING')).toBe(NOAUTH);
  });

  test('AUTH inside MULTI runs at once', async () => {
    const connection = await client(locked.port);
    const replies = await connection.sendRawReplies('MULTI\r\nAUTH secret\r\nMULTI\r\nPING\r\nEXEC\r\n', 5);
    expect(replies.map(String)).toEqual([NOAUTH, OK, OK, '+QUEUED\r\n', '*1\r\n+PONG\r\n']);
  });

  test('AUTH without a configured password', async () => {
    const connection = await client();
    expect(await raw(connection, 'AUTH', 'x')).toBe(
      '-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n',
    );
    expect(await raw(connection, 'AUTH', 'a', 'b')).toBe(WRONGPASS);
  });
});

describe('HELLO and RESP3', () => {
  test('HELLO 3 replies a map and switches to RESP3; HELLO 2 switches back', async () => {
    const connection = await client();

    const hello3 = await connection.callRaw('HELLO', '3');
    const id = helloId(hello3);

    expect(hello3.toString('latin1')).toBe(helloMap(id, 3));
    expect(await raw(connection, 'GET', 'no-such-key')).toBe('_\r\n');
    expect(await raw(connection, 'HELLO')).toBe(helloMap(id, 3));
    expect(await raw(connection, 'HELLO', '2')).toBe(helloMap(id, 2));
    expect(await raw(connection, 'GET', 'no-such-key')).toBe('$-1\r\n');
  });

  test('HELLO errors', async () => {
    const connection = await client();
    expect(await raw(connection, 'HELLO', '4')).toBe('-NOPROTO unsupported protocol version\r\n');
    expect(await raw(connection, 'HELLO', 'x')).toBe('-ERR Protocol version is not an integer or out of range\r\n');
    expect(await raw(connection, 'HELLO', '3', 'FOO')).toBe("-ERR Syntax error in HELLO option 'FOO'\r\n");
  });
});

describe('SELECT', () => {
  test('databases are isolated', async () => {
    const connection = await client();
    expect(await raw(connection, 'SELECT', '1')).toBe(OK);
    expect(await raw(connection, 'SET', 'isolated', 'one')).toBe(OK);
    expect(await raw(connection, 'SELECT', '0')).toBe(OK);
    expect(await raw(connection, 'GET', 'isolated')).toBe('$-1\r\n');
    expect(await raw(connection, 'SELECT', '1')).toBe(OK);
    expect(await raw(connection, 'GET', 'isolated')).toBe(bulk('one'));
  });

  test('out of range and not an integer', async () => {
    const connection = await client();
    expect(await raw(connection, 'SELECT', '16')).toBe('-ERR DB index is out of range\r\n');
    expect(await raw(connection, 'SELECT', '-1')).toBe('-ERR DB index is out of range\r\n');
    expect(await raw(connection, 'SELECT', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
    // A C int, as getIntFromObjectOrReply parses it (found by the differential test).
    expect(await raw(connection, 'SELECT', '17179869184')).toBe(
      '-ERR value is out of range, value must between -2147483648 and 2147483647\r\n',
    );
    expect(await raw(connection, 'SELECT', '9223372036854775808')).toBe('-ERR value is not an integer or out of range\r\n');
  });

  test('each connection has its own database', async () => {
    const first = await client();
    const second = await client();
    expect(await raw(first, 'SELECT', '2')).toBe(OK);
    expect(await raw(first, 'SET', 'mine', '2')).toBe(OK);
    expect(await raw(second, 'GET', 'mine')).toBe('$-1\r\n');
  });
});

describe('QUIT and RESET', () => {
  test('QUIT answers OK and closes; later commands are not run', async () => {
    const connection = await client();
    const answer = await connection.sendRaw('QUIT\r\nPING\r\n', OK.length);
    await connection.closed;
    expect(answer.toString('latin1')).toBe(OK);
    expect((await connection.readFor(20)).length).toBe(0);
  });

  test('RESET: database 0, RESP2, no transaction, no watched keys', async () => {
    const connection = await client();
    await connection.callRaw('SELECT', '3');
    await connection.callRaw('HELLO', '3');
    await connection.callRaw('WATCH', 'reset-watched');
    await connection.callRaw('MULTI');

    expect(await raw(connection, 'RESET')).toBe('+RESET\r\n');
    expect(await raw(connection, 'GET', 'no-such-key')).toBe('$-1\r\n');
    expect(await raw(connection, 'EXEC')).toBe('-ERR EXEC without MULTI\r\n');
    expect(await raw(connection, 'SET', 'in-db-0', 'x')).toBe(OK);
    const other = await client();
    expect(await raw(other, 'GET', 'in-db-0')).toBe(bulk('x'));
  });
});

describe('transactions', () => {
  test('MULTI/EXEC runs the queue, errors at run time stay in the array', async () => {
    const connection = await client();
    const replies = await connection.pipelineRaw([
      ['SET', 'tx-string', 'abc'],
      ['MULTI'],
      ['INCR', 'tx-string'],
      ['ECHO', 'x'],
      ['EXEC'],
    ]);
    expect(replies.map(String)).toEqual([
      OK,
      OK,
      '+QUEUED\r\n',
      '+QUEUED\r\n',
      `*2\r\n-ERR value is not an integer or out of range\r\n${bulk('x')}`,
    ]);
  });

  test('EXECABORT after a queuing error (unknown command, wrong arity)', async () => {
    const connection = await client();
    const replies = await connection.pipelineRaw([['MULTI'], ['FOO'], ['ECHO'], ['PING'], ['EXEC'], ['EXEC']]);
    expect(replies.map(String)).toEqual([
      OK,
      "-ERR unknown command 'FOO', with args beginning with: \r\n",
      "-ERR wrong number of arguments for 'echo' command\r\n",
      '+QUEUED\r\n',
      '-EXECABORT Transaction discarded because of previous errors.\r\n',
      '-ERR EXEC without MULTI\r\n',
    ]);
  });

  test('EXEC with arguments is rejected as execCommandAbort: EXECABORT, the transaction discarded (as redis-server)', async () => {
    const connection = await client();
    const replies = await connection.pipelineRaw([['MULTI'], ['PING'], ['EXEC', 'x'], ['PING'], ['EXEC', 'y']]);
    expect(replies.map(String)).toEqual([
      OK,
      '+QUEUED\r\n',
      "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n",
      '+PONG\r\n',
      "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n",
    ]);
  });

  test('nesting, DISCARD, EXEC and DISCARD without MULTI, WATCH inside MULTI', async () => {
    const connection = await client();
    const replies = await connection.pipelineRaw([
      ['MULTI'],
      ['MULTI'],
      ['WATCH', 'a'],
      ['DISCARD'],
      ['EXEC'],
      ['DISCARD'],
      ['MULTI'],
      ['EXEC'],
    ]);
    expect(replies.map(String)).toEqual([
      OK,
      '-ERR MULTI calls can not be nested\r\n',
      '-ERR WATCH inside MULTI is not allowed\r\n',
      OK,
      '-ERR EXEC without MULTI\r\n',
      '-ERR DISCARD without MULTI\r\n',
      OK,
      '*0\r\n',
    ]);
  });

  test("WATCH: another client's write makes EXEC reply a null array", async () => {
    const watcher = await client();
    const writer = await client();
    expect(await raw(watcher, 'WATCH', 'watched-1')).toBe(OK);
    expect(await raw(writer, 'SET', 'watched-1', 'changed')).toBe(OK);
    const replies = await watcher.pipelineRaw([
      ['MULTI'],
      ['SET', 'watched-1', 'mine'],
      ['EXEC'],
      ['GET', 'watched-1'],
    ]);
    expect(replies.map(String)).toEqual([OK, '+QUEUED\r\n', '*-1\r\n', bulk('changed')]);
  });

  test('WATCH: the null array is _ in RESP3', async () => {
    const watcher = await client();
    const writer = await client();
    await watcher.callRaw('HELLO', '3');
    await watcher.callRaw('WATCH', 'watched-3');
    await writer.callRaw('SET', 'watched-3', 'changed');
    const replies = await watcher.pipelineRaw([['MULTI'], ['EXEC']]);
    expect(replies.map(String)).toEqual([OK, '_\r\n']);
  });

  test('WATCH: an untouched key lets EXEC run; UNWATCH forgets', async () => {
    const watcher = await client();
    const writer = await client();
    await watcher.callRaw('WATCH', 'watched-2');
    await writer.callRaw('SET', 'other-key', 'x');
    expect((await watcher.pipelineRaw([['MULTI'], ['ECHO', 'ran'], ['EXEC']])).map(String)).toEqual([
      OK,
      '+QUEUED\r\n',
      `*1\r\n${bulk('ran')}`,
    ]);
    await watcher.callRaw('WATCH', 'watched-2');
    await watcher.callRaw('UNWATCH');
    await writer.callRaw('SET', 'watched-2', 'x');
    expect((await watcher.pipelineRaw([['MULTI'], ['PING'], ['EXEC']])).map(String)).toEqual([
      OK,
      '+QUEUED\r\n',
      '*1\r\n+PONG\r\n',
    ]);
  });

  test('WATCH: FLUSHDB invalidates a watched key that existed', async () => {
    const watcher = await client();
    const flusher = await client();
    await watcher.callRaw('SELECT', '5');
    await flusher.callRaw('SELECT', '5');
    await watcher.callRaw('SET', 'flushed', 'x');
    await watcher.callRaw('WATCH', 'flushed');
    expect(await raw(flusher, 'FLUSHDB')).toBe(OK);
    const replies = await watcher.pipelineRaw([['MULTI'], ['PING'], ['EXEC']]);
    expect(replies.map(String)).toEqual([OK, '+QUEUED\r\n', '*-1\r\n']);
  });

  test('WATCH: FLUSHDB and SWAPDB leave a watched key that exists nowhere alone, as Redis does', async () => {
    const watcher = await client();
    const other = await client();
    await watcher.callRaw('SELECT', '6');
    await other.callRaw('SELECT', '6');
    await watcher.callRaw('WATCH', 'never');
    expect(await raw(other, 'FLUSHDB')).toBe(OK);
    expect(await raw(other, 'SWAPDB', '6', '7')).toBe(OK);
    const replies = await watcher.pipelineRaw([['MULTI'], ['PING'], ['EXEC']]);
    expect(replies.map(String)).toEqual([OK, '+QUEUED\r\n', '*1\r\n+PONG\r\n']);
    // A key that exists only in the database swapped in counts as modified.
    await other.callRaw('SELECT', '7');
    await other.callRaw('SET', 'arrives', 'x');
    await watcher.callRaw('WATCH', 'arrives');
    expect(await raw(other, 'SWAPDB', '6', '7')).toBe(OK);
    const after = await watcher.pipelineRaw([['MULTI'], ['PING'], ['EXEC']]);
    expect(after.map(String)).toEqual([OK, '+QUEUED\r\n', '*-1\r\n']);
  });

  test('WATCH: a key that expires before EXEC invalidates it (ManualClock)', async () => {
    const watcher = await client();
    await watcher.callRaw('SELECT', '6');
    server.store.db(6).set('expiring', 'x', { expireAt: clock.now() + 1000 });
    await watcher.callRaw('WATCH', 'expiring');

    clock.advance(1500);

    const replies = await watcher.pipelineRaw([['MULTI'], ['PING'], ['EXEC']]);
    expect(replies.map(String)).toEqual([OK, '+QUEUED\r\n', '*-1\r\n']);
  });

  test('WATCH in a transaction-less client, key created by another', async () => {
    const watcher = await client();
    const writer = await client();
    await watcher.callRaw('DEL', 'created-later');
    await watcher.callRaw('WATCH', 'created-later');
    await writer.callRaw('SET', 'created-later', '1');
    expect((await watcher.pipelineRaw([['MULTI'], ['PING'], ['EXEC']])).map(String)).toEqual([
      OK,
      '+QUEUED\r\n',
      '*-1\r\n',
    ]);
  });
});

describe('COMMAND', () => {
  test('COUNT is the number of commands in COMMAND', async () => {
    const connection = await client();
    const count = await raw(connection, 'COMMAND', 'COUNT');
    expect(count).toMatch(/^:\d+\r\n$/);
    const all = await connection.callRaw('COMMAND');
    expect(all.toString('latin1').startsWith(`*${count.slice(1, -2)}\r\n`)).toBe(true);
  });

  test('INFO: ten fields per command, nil for unknown ones', async () => {
    const connection = await client();
    const reply = (await connection.callRaw('COMMAND', 'INFO', 'ping', 'nosuch')).toString('latin1');
    expect(reply.startsWith('*2\r\n*10\r\n$4\r\nping\r\n:-1\r\n*1\r\n+fast\r\n:0\r\n:0\r\n:0\r\n')).toBe(true);
    expect(reply.endsWith('$-1\r\n')).toBe(true);
    const get = (await connection.callRaw('COMMAND', 'INFO', 'GET')).toString('latin1');
    expect(get.startsWith('*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n')).toBe(true);
  });

  test('DOCS: a map per command', async () => {
    const connection = await client();
    const reply = (await connection.callRaw('COMMAND', 'DOCS', 'ping')).toString('latin1');
    expect(reply).toMatch(/^\*2\r\n\$4\r\nping\r\n\*\d+\r\n\$7\r\nsummary\r\n/);
    await connection.callRaw('HELLO', '3');
    const resp3 = (await connection.callRaw('COMMAND', 'DOCS', 'ping')).toString('latin1');
    expect(resp3).toMatch(/^%1\r\n\$4\r\nping\r\n%\d+\r\n\$7\r\nsummary\r\n/);
    // Summary, since, group and complexity as Redis 7.0.15 documents them.
    const get = (await connection.callRaw('COMMAND', 'DOCS', 'get')).toString('latin1');
    expect(get).toContain(
      '$7\r\nsummary\r\n$22\r\nGet the value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n' +
        '$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n',
    );
  });

  test('GETKEYS', async () => {
    const connection = await client();
    expect(await raw(connection, 'COMMAND', 'GETKEYS', 'SET', 'a', 'b')).toBe('*1\r\n$1\r\na\r\n');
    expect(await raw(connection, 'COMMAND', 'GETKEYS', 'MSET', 'a', '1', 'b', '2')).toBe(
      '*2\r\n$1\r\na\r\n$1\r\nb\r\n',
    );
    expect(await raw(connection, 'COMMAND', 'GETKEYS', 'PING', 'x')).toBe('-ERR The command has no key arguments\r\n');
    expect(await raw(connection, 'COMMAND', 'GETKEYS', 'FOO', 'x')).toBe('-ERR Invalid command specified\r\n');
    // SORT (sortGetKeys, as redis-server answers): the key and the last STORE destination; LIMIT/GET/BY skip theirs
    const sortKeys = async (...args: string[]) => raw(connection, 'COMMAND', 'GETKEYS', 'SORT', ...args);
    expect(await sortKeys('abc', 'store', 'invalid', 'store', 'stillbad', 'store', 'def')).toBe('*2\r\n$3\r\nabc\r\n$3\r\ndef\r\n');
    expect(await sortKeys('abc', 'limit', '0', '1', 'store', 'x', 'get', '#', 'by', 'w')).toBe('*2\r\n$3\r\nabc\r\n$1\r\nx\r\n');
    expect(await sortKeys('abc', 'get', 'store', 'by', 'x')).toBe('*1\r\n$3\r\nabc\r\n');
    // Redis 7.0.15's COMMAND GETKEYS has arity -4.
    expect(await raw(connection, 'COMMAND', 'GETKEYS', 'GET')).toBe(
      "-ERR wrong number of arguments for 'command|getkeys' command\r\n",
    );
  });
});

describe('large values and backpressure', () => {
  test('a 10 MB value round-trips', async () => {
    const connection = await client();
    const value = Buffer.alloc(10 * 1024 * 1024);
    for (let index = 0; index < value.length; index++) value[index] = (index * 7) & 0xff;

    expect(await raw(connection, 'SET', 'large', value.toString('latin1'))).toBe(OK);
    const reply = await connection.callRaw('GET', 'large');

    const header = `$${value.length}\r\n`;
    expect(reply.subarray(0, header.length).toString('latin1')).toBe(header);
    expect(reply.subarray(header.length, header.length + value.length).equals(value)).toBe(true);
    expect(reply.length).toBe(header.length + value.length + 2);
  });

  test('a client pipelining 50 MB of replies without reading does not make the server buffer them all', async () => {
    // Arrange: a 1 KB value and 50 000 GETs of it (50 MB of replies), written while we do not read.
    const setup = await client();
    const value = 'v'.repeat(1024);
    expect(await raw(setup, 'SET', 'kilobyte', value)).toBe(OK);
    expect(await raw(setup, 'GET', 'kilobyte')).toBe(bulk(value));
    const socket = connect({ port: server.port, host: '127.0.0.1' });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.pause();
    const count = 50_000;
    const request = Buffer.from(command('GET', 'kilobyte').repeat(count), 'latin1');
    const replyLength = bulk(value).length;

    // Act: write everything, and give the server time to work while nothing is read.
    socket.write(request);
    await sleep(500);
    let buffered = 0;
    for (const connected of server.clients.values())
      buffered = Math.max(buffered, connected.connection?.outputLength ?? 0);
    let received = 0;
    let tail = Buffer.alloc(0);
    let correct = true;
    const done = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        // Check each reply's bytes as they arrive, without keeping 50 MB around.
        const all = Buffer.concat([tail, chunk]);
        const whole = all.length - (all.length % replyLength);
        for (let offset = 0; offset < whole; offset += replyLength) {
          if (all.toString('latin1', offset, offset + replyLength) !== bulk(value)) correct = false;
        }
        tail = all.subarray(whole);
        received += chunk.length;
        if (received >= count * replyLength) resolve();
      });
    });
    socket.resume();
    await done;
    socket.destroy();

    // Assert: the server held a bounded amount (not 50 MB), and every reply arrived intact.
    expect(buffered).toBeLessThan(16 * 1024 * 1024);
    expect(received).toBe(count * replyLength);
    expect(correct).toBe(true);
  }, 60_000);
});

describe('splitReplies helper', () => {
  test('frames nested RESP3 replies', () => {
    const bytes = Buffer.from('%1\r\n$1\r\na\r\n*2\r\n:1\r\n_\r\n+OK\r\n$-1\r\n', 'latin1');
    expect(splitReplies(bytes).map(String)).toEqual(['%1\r\n$1\r\na\r\n*2\r\n:1\r\n_\r\n', '+OK\r\n', '$-1\r\n']);
  });
});
