/**
 * Server configuration: every Redis 7.0 parameter (config-table.ts) with Redis's types, validation texts and
 * defaults, for CONFIG GET/SET and the CLI. Values are kept as the strings CONFIG GET replies. What each parameter does
 * here (or that it is accepted without effect) is listed in the server README.
 */
import { statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { CONFIG_TABLE } from './config-table.js';
import { INT64_MAX, INT64_MIN } from './int64.js';

/** Initial parameters, by redis.conf name. */
export type ConfigInit = Readonly<Record<string, string>>;

/** Validates and normalises a new value; returns an error text (without 'ERR') or the value to store. */
type Check = ((value: string) => { error: string } | { value: string }) | undefined;

interface Parameter {
  value: string;
  /** The table type (config-table.ts); its check is built on the first set (see Config.checkOf). */
  readonly type: string;
  /** Set only at startup (CONFIG SET refuses). */
  readonly immutable?: boolean;
  /** CONFIG GET lists it only when asked by its exact name. */
  readonly hidden?: boolean;
  /** CONFIG SET refuses it (enable-protected-configs is `no`). */
  readonly protected?: boolean;
  /** Other names for the same parameter. */
  readonly aliases?: readonly string[];
}

const LLONG_MIN = INT64_MIN;
const LLONG_MAX = INT64_MAX;
const U64 = 18446744073709551616n;

/** Redis's string2ll: an optional '-', then `0` or digits without a leading zero, within a long long. */
function string2ll(value: string): bigint | undefined {
  if (!/^-?(0|[1-9]\d*)$/.test(value) || value === '-0' || value.length > 20) return undefined;
  const number = BigInt(value);
  return number < LLONG_MIN || number > LLONG_MAX ? undefined : number;
}

/** A 64-bit pattern read as the signed long long C would see. */
const signed64 = (value: bigint): bigint => BigInt.asIntN(64, value);

const MEMORY_UNITS: Readonly<Record<string, bigint>> = {
  '': 1n, b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n,
};

/**
 * Redis's memtoull: digits then an optional unit (b, k, kb, m, mb, g, gb, any case); no sign. As in C, no digits read
 * as 0, an overflowing number saturates (strtoull) and the product wraps modulo 2^64.
 */
function memtoull(value: string): bigint | undefined {
  const match = /^(\d*)(.*)$/s.exec(value)!;
  const unit = MEMORY_UNITS[match[2]!.toLowerCase()];
  if (value.startsWith('-') || unit === undefined || match[1]!.length >= 128) return undefined;
  let number = match[1] === '' ? 0n : BigInt(match[1]!);
  if (number >= U64) number = U64 - 1n;
  return (number * unit) % U64;
}

/** strtoll(value, &end, 8) with `*end == '\0'` and no ERANGE, as Redis reads an octal parameter. */
function strtollOctal(value: string): bigint | undefined {
  const match = /^[\t\n\v\f\r ]*([+-]?)([0-7]*)$/.exec(value);
  if (!match) return undefined;
  if (match[2] === '') return value === '' ? 0n : undefined;
  const number = BigInt('0o' + match[2]) * (match[1] === '-' ? -1n : 1n);
  return number < LLONG_MIN || number > LLONG_MAX ? undefined : number;
}

interface NumericType {
  readonly min: bigint;
  readonly max: bigint;
  readonly unsigned: boolean;
  readonly memory: boolean;
  readonly percent: boolean;
  readonly octal: boolean;
}

/** numericParseString + numericBoundaryCheck + numericConfigGet of config.c: the stored text or Redis's error. */
const numeric = (type: NumericType) => (value: string): { error: string } | { value: string } => {
  let parsed: bigint | undefined;
  if (type.memory) {
    const bytes = memtoull(value);
    if (bytes !== undefined) parsed = signed64(bytes);
  }
  if (parsed === undefined && type.percent && value.length > 1 && value.endsWith('%')) {
    const percent = string2ll(value.slice(0, -1));
    if (percent !== undefined && percent >= 0n) parsed = -percent;
  }
  if (parsed === undefined && type.octal) parsed = strtollOctal(value);
  if (parsed === undefined && !type.memory && !type.percent && !type.octal) parsed = string2ll(value);
  if (parsed === undefined) {
    if (type.memory && type.percent) return { error: 'argument must be a memory or percent value' };
    if (type.memory) return { error: 'argument must be a memory value' };
    if (type.octal) return { error: "argument couldn't be parsed as an octal number" };
    return { error: "argument couldn't be parsed into an integer" };
  }
  if (type.unsigned) {
    const unsigned = BigInt.asUintN(64, parsed);
    if (unsigned > type.max || unsigned < type.min) {
      const show = (bound: bigint) => bound.toString(type.octal ? 8 : 10);
      return { error: `argument must be between ${show(type.min)} and ${show(type.max)} inclusive` };
    }
  } else if (type.percent && parsed < 0n) {
    if (parsed < type.min) return { error: `percentage argument must be less or equal to ${-type.min}` };
  } else if (parsed > type.max || parsed < type.min) {
    return { error: `argument must be between ${type.min} and ${type.max} inclusive` };
  }
  if (type.percent && parsed < 0n) return { value: `${-parsed}%` };
  if (type.memory) return { value: String(BigInt.asUintN(64, parsed)) };
  if (type.octal) return { value: parsed.toString(8) };
  return { value: String(parsed) };
};

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

/** strtoll(text, &end, 10) with `*end == '\0'` (no range check): the number, or undefined. */
function strtollDecimal(text: string): number | undefined {
  const match = /^[\t\n\v\f\r ]*([+-]?\d*)$/.exec(text);
  if (!match) return undefined;
  const digits = match[1]!.replace(/^[+-]/, '');
  if (digits === '') return text === '' ? 0 : undefined;
  return Number(match[1]!);
}

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

/** strtod with the whole text consumed: decimal or hex floats, inf, nan (leading spaces allowed). */
function strtod(text: string): number | undefined {
  const body = text.replace(/^[\t\n\v\f\r ]+/, '');
  if (/^[+-]?(inf|infinity)$/i.test(body)) return body.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(body)) return NaN;
  if (/^[+-]?0x[0-9a-f]+$/i.test(body)) return (body.startsWith('-') ? -1 : 1) * parseInt(body.replace(/^[+-]/, ''), 16);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(body)) return undefined;
  return Number(body);
}

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
function checkOf(name: string, type: string, current: () => string): Check {
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

/** Values that differ from Redis's defaults: this server binds loopback only unless told otherwise. */
const OUR_DEFAULTS: Readonly<Record<string, string>> = { bind: '127.0.0.1', 'enable-debug-command': 'local' };

function defaults(): Record<string, Parameter> {
  const parameters: Record<string, Parameter> = {};
  for (const [name, alias, flags, type, value] of CONFIG_TABLE) {
    const parameter: Parameter = {
      value: name === 'dir' ? process.cwd() : (OUR_DEFAULTS[name] ?? value),
      type,
      ...(flags.includes('I') ? { immutable: true } : {}),
      ...(flags.includes('H') ? { hidden: true } : {}),
      ...(flags.includes('P') ? { protected: true } : {}),
      ...(alias !== '' ? { aliases: [alias] } : {}),
    };
    parameters[name] = parameter;
  }
  return parameters;
}

/** The TLS parameters whose change Redis applies by reconfiguring TLS (applyTlsCfg, applyTLSPort). */
const TLS_APPLIED = [
  'tls-port', 'tls-session-cache-size', 'tls-session-cache-timeout', 'tls-cluster', 'tls-replication',
  'tls-prefer-server-ciphers', 'tls-session-caching', 'tls-cert-file', 'tls-key-file', 'tls-key-file-pass',
  'tls-client-cert-file', 'tls-client-key-file', 'tls-client-key-file-pass', 'tls-dh-params-file', 'tls-ca-cert-file',
  'tls-ca-cert-dir', 'tls-protocols', 'tls-ciphers', 'tls-ciphersuites',
];

/** Called with a parameter's new value after it changed (see `Config.observe`). */
export type ConfigObserver = (value: string) => void;

/** Makes a CONFIG SET change take effect; returns an error text when it cannot. */
export type ConfigApplier = (value: string) => string | undefined | Promise<string | undefined>;

/** The checks that do not depend on a Config's values, by parameter, built on first use. */
const SHARED_CHECKS = new Map<string, Check>();

export class Config {
  private readonly parameters: Record<string, Parameter>;
  private readonly aliases = new Map<string, string>();
  private readonly observers = new Map<string, ConfigObserver[]>();
  private readonly appliers = new Map<string, ConfigApplier>();
  /** Bumped by every change: a connection re-reads the limits it caches when this moved (one compare per read). */
  generation = 0;
  /** The redis.conf the server was started with (CONFIG REWRITE, INFO config_file); undefined when none. */
  configFile: string | undefined;
  /** client-output-buffer-limit's check (it reads the current value: classes not given keep theirs). */
  private outputLimitsCheck: Check;

  constructor(init: ConfigInit = {}) {
    this.parameters = defaults();
    for (const [name, parameter] of Object.entries(this.parameters)) {
      for (const alias of parameter.aliases ?? []) this.aliases.set(alias, name);
    }
    // TLS is not served: like redis-server without certificates, a change that would turn it on fails.
    const tls = () =>
      this.get('tls-port') !== '0' || this.get('tls-replication') === 'yes' || this.get('tls-cluster') === 'yes'
        ? 'Unable to update TLS configuration. Check server logs.'
        : undefined;
    for (const name of TLS_APPLIED) this.appliers.set(name, tls);
    for (const [name, value] of Object.entries(init)) {
      const error = this.set(name, value, true);
      if (typeof error === 'string') throw new Error(`Bad directive or wrong number of arguments: ${name} ${value}: ${error}`);
    }
  }

  /**
   * A parameter's check, built on first use: most of the ~200 parameters are never set, and building them all made
   * every server's construction slower. Checks that do not read the current value are shared by every Config.
   */
  private checkOf(name: string): Check {
    if (name === 'client-output-buffer-limit') {
      this.outputLimitsCheck ??= checkOf(name, this.parameters[name]!.type, () => this.parameters[name]!.value);
      return this.outputLimitsCheck;
    }
    if (!SHARED_CHECKS.has(name)) SHARED_CHECKS.set(name, checkOf(name, this.parameters[name]!.type, () => ''));
    return SHARED_CHECKS.get(name);
  }

  private resolve(name: string): string | undefined {
    const lower = name.toLowerCase();
    if (Object.hasOwn(this.parameters, lower)) return lower;
    return this.aliases.get(lower);
  }

  /** The value of a parameter (canonical name), or '' if unknown. */
  get(name: string): string {
    const key = this.resolve(name);
    return key === undefined ? '' : this.parameters[key]!.value;
  }

  /** The canonical name of a parameter or alias (any case), or undefined. */
  canonical(name: string): string | undefined {
    return this.resolve(name);
  }

  /** Whether a name is a known parameter. */
  has(name: string): boolean {
    return this.resolve(name) !== undefined;
  }

  /** Sets a parameter; returns an error text (without 'ERR ') or undefined. `startup` allows immutable ones. */
  set(name: string, value: string, startup = false): string | undefined | Promise<string | undefined> {
    return this.setMany([[name, value]], startup);
  }

  /**
   * Sets several parameters at once, as CONFIG SET does in Redis 7: every name is checked first (unknown, immutable,
   * protected, duplicate), then every value; on any error nothing changes. Then the changes are applied (see
   * `onApply`); when applying one fails, every parameter gets its old value back (and is applied again). Returns an
   * error text (without 'ERR ') or undefined, through a promise when an apply step is asynchronous (rebinding).
   */
  setMany(
    pairs: ReadonlyArray<readonly [string, string]>,
    startup = false,
  ): string | undefined | Promise<string | undefined> {
    const keys: string[] = [];
    const names = new Set<string>();
    for (const [name] of pairs) {
      const key = this.resolve(name);
      if (key === undefined) return `Unknown option or number of arguments for CONFIG SET - '${name}'`;
      const parameter = this.parameters[key]!;
      if (parameter.immutable && !startup) return failed(name, "can't set immutable config");
      if (parameter.protected && !startup) return failed(name, "can't set protected config");
      // As Redis, duplicates are the same name given twice (any case); a name and its alias are not.
      if (names.has(name.toLowerCase())) return failed(name, 'duplicate parameter');
      names.add(name.toLowerCase());
      keys.push(key);
    }
    const values: string[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const [name, value] = pairs[i]!;
      const check = this.checkOf(keys[i]!);
      const result = check ? check(value) : { value };
      // Redis names the parameter as registered (lower case; an alias by the alias).
      if ('error' in result) return failed(name.toLowerCase(), result.error);
      values.push(result.value);
    }
    const previous = keys.map((key) => this.parameters[key]!.value);
    const changed: string[] = [];
    for (let i = 0; i < keys.length; i++) {
      if (previous[i] !== values[i] && !changed.includes(keys[i]!)) changed.push(keys[i]!);
      this.store(keys[i]!, values[i]!);
    }
    if (startup) return undefined;
    const appliers = changed.filter((key) => this.appliers.has(key));
    if (appliers.length === 0) return undefined;
    const restore = () => {
      for (let i = keys.length - 1; i >= 0; i--) this.store(keys[i]!, previous[i]!);
    };
    const run = (index: number): string | undefined | Promise<string | undefined> => {
      for (let i = index; i < appliers.length; i++) {
        const key = appliers[i]!;
        const outcome = this.appliers.get(key)!(this.parameters[key]!.value);
        if (outcome instanceof Promise) {
          return outcome.then(async (error) => {
            if (error === undefined) return run(i + 1);
            restore();
            await this.reapply(appliers.slice(0, i + 1));
            return failed(key, error);
          });
        }
        if (outcome !== undefined) {
          restore();
          const again = this.reapply(appliers.slice(0, i + 1));
          return again instanceof Promise ? again.then(() => failed(key, outcome)) : failed(key, outcome);
        }
      }
      return undefined;
    };
    return run(0);
  }

  /** Applies the (restored) values of `keys` again after a failed CONFIG SET; their errors are ignored. */
  private reapply(keys: readonly string[]): void | Promise<void> {
    let pending: Promise<unknown> | undefined;
    for (const key of keys) {
      const outcome = this.appliers.get(key)!(this.parameters[key]!.value);
      if (outcome instanceof Promise) pending = (pending ?? Promise.resolve()).then(() => outcome);
    }
    return pending?.then(() => undefined);
  }

  /**
   * Registers what makes a change of `name` take effect at run time (CONFIG SET): returns an error text (the change
   * is then undone) or undefined, possibly through a promise.
   */
  onApply(name: string, apply: ConfigApplier): void {
    const key = this.resolve(name);
    if (key === undefined) throw new Error(`unknown config parameter '${name}'`);
    this.appliers.set(key, apply);
  }

  /** Sets a value without checks (the bound port after listen). */
  setInternal(name: string, value: string): void {
    const key = this.resolve(name);
    if (key !== undefined) this.store(key, value);
  }

  /** Calls `observer` with the parameter's current value now and with every new value it is set to. */
  observe(name: string, observer: ConfigObserver): void {
    const key = this.resolve(name);
    if (key === undefined) throw new Error(`unknown config parameter '${name}'`);
    const list = this.observers.get(key) ?? [];
    list.push(observer);
    this.observers.set(key, list);
    observer(this.parameters[key]!.value);
  }

  /** Every canonical name (aliases included when `withAliases`) with its value; hidden ones only when asked. */
  entries(withAliases = true, withHidden = false): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [name, parameter] of Object.entries(this.parameters)) {
      if (parameter.hidden && !withHidden) continue;
      out.push([name, parameter.value]);
      if (withAliases) for (const alias of parameter.aliases ?? []) out.push([alias, parameter.value]);
    }
    return out;
  }

  /** The default value of a parameter (CONFIG REWRITE leaves defaults out). */
  static defaultOf(name: string): string | undefined {
    const all = defaults();
    return Object.hasOwn(all, name) ? all[name]!.value : undefined;
  }

  private store(key: string, value: string): void {
    this.parameters[key]!.value = value;
    this.generation++;
    for (const observer of this.observers.get(key) ?? []) observer(value);
  }
}

function failed(name: string, reason: string): string {
  return `CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;
}
