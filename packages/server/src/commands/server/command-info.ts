/**
 * COMMAND and its subcommands, generated from the command table: COUNT, INFO, DOCS, LIST, GETKEYS, HELP.
 */
import { RespMap, SimpleString, type RespValue } from '@mini-redis/protocol';
import type { CommandContext, CommandSpec } from '../../context.js';
import { matchGlob } from '../../glob.js';
import { commandDocs as redisDocs } from './command-docs.js';
import { fail, SYNTAX_ERROR } from '../errors.js';

/** Redis's ACL category table order (acl.c): COMMAND INFO lists a command's categories in this order. */
const CATEGORY_ORDER = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo', 'stream',
  'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

/** addReplyFlagsForCommand's table: COMMAND lists flags in this order; may_replicate (and protected) stay hidden. */
const FLAG_ORDER = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale', 'skip_monitor',
  'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading', 'no_multi', 'movablekeys',
  'allow_busy',
];

function shownFlags(spec: CommandSpec): SimpleString[] {
  const flags: readonly string[] = spec.flags;
  return FLAG_ORDER.filter((flag) => flags.includes(flag)).map((flag) => new SimpleString(flag));
}

/** Redis's `@read`/`@write`/... categories for a spec: its own plus those its flags imply, in table order. */
function categoriesOf(spec: CommandSpec): string[] {
  const categories = new Set<string>(spec.categories ?? []);
  if (spec.flags.includes('write')) categories.add('write');
  // setImplicitACLCategories: readonly implies @read, except for scripting commands (EVAL_RO, FCALL_RO...)
  if (spec.flags.includes('readonly') && !categories.has('scripting')) categories.add('read');
  if (spec.flags.includes('admin')) categories.add('admin').add('dangerous');
  if (spec.flags.includes('pubsub')) categories.add('pubsub');
  if (spec.flags.includes('blocking')) categories.add('blocking');
  if (spec.flags.includes('fast')) categories.add('fast');
  else categories.add('slow');
  if (categories.has('fast')) categories.delete('slow');
  return CATEGORY_ORDER.filter((name) => categories.has(name)).map((name) => `@${name}`);
}

/** Key specs in the COMMAND INFO shape, from firstKey/lastKey/keyStep. */
function keySpecs(spec: CommandSpec): RespValue[] {
  if (!spec.firstKey) return [];
  const flags = spec.keySpecFlags ?? (spec.flags.includes('write') ? ['RW', 'access', 'update'] : ['RO', 'access']);
  return [
    new RespMap([
      'flags', flags.map((flag) => new SimpleString(flag)),
      'begin_search', new RespMap(['type', 'index', 'spec', new RespMap(['index', spec.firstKey])]),
      'find_keys', new RespMap([
        'type', 'range',
        'spec', new RespMap(['lastkey', lastKeyOffset(spec), 'keystep', spec.keyStep ?? 1, 'limit', 0]),
      ]),
    ]),
  ];
}

/** A range key spec's lastkey: relative to the first key, or negative from the end. */
function lastKeyOffset(spec: CommandSpec): number {
  const last = spec.lastKey ?? spec.firstKey ?? 0;
  return last < 0 ? last : last - (spec.firstKey ?? 0);
}

function info(spec: CommandSpec, container?: CommandSpec): RespValue {
  const name = container ? `${container.name}|${spec.name}` : spec.name;
  return [
    name,
    spec.arity,
    shownFlags(spec),
    spec.firstKey ?? 0,
    spec.lastKey ?? 0,
    spec.keyStep ?? 0,
    categoriesOf(spec).map((category) => new SimpleString(category)),
    [],
    keySpecs(spec),
    (spec.subcommands ?? []).map((sub) => info(sub, spec)),
  ];
}

/**
 * A command's docs as Redis 7.0.15 gives them (captured data); a command Redis does not have (none so far) gets a
 * minimal entry, with the subcommands our table has.
 */
function docs(spec: CommandSpec, container?: CommandSpec): RespValue {
  const fullName = container ? `${container.name}|${spec.name}` : spec.name;
  const known = redisDocs(fullName);
  if (known !== undefined) return known;
  const items: RespValue[] = ['summary', '', 'since', '1.0.0', 'group', container ? 'server' : 'generic'];
  if (spec.subcommands && spec.subcommands.length > 0) {
    const subs: RespValue[] = [];
    for (const sub of spec.subcommands) subs.push(`${spec.name}|${sub.name}`, docs(sub, spec));
    items.push('subcommands', new RespMap(subs));
  }
  return new RespMap(items);
}

function all(ctx: CommandContext): readonly CommandSpec[] {
  return ctx.server.commands.all;
}

