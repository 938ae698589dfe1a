/**
 * Conformance: streams. A stream stored in the keyspace round-trips with its type, and the stream structure agrees
 * with a trivially correct model (a sorted array of entries) under random appends, deletions, exact and approximate
 * trims and range queries, with node limits small enough that entries span many nodes.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareIds, formatId, IdMap, MAX_ID, MIN_ID, type StreamID } from '../stream-id.js';
import { createStream } from '../stream.js';
import type { StreamEntry } from '../types.js';
import { useHarness, type StoreFactory } from './harness.js';

const id = fc.record({ ms: fc.bigInt({ min: 0n, max: 8n }), seq: fc.bigInt({ min: 0n, max: 3n }) });
const bigId = fc.constantFrom<StreamID>(MIN_ID, MAX_ID, { ms: 2n ** 63n, seq: 1n }, { ms: 2n ** 64n - 2n, seq: 2n ** 64n - 1n });

const operation = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('append' as const), ms: fc.bigInt({ min: 0n, max: 3n }), field: fc.constantFrom('a', 'b', '1') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), id }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('maxlen' as const), maxlen: fc.nat({ max: 12 }), approx: fc.boolean(), limit: fc.constantFrom(0, 2, 5) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('minid' as const), minid: id, approx: fc.boolean(), limit: fc.constantFrom(0, 2, 5) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('range' as const), start: fc.oneof(id, bigId), end: fc.oneof(id, bigId), reverse: fc.boolean(), count: fc.nat({ max: 4 }) }) },
);

function show(entries: StreamEntry[]): string[] {
  return entries.map((entry) => `${formatId(entry.id)}:${entry.fields.join(',')}`);
}

export function describeStreams(factory: StoreFactory): void {
  const harness = useHarness(factory);

  describe('streams', () => {
    test('a stream value round-trips through the keyspace with its type', () => {
      const { store } = harness();
      const db = store.db(0);
      const stream = createStream();
      stream.append({ ms: 1n, seq: 0n }, ['f', 'v'], { maxEntries: 100, maxBytes: 4096 });
      db.set('s', stream);
      expect(db.type('s')).toBe('stream');
      const back = db.getTyped('s', 'stream')!;
      expect(back.length).toBe(1);
      expect(back.range(MIN_ID, MAX_ID)).toEqual([{ id: { ms: 1n, seq: 0n }, fields: ['f', 'v'] }]);
      expect(back.clone().range(MIN_ID, MAX_ID)).toEqual(back.range(MIN_ID, MAX_ID));
    });

    test('IdMap (the PELs) agrees with a sorted model under sets, deletes (with compaction) and range reads', () => {
      const op = fc.record({ kind: fc.constantFrom('set', 'set', 'delete', 'delete', 'from'), ms: fc.integer({ min: 0, max: 80 }) });
      fc.assert(
        fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
          const map = new IdMap<number>();
          const model = new Map<number, number>();
          ops.forEach(({ kind, ms }, step) => {
            const key: StreamID = { ms: BigInt(ms), seq: 0n };
            if (kind === 'set') {
              expect(map.set(key, step)).toBe(!model.has(ms));
              model.set(ms, step);
            } else if (kind === 'delete') expect(map.delete(key)).toBe(model.delete(ms));
            else {
              const expected = [...model].filter(([k]) => k >= ms).sort((a, b) => a[0] - b[0]);
              expect([...map.from(key)].map(([id, v]) => [Number(id.ms), v])).toEqual(expected);
            }
            expect(map.size).toBe(model.size);
            const sorted = [...model.keys()].sort((a, b) => a - b);
            expect(map.first()?.ms).toBe(sorted[0] === undefined ? undefined : BigInt(sorted[0]));
            expect(map.last()?.ms).toBe(sorted.at(-1) === undefined ? undefined : BigInt(sorted.at(-1)!));
          });
        }),
      );
    });

    test('matches a sorted-array model under appends, deletions, trims and ranges', () => {
      fc.assert(
        fc.property(
          fc.array(operation, { maxLength: 60 }),
          fc.constantFrom(1, 2, 3, 100),
          fc.constantFrom(0, 40, 4096),
          (operations, maxEntries, maxBytes) => {
            const stream = createStream();
            let model: StreamEntry[] = [];
            let last: StreamID = MIN_ID;
            let counter = 0;
            for (const step of operations) {
              if (step.op === 'append') {
                const next: StreamID = step.ms > last.ms ? { ms: step.ms, seq: 0n } : { ms: last.ms, seq: last.seq + 1n };
                const fields = [step.field, String(counter++)];
                stream.append(next, fields, { maxEntries, maxBytes });
                model.push({ id: next, fields });
                last = next;
              } else if (step.op === 'delete') {
                const had = model.some((entry) => compareIds(entry.id, step.id) === 0);
                expect(stream.delete(step.id)).toBe(had);
                model = model.filter((entry) => compareIds(entry.id, step.id) !== 0);
              } else if (step.op === 'maxlen' || step.op === 'minid') {
                const before = model.length;
                const removed =
                  step.op === 'maxlen'
                    ? stream.trim({ strategy: 'maxlen', maxlen: step.maxlen, approx: step.approx, limit: step.approx ? step.limit : 0 })
                    : stream.trim({ strategy: 'minid', minid: step.minid, approx: step.approx, limit: step.approx ? step.limit : 0 });
                // Trimming removes a prefix; exact trimming without a limit removes exactly what the model says.
                model = model.slice(removed);
                expect(model.length).toBe(before - removed);
                if (!step.approx) {
                  if (step.op === 'maxlen') expect(model.length).toBe(Math.min(before, step.maxlen));
                  else expect(model.every((entry) => compareIds(entry.id, step.minid) >= 0)).toBe(true);
                } else if (step.op === 'maxlen') {
                  expect(model.length).toBeGreaterThanOrEqual(Math.min(before, step.maxlen));
                }
              } else {
                const inRange = model.filter(
                  (entry) => compareIds(entry.id, step.start) >= 0 && compareIds(entry.id, step.end) <= 0,
                );
                const ordered = step.reverse ? inRange.reverse() : inRange;
                const expected = step.count > 0 ? ordered.slice(0, step.count) : ordered;
                expect(show(stream.range(step.start, step.end, step.reverse, step.count))).toEqual(show(expected));
              }
              expect(stream.length).toBe(model.length);
              expect(stream.edgeId(false)).toEqual(model[0]?.id);
              expect(stream.edgeId(true)).toEqual(model.at(-1)?.id);
              for (const entry of model.slice(0, 3)) expect(stream.get(entry.id)).toEqual(entry.fields);
            }
            expect(show(stream.clone().range(MIN_ID, MAX_ID))).toEqual(show(model));
          },
        ),
      );
    });
  });
}
