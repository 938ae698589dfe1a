/**
 * Server configuration: the redis.conf parameters we honour or that clients ask for, with Redis's defaults, for
 * CONFIG GET/SET and the CLI. Values are kept as the strings CONFIG GET replies.
 */

/** Initial parameters, by redis.conf name. */
export type ConfigInit = Readonly<Record<string, string>>;

interface Parameter {
  value: string;
  /** Validates and normalises a new value; returns an error text (without 'ERR') or the value to store. */
  readonly check?: (value: string) => { error: string } | { value: string };
  /** Set only at startup (CONFIG SET refuses). */
  readonly immutable?: boolean;
  /** Other names for the same parameter. */
  readonly aliases?: readonly string[];
}

const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;
const UINT_MAX = 4294967295n;
const LLONG_MAX = 9223372036854775807n;

/** An integer parameter (string2ll rules) within Redis's bounds, with Redis's error texts. */
const integer = (min: bigint, max: bigint) => (value: string) => {
  if (!/^-?(0|[1-9]\d*)$/.test(value) || value === '-0') return { error: 'argument couldn\'t be parsed into an integer' };
  const number = BigInt(value);
  if (number < -LLONG_MAX - 1n || number > LLONG_MAX) return { error: 'argument couldn\'t be parsed into an integer' };
  if (number < min || number > max) return { error: `argument must be between ${min} and ${max} inclusive` };
  return { value: String(number) };
};

const yesNo = (value: string) => {
  const lower = value.toLowerCase();
  if (lower !== 'yes' && lower !== 'no') return { error: 'argument must be \'yes\' or \'no\'' };
  return { value: lower };
};

const oneOf = (...options: string[]) => (value: string) => {
  const lower = value.toLowerCase();
  if (!options.includes(lower)) return { error: 'argument(s) must be one of the following: ' + options.join(', ') };
  return { value: lower };
};

const MEMORY_UNITS: Readonly<Record<string, bigint>> = {
  b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n,
};

/** Memory sizes as Redis's memtoull: 100mb, 1gb, 1k, 0; at least `min` bytes. */
const memory = (min = 0n) => (value: string) => {
  const match = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(value);
  if (!match) return { error: 'argument must be a memory value' };
  const bytes = BigInt(match[1]!) * (MEMORY_UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1n);
  if (bytes > 18446744073709551615n) return { error: 'argument must be a memory value' };
  if (bytes < min || bytes > LLONG_MAX) return { error: `argument must be between ${min} and ${LLONG_MAX} inclusive` };
  return { value: String(bytes) };
};

/** hz: any int is accepted and clamped to 1..500, as Redis does. */
const hz = (value: string) => {
  const result = integer(0n, INT_MAX)(value);
  if ('error' in result) return result;
  const number = Math.min(Math.max(Number(result.value), 1), 500);
  return { value: String(number) };
};

