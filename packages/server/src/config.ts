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

const integer = (min: number, max: number) => (value: string) => {
  if (!/^-?\d+$/.test(value)) return { error: 'argument couldn\'t be parsed into an integer' };
  const number = Number(value);
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

/** Memory sizes: 100mb, 1gb, 0. */
const memory = (value: string) => {
  const match = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(value);
  if (!match) return { error: 'argument must be a memory value' };
  const units: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  return { value: String(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1)) };
};

function defaults(): Record<string, Parameter> {
  return {
    bind: { value: '127.0.0.1', immutable: true },
    port: { value: '6379', immutable: true },
    databases: { value: '16', immutable: true, check: integer(1, 2147483647) },
    requirepass: { value: '' },
    maxclients: { value: '10000', check: integer(1, 2147483647) },
    timeout: { value: '0', check: integer(0, 2147483647) },
    'tcp-keepalive': { value: '300', check: integer(0, 2147483647) },
    maxmemory: { value: '0', check: memory },
    'maxmemory-policy': {
      value: 'noeviction',
      check: oneOf('volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'),
    },
    'maxmemory-samples': { value: '5', check: integer(1, 64) },
    save: { value: '3600 1 300 100 60 10000' },
    appendonly: { value: 'no', check: yesNo },
    appendfsync: { value: 'everysec', check: oneOf('always', 'everysec', 'no') },
    appendfilename: { value: 'appendonly.aof', immutable: true },
    dir: { value: process.cwd() },
    dbfilename: { value: 'dump.rdb' },
    loglevel: { value: 'notice', check: oneOf('debug', 'verbose', 'notice', 'warning', 'nothing') },
    logfile: { value: '', immutable: true },
    daemonize: { value: 'no', immutable: true },
    'notify-keyspace-events': { value: '' },
    'slowlog-log-slower-than': { value: '10000', check: integer(-1, Number.MAX_SAFE_INTEGER) },
    'slowlog-max-len': { value: '128', check: integer(0, Number.MAX_SAFE_INTEGER) },
    'latency-monitor-threshold': { value: '0', check: integer(0, Number.MAX_SAFE_INTEGER) },
    'lua-time-limit': { value: '5000', aliases: ['busy-reply-threshold'] },
    'proto-max-bulk-len': { value: '536870912', check: memory },
    'client-query-buffer-limit': { value: '1073741824', check: memory },
    'hash-max-listpack-entries': { value: '128', aliases: ['hash-max-ziplist-entries'] },
    'hash-max-listpack-value': { value: '64', aliases: ['hash-max-ziplist-value'] },
    'list-max-listpack-size': { value: '-2', aliases: ['list-max-ziplist-size'] },
    'list-compress-depth': { value: '0' },
    'set-max-intset-entries': { value: '512' },
    'set-max-listpack-entries': { value: '128' },
    'zset-max-listpack-entries': { value: '128', aliases: ['zset-max-ziplist-entries'] },
    'zset-max-listpack-value': { value: '64', aliases: ['zset-max-ziplist-value'] },
    'stream-node-max-bytes': { value: '4096' },
    'stream-node-max-entries': { value: '100' },
    'active-expire-effort': { value: '1', check: integer(1, 10) },
    hz: { value: '10', check: integer(1, 500) },
    'lazyfree-lazy-user-del': { value: 'no', check: yesNo },
    'lazyfree-lazy-user-flush': { value: 'no', check: yesNo },
    'protected-mode': { value: 'yes', check: yesNo },
    'enable-debug-command': { value: 'local', immutable: true },
    'replica-read-only': { value: 'yes', check: yesNo, aliases: ['slave-read-only'] },
    'cluster-enabled': { value: 'no', immutable: true },
    'io-threads': { value: '1', immutable: true },
  };
}

export class Config {
  private readonly parameters: Record<string, Parameter>;
  private readonly aliases = new Map<string, string>();

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
    if (lower in this.parameters) return lower;
    return this.aliases.get(lower);
  }

  /** The value of a parameter (canonical name), or '' if unknown. */
  get(name: string): string {
    const key = this.resolve(name);
    return key === undefined ? '' : this.parameters[key]!.value;
  }

  /** Whether a name is a known parameter. */
  has(name: string): boolean {
    return this.resolve(name) !== undefined;
  }

  /** Sets a parameter; returns an error text (without 'ERR ') or undefined. `startup` allows immutable ones. */
  set(name: string, value: string, startup = false): string | undefined {
    const key = this.resolve(name);
    if (key === undefined) return `Unknown option or number of arguments for CONFIG SET - '${name}'`;
    const parameter = this.parameters[key]!;
    if (parameter.immutable && !startup) return `CONFIG SET failed (possibly related to argument '${name}') - can't set immutable config`;
    if (parameter.check) {
      const result = parameter.check(value);
      if ('error' in result) return `CONFIG SET failed (possibly related to argument '${name}') - ${result.error}`;
      parameter.value = result.value;
    } else {
      parameter.value = value;
    }
    return undefined;
  }

  /** Sets a value without checks (the bound port after listen). */
  setInternal(name: string, value: string): void {
    const key = this.resolve(name);
    if (key !== undefined) this.parameters[key]!.value = value;
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
}