function command(ctx: CommandContext): RespValue {
  return all(ctx).map((spec) => info(spec));
}

function count(ctx: CommandContext): RespValue {
  return all(ctx).length;
}

/** Finds a command or 'container|sub' by name. */
function find(ctx: CommandContext, name: string): { spec: CommandSpec; container?: CommandSpec } | undefined {
  const bar = name.indexOf('|');
  const table = ctx.server.commands;
  if (bar === -1) {
    const spec = table.lookup(name);
    return spec && { spec };
  }
  const container = table.lookup(name.slice(0, bar));
  const sub = container && table.lookupSubcommand(container, name.slice(bar + 1));
  return sub && container && { spec: sub, container };
}

function commandInfo(ctx: CommandContext, args: string[]): RespValue {
  if (args.length === 2) return command(ctx);
  const out: RespValue[] = [];
  for (let i = 2; i < args.length; i++) {
    const found = find(ctx, args[i]!);
    out.push(found ? info(found.spec, found.container) : null);
  }
  return out;
}

function commandDocs(ctx: CommandContext, args: string[]): RespValue {
  const items: RespValue[] = [];
  if (args.length === 2) {
    for (const spec of all(ctx)) items.push(spec.name, docs(spec));
  } else {
    for (let i = 2; i < args.length; i++) {
      const found = find(ctx, args[i]!);
      if (found) items.push(args[i]!.toLowerCase(), docs(found.spec, found.container));
    }
  }
  return new RespMap(items);
}

function commandList(ctx: CommandContext, args: string[]): RespValue {
  let names: string[] = [];
  for (const spec of all(ctx)) {
    names.push(spec.name);
    for (const sub of spec.subcommands ?? []) names.push(`${spec.name}|${sub.name}`);
  }
  if (args.length === 2) return names;
  if (args.length !== 5 || args[2]!.toLowerCase() !== 'filterby') fail(SYNTAX_ERROR);
  const kind = args[3]!.toLowerCase();
  const value = args[4]!;
  if (kind === 'pattern') {
    names = names.filter((name) => matchGlob(value, name, true));
  } else if (kind === 'aclcat') {
    const category = `@${value.toLowerCase()}`;
    names = all(ctx).filter((spec) => categoriesOf(spec).includes(category)).map((spec) => spec.name);
  } else if (kind === 'module') {
    names = [];
  } else {
    fail(SYNTAX_ERROR);
  }
  return names;
}

/** The keys of a command line, from its spec's key positions. */
export function keysOf(spec: CommandSpec, args: readonly string[]): string[] {
  if (spec.keys !== undefined) return spec.keys(args) ?? fail('ERR Invalid arguments specified for command');
  if (!spec.firstKey) return [];
  const last = spec.lastKey === undefined ? spec.firstKey : spec.lastKey < 0 ? args.length + spec.lastKey : spec.lastKey;
  const keys: string[] = [];
  for (let i = spec.firstKey; i <= last && i < args.length; i += spec.keyStep ?? 1) keys.push(args[i]!);
  return keys;
}

function getKeys(ctx: CommandContext, args: string[]): RespValue {
  const target = args.slice(2);
  const spec = ctx.server.commands.lookup(target[0]!);
  if (spec === undefined) fail('ERR Invalid command specified');
  if ((spec.arity > 0 && target.length !== spec.arity) || target.length < -spec.arity) {
    fail('ERR Invalid number of arguments specified for command');
  }
  const keys = keysOf(spec, target);
  if (keys.length === 0) fail('ERR The command has no key arguments');
  return keys;
}

const HELP = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'HELP',
  '    Print this help.',
].map((line) => new SimpleString(line));

export const commandCommands = [
  {
    name: 'command', arity: -1, flags: ['loading', 'stale'], categories: ['slow', 'connection'],
    run: command,
    subcommands: [
      { name: 'count', arity: 2, flags: ['loading', 'stale'], categories: ['slow', 'connection'], run: count },
      { name: 'info', arity: -2, flags: ['loading', 'stale'], categories: ['slow', 'connection'], run: commandInfo },
      { name: 'docs', arity: -2, flags: ['loading', 'stale'], categories: ['slow', 'connection'], run: commandDocs },
      { name: 'list', arity: -2, flags: ['loading', 'stale'], categories: ['slow', 'connection'], run: commandList },
      { name: 'getkeys', arity: -4, flags: ['loading', 'stale'], categories: ['slow', 'connection'], run: getKeys },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['slow', 'connection'], run: () => HELP },
    ],
  },
] as const satisfies readonly CommandSpec[];
