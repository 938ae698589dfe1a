// Memory per key of the store: bytes of heap per key for 1M small string keys, after a full GC, against a plain
// Map<string, string> holding the same keys and values (the floor any Map-based backend pays).
import { MapStore } from '@mini-redis/store';

const KEYS = 1_000_000;

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc (pnpm --filter @mini-redis/bench run bench:store)');
  gc();
  gc();
  // Array buffers too: the store's access data is an Int32Array, whose backing store is outside the JS heap.
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Heap bytes per key that `fill` keeps alive (keys and values included), measured around a GC. */
function bytesPerKey(fill: () => unknown): number {
  const before = collect();
  const kept = fill();
  const after = collect();
  if (kept === undefined) throw new Error('unreachable');
  return (after - before) / KEYS;
}

export interface MemoryFigure {
  readonly layout: string;
  readonly 'bytes/key': number;
}

export function measureMemory(): MemoryFigure[] {
  const now = Date.now();
  const figures: [string, () => unknown][] = [
    [
      'Map<string, string> (floor)',
      () => {
        const map = new Map<string, string>();
        for (let index = 0; index < KEYS; index++) map.set(`key:${index}`, `v${index}`);
        return map;
      },
    ],
    [
      'MapStore, no TTL',
      () => {
        const store = new MapStore({ activeExpire: false });
        const db = store.db(0);
        for (let index = 0; index < KEYS; index++) db.set(`key:${index}`, `v${index}`);
        return store;
      },
    ],
    [
      'MapStore, every key with a TTL',
      () => {
        const store = new MapStore({ activeExpire: false });
        const db = store.db(0);
        for (let index = 0; index < KEYS; index++)
          db.set(`key:${index}`, `v${index}`, { expireAt: now + 3_600_000 + index });
        return store;
      },
    ],
  ];
  return figures.map(([layout, fill]) => ({ layout, 'bytes/key': Math.round(bytesPerKey(fill)) }));
}
