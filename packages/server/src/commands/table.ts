/**
 * The command table: every command family's specs by name, looked up case-insensitively in one Map probe for the
 * usual spellings (as sent: 'GET' or 'get').
 */
import type { CommandLookup, CommandSpec, CommandStats, DerivedRules } from '../context.js';
import { dirtyDestOf, dirtyRuleOf } from './dirty.js';
import { readKeysOf } from './keyspace-reads.js';

/**
 * Commands without Redis's `fast` flag whose work is still bounded by their own arguments (each key or field they
 * name costs O(1) here): timed per batch like the fast ones (command-timer.ts).
 */
const BATCH_TIMED = new Set(['set', 'setex', 'psetex', 'mset', 'msetnx', 'mget', 'del', 'unlink']);

/**
 * A command's keyspace-read and server.dirty rules, derived from its spec on its first run and kept on the spec
 * (a server's copy): a start does not derive them for the ~300 commands and subcommands.
 */
export function rulesOf(spec: CommandSpec): DerivedRules {
  let rules = spec.derived;
  if (rules === undefined) {
    rules = { readKeys: readKeysOf(spec), dirty: dirtyRuleOf(spec), dirtyDest: dirtyDestOf(spec) };
    spec.derived = rules;
  }
  return rules;
}

/** A server's own copy of a spec (and of its subcommands), with fresh counters. */
function withStats(spec: CommandSpec): CommandSpec {
  const stats: CommandStats = { calls: 0, usec: 0, rejected: 0, failed: 0, latency: undefined };
  const subcommands = spec.subcommands?.map(withStats);
  const batchTimed = spec.flags.includes('fast') || BATCH_TIMED.has(spec.name);
  // `derived` is on every copy from the start (one shape whether or not the command ran yet).
  return {
    ...spec, ...(subcommands ? { subcommands } : {}), derived: undefined, ...(batchTimed ? { batchTimed } : {}), stats,
  };
}

/**
 * A server's commands. Each server has its own copy of every spec (its INFO commandstats counters, its derived
 * rules), made on the first lookup of that command (or when `all` is read): a start does not copy the ~240 specs and
 * their subcommands (most are never run in a server's life; copying them all was a third of a first start).
 */
export class CommandTable implements CommandLookup {
  /** The server's copies by every name they answer to, as looked up (filled from `names` on first use). */
  private readonly byName = new Map<string, CommandSpec>();
  /** The shared specs by lower case name (rename-command changes these). */
  private readonly names = new Map<string, CommandSpec>();
  /** Shared spec -> this server's copy. */
  private readonly copies = new Map<CommandSpec, CommandSpec>();
  private readonly subByName = new Map<CommandSpec, Map<string, CommandSpec>>();
  private readonly fullNames = new Map<CommandSpec, string>();
  private allCopies: readonly CommandSpec[] | undefined;

  constructor(private readonly specs: readonly CommandSpec[]) {
    for (const spec of specs) this.names.set(spec.name, spec);
  }

  /** Every command (this server's copies), renamed ones included, in the table's order. */
  get all(): readonly CommandSpec[] {
    this.allCopies ??= this.specs.map((spec) => this.copyOf(spec));
    return this.allCopies;
  }

  private copyOf(shared: CommandSpec): CommandSpec {
    let spec = this.copies.get(shared);
    if (spec !== undefined) return spec;
    spec = withStats(shared);
    this.copies.set(shared, spec);
    this.fullNames.set(spec, spec.name);
    if (spec.subcommands) {
      const subs = new Map<string, CommandSpec>();
      for (const sub of spec.subcommands) {
        subs.set(sub.name, sub);
        this.fullNames.set(sub, `${spec.name}|${sub.name}`);
      }
      this.subByName.set(spec, subs);
    }
    return spec;
  }

  /** The previous lookup (a pipeline usually repeats its command; the decoder then passes the same string). */
  private lastName = '';
  private lastSpec: CommandSpec | undefined;

  lookup(name: string): CommandSpec | undefined {
    if (name === this.lastName) return this.lastSpec;
    const spec = this.byName.get(name) ?? this.byName.get(name.toLowerCase()) ?? this.firstLookup(name);
    if (spec !== undefined) {
      this.lastName = name;
      this.lastSpec = spec;
    }
    return spec;
  }

  /** A name not looked up yet: the server's copy is made, and kept under the names it answers to. */
  private firstLookup(name: string): CommandSpec | undefined {
    const lower = name.toLowerCase();
    const shared = this.names.get(lower);
    if (shared === undefined) return undefined;
    const spec = this.copyOf(shared);
    this.byName.set(lower, spec);
    this.byName.set(name.toUpperCase(), spec);
    return spec;
  }

  /** rename-command: the command answers to `to` only (an empty `to` removes it). */
  rename(from: string, to: string): void {
    const spec = this.lookup(from);
    if (spec === undefined) return;
    this.lastName = '';
    this.lastSpec = undefined;
    const shared = [...this.copies].find(([, copy]) => copy === spec)![0];
    for (const [name, entry] of [...this.names]) if (entry === shared) this.names.delete(name);
    for (const [name, entry] of [...this.byName]) if (entry === spec) this.byName.delete(name);
    if (to !== '') this.names.set(to.toLowerCase(), shared);
  }

  fullName(spec: CommandSpec): string {
    return this.fullNames.get(spec) ?? spec.name;
  }

  lookupSubcommand(container: CommandSpec, name: string): CommandSpec | undefined {
    return this.subByName.get(container)?.get(name.toLowerCase());
  }
}
