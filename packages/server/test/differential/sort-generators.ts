/**
 * Random SORT / SORT_RO commands over lists, sets and sorted sets (numbers, words, floats, invalid numbers), with BY
 * (string keys, hash fields, constants), GET (`#`, strings, hash fields, missing), LIMIT, ASC/DESC, ALPHA and STORE,
 * plus the normalisation of the replies whose order Redis leaves open: a set read in its hash-table order (BY a
 * constant, no STORE), and ALPHA with a BY pattern (ties keep the input order), compared as sorted multisets.
 */
import fc from 'fast-check';
import type { GeneratedCommand } from './family-runner.js';
import { sortedArray } from './family-runner.js';

const VALUES = ['1', '2', '10', '-3', '2.5', '1e3', 'abc', 'b', 'A', '', ' 7', '0x10', 'inf', '-inf', 'nan', '3', '007', '\xff', 'héllo'];
const NUMBERS = ['1', '2', '10', '-3', '2.5', '1e3', '3', '007', '0', '-0', '4', '5.5', '100', '-20', '1.5e1'];

const members = (pool: string[]) => fc.uniqueArray(fc.constantFrom(...pool), { minLength: 0, maxLength: 8 });

/** Setup: the data SORT reads (same on both servers, written through commands). */
export const sortSetup: fc.Arbitrary<GeneratedCommand[]> = fc
  .record({
    list: fc.array(fc.constantFrom(...VALUES), { maxLength: 8 }),
    numbers: fc.array(fc.constantFrom(...NUMBERS), { minLength: 1, maxLength: 8 }),
    set: members(VALUES),
    numset: members(NUMBERS),
    zset: fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.constantFrom(...VALUES)), { maxLength: 8 }),
    weights: fc.array(fc.tuple(fc.constantFrom(...VALUES, ...NUMBERS), fc.constantFrom(...VALUES, ...NUMBERS)), { maxLength: 10 }),
    fields: fc.array(fc.tuple(fc.constantFrom(...VALUES, ...NUMBERS), fc.constantFrom(...NUMBERS, 'x')), { maxLength: 10 }),
  })
  .map(({ list, numbers, set, numset, zset, weights, fields }) => {
    const commands: GeneratedCommand[] = [];
    if (list.length > 0) commands.push(['RPUSH', 'L', ...list]);
    commands.push(['RPUSH', 'N', ...numbers]);
    if (set.length > 0) commands.push(['SADD', 'T', ...set]);
    if (numset.length > 0) commands.push(['SADD', 'U', ...numset]);
    if (zset.length > 0) commands.push(['ZADD', 'Z', ...zset.flatMap(([score, member]) => [String(score), member])]);
    for (const [element, weight] of weights) commands.push(['SET', `w_${element}`, weight]);
    for (const [element, weight] of fields) commands.push(['HSET', `o_${element}`, 'f', weight]);
    return commands;
  });

const SOURCES = ['L', 'N', 'T', 'U', 'Z', 'z', 'l', 'S', 's', 'h', 'missing'];
const BY = ['w_*', 'o_*->f', 'nosort', 'w_*->f', 'o_*', 'x', 'o_*->', '*', 'w_*_'];
const GET = ['#', 'w_*', 'o_*->f', 'nokey', 'o_*->g', '*'];

const option = fc.oneof(
  fc.constantFrom(['ASC'], ['DESC'], ['ALPHA'], ['alpha'], ['desc']),
  fc.tuple(fc.constantFrom('-1', '0', '1', '2', '5', '100'), fc.constantFrom('-1', '0', '1', '2', '3', '100')).map(([a, b]) => ['LIMIT', a, b]),
  fc.constantFrom(...BY).map((p) => ['BY', p]),
  fc.constantFrom(...GET).map((p) => ['GET', p]),
  fc.constantFrom('dst', 'L', 's').map((k) => ['STORE', k]),
  fc.constantFrom(['LIMIT', 'x', '1'], ['LIMIT', '1'], ['BY'], ['GET'], ['STORE'], ['bogus']),
);

const sortCommand: fc.Arbitrary<GeneratedCommand> = fc
  .tuple(fc.constantFrom('SORT', 'SORT', 'SORT_RO'), fc.constantFrom(...SOURCES), fc.array(option, { maxLength: 5 }))
  .map(([name, source, options]) => [name, source, ...options.flat()]);