/** `save`: pairs of seconds and changes (or empty), normalised to single spaces. */
const savePoints = (value: string) => {
  const parts = value.split(' ').filter((part) => part !== '');
  if (parts.length % 2 !== 0 || parts.some((part) => !/^\d+$/.test(part))) return { error: 'Invalid save parameters' };
  return { value: parts.map((part) => String(Number(part))).join(' ') };
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

function defaults(): Record<string, Parameter> {
  return {
    bind: { value: '127.0.0.1', immutable: true },
    port: { value: '6379', immutable: true },
    databases: { value: '16', immutable: true, check: integer(1n, INT_MAX) },
    requirepass: { value: '' },
    maxclients: { value: '10000', check: integer(1n, UINT_MAX) },
    timeout: { value: '0', check: integer(0n, INT_MAX) },
    'tcp-keepalive': { value: '300', check: integer(0n, INT_MAX) },
    'tcp-backlog': { value: '511', immutable: true },
    unixsocket: { value: '', immutable: true },
    pidfile: { value: '', immutable: true },
    supervised: { value: 'no', immutable: true },
    maxmemory: { value: '0', check: memory() },
    'maxmemory-policy': {
      value: 'noeviction',
      check: oneOf('volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'),
    },
    'maxmemory-samples': { value: '5', check: integer(1n, INT_MAX) },
    'maxmemory-clients': { value: '0', check: memory() },
    'maxmemory-eviction-tenacity': { value: '10', check: integer(0n, 100n) },
    'lfu-log-factor': { value: '10', check: integer(0n, INT_MAX) },
    'lfu-decay-time': { value: '1', check: integer(0n, INT_MAX) },
    save: { value: '3600 1 300 100 60 10000', check: savePoints },
    'stop-writes-on-bgsave-error': { value: 'yes', check: yesNo },
    rdbcompression: { value: 'yes', check: yesNo },
    rdbchecksum: { value: 'yes', check: yesNo },
    appendonly: { value: 'no', check: yesNo },
    appendfsync: { value: 'everysec', check: oneOf('always', 'everysec', 'no') },
    appendfilename: { value: 'appendonly.aof', immutable: true },
    appenddirname: { value: 'appendonlydir', immutable: true },
    'aof-use-rdb-preamble': { value: 'yes', check: yesNo },
    'no-appendfsync-on-rewrite': { value: 'no', check: yesNo },
    'auto-aof-rewrite-percentage': { value: '100', check: integer(0n, INT_MAX) },
    'auto-aof-rewrite-min-size': { value: '67108864', check: memory() },
    dir: { value: process.cwd() },
    dbfilename: { value: 'dump.rdb' },
    loglevel: { value: 'notice', check: oneOf('debug', 'verbose', 'notice', 'warning') },
    logfile: { value: '', immutable: true },
    daemonize: { value: 'no', immutable: true },
    'notify-keyspace-events': { value: '', check: keyspaceEvents },
    'tracking-table-max-keys': { value: '1000000', check: integer(0n, LLONG_MAX) },
    'slowlog-log-slower-than': { value: '10000', check: integer(-1n, LLONG_MAX) },
    'slowlog-max-len': { value: '128', check: integer(0n, LLONG_MAX) },
    'latency-monitor-threshold': { value: '0', check: integer(0n, LLONG_MAX) },
    'latency-tracking': { value: 'yes', check: yesNo },
    'lua-time-limit': { value: '5000', check: integer(0n, LLONG_MAX), aliases: ['busy-reply-threshold'] },
    'proto-max-bulk-len': { value: '536870912', check: memory(1048576n) },
    'client-query-buffer-limit': { value: '1073741824', check: memory(1048576n) },
    'client-output-buffer-limit': { value: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60' },
    'hash-max-listpack-entries': { value: '512', check: integer(0n, LLONG_MAX), aliases: ['hash-max-ziplist-entries'] },
    'hash-max-listpack-value': { value: '64', check: memory(), aliases: ['hash-max-ziplist-value'] },
    'list-max-listpack-size': { value: '-2', check: integer(INT_MIN, INT_MAX), aliases: ['list-max-ziplist-size'] },
    'list-compress-depth': { value: '0', check: integer(0n, INT_MAX) },
    'set-max-intset-entries': { value: '512', check: integer(0n, LLONG_MAX) },
    'zset-max-listpack-entries': { value: '128', check: integer(0n, LLONG_MAX), aliases: ['zset-max-ziplist-entries'] },
    'zset-max-listpack-value': { value: '64', check: memory(), aliases: ['zset-max-ziplist-value'] },
    'stream-node-max-bytes': { value: '4096', check: memory() },
    'stream-node-max-entries': { value: '100', check: integer(0n, LLONG_MAX) },
    'active-expire-effort': { value: '1', check: integer(1n, 10n) },
    activedefrag: { value: 'no', check: yesNo },
    hz: { value: '10', check: hz },
    'dynamic-hz': { value: 'yes', check: yesNo },
    'lazyfree-lazy-eviction': { value: 'no', check: yesNo },
    'lazyfree-lazy-expire': { value: 'no', check: yesNo },
    'lazyfree-lazy-server-del': { value: 'no', check: yesNo },
    'lazyfree-lazy-user-del': { value: 'no', check: yesNo },
    'lazyfree-lazy-user-flush': { value: 'no', check: yesNo },
    'protected-mode': { value: 'yes', check: yesNo },
    'enable-debug-command': { value: 'local', immutable: true },
    'replica-read-only': { value: 'yes', check: yesNo, aliases: ['slave-read-only'] },
    'replica-serve-stale-data': { value: 'yes', check: yesNo, aliases: ['slave-serve-stale-data'] },
    'repl-backlog-size': { value: '1048576', check: memory(1n) },
    'min-replicas-to-write': { value: '0', check: integer(0n, INT_MAX), aliases: ['min-slaves-to-write'] },
    'min-replicas-max-lag': { value: '10', check: integer(0n, INT_MAX), aliases: ['min-slaves-max-lag'] },
    'cluster-enabled': { value: 'no', immutable: true },
    'io-threads': { value: '1', immutable: true },
  };
}

/** Called with a parameter's new value after it changed (see `Config.observe`). */
export type ConfigObserver = (value: string) => void;

export class Config {
  private readonly parameters: Record<string, Parameter>;
  private readonly aliases = new Map<string, string>();
  private readonly observers = new Map<string, ConfigObserver[]>();
  /** The redis.conf the server was started with (CONFIG REWRITE, INFO config_file); undefined when none. */
  configFile: string | undefined;

  constructor(init: ConfigInit = {}) {
    this.parameters = defaults();
    for (const [name, parameter] of Object.entries(this.parameters)) {
      for (const alias of parameter.aliases ?? []) this.aliases.set(alias, name);
    }
    for (const [name, value] of Object.entries(init)) {
      const error = this.set(name, value, true);
      if (error !== undefined) throw new Error(`Bad directive or wrong number of arguments: ${name} ${value}: ${error}`);
    }
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
  set(name: string, value: string, startup = false): string | undefined {
    return this.setMany([[name, value]], startup);
  }

  /**
   * Sets several parameters at once, as CONFIG SET does in Redis 7: every name is checked first (unknown, immutable,
   * duplicate), then every value; on any error nothing changes. Returns an error text (without 'ERR ') or undefined.
   */
  setMany(pairs: ReadonlyArray<readonly [string, string]>, startup = false): string | undefined {
    const keys: string[] = [];
    const names = new Set<string>();
    for (const [name] of pairs) {
      const key = this.resolve(name);
      if (key === undefined) return `Unknown option or number of arguments for CONFIG SET - '${name}'`;
      if (this.parameters[key]!.immutable && !startup) return failed(name, "can't set immutable config");
      // As Redis, duplicates are the same name given twice (any case); a name and its alias are not.
      if (names.has(name.toLowerCase())) return failed(name, 'duplicate parameter');
      names.add(name.toLowerCase());
      keys.push(key);
    }
    const values: string[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const [name, value] = pairs[i]!;
      const check = this.parameters[keys[i]!]!.check;
      const result = check ? check(value) : { value };
      if ('error' in result) return failed(name, result.error);
      values.push(result.value);
    }
    for (let i = 0; i < keys.length; i++) this.store(keys[i]!, values[i]!);
    return undefined;
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

  /** Every canonical name (aliases included when `withAliases`) with its value. */
  entries(withAliases = true): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [name, parameter] of Object.entries(this.parameters)) {
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
    for (const observer of this.observers.get(key) ?? []) observer(value);
  }
}

function failed(name: string, reason: string): string {
  return `CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;
}
