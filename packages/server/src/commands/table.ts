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

export class CommandTable implements CommandLookup {
  private readonly byName = new Map<string, CommandSpec>();
  private readonly subByName = new Map<CommandSpec, Map<string, CommandSpec>>();
  private readonly fullNames = new Map<CommandSpec, string>();
  readonly all: readonly CommandSpec[];

  constructor(specs: readonly CommandSpec[]) {
    const commands = specs.map(withStats);
    this.all = commands;
    for (const spec of commands) {
      this.byName.set(spec.name, spec);
      this.byName.set(spec.name.toUpperCase(), spec);
      this.fullNames.set(spec, spec.name);
      if (spec.subcommands) {
        const subs = new Map<string, CommandSpec>();
        for (const sub of spec.subcommands) {
          subs.set(sub.name, sub);
          this.fullNames.set(sub, `${spec.name}|${sub.name}`);
        }
        this.subByName.set(spec, subs);
      }
    }
  }

  /** The previous lookup (a pipeline usually repeats its command; the decoder then passes the same string). */
  private lastName = '';
  private lastSpec: CommandSpec | undefined;

  lookup(name: string): CommandSpec | undefined {
    if (name === this.lastName) return this.lastSpec;
    const spec = this.byName.get(name) ?? this.byName.get(name.toLowerCase());
    if (spec !== undefined) {
      this.lastName = name;
      this.lastSpec = spec;
    }
    return spec;
  }

  /** rename-command: the command answers to `to` only (an empty `to` removes it). */
  rename(from: string, to: string): void {
    const spec = this.lookup(from);
    if (spec === undefined) return;
    this.lastName = '';
    this.lastSpec = undefined;
    for (const [name, entry] of [...this.byName]) if (entry === spec) this.byName.delete(name);
    if (to !== '') {
      this.byName.set(to.toLowerCase(), spec);
      this.byName.set(to.toUpperCase(), spec);
    }
  }

  fullName(spec: CommandSpec): string {
    return this.fullNames.get(spec) ?? spec.name;
  }

  lookupSubcommand(container: CommandSpec, name: string): CommandSpec | undefined {
    return this.subByName.get(container)?.get(name.toLowerCase());
  }
}
