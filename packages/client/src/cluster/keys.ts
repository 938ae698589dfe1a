// Which arguments of a command are keys, for routing: the key specs Redis reports in COMMAND (first, last, step),
// plus the commands whose keys move (numkeys, STREAMS).
import type { Arg } from '../command-table.js';

/** firstKey, lastKey (negative: from the end), step; from COMMAND. */
export type KeySpec = readonly [first: number, last: number, step: number];

/** Commands with `numkeys` at `position`, keys right after it. */
const NUMKEYS: Record<string, number> = {
  EVAL: 2,
  EVALSHA: 2,
  EVAL_RO: 2,
  EVALSHA_RO: 2,
  FCALL: 2,
  FCALL_RO: 2,
  ZUNION: 1,
  ZINTER: 1,
  ZDIFF: 1,
  ZINTERCARD: 1,
  SINTERCARD: 1,
  LMPOP: 1,
  ZMPOP: 1,
  BLMPOP: 2,
  BZMPOP: 2,
};
/** `destination numkeys key...` */
const STORE_NUMKEYS = new Set(['ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE']);

/** The keys of `args`, or an empty list when it has none (then any node can run it). */
export function commandKeys(args: readonly Arg[], specs: ReadonlyMap<string, KeySpec>): Arg[] {
  const name = String(args[0]).toUpperCase();
  const numkeysAt = NUMKEYS[name];
  if (numkeysAt !== undefined) {
    const count = Number(args[numkeysAt]);
    return args.slice(numkeysAt + 1, numkeysAt + 1 + count);
  }
  if (STORE_NUMKEYS.has(name)) return [args[1]!, ...args.slice(3, 3 + Number(args[2]))];
  if (name === 'XREAD' || name === 'XREADGROUP') {
    const streams = args.findIndex((arg, index) => index > 0 && String(arg).toUpperCase() === 'STREAMS');
    if (streams === -1) return [];
    const rest = args.length - streams - 1;
    return args.slice(streams + 1, streams + 1 + Math.floor(rest / 2));
  }
  let spec = specs.get(name);
  if (spec !== undefined && spec[0] === 0 && args.length > 1)
    spec = specs.get(`${name}|${String(args[1]).toUpperCase()}`) ?? spec;
  if (spec === undefined || spec[0] <= 0) return [];
  const [first, last, step] = spec;
  const end = last < 0 ? args.length + last : Math.min(last, args.length - 1);
  const keys: Arg[] = [];
  for (let index = first; index <= end; index += Math.max(step, 1)) keys.push(args[index]!);
  return keys;
}
