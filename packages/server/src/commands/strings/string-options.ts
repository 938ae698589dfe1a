/**
 * SET and GETEX options (Redis's parseExtendedStringArgumentsOrReply) and the expiry argument check
 * (getExpireMillisecondsOrReply), with the same conflicts, order of errors and int64 overflow rules.
 */
import type { ExpireTime } from '@mini-redis/store';
import { fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import { absoluteExpireMs } from '../expire-time.js';

/** Which command's options are being parsed: SET accepts NX/XX/GET/KEEPTTL, GETEX accepts PERSIST. */
export type OptionsCommand = 'set' | 'getex';

/** An expiry unit as written: relative seconds or ms, or absolute unix seconds or ms. */
export type ExpireUnit = 'ex' | 'px' | 'exat' | 'pxat';

/** The parsed options; `expire` is the raw argument, validated later (after the key lookup, as Redis does). */
export interface StringOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  persist: boolean;
  unit: ExpireUnit | undefined;
  expire: string | undefined;
}

/** Parses options from args[start]; throws 'ERR syntax error' for unknown, conflicting or incomplete ones. */
export function parseStringOptions(args: string[], start: number, command: OptionsCommand): StringOptions {
  const options: StringOptions = {
    nx: false,
    xx: false,
    get: false,
    keepTtl: false,
    persist: false,
    unit: undefined,
    expire: undefined,
  };
  const isSet = command === 'set';
  for (let index = start; index < args.length; index++) {
    const option = args[index]!.toLowerCase();
    const hasNext = index + 1 < args.length;
    if (option === 'nx' && isSet && !options.xx) options.nx = true;
    else if (option === 'xx' && isSet && !options.nx) options.xx = true;
    else if (option === 'get' && isSet) options.get = true;
    else if (option === 'keepttl' && isSet && !options.persist && options.unit === undefined) options.keepTtl = true;
    else if (option === 'persist' && !isSet && options.unit === undefined && !options.keepTtl) options.persist = true;
    else if (
      (option === 'ex' || option === 'px' || option === 'exat' || option === 'pxat') &&
      !options.keepTtl &&
      !options.persist &&
      (options.unit === undefined || options.unit === option) &&
      hasNext
    ) {
      options.unit = option;
      options.expire = args[++index]!;
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  return options;
}


/**
 * The absolute expiry time in ms for an expiry argument, or Redis's errors: not an integer, or
 * "invalid expire time in '<command>' command" when <= 0 or when the time overflows int64. A number, or the exact
 * bigint for a time past 2^53 ms.
 */
export function expireTime(text: string, unit: ExpireUnit, now: number, command: string): ExpireTime {
  const value = integerArg(text);
  const invalid = `ERR invalid expire time in '${command}' command`;
  if (value <= 0) fail(invalid);
  const seconds = unit === 'ex' || unit === 'exat';
  const relative = unit === 'ex' || unit === 'px';
  return absoluteExpireMs(value, text, seconds ? 1000 : 1, relative ? now : 0, command);
}
