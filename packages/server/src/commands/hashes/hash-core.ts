/**
 * The hash family's shared pieces: Redis's listpack limits (hash-max-listpack-entries / -value, read through a
 * config observer so a write costs no parsing), the one-way promotion to `hashtable` that OBJECT ENCODING reports,
 * and the lookups every hash command starts with.
 */
import type { HashValue } from '@mini-redis/store';
import type { Config } from '../../config.js';
import type { CommandContext } from '../../context.js';
import { isPromoted, promoteEncoding } from '../encoding.js';

/** The current listpack limits of a server's config. */
export interface HashLimits {
  entries: number;
  value: number;
}

const limitsByConfig = new WeakMap<Config, HashLimits>();

/** The listpack limits, kept current by config observers (set up on first use). */
export function hashLimits(config: Config): HashLimits {
  let limits = limitsByConfig.get(config);
  if (limits === undefined) {
    const created: HashLimits = { entries: 512, value: 64 };
    config.observe('hash-max-listpack-entries', (value) => (created.entries = Number(value)));
    config.observe('hash-max-listpack-value', (value) => (created.value = Number(value)));
    limitsByConfig.set(config, created);
    limits = created;
  }
  return limits;
}

/**
 * After writing field = value: Redis converts a listpack hash for good once it holds more than the entries limit or
 * a field or value longer than the value limit (hashTypeTryConversion / hashTypeSet).
 */
export function checkPromotion(hash: HashValue, field: string, value: string, limits: HashLimits): void {
  if (hash.size > limits.entries || field.length > limits.value || value.length > limits.value) promoteEncoding(hash);
}

/** True while Redis would still hold the hash as a listpack (HSCAN then returns it whole). */
export function isListpack(hash: HashValue, limits: HashLimits): boolean {
  if (isPromoted(hash) || hash.size > limits.entries) return false;
  const max = limits.value;
  for (const [field, value] of hash) if (field.length > max || value.length > max) return false;
  return true;
}

/**
 * hashTypeLookupWriteOrCreate's second half: stores a hash created by a write (the caller looked the key up and
 * found nothing), or reports the in-place modification of an existing one.
 */
export function storeHash(ctx: CommandContext, key: string, hash: HashValue, created: boolean, event: string): void {
  if (created) ctx.db.set(key, hash);
  else ctx.db.touch(key, event);
}
