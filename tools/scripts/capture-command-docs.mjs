#!/usr/bin/env node
/**
 * Captures COMMAND DOCS from Debian's redis-server (7.0.15) into packages/server/src/commands/server/command-docs.json,
 * the data the server's COMMAND DOCS answers from. Run after `pnpm build` (it uses @mini-redis/protocol's dist):
 *
 *   node tools/scripts/capture-command-docs.mjs [--check]
 *
 * With --check it writes nothing and exits 1 when the committed file differs from what the server gives.
 * JSON shape: { "<command>": <doc> } in Redis's order; a RESP3 map is a JSON object, a set is {"$set": [...]}, a
 * simple string is {"$simple": "..."}, integers are numbers, bulk strings are strings.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Decoder, RespMap, RespSet, SimpleString, encodeCommand } from '../../packages/protocol/dist/index.js';

const target = fileURLToPath(new URL('../../packages/server/src/commands/server/command-docs.json', import.meta.url));

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function toJson(value) {
  if (value instanceof RespMap) {
    const out = {};
    for (let i = 0; i < value.items.length; i += 2) out[String(value.items[i])] = toJson(value.items[i + 1]);
    return out;
  }
  if (value instanceof RespSet) return { $set: value.items.map(toJson) };
  if (value instanceof SimpleString) return { $simple: value.value };
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  throw new Error(`unexpected value in COMMAND DOCS: ${String(value)}`);
}

async function capture() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  try {
    for (let i = 0; ; i++) {
      try {
        return await query(port);
      } catch (error) {
        if (i > 50) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    child.kill();
  }
}

function query(port) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const replies = [];
    const decoder = new Decoder({
      stringEncoding: 'latin1',
      onReply: (value) => {
        replies.push(value);
        if (replies.length === 2) {
          socket.end();
          resolve(replies[1]);
        }
      },
    });
    socket.on('error', reject);
    socket.on('data', (chunk) => decoder.write(chunk));
    socket.write(Buffer.concat([encodeCommand(['HELLO', '3']), encodeCommand(['COMMAND', 'DOCS'])]));
  });
}

const docs = toJson(await capture());
const sorted = Object.fromEntries(Object.keys(docs).sort().map((name) => [name, docs[name]]));
const text = `${JSON.stringify(sorted, null, 1)}\n`;
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    console.error(`${target} differs from redis-server's COMMAND DOCS; run this script without --check`);
    process.exit(1);
  }
  console.log(`${target}: up to date (${Object.keys(sorted).length} commands)`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}: ${Object.keys(sorted).length} commands`);
}
