/** Every command family's table, in one list: the server's command table is built from it. */
import { bitCommands } from './bits.js';
import { commandCommands } from './command-info.js';
import { connectionCommands } from './connection.js';
import { keyCommands } from './keys.js';
import { serverCommands } from './server-admin.js';
import { stringCommands } from './string.js';
import { transactionCommands } from './transactions.js';
import type { CommandSpec } from './types.js';

export const allCommands: readonly CommandSpec[] = [
  ...connectionCommands,
  ...stringCommands,
  ...bitCommands,
  ...keyCommands,
  ...transactionCommands,
  ...serverCommands,
  ...commandCommands,
];
