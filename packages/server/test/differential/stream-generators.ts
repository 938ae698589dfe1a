/**
 * fast-check generators of random stream command sequences for differential-streams.test.ts: a few stream keys
 * (plus a string key for WRONGTYPE), explicit IDs from a small space so that ranges, deletions and trims collide,
 * edge-case IDs, trimming (`=`/`~`, LIMIT) with small node sizes, groups, consumers, reads, pending lists and claims.
 *
 * Time: both servers run on the wall clock. Replies that carry times are compared after normalisation (see
 * normaliseStreamReply): idle times by whole seconds, absolute times hidden. `*` IDs are only generated for key `f`,
 * which every sequence first seeds with an ID far in the future, so `*` takes the deterministic "clock behind the top
 * ID" path (top seq + 1) on both servers; `ms-*` is deterministic anyway. IDLE/TIME values and min-idle thresholds
 * are whole seconds apart from the idle times entries really have (about 0, or >= 5000 after IDLE), so the few ms
 * between the servers never change an outcome.
 */
import fc from 'fast-check';
import type { GeneratedCommand, GeneratedSequence } from './generators.js';

export const STREAM_KEYS = ['s0', 's1', 'f'] as const;
const streamKey = fc.constantFrom('s0', 's0', 's1', 'f', 'str', 'none');
const group = fc.constantFrom('g0', 'g1', 'g0', 'nog');
const consumer = fc.constantFrom('c0', 'c1', 'c2');

const ms = fc.integer({ min: 0, max: 6 }).map(String);
const seq = fc.integer({ min: 0, max: 4 }).map(String);
/** An explicit ID mostly from a small space; sometimes an edge. */
const explicitId = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(ms, seq).map(([m, s]) => `${m}-${s}`) },
  { weight: 3, arbitrary: ms },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '0-0', '0-1', '18446744073709551615-18446744073709551615', '18446744073709551615', '18446744073709551616',
      '-1', '1-', '-', '+', 'abc', '1-2-3', ' 3', '+3', '-0', '3-*', '9223372036854775808-1', '',
    ),
  },
);
const rangeBound = fc.oneof(
  { weight: 4, arbitrary: explicitId },
  { weight: 3, arbitrary: fc.constantFrom('-', '+') },
  { weight: 2, arbitrary: explicitId.map((id) => `(${id}`) },
  { weight: 1, arbitrary: fc.constantFrom('(', '(-', '(+', '(0-0') },
);
const smallCount = fc.oneof(fc.integer({ min: 0, max: 5 }).map(String), fc.constantFrom('-1', 'x', '100'));
const fieldName = fc.constantFrom('a', 'b', 'c', '1', '');
const fieldValue = fc.constantFrom('1', 'x', '', '-5', '300', '12345678901', 'hello world');
const fields = fc
  .array(fc.tuple(fieldName, fieldValue), { minLength: 1, maxLength: 3 })
  .map((pairs) => pairs.flat());

const trimSpec = fc.oneof(
  fc.tuple(fc.constantFrom('MAXLEN', 'maxlen'), fc.constantFrom([], ['='], ['~']), fc.constantFrom('0', '1', '2', '5', '-1', 'x'))
    .map(([word, op, n]) => [word, ...op, n]),
  fc.tuple(fc.constant('MINID'), fc.constantFrom([], ['='], ['~']), explicitId).map(([word, op, id]) => [word, ...op, id]),
);
const limitSpec = fc.oneof(
  { weight: 4, arbitrary: fc.constant<string[]>([]) },
  { weight: 1, arbitrary: fc.constantFrom('0', '1', '3', '-1').map((n) => ['LIMIT', n]) },
);

const xadd = fc
  .tuple(
    streamKey,
    fc.boolean(),
    fc.option(fc.tuple(trimSpec, limitSpec), { nil: undefined }),
    explicitId,
    fields,
  )
  .map(([key, nomk, trim, id, items]) => {
    const command = ['XADD', key];
    if (nomk) command.push('NOMKSTREAM');
    if (trim !== undefined) command.push(...trim[0], ...trim[1]);
    command.push(key === 'f' ? '*' : id, ...items);
    return command;
  });

