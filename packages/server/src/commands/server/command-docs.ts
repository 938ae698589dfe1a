/**
 * COMMAND DOCS data: command-docs.json, captured from redis-server 7.0.15 by tools/scripts/capture-command-docs.mjs
 * (summary, since, group, complexity, history, arguments... for all of Redis's commands). Loaded on first use.
 */
import { readFileSync } from 'node:fs';
import { RespMap, RespSet, SimpleString, type RespValue } from '@mini-redis/protocol';

/** The JSON shape: maps as objects, sets as {$set}, simple strings as {$simple}. */
type DocJson = string | number | DocJson[] | { $set: DocJson[] } | { $simple: string } | { [key: string]: DocJson };

let docs: Record<string, DocJson> | undefined;

function load(): Record<string, DocJson> {
  docs ??= JSON.parse(readFileSync(new URL('./command-docs.json', import.meta.url), 'utf8')) as Record<string, DocJson>;
  return docs;
}

function toReply(value: DocJson): RespValue {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map(toReply);
  if ('$set' in value && Array.isArray(value.$set)) return new RespSet(value.$set.map(toReply));
  if ('$simple' in value && typeof value.$simple === 'string') return new SimpleString(value.$simple);
  const items: RespValue[] = [];
  for (const [key, item] of Object.entries(value)) items.push(key, toReply(item as DocJson));
  return new RespMap(items);
}

/** Redis's documentation of a command ('get') or subcommand ('config|get'), or undefined when Redis has none. */
export function commandDocs(fullName: string): RespValue | undefined {
  const all = load();
  const bar = fullName.indexOf('|');
  if (bar === -1) {
    const doc = all[fullName];
    return doc === undefined ? undefined : toReply(doc);
  }
  const container = all[fullName.slice(0, bar)];
  const subcommands = container !== undefined && typeof container === 'object' && !Array.isArray(container)
    ? (container as Record<string, DocJson>)['subcommands']
    : undefined;
  const doc = subcommands !== undefined ? (subcommands as Record<string, DocJson>)[fullName] : undefined;
  return doc === undefined ? undefined : toReply(doc);
}
