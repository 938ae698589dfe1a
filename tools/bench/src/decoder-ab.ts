// A/B of two builds of the protocol Decoder, alternated in child processes: a loaded machine makes only ratios of runs
// taken side by side meaningful (two builds in one process share the harness's inline caches and skew each other).
// Each child process measures one build on one payload (best of 5 samples of CPU time after a warm-up).
// Run: tsx src/decoder-ab.ts <old dist/index.js> [new dist/index.js]   (default new: @mini-redis/protocol's)
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { integerArray, nestedCount, nestedResp3, setCommands, setCommandsCount, smallBulks, smallBulksCount, toSegments } from './protocol-payloads.js';

interface DecoderModule {
  Decoder: new (options: { onReply: (value: unknown) => void; stringEncoding?: 'buffer' | 'utf8' }) => { write(chunk: Buffer): void };
}
const payloads: [string, Buffer[], number][] = [];
for (const [name, payload, count] of [
  ['10k small bulks', smallBulks, smallBulksCount],
  ['1000 integers', integerArray, 1],
  ['nested RESP3', nestedResp3, nestedCount],
  ['10k SET commands', setCommands, setCommandsCount],
] as const) {
  payloads.push([`${name} (1 chunk)`, [payload], count], [`${name} (segments)`, toSegments(payload), count]);
}

const run = (module: DecoderModule, chunks: Buffer[]): number => {
  let count = 0;
  const decoder = new module.Decoder({ onReply: () => count++ });
  for (const chunk of chunks) decoder.write(chunk);
  return count;
};
/** Operations per CPU second (user + system of this process, not wall time: other processes share the cores). */
const measure = (module: DecoderModule, chunks: Buffer[], ms: number): number => {
  const cpu = (): number => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const start = cpu();
  let operations = 0;
  while (cpu() - start < ms) {
    for (let index = 0; index < 10; index++) run(module, chunks);
    operations += 10;
  }
  return operations / ((cpu() - start) / 1000);
};

const ms = Number(process.env['AB_MS'] ?? 200);
const child = process.env['AB_CHILD'];
if (child !== undefined) {
  // one build, one payload: warm up, then print the best of 5 samples (the least disturbed by other processes)
  const module = (await import(pathToFileURL(child).href)) as DecoderModule;
  const [name, chunks, count] = payloads[Number(process.env['AB_PAYLOAD'])]!;
  if (run(module, chunks) !== count) throw new Error(`${child} miscounts ${name}`);
  measure(module, chunks, 3 * ms);
  let best = 0;
  for (let sample = 0; sample < 5; sample++) best = Math.max(best, measure(module, chunks, ms));
  console.log(best);
} else {
  const oldPath = process.argv[2];
  if (oldPath === undefined) throw new Error('usage: decoder-ab.ts <old dist/index.js> [new dist/index.js]');
  const newPath = process.argv[3] ?? createRequire(import.meta.url).resolve('@mini-redis/protocol');
  const rounds = Number(process.env['AB_ROUNDS'] ?? 4);
  const once = (path: string, payload: number): number =>
    Number(
      execFileSync(process.execPath, [...process.execArgv, process.argv[1]!], {
        env: { ...process.env, AB_CHILD: path, AB_PAYLOAD: String(payload) },
        encoding: 'utf8',
      }),
    );
  // AB_ONLY: a regular expression on payload names, to run a subset
  const only = new RegExp(process.env['AB_ONLY'] ?? '');
  const rows = payloads.map(([name]) => ({ name, ratios: [] as number[], old: [] as number[], new: [] as number[] }));
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
    rows.filter((row) => row.ratios.length > 0).map((row) => ({
      payload: row.name,
      'old ops/s': median(row.old).toFixed(0),
      'new ops/s': median(row.new).toFixed(0),
      'new/old (median)': median(row.ratios).toFixed(3),
      min: Math.min(...row.ratios).toFixed(3),
      max: Math.max(...row.ratios).toFixed(3),
    })),
  );
}
