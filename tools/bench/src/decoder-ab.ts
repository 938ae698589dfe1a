// A/B of two builds of the protocol Decoder, alternated in child processes: a loaded machine makes only ratios of runs
// taken side by side meaningful (two builds in one process share the harness's inline caches and skew each other).
// Each child process (plain node, see CHILD) measures one build on one payload.
// Run: tsx src/decoder-ab.ts <old dist/index.js> [new dist/index.js]   (default new: @mini-redis/protocol's)
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A payload as the parent hands it to the children: its bytes, its chunk sizes, how many values it holds. */
interface PayloadFile {
  name: string;
  bytes: string;
  sizes: number[];
  count: number;
}

/** The protocol benchmark's payloads (protocol-payloads.ts), built here and handed to the children in a file. */
async function buildPayloads(): Promise<PayloadFile[]> {
  const {
    integerArray,
    nestedCount,
    nestedResp3,
    setCommands,
    setCommandsCount,
    smallBulks,
    smallBulksCount,
    toSegments,
  } = await import('./protocol-payloads.js');
  const files: PayloadFile[] = [];
  for (const [name, payload, count] of [
    ['10k small bulks', smallBulks, smallBulksCount],
    ['1000 integers', integerArray, 1],
    ['nested RESP3', nestedResp3, nestedCount],
    ['10k SET commands', setCommands, setCommandsCount],
  ] as const) {
    const bytes = payload.toString('base64');
    files.push({ name: `${name} (1 chunk)`, bytes, sizes: [payload.length], count });
    files.push({ name: `${name} (segments)`, bytes, sizes: toSegments(payload).map((chunk) => chunk.length), count });
  }
  return files;
}

/**
 * What a child runs, as plain JavaScript under plain node: run under tsx, the build under test (outside node_modules)
 * would be transformed on load and decode Buffers ten times slower. It measures one build on one payload: a warm-up,
 * then the best of 5 samples of operations per CPU second (user + system of the process: other processes share the
 * cores; AB_CLOCK=wall for wall time).
 */
const CHILD = `
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const { Decoder } = await import(pathToFileURL(process.env.AB_CHILD).href);
const file = JSON.parse(readFileSync(process.env.AB_PAYLOADS, 'utf8'))[Number(process.env.AB_PAYLOAD)];
const payload = Buffer.from(file.bytes, 'base64');
const chunks = [];
for (let offset = 0, index = 0; index < file.sizes.length; offset += file.sizes[index++]) {
  chunks.push(payload.subarray(offset, offset + file.sizes[index]));
}
const run = () => {
  let count = 0;
  const decoder = new Decoder({ onReply: () => count++ });
  for (const chunk of chunks) decoder.write(chunk);
  return count;
};
const clock =
  process.env.AB_CLOCK === 'wall'
    ? () => performance.now()
    : () => {
        const usage = process.cpuUsage();
        return (usage.user + usage.system) / 1000;
      };
const measure = (ms) => {
  const start = clock();
  let operations = 0;
  while (clock() - start < ms) {
    for (let index = 0; index < 10; index++) run();
    operations += 10;
  }
  return operations / ((clock() - start) / 1000);
};
if (run() !== file.count) throw new Error(process.env.AB_CHILD + ' miscounts ' + file.name);
const ms = Number(process.env.AB_MS ?? 200);
measure(3 * ms);
let best = 0;
for (let sample = 0; sample < 5; sample++) best = Math.max(best, measure(ms));
console.log(best);
`;

const oldPath = process.argv[2];
if (oldPath === undefined) throw new Error('usage: decoder-ab.ts <old dist/index.js> [new dist/index.js]');
const newPath = process.argv[3] ?? createRequire(import.meta.url).resolve('@mini-redis/protocol');
const rounds = Number(process.env['AB_ROUNDS'] ?? 4);
const payloads = await buildPayloads();
const payloadFile = join(tmpdir(), `decoder-ab-${process.pid}.json`);
writeFileSync(payloadFile, JSON.stringify(payloads));
const childFile = join(tmpdir(), `decoder-ab-${process.pid}.mjs`);
writeFileSync(childFile, CHILD);
const once = (path: string, payload: number): number =>
  Number(
    execFileSync(process.execPath, [childFile], {
      env: { ...process.env, AB_CHILD: path, AB_PAYLOAD: String(payload), AB_PAYLOADS: payloadFile },
      encoding: 'utf8',
    }),
  );
// AB_ONLY: a regular expression on payload names, to run a subset
const only = new RegExp(process.env['AB_ONLY'] ?? '');
const rows = payloads.map(({ name }) => ({ name, ratios: [] as number[], old: [] as number[], new: [] as number[] }));
for (let round = 0; round < rounds; round++) {
  for (const [payload, row] of rows.entries()) {
    if (!only.test(row.name)) continue;
    // alternate which build goes first
    const first = round % 2 === 0;
    const a = once(first ? oldPath : newPath, payload);
    const b = once(first ? newPath : oldPath, payload);
    const [older, newer] = first ? [a, b] : [b, a];
    row.old.push(older);
    row.new.push(newer);
    row.ratios.push(newer / older);
  }
}
const median = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
console.table(
  rows
    .filter((row) => row.ratios.length > 0)
    .map((row) => ({
      payload: row.name,
      'old ops/s': median(row.old).toFixed(0),
      'new ops/s': median(row.new).toFixed(0),
      'new/old (median)': median(row.ratios).toFixed(3),
      min: Math.min(...row.ratios).toFixed(3),
      max: Math.max(...row.ratios).toFixed(3),
    })),
);
rmSync(payloadFile, { force: true });
rmSync(childFile, { force: true });
