/**
 * redis-server's configuration loading (server.c main, config.c loadServerConfig / loadServerConfigFromString), with
 * its grammar and its fatal messages: the command line becomes directive lines appended to the config file (and to
 * stdin with `-`), lines are read one by one, and the first bad one stops the start with
 * `*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***`, its line number, the line, and the reason.
 */
import { parseInline } from '@mini-redis/protocol';
import { Config } from './config.js';
import { REDIS_VERSION } from './version.js';

/** The command line split as redis-server splits it. */
export interface ServerArguments {
  readonly configFile?: string;
  /** `-` as the first or last argument: the config is also read from stdin. */
  readonly fromStdin: boolean;
  /** The `--name value` arguments as config lines. */
  readonly options: string;
}

/** sdscatrepr: the text in double quotes, non-printable bytes escaped. */
export function sdsRepr(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char === '\\' || char === '"') out += '\\' + char;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char === '\x07') out += '\\a';
    else if (char === '\b') out += '\\b';
    else if (code < 32 || code === 127) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += char;
  }
  return out + '"';
}

/** redis-server's main(): an optional config file first, then options appended as config lines. */
export function splitArguments(argv: readonly string[]): ServerArguments {
  let index = 0;
  let configFile: string | undefined;
  if (argv.length > 0 && !argv[0]!.startsWith('-')) {
    configFile = argv[0]!;
    index = 1;
  }
  let fromStdin = false;
  let options = '';
  let handledLastArgument = true;
  for (let j = index; j < argv.length; j++) {
    const arg = argv[j]!;
    if (arg === '-' && (j === 0 || j === argv.length - 1)) {
      fromStdin = true;
    } else if (handledLastArgument && arg.startsWith('--')) {
      if (options.length > 0) options += '\n';
      options += arg.slice(2) + ' ';
      let words: string[];
      try {
        words = parseInline(arg);
      } catch {
        words = [arg];
      }
      if (words.length === 1) {
        handledLastArgument = false;
        const isSave = arg.toLowerCase() === '--save';
        if (isSave && j !== argv.length - 1 && argv[j + 1]!.startsWith('--')) {
          options += '""';
          handledLastArgument = true;
        } else if (isSave && j === argv.length - 1) {
          options += '""';
        }
      } else {
        handledLastArgument = true;
      }
    } else {
      options += sdsRepr(arg) + ' ';
      handledLastArgument = true;
    }
  }
  return { ...(configFile !== undefined ? { configFile } : {}), fromStdin, options };
}

/** A fatal configuration error, printed as redis-server prints it. */
export class ConfigFileError extends Error {
  constructor(
    readonly reason: string,
    readonly lineNumber?: number,
    readonly lineText?: string,
    /** Reported as a log line (serverLog) rather than the FATAL CONFIG FILE ERROR block. */
    readonly asLogLine = false,
  ) {
    super(reason);
  }

  /** The text redis-server writes to stderr before exiting with status 1. */
  get report(): string {
    let text = `\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\n`;
    if (this.lineNumber !== undefined) {
      text += `Reading the configuration file, at line ${this.lineNumber}\n>>> '${this.lineText}'\n`;
    }
    return text + `${this.reason}\n`;
  }
}

/** What a configuration sets: parameter values (validated), and renamed commands. */
export interface LoadedConfig {
  readonly values: Map<string, string>;
  readonly renames: Array<[string, string]>;
}

/** Loads config text as loadServerConfigFromString; `include` reads other files through `read`. */
export class ConfigLoader {
  readonly values = new Map<string, string>();
  readonly renames: Array<[string, string]> = [];
  /** Validates each directive as redis-server does (its own config, with every parameter's check). */
  private readonly scratch = new Config();
  private saveLoaded = false;

  constructor(
    private readonly read: (path: string) => string,
    /** Does a command exist (rename-command)? */
    private readonly commandExists: (name: string) => boolean,
  ) {}

  load(text: string): void {
    const lines = text.split('\n');
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      if (line === '' || line.startsWith('#')) continue;
      const fail = (reason: string): never => {
        throw new ConfigFileError(reason, index + 1, line);
      };
      let argv: string[];
      try {
        argv = parseInline(line);
      } catch {
        return fail('Unbalanced quotes in configuration line');
      }
      if (argv.length === 0) continue;
      const name = argv[0]!.toLowerCase();
      const canonical = this.scratch.canonical(name);
      if (canonical !== undefined) {
        const multi = MULTI_ARG.has(canonical);
        if (!multi && argv.length !== 2) fail('wrong number of arguments');
        let value = argv.slice(1).join(' ');
        if (multi && argv.length === 2 && argv[1] !== '') value = argv[1]!.trim().split(/\s+/).join(' ');
        const error = this.scratch.set(canonical, value, true);
        if (typeof error === 'string') fail(error.replace(/^CONFIG SET failed \(possibly related to argument '[^']*'\) - /, ''));
        let stored = this.scratch.get(canonical);
        if (canonical === 'save') {
          // the first save line replaces the default points, later ones add to them
          if (this.saveLoaded && value !== '') stored = [this.values.get('save') ?? '', stored].filter((part) => part !== '').join(' ');
          this.saveLoaded = true;
          this.scratch.set('save', stored, true);
        }
        this.values.set(canonical, stored);
        continue;
      }
      if (DEPRECATED.has(name) && argv.length === 2) continue;
      if (name === 'include' && argv.length === 2) {
        let included: string;
        try {
          included = this.read(argv[1]!);
        } catch (error) {
          throw new ConfigFileError(`Fatal error, can't open config file '${argv[1]}': ${describeFileError(error)}`, undefined, undefined, true);
        }
        this.load(included);
      } else if (name === 'rename-command' && argv.length === 3) {
        if (!this.commandExists(argv[1]!)) fail('No such command in rename-command');
        if (argv[2] !== '' && this.commandExists(argv[2]!)) fail('Target command name already exists');
        this.renames.push([argv[1]!, argv[2]!]);
      } else if (name === 'enable-fault-injection' && argv.length === 2) {
        // this server's own directive (the MINIREDIS fault-injection command for tests)
        const value = argv[1]!.toLowerCase();
        if (value !== 'yes' && value !== 'no') fail("argument must be 'yes' or 'no'");
        this.values.set(name, value);
      } else if (name === 'user' && argv.length >= 2) {
        fail('ACL users are not supported yet: only the default user exists (use requirepass)');
      } else if (name === 'loadmodule' && argv.length >= 2) {
        fail('Modules are not supported');
      } else {
        fail('Bad directive or wrong number of arguments');
      }
    }
  }
}

/** The parameters that take several arguments (MULTI_ARG_CONFIG). */
const MULTI_ARG = new Set([
  'save', 'client-output-buffer-limit', 'oom-score-adj-values', 'bind', 'replicaof', 'latency-tracking-info-percentiles',
  'shutdown-on-sigint', 'shutdown-on-sigterm',
]);

/** Directives Redis 7.0 still accepts and ignores. */
const DEPRECATED = new Set(['list-max-ziplist-entries', 'list-max-ziplist-value', 'lua-replicate-commands']);

/** strerror-like text of a file error. */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  return (error as Error).message;
}
