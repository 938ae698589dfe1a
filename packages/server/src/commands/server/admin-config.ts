/**
 * CONFIG GET / SET / RESETSTAT / REWRITE / HELP over the server's Config (Redis 7.0: several patterns, several pairs
 * set atomically).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ErrorReply, OK, RespMap, type RespValue, SimpleString } from '@mini-redis/protocol';
import type { CommandContext, CommandSpec } from '../../context.js';
import { Config } from '../../config.js';
import { matchGlob } from '../../glob.js';
import { fail, SYNTAX_ERROR } from '../errors.js';

/** Glob characters: a pattern without them names one parameter (replied with the name as given). */
const GLOB = /[*?[]/;

function configGet(ctx: CommandContext, args: string[]): RespValue {
  const config = ctx.server.config;
  const seen = new Set<string>();
  const out: RespValue[] = [];
  const add = (name: string, value: string) => {
    const lower = name.toLowerCase();
    if (seen.has(lower)) return;
    seen.add(lower);
    out.push(name, value);
  };
  const all = config.entries(true);
  for (const pattern of args.slice(2)) {
    if (!GLOB.test(pattern)) {
      if (config.has(pattern)) add(pattern, config.get(pattern));
      continue;
    }
    for (const [name, value] of all) if (matchGlob(pattern, name, true)) add(name, value);
  }
  return new RespMap(out);
}

function configSet(ctx: CommandContext, args: string[]): RespValue | Promise<RespValue> {
  if (args.length % 2 !== 0) fail(SYNTAX_ERROR);
  const pairs: Array<[string, string]> = [];
  for (let i = 2; i < args.length; i += 2) pairs.push([args[i]!, args[i + 1]!]);
  const outcome = ctx.server.config.setMany(pairs);
  if (outcome instanceof Promise) return outcome.then((error) => (error === undefined ? OK : new ErrorReply(`ERR ${error}`)));
  if (outcome !== undefined) fail(`ERR ${outcome}`);
  return OK;
}

function resetStat(ctx: CommandContext): RespValue {
  ctx.server.stats.reset(ctx.server.store);
  if (ctx.server.eviction !== undefined) ctx.server.eviction.evictedKeys = 0;
  // resetCommandTableStats
  const clear = (spec: CommandSpec) => {
    if (spec.stats === undefined) return;
    spec.stats.calls = 0;
    spec.stats.usec = 0;
    spec.stats.rejected = 0;
    spec.stats.failed = 0;
    spec.stats.latency = undefined;
  };
  for (const spec of ctx.server.commands.all) {
    clear(spec);
    for (const sub of spec.subcommands ?? []) clear(sub);
  }
  return OK;
}

/**
 * Rewrites the config file: lines of parameters we know are replaced with their current value (or dropped when it is
 * the default and no line named it), other lines are kept, and changed parameters missing from the file are appended.
 */
function rewrite(ctx: CommandContext): RespValue {
  const config = ctx.server.config;
  const file = config.configFile;
  if (file === undefined) fail('ERR The server is running without a config file');
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch (error) {
    return fail(`ERR Rewriting config file: ${(error as Error).message}`);
  }
  if (lines[lines.length - 1] === '') lines.pop();
  const written = new Set<string>();
  const out: string[] = [];
  for (const line of lines) {
    const name = /^\s*([^\s#]+)/.exec(line)?.[1];
    const key = name === undefined ? undefined : config.canonical(name);
    if (key === undefined) {
      out.push(line);
      continue;
    }
    if (written.has(key)) continue;
    written.add(key);
    out.push(directive(key, config.get(key)));
  }
  for (const [name, value] of config.entries(false)) {
    if (written.has(name) || value === Config.defaultOf(name) || name === 'port' || name === 'bind' || name === 'dir') continue;
    out.push(directive(name, value));
  }
  try {
    writeFileSync(file, out.join('\n') + '\n');
  } catch (error) {
    fail(`ERR Rewriting config file: ${(error as Error).message}`);
  }
  return OK;
}

/** A redis.conf line, quoting values that are empty or hold spaces. */
function directive(name: string, value: string): string {
  const needsQuotes = value === '' || /[\s"\\]/.test(value);
  return `${name} ${needsQuotes ? JSON.stringify(value) : value}`;
}

const HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

const FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;
const CATEGORIES = ['admin', 'slow', 'dangerous'] as const;

/** CONFIG's table entry. */
export const configCommand = {
  name: 'config', arity: -2, flags: [], categories: ['slow'],
  subcommands: [
    { name: 'get', arity: -3, flags: FLAGS, categories: CATEGORIES, run: configGet },
    { name: 'set', arity: -4, flags: FLAGS, categories: CATEGORIES, run: configSet },
    { name: 'resetstat', arity: 2, flags: FLAGS, categories: CATEGORIES, run: resetStat },
    { name: 'rewrite', arity: 2, flags: FLAGS, categories: CATEGORIES, run: rewrite },
    { name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['slow'], run: () => HELP },
  ],
} as const satisfies CommandSpec;
