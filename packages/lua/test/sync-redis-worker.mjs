// Worker side of SyncRedis (sync-redis.ts): owns RESP2 and RESP3 connections to a redis-server and answers each
// request with the raw bytes of one reply, written into the shared buffer.
import { parentPort, workerData } from 'node:worker_threads';
import { connect } from 'node:net';

const { port, shared } = workerData;
const state = new Int32Array(shared, 0, 2); // [flag, length]
const bytes = new Uint8Array(shared, 8);

/** The length of the first complete RESP value in buf from offset, or -1. */
function scan(buf, off) {
  if (off >= buf.length) return -1;
  const eol = buf.indexOf('\r\n', off, 'latin1');
  if (eol < 0) return -1;
  const type = String.fromCharCode(buf[off]);
  const head = buf.toString('latin1', off + 1, eol);
  let end = eol + 2;
  switch (type) {
    case '$': case '=': case '!': {
      const n = Number(head);
      if (n < 0) return end - off;
      end += n + 2;
      return end <= buf.length ? end - off : -1;
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = Number(head);
      if (n < 0) return end - off;
      if (type === '%' || type === '|') n *= 2;
      for (let i = 0; i < n; i++) {
        const l = scan(buf, end);
        if (l < 0) return -1;
        end += l;
      }
      if (type === '|') {
        const l = scan(buf, end);
        if (l < 0) return -1;
        end += l;
      }
      return end - off;
    }
    default:
      return end - off;
  }
}

function open() {
  const socket = connect({ port, host: '127.0.0.1' });
  const conn = { socket, buf: Buffer.alloc(0), waiting: [] };
  socket.on('data', (chunk) => {
    conn.buf = Buffer.concat([conn.buf, chunk]);
    for (;;) {
      const n = scan(conn.buf, 0);
      if (n < 0 || conn.waiting.length === 0) break;
      const reply = conn.buf.subarray(0, n);
      conn.buf = conn.buf.subarray(n);
      conn.waiting.shift()(Buffer.from(reply));
    }
  });
  return conn;
}

function request(conn, payload) {
  return new Promise((resolve) => {
    conn.waiting.push(resolve);
    conn.socket.write(payload);
  });
}

const conns = { 2: open(), 3: open() };
await request(conns[3], Buffer.from('*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n'));

parentPort.on('message', async ({ protocol, payload }) => {
  const reply = await request(conns[protocol], Buffer.from(payload));
  bytes.set(reply.subarray(0, bytes.length));
  Atomics.store(state, 1, reply.length);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
});
parentPort.postMessage('ready');
