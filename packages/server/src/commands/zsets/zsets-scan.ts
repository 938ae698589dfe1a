/** ZSCAN key cursor [MATCH pattern] [COUNT count]: members with their scores (%.17g bulk strings). */
import type { CommandContext, Reply } from '../../context.js';
import { formatDouble } from '../../format.js';
import { EMPTY_SCAN, parseScanOptions, scanContainer, scanCursor, type Scannable } from '../sets/container-scan.js';

export function zscan(ctx: CommandContext, args: string[]): Reply {
  const cursor = scanCursor(args);
  const zset = ctx.db.getTyped(args[1]!, 'zset');
  if (zset === undefined) return EMPTY_SCAN;
  const options = parseScanOptions(args, 3);
  const container: Scannable = {
    size: zset.size,
    members: () => {
      const members: string[] = [];
      for (const item of zset) members.push(item.member);
      return members;
    },
    has: (member) => zset.score(member) !== undefined,
    emit: (member, out) => out.push(member, formatDouble(zset.score(member)!)),
  };
  return scanContainer(zset, container, cursor, options);
}
