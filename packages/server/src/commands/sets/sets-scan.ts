/** SSCAN key cursor [MATCH pattern] [COUNT count]. */
import type { CommandContext, Reply } from '../../context.js';
import { EMPTY_SCAN, parseScanOptions, scanContainer, scanCursor, type Scannable } from './container-scan.js';

export function sscan(ctx: CommandContext, args: string[]): Reply {
  const cursor = scanCursor(args);
  const set = ctx.db.getTyped(args[1]!, 'set');
  if (set === undefined) return EMPTY_SCAN;
  const options = parseScanOptions(args, 3);
  const container: Scannable = {
    size: set.size,
    members: () => Array.from(set),
    has: (member) => set.has(member),
    emit: (member, out) => out.push(member),
  };
  return scanContainer(set, container, cursor, options);
}