export const sortStepCommand: fc.Arbitrary<GeneratedCommand> = fc.oneof(
  { weight: 8, arbitrary: sortCommand },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(['SORT', 'dst', 'BY', 'nosort'], ['TYPE', 'dst'], ['EXISTS', 'dst'], ['SORT', 'L', 'BY', 'nosort']) },
);

function optionsOf(command: GeneratedCommand): { byPattern: boolean; byConstant: boolean; alpha: boolean; store: boolean; limit: boolean } {
  let byPattern = false;
  let byConstant = false;
  let alpha = false;
  let store = false;
  let limit = false;
  const readonly = command[0]!.toUpperCase() === 'SORT_RO';
  for (let j = 2; j < command.length; j++) {
    const word = command[j]!.toUpperCase();
    if (word === 'ALPHA') alpha = true;
    else if (word === 'LIMIT') { limit = true; j += 2; }
    else if (word === 'BY' && j + 1 < command.length) {
      const pattern = command[++j]!;
      byPattern = pattern.split('\0')[0]!.includes('*');
      if (!byPattern) byConstant = true;
    } else if (word === 'GET') j++;
    else if (word === 'STORE' && !readonly) { store = true; j++; }
  }
  return { byPattern, byConstant, alpha, store, limit };
}

/** Sources whose element order in Redis is its hash table's (sets; sorted sets are read from their dict too). */
const UNORDERED = new Set(['T', 'U', 'S']);

/**
 * The reply as compared: a set read in hash order (BY constant) or ALPHA BY (ties) as a sorted multiset; when such
 * a reply is also cut by LIMIT, only its length.
 */
export function normaliseSort(command: GeneratedCommand, reply: Buffer): string {
  const name = command[0]!.toUpperCase();
  if (name !== 'SORT' && name !== 'SORT_RO') return reply.toString('latin1');
  const { byPattern, byConstant, alpha, store, limit } = optionsOf(command);
  const source = command[1]!;
  const hashOrder = byConstant && !store && UNORDERED.has(source);
  const ties = alpha && byPattern;
  if (!hashOrder && !ties) return reply.toString('latin1');
  const text = reply.toString('latin1');
  if (limit && text.startsWith('*')) return text.slice(0, text.indexOf('\r\n'));
  return sortedArray(reply);
}

/**
 * After a STORE whose order is open (ALPHA with a BY pattern), later commands naming the stored key compare its
 * contents as a multiset; when LIMIT also cut that result (which tied elements made it is open), they are not compared.
 */
export function sortNormaliser(): (command: GeneratedCommand, reply: Buffer) => string {
  const open = new Map<string, 'multiset' | 'ignore'>();
  // Called twice per command (Redis's reply, ours): the state before the command is kept for the second call.
  let current: GeneratedCommand | undefined;
  let before = new Map<string, 'multiset' | 'ignore'>();
  return (command, reply) => {
    if (command !== current) {
      current = command;
      before = new Map(open);
    } else {
      open.clear();
      for (const [key, mode] of before) open.set(key, mode);
    }
    const name = command[0]!.toUpperCase();
    const touched = command.slice(1).find((arg) => open.has(arg));
    if (touched !== undefined && (name === 'SORT' || name === 'SORT_RO') && command[1] === touched) {
      const mode = open.get(touched)!;
      return mode === 'ignore' ? '' : sortedArray(reply);
    }
    if (name === 'SORT' || name === 'SORT_RO') {
      const { byPattern, alpha, store, limit } = optionsOf(command);
      const text = reply.toString('latin1');
      if (store && text.startsWith(':')) {
        const target = storeTarget(command);
        if (alpha && byPattern) open.set(target, limit ? 'ignore' : 'multiset');
        else open.delete(target);
      }
      return normaliseSort(command, reply);
    }
    return reply.toString('latin1');
  };
}

function storeTarget(command: GeneratedCommand): string {
  let target = '';
  for (let j = 2; j < command.length; j++) {
    const word = command[j]!.toUpperCase();
    if (word === 'LIMIT') j += 2;
    else if (word === 'BY' || word === 'GET') j++;
    else if (word === 'STORE') target = command[++j]!;
  }
  return target;
}
