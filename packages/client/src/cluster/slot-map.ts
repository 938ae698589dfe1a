/**
 * Learning a cluster's layout: the slot map (which master serves each of the 16384 hash slots) from CLUSTER SHARDS
 * or CLUSTER SLOTS, the key positions of every command from COMMAND, and node address helpers.
 */
import type { RedisClient } from '../client.js';
import { ReplyError } from '../errors.js';
import type { KeySpec } from './keys.js';

/** A node address: `{ host, port }` or `'host:port'`. */
export type NodeAddress = { host?: string; port: number } | string;

/** Hash slots in a cluster. */
export const SLOTS = 16384;

/** A node address as `host:port` (host 127.0.0.1 when left out). */
export function addressOf(node: NodeAddress): string {
  return typeof node === 'string' ? node : `${node.host ?? '127.0.0.1'}:${node.port}`;
}

/** A RESP3 map or a RESP2 flat array of pairs, as an object. */
function fields(value: unknown): Record<string, unknown> {
  if (value instanceof Map) return Object.fromEntries(value);
  const out: Record<string, unknown> = {};
  if (Array.isArray(value))
    for (let index = 0; index + 1 < value.length; index += 2) out[String(value[index])] = value[index + 1];
  return out;
}

/** `host:port` split into its parts. */
export function splitAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

/** The slot map (the master address of each slot) from CLUSTER SHARDS, or CLUSTER SLOTS before Redis 7. */
export async function discoverSlots(client: RedisClient, fallbackHost: string): Promise<(string | undefined)[]> {
  const slots = new Array<string | undefined>(SLOTS);
  const hostOf = (host: unknown) => (typeof host === 'string' && host !== '' && host !== '?' ? host : fallbackHost);
  try {
    const shards = (await client.withTimeout(5000).sendCommand(['CLUSTER', 'SHARDS'])) as unknown[];
    for (const shard of shards) {
      const info = fields(shard);
      const master = (info['nodes'] as unknown[]).map(fields).find((node) => node['role'] === 'master');
      if (master === undefined) continue;
      const port = Number(master['port'] ?? master['tls-port']);
      const address = `${hostOf(master['ip'] ?? master['endpoint'])}:${port}`;
      const ranges = info['slots'] as number[];
      for (let index = 0; index + 1 < ranges.length; index += 2) {
        for (let slot = Number(ranges[index]); slot <= Number(ranges[index + 1]); slot++) slots[slot] = address;
      }
    }
    return slots;
  } catch (error) {
    if (!(error instanceof ReplyError)) throw error;
  }
  // CLUSTER SHARDS is Redis 7+: CLUSTER SLOTS
  const ranges = (await client.withTimeout(5000).sendCommand(['CLUSTER', 'SLOTS'])) as unknown[][];
  for (const [start, end, master] of ranges) {
    const [host, port] = master as [string, number];
    for (let slot = Number(start); slot <= Number(end); slot++) slots[slot] = `${hostOf(host)}:${port}`;
  }
  return slots;
}

/** The key positions (first, last, step) of every command and subcommand, from COMMAND. */
export async function loadKeySpecs(client: RedisClient, specs: Map<string, KeySpec>): Promise<void> {
  const commands = (await client.withTimeout(5000).sendCommand(['COMMAND'])) as unknown[][];
  const add = (entry: unknown[]) => {
    specs.set(String(entry[0]).toUpperCase(), [Number(entry[3]), Number(entry[4]), Number(entry[5])]);
    const subcommands = entry[9];
    if (Array.isArray(subcommands)) for (const sub of subcommands) add(sub as unknown[]);
  };
  for (const entry of commands) add(entry);
}
