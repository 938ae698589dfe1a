// Protocol benchmark: our decoders and encoders against redis-parser 3 and @redis/client 6's internal decoder/encoder.
// Run: pnpm --filter @mini-redis/bench run bench:protocol
import { createRequire } from 'node:module';
import { Decoder, encodeCommand, ReplyWriter, RequestDecoder } from '@mini-redis/protocol';
import { Bench } from 'tinybench';
import {
  integerArray,
  nestedCount,
  nestedResp3,
  setCommands,
  setCommandsCount,
  smallBulks,
  smallBulksCount,
  toSegments,
} from './protocol-payloads.js';

const require = createRequire(import.meta.url);
// redis-parser has no types; @redis/client's decoder and encoder are internal files (no exports map).
const RedisParser = require('redis-parser') as new (options: {
  returnReply: (reply: unknown) => void;
  returnError: (error: unknown) => void;
  returnBuffers?: boolean;
}) => { execute(chunk: Buffer): void };
const redisClientResp = require('@redis/client/dist/lib/RESP/decoder.js') as {
  Decoder: new (config: {
    onReply: (reply: unknown) => void;
    onErrorReply: (error: unknown) => void;
    onPush: (push: unknown) => void;
    getTypeMapping: () => Record<number, unknown>;
  }) => { write(chunk: Buffer): void };
  RESP_TYPES: Record<string, number>;
};
const redisClientEncodeCommand = (require('@redis/client/dist/lib/RESP/encoder.js') as { default: (args: string[]) => unknown[] }).default;

interface Payload {
  name: string;
  chunks: Buffer[];
  count: number;
  resp2: boolean;
}

const payloads: Payload[] = [];
for (const [name, payload, count, resp2] of [
  ['10k small bulks', smallBulks, smallBulksCount, true],
  ['array of 1000 integers', integerArray, 1, true],
  ['nested RESP3 maps', nestedResp3, nestedCount, false],
  ['10k SET commands as arrays', setCommands, setCommandsCount, true],
] as const) {
  payloads.push({ name: `${name} (1 chunk)`, chunks: [payload], count, resp2 });
  payloads.push({ name: `${name} (1..1460 B chunks)`, chunks: toSegments(payload), count, resp2 });
}

type Runner = (chunks: Buffer[]) => number;

// Bulk strings as Buffer slices (our default, redis-parser returnBuffers, @redis/client with a Buffer type mapping), or as
// strings: ours utf8 vs redis-parser's (which decodes utf8 with toString). The tables only compare like with like.
const oursWith =
  (stringEncoding: 'buffer' | 'utf8'): Runner =>
  (chunks) => {
    let count = 0;
    const decoder = new Decoder({ onReply: () => count++, stringEncoding });
    for (const chunk of chunks) decoder.write(chunk);
    return count;
  };

const redisParserWith =
  (returnBuffers: boolean): Runner =>
  (chunks) => {
    let count = 0;
    const parser = new RedisParser({ returnReply: () => count++, returnError: () => count++, returnBuffers });
    for (const chunk of chunks) parser.execute(chunk);
    return count;
  };

const bufferMapping = { [redisClientResp.RESP_TYPES['BLOB_STRING']!]: Buffer };
const redisClient: Runner = (chunks) => {
  let count = 0;
  const decoder = new redisClientResp.Decoder({
    onReply: () => count++,
    onErrorReply: () => count++,
    onPush: () => count++,
    getTypeMapping: () => bufferMapping,
  });
  for (const chunk of chunks) decoder.write(chunk);
  return count;
};

const requestDecoder: Runner = (chunks) => {
  let count = 0;
  const decoder = new RequestDecoder();
  for (const chunk of chunks) {
    decoder.push(chunk);
    while (decoder.next() !== undefined) count++;
  }
  return count;
};

const OURS = '@mini-redis/protocol Decoder (Buffers)';
const OURS_UTF8 = '@mini-redis/protocol Decoder (utf8 strings)';
const REQUESTS = '@mini-redis/protocol RequestDecoder (latin1 strings)';
const PARSER = 'redis-parser (Buffers)';
const PARSER_STRINGS = 'redis-parser (utf8 strings)';
const CLIENT = '@redis/client Decoder (Buffers)';

