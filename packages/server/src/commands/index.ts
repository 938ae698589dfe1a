/** Every command family's table, in one list: the server's command table is built from it. */
import type { CommandSpec } from '../context.js';
import { bitCommands } from './bits/bits.js';
import { blockingCommands } from './blocking/blocking.js';
import { connectionCommands } from './connection/connection.js';
import { hashCommands } from './hashes/hashes.js';
import { geoCommands } from './geo/geo.js';
import { hyperLogLogCommands } from './hyperloglog/hyperloglog.js';
import { keyCommands } from './keys/keys.js';
import { listCommands } from './lists/lists.js';
import { evalCommands } from './scripting/eval.js';
import { functionCommands } from './scripting/functions.js';
import { pubsubCommands } from './pubsub/pubsub.js';
import { commandCommands } from './server/command-info.js';
import { serverCommands } from './server/server-admin.js';
import { sortCommands } from './sort/sort.js';
import { setCommands } from './sets/sets.js';
import { zsetCommands } from './zsets/zsets.js';
import { stringCommands } from './strings/string.js';
import { streamCommands } from './streams/streams.js';
import { transactionCommands } from './transactions/transactions.js';

export const allCommands: readonly CommandSpec[] = [
  ...connectionCommands,
  ...stringCommands,
  ...bitCommands,
  ...keyCommands,
  ...listCommands,
  ...hashCommands,
  ...hyperLogLogCommands,
  ...geoCommands,
  ...sortCommands,
  ...streamCommands,
  ...transactionCommands,
  ...pubsubCommands,
  ...blockingCommands,
  ...serverCommands,
  ...commandCommands,
  ...evalCommands,
  ...functionCommands,
  ...setCommands,
  ...zsetCommands,
];
