// The keys a command line makes a tracking client remember (Redis's getKeysFromCommand for tracking.c).
import type { CommandSpec } from './context.js';
import { numkeysKeys } from './commands/sets/numkeys.js';

const scriptKeys = numkeysKeys(2);

/** The keys of a command line that tracking remembers (getKeysFromCommand). */
export function trackedKeys(spec: CommandSpec, args: readonly string[]): string[] {
  const custom = (spec as { keys?: unknown }).keys;
  if (typeof custom === 'function') return (custom as (args: readonly string[]) => string[])(args);
  if (spec.flags.includes('movablekeys')) return movableKeys(spec.name, args);
  if (!spec.firstKey) return [];
  const last = spec.lastKey === undefined ? spec.firstKey : spec.lastKey < 0 ? args.length + spec.lastKey : spec.lastKey;
  const keys: string[] = [];
  for (let i = spec.firstKey; i <= last && i < args.length; i += spec.keyStep || 1) keys.push(args[i]!);
  return keys;
}

/** Key positions of the read-only commands with movable keys. */
function movableKeys(name: string, args: readonly string[]): string[] {
  switch (name) {
    case 'zunion': case 'zinter': case 'zdiff': case 'sintercard': case 'zintercard': {
      const count = Number(args[1]);
      if (!Number.isInteger(count) || count < 1) return [];
      return args.slice(2, 2 + count);
    }
    case 'sort_ro': case 'sort':
      return args.length > 1 ? [args[1]!] : [];
    case 'xread': case 'xreadgroup': {
      const at = args.findIndex((arg, index) => index > 0 && arg.toLowerCase() === 'streams');
      if (at < 0) return [];
      const rest = args.length - at - 1;
      if (rest % 2 !== 0) return [];
      return args.slice(at + 1, at + 1 + rest / 2);
    }
    case 'eval': case 'evalsha': case 'eval_ro': case 'evalsha_ro': case 'fcall': case 'fcall_ro':
      // a script's declared KEYS (a read inside the script remembers these: see dispatch's rememberKeys)
      return scriptKeys(args) ?? [];
    default:
      return [];
  }
}
