/**
 * The slow log (Redis's slowlog.c): commands that ran for at least `slowlog-log-slower-than` microseconds, newest
 * first, at most `slowlog-max-len` of them. The server times a command only while the threshold is not negative.
 */
import type { Config } from './config.js';

/** At most this many arguments are kept per entry (SLOWLOG_ENTRY_MAX_ARGC). */
const MAX_ARGS = 32;
/** Longer arguments are cut to this many bytes (SLOWLOG_ENTRY_MAX_STRING). */
const MAX_ARG_BYTES = 128;

/** One logged command. */
export interface SlowLogEntry {
  readonly id: number;
  /** Unix time in seconds when the command ran. */
  readonly time: number;
  /** Execution time in microseconds. */
  readonly duration: number;
  readonly args: readonly string[];
  readonly address: string;
  readonly name: string;
}

/** A server's slow log: its settings (followed from the config) and its entries. */
export class SlowLog {
  /** Microseconds; negative disables logging (and timing). */
  threshold = 10000;
  maxLength = 128;
  /** Newest first. */
  entries: SlowLogEntry[] = [];
  private nextId = 0;
  /** Follows the slowlog parameters of a server's config. */
  constructor(config: Config) {
    config.observe('slowlog-log-slower-than', (value) => {
      this.threshold = Number(value);
    });
    config.observe('slowlog-max-len', (value) => {
      this.maxLength = Number(value);
      this.trim();
    });
  }

  /** Adds an entry (arguments trimmed and secrets redacted as Redis does). `now` in ms. */
  record(args: readonly string[], duration: number, now: number, address: string, name: string): void {
    this.entries.unshift({
      id: this.nextId++,
      time: Math.floor(now / 1000),
      duration,
      args: trimArguments(args),
      address,
      name,
    });
    this.trim();
  }

  /** SLOWLOG RESET: forgets every entry (ids keep counting). */
  reset(): void {
    this.entries = [];
  }

  private trim(): void {
    if (this.entries.length > this.maxLength) this.entries.length = this.maxLength;
  }
}

/** At most 32 arguments, each at most 128 bytes, AUTH passwords redacted. */
function trimArguments(args: readonly string[]): string[] {
  const kept = Math.min(args.length, MAX_ARGS);
  const command = args[0]?.toLowerCase();
  const out: string[] = [];
  for (let i = 0; i < kept; i++) {
    if (i === kept - 1 && kept !== args.length) {
      out.push(`... (${args.length - kept + 1} more arguments)`);
      break;
    }
    const arg = args[i]!;
    if (isSecret(command, args, i)) out.push('(redacted)');
    else if (arg.length > MAX_ARG_BYTES) out.push(`${arg.slice(0, MAX_ARG_BYTES)}... (${arg.length - MAX_ARG_BYTES} more bytes)`);
    else out.push(arg);
  }
  return out;
}

/** AUTH's arguments and HELLO's AUTH username/password never reach the log (Redis redacts them). */
function isSecret(command: string | undefined, args: readonly string[], index: number): boolean {
  if (command === 'auth') return index > 0;
  if (command === 'hello') {
    for (let i = 2; i < index; i++) if (args[i]!.toLowerCase() === 'auth' && index <= i + 2) return true;
  }
  return false;
}
