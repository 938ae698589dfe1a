/**
 * Server configuration: every Redis 7.0 parameter (config-table.ts) with Redis's types, validation texts and
 * defaults, for CONFIG GET/SET and the CLI. Values are kept as the strings CONFIG GET replies. What each parameter does
 * here (or that it is accepted without effect) is listed in the server README.
 */
import { checkOf, type ConfigCheck } from './config-checks.js';
import { CONFIG_TABLE, type ConfigRow } from './config-table.js';

/** Initial parameters, by redis.conf name. */
export type ConfigInit = Readonly<Record<string, string>>;

/** A parameter's check (config-checks.ts), or none for values taken as they are. */
type Check = ConfigCheck | undefined;

/** Values that differ from Redis's defaults: this server binds loopback only unless told otherwise. */
const OUR_DEFAULTS: Readonly<Record<string, string>> = { bind: '127.0.0.1', 'enable-debug-command': 'local' };

/**
 * Every parameter's table row and default value by name (table order), and the aliases: built once per process, on
 * the first Config, and shared (a Config copies the defaults map only). Building ~200 parameter objects for every
 * Config made each start slower (the CLI makes two), and the allocations often cost a first start a scavenge.
 */
interface Parameters {
  /** The rows (name, alias, flags, type, default) by name: flags I immutable, H hidden, P protected. */
  readonly byName: ReadonlyMap<string, ConfigRow>;
  readonly aliases: ReadonlyMap<string, string>;
  /** Defaults by name (`dir`: the working directory when a Config is made). */
  readonly defaults: ReadonlyMap<string, string>;
}
let shared: Parameters | undefined;

function parameters(): Parameters {
  if (shared !== undefined) return shared;
  const byName = new Map<string, ConfigRow>();
  const aliases = new Map<string, string>();
  const values = new Map<string, string>();
  for (let i = 0; i < CONFIG_TABLE.length; i++) {
    const row = CONFIG_TABLE[i]!;
    const name = row[0];
    byName.set(name, row);
    if (row[1] !== '') aliases.set(row[1], name);
    values.set(name, OUR_DEFAULTS[name] ?? row[4]);
  }
  shared = { byName, aliases, defaults: values };
  return shared;
}

/** The defaults of a new Config. */
function defaults(): Map<string, string> {
  const values = new Map(parameters().defaults);
  if (values.has('dir')) values.set('dir', process.cwd());
  return values;
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
  /** Parameter table rows and aliases (shared by every Config). */
  private readonly parameters: ReadonlyMap<string, ConfigRow>;
  private readonly aliases: ReadonlyMap<string, string>;
  /** The current value of every parameter, by canonical name (table order). */
  private readonly values: Map<string, string>;
  private readonly observers = new Map<string, ConfigObserver[]>();
  private readonly appliers = new Map<string, ConfigApplier>();
  /** Bumped by every change: a connection re-reads the limits it caches when this moved (one compare per read). */
  generation = 0;
  /** The redis.conf the server was started with (CONFIG REWRITE, INFO config_file); undefined when none. */
  configFile: string | undefined;
  /** client-output-buffer-limit's check (it reads the current value: classes not given keep theirs). */
  private outputLimitsCheck: Check;

  constructor(init: ConfigInit = {}) {
    const { byName, aliases } = parameters();
    this.parameters = byName;
    this.aliases = aliases;
    this.values = defaults();
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
      this.outputLimitsCheck ??= checkOf(name, this.parameters.get(name)![3], () => this.values.get(name)!);
      return this.outputLimitsCheck;
    }
    if (!SHARED_CHECKS.has(name)) SHARED_CHECKS.set(name, checkOf(name, this.parameters.get(name)![3], () => ''));
    return SHARED_CHECKS.get(name);
  }

  private resolve(name: string): string | undefined {
    const lower = name.toLowerCase();
    if (this.parameters.has(lower)) return lower;
    return this.aliases.get(lower);
  }

  /** The value of a parameter (canonical name), or '' if unknown. */
  get(name: string): string {
    const key = this.resolve(name);
    return key === undefined ? '' : this.values.get(key)!;
  }

  private numbers = new Map<string, number>();
  private numbersGeneration = -1;

  /**
   * A numeric parameter's value as a number (canonical lowercase name), cached until the configuration next changes:
   * for limits read on every write (listpack sizes), where get() would lower-case, look up and parse each time.
   */
  number(name: string): number {
    if (this.numbersGeneration !== this.generation) {
      this.numbers.clear();
      this.numbersGeneration = this.generation;
    }
    let value = this.numbers.get(name);
    if (value === undefined) {
      value = Number(this.get(name));
      this.numbers.set(name, value);
    }
    return value;
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
      const flags = this.parameters.get(key)![2];
      if (flags.includes('I') && !startup) return failed(name, "can't set immutable config");
      if (flags.includes('P') && !startup) return failed(name, "can't set protected config");
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
    const previous = keys.map((key) => this.values.get(key)!);
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
        const outcome = this.appliers.get(key)!(this.values.get(key)!);
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
      const outcome = this.appliers.get(key)!(this.values.get(key)!);
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
    observer(this.values.get(key)!);
  }

  /** Every canonical name (aliases included when `withAliases`) with its value; hidden ones only when asked. */
  entries(withAliases = true, withHidden = false): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [name, alias, flags] of this.parameters.values()) {
      if (flags.includes('H') && !withHidden) continue;
      const value = this.values.get(name)!;
      out.push([name, value]);
      if (withAliases && alias !== '') out.push([alias, value]);
    }
    return out;
  }

  /** The default value of a parameter (CONFIG REWRITE leaves defaults out). */
  static defaultOf(name: string): string | undefined {
    return name === 'dir' && parameters().defaults.has(name) ? process.cwd() : parameters().defaults.get(name);
  }

  private store(key: string, value: string): void {
    this.values.set(key, value);
    this.generation++;
    for (const observer of this.observers.get(key) ?? []) observer(value);
  }
}

function failed(name: string, reason: string): string {
  return `CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;
}
