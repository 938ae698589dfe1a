/** Number formatting of the geo replies: %.4f distances, %.17Lf "human" coordinates, %f in errors. */
import { RespDouble } from '@mini-redis/protocol';
import type { CommandContext, Reply } from '../../context.js';

/** C's %.Nf for a finite or infinite double. */
export function fixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return value < 0 ? '-nan' : 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Math.abs(value) < 1e21) {
    const text = value.toFixed(digits);
    return Object.is(value, -0) || (value < 0 && !text.startsWith('-')) ? '-' + text : text;
  }
  const integer = BigInt(value).toString();
  return digits > 0 ? `${integer}.${'0'.repeat(digits)}` : integer;
}

/** addReplyDoubleDistance: a bulk string with %.4f. */
export function distanceReply(value: number): Reply {
  return fixed(value, 4);
}

/** ld2string(LD_STR_HUMAN): %.17Lf without trailing zeros (and dot). */
export function human(value: number): string {
  let text = fixed(value, 17);
  if (text.includes('.')) {
    text = text.replace(/0+$/, '');
    if (text.endsWith('.')) text = text.slice(0, -1);
  }
  return text === '-0' ? '-0' : text;
}

/** addReplyHumanLongDouble: a bulk string in RESP2, a double in RESP3. */
export function coordinateReply(ctx: CommandContext, value: number): Reply {
  const text = human(value);
  return ctx.protocol === 2 ? text : new RespDouble(value, text);
}
