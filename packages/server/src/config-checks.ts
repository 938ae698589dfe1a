// The checks of CONFIG SET values by parameter type (config-table.ts) and for the parameters Redis checks by hand:
// Redis's validation texts and the normalised values CONFIG GET then replies.
import { statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { memtoull, numeric, string2ll, strtod, strtollDecimal, type CheckResult } from './config-numbers.js';
import { INT64_MAX } from './int64.js';

/** Validates and normalises a new value: an error text (without 'ERR') or the value to store. */
export type ConfigCheck = (value: string) => CheckResult;

const yesNo = (value: string) => {
  const lower = value.toLowerCase();
  if (lower !== 'yes' && lower !== 'no') return { error: 'argument must be \'yes\' or \'no\'' };
  return { value: lower };
};

/** An enum: `names` as Redis lists them; `alias=name` entries are accepted and read back as `name`. */
const enumeration = (names: readonly string[]) => {
  const shown = names.map((name) => name.split('=')[0]!);
  const message = 'argument(s) must be one of the following: ' + shown.join(', ');
  return (value: string) => {
    const lower = value.toLowerCase();
    const entry = names.find((name) => name.split('=')[0] === lower);
    if (entry === undefined) return { error: message };
    return { value: entry.split('=')[1] ?? entry };
  };
};

/** A bit-flag enum (shutdown-on-sigint): several names, read back in table order; `default` is no flag. */
const flagEnumeration = (names: readonly string[]) => {
  const message = 'argument(s) must be one of the following: ' + names.join(', ');
  return (value: string) => {
    const words = splitArgs(value).map((word) => word.toLowerCase());
    if (words.length === 0 || words.some((word) => !names.includes(word))) return { error: message };
    const set = names.filter((name, index) => index > 0 && words.includes(name));
    return { value: set.length === 0 ? names[0]! : set.join(' ') };
  };
};

/** hz: an int 0..INT_MAX, clamped to 1..500 as updateHZ does. */
const hz = (value: string) => {
  const result = numeric({ min: 0n, max: 2147483647n, unsigned: false, memory: false, percent: false, octal: false })(value);
  if ('error' in result) return result;
  return { value: String(Math.min(Math.max(Number(result.value), 1), 500)) };
};

/** A multi-argument value split as CONFIG SET does (sdssplitlen at each space: "" is no argument at all). */
function splitArgs(value: string): string[] {
  return value === '' ? [] : value.split(' ');
}

/** repl-backlog-size: a memory value of at least 1, raised to 16 KiB as resizeReplicationBacklog does. */
const replBacklogSize = (value: string) => {
  const result = numeric({ min: 1n, max: INT64_MAX, unsigned: false, memory: true, percent: false, octal: false })(value);
  if ('error' in result) return result;
  return { value: BigInt(result.value) < 16384n ? '16384' : result.value };
};

/** `save`: pairs of seconds (>= 1) and changes (>= 0); a single "" clears them. */
const savePoints = (value: string) => {
  const args = splitArgs(value);
  if (args.length % 2 !== 0) return { error: 'Invalid save parameters' };
  const numbers: number[] = [];
  for (let index = 0; index < args.length; index++) {
    const number = strtollDecimal(args[index]!);
    if (number === undefined || (index % 2 === 0 && number < 1) || (index % 2 === 1 && number < 0)) {
      return { error: 'Invalid save parameters' };
    }
    numbers.push(number);
  }
  return { value: numbers.join(' ') };
};

/** Keyspace event classes, in the order Redis prints them back (notify.c keyspaceEventsFlagsToString). */
const EVENT_CLASSES = 'g$lshzxetd';

/** `notify-keyspace-events`: validated and normalised as Redis does ('KEA' reads back as 'AKE'). */
const keyspaceEvents = (value: string) => {
  const seen = new Set<string>();
  for (const char of value) {
    if (char === 'A') for (const all of EVENT_CLASSES) seen.add(all);
    else if ('g$lshzxeKEtmdn'.includes(char)) seen.add(char);
    else return { error: 'Invalid event class character. Use \'Ag$lshzxeKEtmdn\'.' };
  }
  let normalised = '';
  if ([...EVENT_CLASSES].every((char) => seen.has(char))) normalised = 'A';
  else for (const char of EVENT_CLASSES + 'n') if (seen.has(char)) normalised += char;
  if (normalised === 'A' && seen.has('n')) normalised += 'n';
  for (const char of 'KEm') if (seen.has(char)) normalised += char;
  return { value: normalised };
};

const OUTPUT_CLASSES: Readonly<Record<string, number>> = { normal: 0, slave: 1, replica: 1, pubsub: 2 };

/** `client-output-buffer-limit`: class hard soft seconds, per class given; the classes not given keep their limits. */
const outputBufferLimits = (current: () => string) => (value: string) => {
  const args = splitArgs(value);
  if (args.length % 4 !== 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  const limits = current().split(' ');
  const updates: Array<[number, string[]]> = [];
  for (let index = 0; index < args.length; index += 4) {
    const type = OUTPUT_CLASSES[args[index]!.toLowerCase()];
    if (type === undefined) return { error: 'Invalid client class specified in buffer limit configuration.' };
    const hard = memtoull(args[index + 1]!);
    const soft = memtoull(args[index + 2]!);
    const seconds = strtollDecimal(args[index + 3]!);
    if (hard === undefined || soft === undefined || seconds === undefined || seconds < 0) {
      return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    updates.push([type, [String(hard), String(soft), String(seconds % 2 ** 32 | 0)]]);
  }
  for (const [type, values] of updates) limits.splice(type * 4 + 1, 3, ...values);
  return { value: limits.join(' ') };
};

/** `oom-score-adj-values`: three integers within -2000..2000. */
const oomScoreValues = (value: string) => {
  const args = splitArgs(value);
  if (args.length !== 3) return { error: 'wrong number of arguments' };
  const numbers: number[] = [];
  for (const arg of args) {
    const number = strtollDecimal(arg);
    if (number === undefined || number < -2000 || number > 2000) {
      return { error: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
    }
    numbers.push(number);
  }
  return { value: numbers.join(' ') };
};

/** `latency-tracking-info-percentiles`: numbers within 0..100, printed as %f without trailing zeros. */
const percentiles = (value: string) => {
  const args = splitArgs(value);
  const out: string[] = [];
  for (const arg of args) {
    const number = strtod(arg);
    if (number === undefined) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
    if (number < 0 || number > 100) {
      return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
    }
    // printf %f, then trimDoubleString drops trailing zeros and the point
    const shown = Number.isNaN(number) ? 'nan' : number.toFixed(6).replace(/\.?0+$/, '');
    out.push(Object.is(number, -0) ? '-' + shown : shown);
  }
  return { value: out.join(' ') };
};

/** `bind`: up to 16 addresses (an empty value binds none). */
const bindAddresses = (value: string) => {
  const args = splitArgs(value);
  if (args.length > 16) return { error: 'Too many bind addresses specified.' };
  return { value: args.join(' ') };
};

/** `replicaof`: `no one`, or a host and a port. */
const replicaOf = (value: string) => {
  const args = splitArgs(value);
  if (args.length !== 2) return { error: 'wrong number of arguments' };
  if (args[0]!.toLowerCase() === 'no' && args[1]!.toLowerCase() === 'one') return { value: '' };
  const port = string2ll(args[1]!);
  if (port === undefined || port < 0n || port > 65535n) return { error: 'Invalid master port' };
  return { value: `${args[0]} ${port}` };
};

/** `dir`: an existing directory (Redis chdirs to it; this server only records it). */
const directory = (value: string) => {
  try {
    if (statSync(value).isDirectory()) return { value: resolvePath(value) };
  } catch {
    // reported below
  }
  return { error: 'No such file or directory' };
};

/** A file name, not a path (dbfilename, appendfilename, appenddirname). */
const fileName = (what: string, kind: string) => (value: string) => {
  if (value.includes('/')) return { error: `${what} can't be a path, just a ${kind}` };
  return { value };
};

/** cluster-announce-hostname: isValidAnnouncedHostname. */
const hostname = (value: string) => {
  if (value.length >= 256) return { error: 'Hostnames must be less than 256 characters' };
  if (!/^[A-Za-z0-9.-]*$/.test(value)) return { error: 'Hostnames may only contain alphanumeric characters, hyphens or dots' };
  return { value };
};

const TITLE_VARIABLES = new Set(['title', 'listen-addr', 'server-mode', 'port', 'tls-port', 'unixsocket', 'config-file']);

/** proc-title-template: known `{variables}` only, and not empty once `{title}` is replaced by nothing. */
const procTitleTemplate = (value: string) => {
  const invalid = { error: 'template format is invalid or contains unknown variables' };
  let expanded = '';
  for (let index = 0; index < value.length; index++) {
    const char = value[index]!;
    if (char === '{' && value[index + 1] === '{') {
      expanded += '{';
      index++;
    } else if (char === '}' && value[index + 1] === '}') {
      expanded += '}';
      index++;
    } else if (char === '{') {
      const close = value.indexOf('}', index);
      if (close === -1 || !TITLE_VARIABLES.has(value.slice(index + 1, close))) return invalid;
      if (value.slice(index + 1, close) !== 'title') expanded += 'x';
      index = close;
    } else if (char === '}') {
      return invalid;
    } else {
      expanded += char;
    }
  }
  return expanded === '' ? invalid : { value };
};

/** activedefrag: only `no` (Redis without its own jemalloc refuses `yes` with this text). */
const activeDefrag = (value: string) => {
  const result = yesNo(value);
  if ('error' in result || result.value === 'no') return result;
  return {
    error:
      'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like ' +
      'the one shipped by default with the Redis source distribution',
  };
};

/** The check of a table type (see config-table.ts). */
export function checkOf(name: string, type: string, current: () => string): ConfigCheck | undefined {
  switch (name) {
    case 'hz': return hz;
    case 'repl-backlog-size': return replBacklogSize;
    case 'activedefrag': return activeDefrag;
    case 'dbfilename': return fileName('dbfilename', 'filename');
    case 'appendfilename': return fileName('appendfilename', 'filename');
    case 'appenddirname': return fileName('appenddirname', 'dirname');
    case 'cluster-announce-hostname': return hostname;
    case 'proc-title-template': return procTitleTemplate;
    case 'dir': return directory;
    case 'save': return savePoints;
    case 'client-output-buffer-limit': return outputBufferLimits(current);
    case 'oom-score-adj-values': return oomScoreValues;
    case 'notify-keyspace-events': return keyspaceEvents;
    case 'bind': return bindAddresses;
    case 'replicaof': return replicaOf;
    case 'latency-tracking-info-percentiles': return percentiles;
  }
  if (type === 'bool') return yesNo;
  if (type === 'string') return undefined;
  if (type.startsWith('enum:')) return enumeration(type.slice(5).split(','));
  if (type.startsWith('flags:')) return flagEnumeration(type.slice(6).split(','));
  if (type.startsWith('int:')) {
    const [min, max, ...suffixes] = type.slice(4).split(':');
    return numeric({
      min: BigInt(min!), max: BigInt(max!), unsigned: suffixes.includes('u'), memory: suffixes.includes('m'),
      percent: suffixes.includes('p'), octal: suffixes.includes('o'),
    });
  }
  throw new Error(`config table: no check for ${name} (${type})`);
}
