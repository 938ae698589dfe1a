/** Every command family's table, in one list: the server's command table is built from it. */
import type { CommandSpec } from '../context.js';
import { bitCommands } from './bits/bits.js';
import { connectionCommands } from './connection/connection.js';
import { keyCommands } from './keys/keys.js';
import { commandCommands } from './server/command-info.js';
import { serverCommands } from './server/server-admin.js';
import { stringCommands } from './strings/string.js';
import { streamCommands } from './streams/streams.js';
import { transactionCommands } from './transactions/transactions.js';

export const allCommands: readonly CommandSpec[] = [
  ...connectionCommands,
  ...stringCommands,
  ...bitCommands,
  ...keyCommands,
  ...streamCommands,
  ...transactionCommands,
  ...serverCommands,
  ...commandCommands,
];
