// Which raw commands (sendCommand, addCommand) are read-only, so safe to retry after a reconnect.
import type { Arg } from './command-table.js';
import { readOnlyCommands } from './command-table.js';

const EXTRA = ['GET', 'EXISTS', 'SCAN', 'SSCAN', 'HSCAN', 'ZSCAN', 'PING', 'ECHO', 'INFO', 'TIME', 'DBSIZE', 'BITCOUNT', 'BITPOS', 'GETBIT', 'SUBSTR', 'LCS', 'OBJECT', 'MEMORY', 'PFCOUNT', 'SRANDMEMBER', 'ZRANDMEMBER', 'HRANDFIELD', 'ZREVRANGE', 'ZREVRANGEBYSCORE', 'ZRANGEBYLEX', 'ZLEXCOUNT', 'XINFO', 'XPENDING', 'GEOPOS', 'GEODIST', 'GEOSEARCH'];
const names = new Set([...readOnlyCommands].map((name) => name.split(' ')[0]!).concat(EXTRA));
// commands whose first token alone is not enough (CONFIG SET writes, CONFIG GET reads): only two-token entries count
for (const name of ['CONFIG', 'CLIENT', 'SCRIPT', 'FUNCTION', 'PUBSUB', 'XGROUP', 'OBJECT', 'MEMORY', 'XINFO']) {
  names.delete(name);
}

/** True when `args` is a read-only command (by its name, and for container commands its subcommand). */
export function readOnlyName(args: readonly Arg[]): boolean {
  const first = String(args[0]).toUpperCase();
  if (names.has(first)) return true;
  if (args.length > 1 && readOnlyCommands.has(`${first} ${String(args[1]).toUpperCase()}`)) return true;
  return false;
}
