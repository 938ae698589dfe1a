// Store benchmark: operations per second of MapStore's hot paths (as the server calls them: typed lookup, the value's
// own operation, touch), and heap bytes per key.
// Run: pnpm --filter @mini-redis/bench run bench:store   (node --expose-gc --import tsx src/store.ts)
import { createList, createSortedSet, MapStore, type ScoreBound } from '@mini-redis/store';
import { Bench } from 'tinybench';
import { measureMemory } from './store-memory.js';

const KEY_COUNT = 100_000;
const SORTED_SET_SIZE = 1_000_000;
const keys = Array.from({ length: KEY_COUNT }, (_, index) => `key:${index}`);
const fields = Array.from({ length: 1000 }, (_, index) => `field:${index}`);

const baseline = new Map<string, string>();
for (const key of keys) baseline.set(key, 'value');
const store = new MapStore({ activeExpire: false });
const db = store.db(0);
for (const key of keys) db.set(key, 'value');
db.set('list', createList());
db.set('hash', new Map());
const ranged = createSortedSet();
for (let index = 0; index < SORTED_SET_SIZE; index++) ranged.add(`member:${index}`, Math.random() * SORTED_SET_SIZE);
db.set('zset:1M', ranged);
const growing = createSortedSet();
db.set('zset:add', growing);

/** Reads are stored here so the JIT cannot drop them as dead code. */
let sink: unknown;
let cursor = 0;
const next = () => (cursor = (cursor + 7919) % KEY_COUNT);

const bench = new Bench({ time: 1000 });
bench
  .add('baseline: plain Map.get (100k keys)', () => {
    sink = baseline.get(keys[next()]!);
  })
  .add('string set (SET, 100k keys)', () => {
    db.set(keys[next()]!, 'value');
  })
  .add('string get (GET, 100k keys)', () => {
    sink = db.getTyped(keys[next()]!, 'string');
  })
  .add('list push (RPUSH, list of up to 100k)', () => {
    const list = db.getTyped('list', 'list')!;
    if (list.length >= 100_000) list.trim(0, -1);
    list.pushBack('item');
    db.touch('list', 'rpush');
  })
  .add('list pop (LPOP, refilled at empty)', () => {
    const list = db.getTyped('list', 'list')!;
    if (list.length === 1) for (let index = 0; index < 100_000; index++) list.pushBack('item');
    list.popFront();
    db.touch('list', 'lpop');
  })
  .add('hash set (HSET, 1k fields)', () => {
    db.getTyped('hash', 'hash')!.set(fields[next() % 1000]!, 'value');
    db.touch('hash', 'hset');
  })
  .add('hash get (HGET, 1k fields)', () => {
    sink = db.getTyped('hash', 'hash')!.get(fields[next() % 1000]!);
  })
  .add('zset add (ZADD new member, up to 1M)', () => {
    const set = db.getTyped('zset:add', 'zset')!;
    if (set.size >= SORTED_SET_SIZE) db.set('zset:add', createSortedSet());
    db.getTyped('zset:add', 'zset')!.add(`member:${set.size}`, Math.random() * SORTED_SET_SIZE);
  })
  .add('zset add (ZADD score update, 1M)', () => {
    db.getTyped('zset:1M', 'zset')!.add(`member:${next() * 10}`, Math.random() * SORTED_SET_SIZE);
  })
  .add('zset range by score (1M, LIMIT 0 10)', () => {
    const min: ScoreBound = { value: Math.random() * SORTED_SET_SIZE, exclusive: false };
    const max: ScoreBound = { value: Infinity, exclusive: false };
    sink = db.getTyped('zset:1M', 'zset')!.rangeByScore(min, max, false, 0, 10);
  })
  .add('zset count by score (1M)', () => {
    const low = Math.random() * SORTED_SET_SIZE;
    sink = db
      .getTyped('zset:1M', 'zset')!
      .countByScore({ value: low, exclusive: false }, { value: low + 1000, exclusive: true });
  });

await bench.run();
console.table(
  bench.tasks.map((task) => {
    const result = task.result as { throughput?: { mean: number }; latency?: { mean: number } } | undefined;
    return {
      task: task.name,
      'ops/s': Math.round(result?.throughput?.mean ?? 0),
      'ns/op': Math.round(1e9 / (result?.throughput?.mean ?? Infinity)),
      ...((task.result as { error?: unknown } | undefined)?.error
        ? { error: String((task.result as { error?: unknown }).error) }
        : {}),
    };
  }),
);
if (sink === Symbol.for('never')) console.log(sink);
store.close();
// Drop the benchmark's data before measuring memory.
db.flush();
console.table(measureMemory());