const commandArbitrary: fc.Arbitrary<GeneratedCommand> = fc.oneof(
  { weight: 10, arbitrary: xadd },
  { weight: 2, arbitrary: fc.tuple(streamKey, fc.tuple(trimSpec, limitSpec)).map(([k, [t, l]]) => ['XTRIM', k, ...t, ...l]) },
  { weight: 2, arbitrary: fc.tuple(streamKey, fc.array(explicitId, { minLength: 1, maxLength: 3 })).map(([k, ids]) => ['XDEL', k, ...ids]) },
  { weight: 1, arbitrary: streamKey.map((k) => ['XLEN', k]) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom('XRANGE', 'XREVRANGE'), streamKey, rangeBound, rangeBound, fc.option(smallCount, { nil: undefined }))
      .map(([name, k, a, b, count]) => [name, k, a, b, ...(count === undefined ? [] : ['COUNT', count])]),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(streamKey, explicitId, fc.option(fc.constantFrom('0', '3', '100', '-1'), { nil: undefined }), fc.option(explicitId, { nil: undefined }))
      .map(([k, id, added, maxDel]) => [
        'XSETID', k, id,
        ...(added === undefined ? [] : ['ENTRIESADDED', added]),
        ...(maxDel === undefined ? [] : ['MAXDELETEDID', maxDel]),
      ]),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.option(smallCount, { nil: undefined }), fc.array(fc.tuple(streamKey, fc.oneof(explicitId, fc.constant('$'))), { minLength: 1, maxLength: 2 }), fc.boolean())
      .map(([count, pairs, block]) => [
        'XREAD',
        ...(count === undefined ? [] : ['COUNT', count]),
        ...(block ? ['BLOCK', '1'] : []),
        'STREAMS', ...pairs.map(([k]) => k), ...pairs.map(([, id]) => id),
      ]),
  },
  {
    weight: 5,
    arbitrary: fc
      .tuple(group, consumer, fc.option(smallCount, { nil: undefined }), fc.boolean(), streamKey, fc.oneof(fc.constant('>'), fc.constant('>'), explicitId, fc.constant('$')), fc.boolean())
      .map(([g, c, count, noack, k, id, block]) => [
        'XREADGROUP', 'GROUP', g, c,
        ...(count === undefined ? [] : ['COUNT', count]),
        ...(noack ? ['NOACK'] : []),
        ...(block ? ['BLOCK', '1'] : []),
        'STREAMS', k, id,
      ]),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(streamKey, group, fc.oneof(explicitId, fc.constant('$')), fc.boolean(), fc.option(fc.constantFrom('0', '2', '-1', '-2', 'x'), { nil: undefined }))
      .map(([k, g, id, mk, read]) => ['XGROUP', 'CREATE', k, g, id, ...(mk ? ['MKSTREAM'] : []), ...(read === undefined ? [] : ['ENTRIESREAD', read])]),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(streamKey, group, fc.oneof(explicitId, fc.constant('$')), fc.option(fc.constantFrom('0', '2', '-1', '-2'), { nil: undefined }))
      .map(([k, g, id, read]) => ['XGROUP', 'SETID', k, g, id, ...(read === undefined ? [] : ['ENTRIESREAD', read])]),
  },
  { weight: 1, arbitrary: fc.tuple(streamKey, group).map(([k, g]) => ['XGROUP', 'DESTROY', k, g]) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('CREATECONSUMER', 'DELCONSUMER'), streamKey, group, consumer).map(([sub, k, g, c]) => ['XGROUP', sub, k, g, c]),
  },
  { weight: 2, arbitrary: fc.tuple(streamKey, group, fc.array(explicitId, { minLength: 1, maxLength: 3 })).map(([k, g, ids]) => ['XACK', k, g, ...ids]) },
  { weight: 2, arbitrary: fc.tuple(streamKey, group).map(([k, g]) => ['XPENDING', k, g]) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(streamKey, group, fc.boolean(), rangeBound, rangeBound, smallCount, fc.option(consumer, { nil: undefined }))
      .map(([k, g, idle, a, b, count, c]) => ['XPENDING', k, g, ...(idle ? ['IDLE', '3000'] : []), a, b, count, ...(c === undefined ? [] : [c])]),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        streamKey, group, consumer, fc.constantFrom('0', '3000', '-5', 'x'),
        fc.array(explicitId, { minLength: 1, maxLength: 3 }),
        fc.subarray([['FORCE'], ['JUSTID'], ['IDLE', '5000'], ['TIME', '1000'], ['RETRYCOUNT', '7'], ['LASTID', '4-0'], ['BOGUS']]),
      )
      .map(([k, g, c, idle, ids, options]) => ['XCLAIM', k, g, c, idle, ...ids, ...options.flat()]),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(streamKey, group, consumer, fc.constantFrom('0', '3000', 'x'), rangeBound, fc.option(fc.constantFrom('1', '2', '0', '-1', 'x'), { nil: undefined }), fc.boolean())
      .map(([k, g, c, idle, start, count, justid]) => [
        'XAUTOCLAIM', k, g, c, idle, start,
        ...(count === undefined ? [] : ['COUNT', count]),
        ...(justid ? ['JUSTID'] : []),
      ]),
  },
  {
    weight: 2,
    arbitrary: fc.oneof(
      streamKey.map((k) => ['XINFO', 'STREAM', k]),
      fc.tuple(streamKey, fc.constantFrom(['FULL'], ['FULL', 'COUNT', '2'], ['FULL', 'COUNT', '0'], ['FULL', 'COUNT', '-1'], ['BAD'])).map(([k, o]) => ['XINFO', 'STREAM', k, ...o]),
      streamKey.map((k) => ['XINFO', 'GROUPS', k]),
      fc.tuple(streamKey, group).map(([k, g]) => ['XINFO', 'CONSUMERS', k, g]),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom<GeneratedCommand>(['TYPE', 's0'], ['DEL', 's0'], ['EXISTS', 's1'], ['COPY', 's0', 's1'], ['RENAME', 's1', 's0'], ['OBJECT', 'ENCODING', 's0'], ['MULTI'], ['EXEC']) },
);

