/**
 * Redis's error texts, shared by every command family, and the argument parsers that throw them. A handler throws
 * an ErrorReply; dispatch turns it into the error reply.
 */
import { ErrorReply } from '@mini-redis/protocol';
import { parseFloatStrict, parseInteger } from '../format.js';

export const SYNTAX_ERROR = 'ERR syntax error';
export const NOT_INTEGER = 'ERR value is not an integer or out of range';
export const NOT_FLOAT = 'ERR value is not a valid float';
export const WRONG_TYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const NO_SUCH_KEY = 'ERR no such key';
export const OUT_OF_RANGE_DB = 'ERR DB index is out of range';

/** Throws an error reply with this exact text. */
export function fail(message: string): never {
  throw new ErrorReply(message);
}

/** Parses an integer argument (string2ll rules) or throws Redis's error (or a custom one). */
export function integerArg(text: string, message: string = NOT_INTEGER): number {
  const value = parseInteger(text);
  if (value === undefined) throw new ErrorReply(message);
  return value;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Parses a C int as getIntFromObjectOrReply does: `message` (when given) replaces both the not-an-integer and the
 * out-of-int-range errors.
 */
export function int32Arg(text: string, message?: string): number {
  const value = parseInteger(text);
  if (value === undefined) throw new ErrorReply(message ?? NOT_INTEGER);
  if (value < INT32_MIN || value > INT32_MAX) {
    throw new ErrorReply(message ?? `ERR value is out of range, value must between ${INT32_MIN} and ${INT32_MAX}`);
  }
  return value;
}

/** Parses a float argument (strtold rules, no NaN) or throws 'ERR value is not a valid float' (or a custom one). */
export function floatArg(text: string, message: string = NOT_FLOAT): number {
  const value = parseFloatStrict(text);
  if (value === undefined) throw new ErrorReply(message);
  return value;
}

/** The wrong-arity error for a command name (lowercase, 'container|sub' for subcommands). */
export function wrongArity(name: string): ErrorReply {
  return new ErrorReply(`ERR wrong number of arguments for '${name}' command`);
}

/**
 * What C's `%s` (or `%.Ns`) prints of an argument inside an error text: up to the first NUL byte, at most `limit`
 * chars. Redis formats user input into errors this way, so an argument with a NUL is cut there.
 */
export function cString(text: string, limit = Infinity): string {
  const nul = text.indexOf('\0');
  const end = nul === -1 ? text.length : nul;
  return end > limit ? text.slice(0, limit) : nul === -1 ? text : text.slice(0, end);
}
