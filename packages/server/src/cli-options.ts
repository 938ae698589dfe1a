/**
 * redis-server's command-line conventions: an optional config file first, then `--name value [value...]` pairs
 * that override it (`--port 6380 --save "" --requirepass secret`). Config files are redis.conf: one directive per
 * line, `#` comments, quoted arguments.
 */
import { parseInline } from '@mini-redis/protocol';

/** Directives in order, as name -> value (multiple words joined by spaces, as CONFIG GET shows them). */
export type Directives = Array<[string, string]>;

/** Parses redis.conf text. Throws an Error naming the line on unbalanced quotes. */
export function parseConfigFile(text: string): Directives {
  const directives: Directives = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    let words: string[];
    try {
      words = parseInline(line);
    } catch {
      throw new Error(`*** FATAL CONFIG FILE ERROR *** line ${index + 1}: Unbalanced quotes in configuration line`);
    }
    if (words.length === 0) continue;
    directives.push([words[0]!.toLowerCase(), words.slice(1).join(' ')]);
  }
  return directives;
}

/** The parsed command line. */
export interface CommandLine {
  readonly configFile?: string;
  readonly directives: Directives;
  readonly help: boolean;
  readonly version: boolean;
}

/** Parses redis-server style arguments (without the node and script paths). */
export function parseArguments(argv: readonly string[]): CommandLine {
  // `pnpm start -- --port 6380` and `npm start -- ...` may pass the separator through.
  if (argv[0] === '--') argv = argv.slice(1);
  let index = 0;
  let configFile: string | undefined;
  if (argv[0] === '-h' || argv[0] === '--help') return { directives: [], help: true, version: false };
  if (argv[0] === '-v' || argv[0] === '--version') return { directives: [], help: false, version: true };
  if (argv.length > 0 && !argv[0]!.startsWith('--')) {
    configFile = argv[0]!;
    index = 1;
  }
  const directives: Directives = [];
  while (index < argv.length) {
    const arg = argv[index]!;
    if (!arg.startsWith('--')) throw new Error(`Invalid argument '${arg}': expected --option`);
    const name = arg.slice(2).toLowerCase();
    const values: string[] = [];
    index++;
    while (index < argv.length && !argv[index]!.startsWith('--')) values.push(argv[index++]!);
    directives.push([name, values.join(' ')]);
  }
  return { ...(configFile !== undefined ? { configFile } : {}), directives, help: false, version: false };
}
