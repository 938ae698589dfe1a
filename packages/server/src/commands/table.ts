/**
 * The command table: every command family's specs by name, looked up case-insensitively in one Map probe for the
 * usual spellings (as sent: 'GET' or 'get').
 */
import type { CommandLookup, CommandSpec } from '../context.js';

export class CommandTable implements CommandLookup {
  private readonly byName = new Map<string, CommandSpec>();
  private readonly subByName = new Map<CommandSpec, Map<string, CommandSpec>>();
  private readonly fullNames = new Map<CommandSpec, string>();
  readonly all: readonly CommandSpec[];

  constructor(commands: readonly CommandSpec[]) {
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

  lookup(name: string): CommandSpec | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  fullName(spec: CommandSpec): string {
    return this.fullNames.get(spec) ?? spec.name;
  }

  lookupSubcommand(container: CommandSpec, name: string): CommandSpec | undefined {
    return this.subByName.get(container)?.get(name.toLowerCase());
  }
}