/** A sequence: small node sizes sometimes (so `~` trimming crosses node boundaries), the future-seeded `f`, a string. */
export function streamSequenceArbitrary(maxSteps = 30): fc.Arbitrary<GeneratedSequence> {
  return fc
    .record({
      resp3: fc.boolean(),
      nodeEntries: fc.constantFrom('100', '2', '3', '0'),
      nodeBytes: fc.constantFrom('4096', '60', '0'),
      steps: fc.array(
        fc.oneof(
          { weight: 30, arbitrary: commandArbitrary.map((command) => [command]) },
          // Inside MULTI a blocking read answers at once (null when there is nothing).
          {
            weight: 1,
            arbitrary: streamKey.map((k) => [['MULTI'], ['XREAD', 'BLOCK', '0', 'STREAMS', k, '$'], ['XREADGROUP', 'GROUP', 'g0', 'c0', 'BLOCK', '0', 'STREAMS', k, '>'], ['EXEC']]),
          },
        ),
        { minLength: 1, maxLength: maxSteps },
      ),
    })
    .map(({ resp3, nodeEntries, nodeBytes, steps }) => {
      const commands = steps.flat();
      const setup: GeneratedCommand[] = [
        ['CONFIG', 'SET', 'stream-node-max-entries', nodeEntries],
        ['CONFIG', 'SET', 'stream-node-max-bytes', nodeBytes],
        ['XADD', 'f', '99999999999999-5', 'a', '1'],
        ['SET', 'str', 'x'],
      ];
      // A MULTI left open would queue the rest: close it.
      const tail: GeneratedCommand[] = commands.filter((c) => c[0] === 'MULTI').length > 0 ? [['EXEC']] : [];
      return { resp3, commands: [...setup, ...commands, ...tail] };
    });
}

const TIME_HEADS = new Set(['xpending', 'xinfo', 'xclaim', 'xautoclaim']);

/**
 * Hides what legitimately differs between the two servers' replies: idle times are compared in whole seconds,
 * absolute ms timestamps (seen-time, delivery times in XINFO FULL) hidden.
 */
export function normaliseStreamReply(command: GeneratedCommand, text: string): string {
  const head = command[0]!.toLowerCase();
  let out = text;
  if (!TIME_HEADS.has(head)) return out;
  out = out.replace(/:(\d{12,})\r\n/g, ':<time>\r\n');
  out = out.replace(/(\$4\r\nidle\r\n):(\d+)\r\n/g, (_m, prefix: string, idle: string) => `${prefix}:${Math.floor(Number(idle) / 1000)}s\r\n`);
  if (head === 'xpending' && command.length > 3) {
    out = out.replace(
      /(\*4\r\n\$\d+\r\n[^\r]*\r\n\$\d+\r\n[^\r]*\r\n):(\d+)\r\n/g,
      (_m, prefix: string, idle: string) => `${prefix}:${Number(idle) > 1e9 ? 'old' : Math.floor(Number(idle) / 1000)}s\r\n`,
    );
  }
  return out;
}
