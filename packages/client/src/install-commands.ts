/**
 * Installs the command table's typed methods on a prototype (the client, its batches, the cluster and its
 * pipelines): one method per row, built by the caller from the row and its reply transform.
 */
import { commandTable, type Arg, type CommandRow } from './command-table.js';
import { transforms, type Transform } from './reply.js';

/** Builds the method of one command-table row. */
export type MethodFactory = (row: CommandRow<unknown[], unknown>, transform: Transform) => (...args: Arg[]) => unknown;

/** Defines one method per command-table row on `prototype`. */
export function installCommands(prototype: object, method: MethodFactory): void {
  for (const [name, row] of Object.entries(commandTable as Record<string, CommandRow<unknown[], unknown>>)) {
    const value = method(row, transforms[row.reply] as Transform);
    Object.defineProperty(prototype, name, { value, writable: true, configurable: true });
  }
}