const time = Number(process.env['BENCH_TIME'] ?? 400);
// BENCH_FILTER: a regular expression on task names (`payload | library`), to run a subset
const filter = new RegExp(process.env['BENCH_FILTER'] ?? '');
const bench = new Bench({ time, warmup: true });
const add = bench.add.bind(bench);
bench.add = (name, fn, options) => (filter.test(name) ? add(name, fn, options) : bench);
const rows: { payload: string; ours: string; theirs: string; task: string }[] = [];

for (const payload of payloads) {
  const candidates: [string, Runner][] = [[OURS, oursWith('buffer')]];
  if (payload.resp2) candidates.push([OURS_UTF8, oursWith('utf8')]);
  if (payload.name.startsWith('10k SET')) candidates.push([REQUESTS, requestDecoder]);
  if (payload.resp2) candidates.push([PARSER, redisParserWith(true)], [PARSER_STRINGS, redisParserWith(false)]);
  candidates.push([CLIENT, redisClient]);
  for (const [library, run] of candidates) {
    const got = run(payload.chunks);
    if (got !== payload.count) throw new Error(`${library} decoded ${got} values of ${payload.name}, expected ${payload.count}`);
    bench.add(`${payload.name} | ${library}`, () => {
      run(payload.chunks);
    });
  }
}

// Encoders: replies into a ReplyWriter, and client commands.
const values = Array.from({ length: 1000 }, (_, index) => `value:${index}`);
bench.add('encode 1000 bulk replies | @mini-redis/protocol ReplyWriter', () => {
  const writer = new ReplyWriter({ stringEncoding: 'latin1' });
  for (const value of values) writer.bulk(value);
  writer.take();
});
const commandArgs = Array.from({ length: 1000 }, (_, index) => ['SET', `key:${index}`, `value:${index}`]);
bench.add('encode 1000 SET commands | @mini-redis/protocol encodeCommand', () => {
  for (const args of commandArgs) encodeCommand(args);
});
bench.add('encode 1000 SET commands | @redis/client encodeCommand (strings, not bytes yet)', () => {
  for (const args of commandArgs) redisClientEncodeCommand(args);
});
// Like for like: @redis/client's socket writes each returned string, which Node encodes to UTF-8 bytes (in C++, via
// writeUtf8String/writev); Buffer.from(string) is that same conversion, so this row compares bytes with bytes.
bench.add('encode 1000 SET commands | @redis/client encodeCommand + bytes', () => {
  for (const args of commandArgs) {
    const parts = redisClientEncodeCommand(args);
    for (const part of parts) if (typeof part === 'string') Buffer.from(part, 'utf8');
  }
});

await bench.run();
console.table(bench.table());

// Ratios: ours / theirs in operations per second, per payload.
const hz = new Map<string, number>();
for (const task of bench.tasks) {
  const result = task.result as { throughput?: { mean: number } } | undefined;
  hz.set(task.name, result?.throughput?.mean ?? 0);
}
const ratio = (payload: string, mine: string, theirs: string): void => {
  const a = hz.get(`${payload} | ${mine}`);
  const b = hz.get(`${payload} | ${theirs}`);
  if (a === undefined || b === undefined || b === 0) return;
  rows.push({ payload, task: `${mine} vs ${theirs}`, ours: a.toFixed(0), theirs: `${b.toFixed(0)} (x${(a / b).toFixed(2)})` });
};
for (const payload of payloads) {
  ratio(payload.name, OURS, PARSER);
  ratio(payload.name, OURS, CLIENT);
  ratio(payload.name, OURS_UTF8, PARSER_STRINGS);
  // the server's view: commands to strings (RequestDecoder) vs redis-parser decoding the same commands to strings
  ratio(payload.name, REQUESTS, PARSER_STRINGS);
}
ratio('encode 1000 SET commands', '@mini-redis/protocol encodeCommand', '@redis/client encodeCommand + bytes');
ratio('encode 1000 SET commands', '@mini-redis/protocol encodeCommand', '@redis/client encodeCommand (strings, not bytes yet)');
console.table(rows.map((row) => ({ payload: row.payload, comparison: row.task, 'ours ops/s': row.ours, 'theirs ops/s (ratio)': row.theirs })));
