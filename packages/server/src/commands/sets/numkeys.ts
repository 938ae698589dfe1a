/** Key extraction for the numkeys commands (COMMAND GETKEYS of SINTERCARD, ZUNION, ZUNIONSTORE, ZMPOP...). */
import { parseInteger } from '../../format.js';

/**
 * The keys of `... numkeys key [key ...] ...` with numkeys at `numkeysAt`, after the keys at `leading` (a *STORE's
 * destination); undefined when numkeys is not a positive count of the arguments that follow.
 */
export function numkeysKeys(numkeysAt: number, leading: readonly number[] = []) {
  return (args: readonly string[]): string[] | undefined => {
    const numkeys = parseInteger(args[numkeysAt] ?? '');
    if (numkeys === undefined || numkeys < 1 || numkeysAt + numkeys > args.length - 1) return undefined;
    return [...leading.map((index) => args[index]!), ...args.slice(numkeysAt + 1, numkeysAt + 1 + numkeys)];
  };
}
