/**
 * `client-output-buffer-limit` (networking.c checkClientOutputBufferLimits): per client class (normal, replica,
 * pubsub) a hard limit in bytes and a soft limit that may be exceeded for at most some seconds. A connection checks
 * its pending reply bytes against its class's limits whenever it adds output; past them it is closed at once, so
 * a subscriber that stops reading cannot make the server's memory grow without bound.
 */
import type { Config } from './config.js';
import type { OutputLimit } from './context.js';

export type OutputClass = 'normal' | 'replica' | 'pubsub';

const DEFAULTS: Record<OutputClass, OutputLimit> = {
  normal: { hard: 0, soft: 0, softSeconds: 0 },
  replica: { hard: 268435456, soft: 67108864, softSeconds: 60 },
  pubsub: { hard: 33554432, soft: 8388608, softSeconds: 60 },
};

/** The setting's default text (config-table.ts), as CONFIG GET shows it: DEFAULTS. */
const DEFAULT_SETTING = 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 * 1024, g: 1e9, gb: 1024 ** 3 };

/** memtoull: a byte count with an optional unit; undefined when malformed. */
function bytes(text: string): number | undefined {
  const match = /^(\d+)([a-z]*)$/i.exec(text);
  if (match === null) return undefined;
  const unit = UNITS[match[2]!.toLowerCase()];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

/** Parses the setting: classes it names replace the defaults (a setting may name only some classes). */
export function parseOutputLimits(value: string): Record<OutputClass, OutputLimit> {
  const limits = { ...DEFAULTS };
  const parts = value.trim().split(/\s+/).filter((part) => part !== '');
  for (let index = 0; index + 3 < parts.length; index += 4) {
    const name = parts[index]!.toLowerCase();
    const cls: OutputClass | undefined =
      name === 'normal' ? 'normal' : name === 'slave' || name === 'replica' ? 'replica' : name === 'pubsub' ? 'pubsub' : undefined;
    const hard = bytes(parts[index + 1]!);
    const soft = bytes(parts[index + 2]!);
    const softSeconds = Number(parts[index + 3]);
    if (cls === undefined || hard === undefined || soft === undefined || !Number.isInteger(softSeconds)) continue;
    limits[cls] = { hard, soft, softSeconds };
  }
  return limits;
}

export class OutputLimits {
  private limits = DEFAULTS;

  constructor(config: Config) {
    config.observe('client-output-buffer-limit', (value) => {
      // The default setting is DEFAULTS: nothing to parse at start (the first regular expressions cost ~1 ms).
      this.limits = value === DEFAULT_SETTING ? DEFAULTS : parseOutputLimits(value);
    });
  }

  limitFor(cls: OutputClass): OutputLimit {
    return this.limits[cls];
  }
}
