/** APPEND, STRLEN, GETRANGE/SUBSTR and SETRANGE: a string value's length and byte ranges, read or written. */
import type { CommandContext, Reply } from '../../context.js';
import { fail, integerArg } from '../errors.js';
import { checkStringLength, writableBuffer } from './string-buffer.js';

export function append(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const suffix = args[2]!;
  const db = ctx.db;
  const value = db.getTyped(key, 'string');
  if (value === undefined) {
    db.set(key, suffix);
    ctx.server.notify('$', 'append', key, db.index);
    return suffix.length;
  }
  const length = value.length + suffix.length;
  checkStringLength(ctx, length);
  // Like Redis's sds, an appended value becomes a raw buffer that later appends extend in place.
  const { buffer, stored } = writableBuffer(db, key, value, length);
  buffer.write(suffix, length - suffix.length, 'latin1');
  if (!stored) db.touch(key, 'append');
  ctx.server.notify('$', 'append', key, db.index);
  return length;
}

export function strlen(ctx: CommandContext, args: string[]): Reply {
  const value = ctx.db.getTyped(args[1]!, 'string');
  return value === undefined ? 0 : value.length;
}

/** GETRANGE / SUBSTR key start end, with Redis's clamping. */
export function getrange(ctx: CommandContext, args: string[]): Reply {
  let start = integerArg(args[2]!);
  let end = integerArg(args[3]!);
  const value = ctx.db.getTyped(args[1]!, 'string');
  if (value === undefined) return '';
  const length = value.length;
  if (start < 0 && end < 0 && start > end) return '';
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  if (start > end || length === 0) return '';
  if (typeof value === 'string') return value.slice(start, end + 1);
  return Buffer.from(value.subarray(start, end + 1));
}

export function setrange(ctx: CommandContext, args: string[]): Reply {
  const key = args[1]!;
  const offset = integerArg(args[2]!);
  const patch = args[3]!;
  if (offset < 0) fail('ERR offset is out of range');
  const db = ctx.db;
  const value = db.getTyped(key, 'string');
  if (value === undefined) {
    if (patch.length === 0) return 0;
  } else if (patch.length === 0) {
    return value.length;
  }
  checkStringLength(ctx, offset + patch.length);
  const { buffer, stored } = writableBuffer(db, key, value, offset + patch.length);
  buffer.write(patch, offset, 'latin1');
  if (!stored) db.touch(key, 'setrange');
  ctx.server.notify('$', 'setrange', key, db.index);
  return buffer.length;
}
