/**
 * SLOWLOG (GET, LEN, RESET, HELP) over the server's SlowLog, and LATENCY: HISTOGRAM over the per-command latency
 * histograms (src/latency-histogram.ts); the latency monitor we do not run, so the other subcommands report no
 * samples, as Redis does while latency-monitor-threshold is 0 or nothing was slow.
 */
import { OK, RespMap, type RespValue, SimpleString, VerbatimString } from '@mini-redis/protocol';
import type { CommandContext, CommandSpec } from '../../context.js';
import type { LatencyHistogram } from '../../latency-histogram.js';
import { cString, fail, integerArg } from '../errors.js';

function slowlogGet(ctx: CommandContext, args: string[]): RespValue {
  let count = 10;
  if (args.length > 3) fail(`ERR unknown subcommand or wrong number of arguments for '${cString(args[1]!)}'. Try SLOWLOG HELP.`);
  if (args.length === 3) {
    const message = 'ERR count should be greater than or equal to -1';
    count = integerArg(args[2]!, message);
    if (count < -1) fail(message);
    if (count === -1) count = Number.MAX_SAFE_INTEGER;
  }
  return ctx.server.slowlog.entries
    .slice(0, count)
    .map((entry) => [entry.id, entry.time, entry.duration, [...entry.args], entry.address, entry.name]);
}

function slowlogLen(ctx: CommandContext): RespValue {
  return ctx.server.slowlog.entries.length;
}

function slowlogReset(ctx: CommandContext): RespValue {
  ctx.server.slowlog.reset();
  return OK;
}

const SLOWLOG_HELP = [
  'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

const LATENCY_DISABLED =
  "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET " +
  'latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d ' +
  'suggest to take a look at https://redis.io/topics/latency-monitor.\n';
const LATENCY_QUIET =
  'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I ' +
  'honestly think you ought to sleep tonight.\n';

function latencyDoctor(ctx: CommandContext): RespValue {
  const enabled = ctx.server.config.get('latency-monitor-threshold') !== '0';
  return new VerbatimString('txt', enabled ? LATENCY_QUIET : LATENCY_DISABLED);
}

function latencyGraph(_ctx: CommandContext, args: string[]): RespValue {
  return fail(`ERR No samples available for event '${cString(args[2]!)}'`);
}

/** fillCommandCDF: {calls, histogram_usec: {bucket: cumulative count}}. */
function commandCdf(histogram: LatencyHistogram): RespMap {
  return new RespMap(['calls', histogram.totalCount, 'histogram_usec', new RespMap(histogram.cumulativeBuckets().flat())]);
}

/** lookupCommandBySds: 'name' or 'container|sub' (any case; deeper names find nothing). */
function lookupByFullName(ctx: CommandContext, name: string): CommandSpec | undefined {
  const table = ctx.server.commands;
  const parts = name.split('|');
  if (name === '' || parts.length > 2) return undefined;
  const spec = table.lookup(parts[0]!);
  if (spec === undefined || parts.length === 1) return spec;
  return spec.subcommands === undefined ? undefined : table.lookupSubcommand(spec, parts[1]!);
}

/**
 * LATENCY HISTOGRAM [command ...]: the histogram of every command named (a container's own and its subcommands'),
 * unknown names and commands never called skipped; without names, every command's.
 */
function latencyHistogram(ctx: CommandContext, args: string[]): RespValue {
  const table = ctx.server.commands;
  const items: RespValue[] = [];
  const add = (spec: CommandSpec) => {
    const histogram = spec.stats?.latency;
    if (histogram !== undefined) items.push(table.fullName(spec), commandCdf(histogram));
  };
  const addWithSubcommands = (spec: CommandSpec) => {
    add(spec);
    for (const sub of spec.subcommands ?? []) add(sub);
  };
  if (args.length === 2) for (const spec of table.all) addWithSubcommands(spec);
  for (let i = 2; i < args.length; i++) {
    const spec = lookupByFullName(ctx, args[i]!);
    if (spec !== undefined) addWithSubcommands(spec);
  }
  return new RespMap(items);
}

const LATENCY_HELP = [
  'LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

const ADMIN = ['admin', 'loading', 'stale'] as const;
const ADMIN_NOSCRIPT = ['admin', 'noscript', 'loading', 'stale'] as const;
const DANGEROUS = ['admin', 'slow', 'dangerous'] as const;

/** SLOWLOG's table entry. */
export const slowlogCommand = {
  name: 'slowlog', arity: -2, flags: [], categories: ['slow'],
  subcommands: [
    { name: 'get', arity: -2, flags: ADMIN, categories: DANGEROUS, run: slowlogGet },
    { name: 'len', arity: 2, flags: ADMIN, categories: DANGEROUS, run: slowlogLen },
    { name: 'reset', arity: 2, flags: ADMIN, categories: DANGEROUS, run: slowlogReset },
    { name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['slow'], run: () => SLOWLOG_HELP },
  ],
} as const satisfies CommandSpec;

/** LATENCY's table entry. */
export const latencyCommand = {
  name: 'latency', arity: -2, flags: [], categories: ['slow'],
  subcommands: [
    { name: 'latest', arity: 2, flags: ADMIN_NOSCRIPT, categories: DANGEROUS, run: () => [] },
    { name: 'history', arity: 3, flags: ADMIN_NOSCRIPT, categories: DANGEROUS, run: () => [] },
    { name: 'reset', arity: -2, flags: ADMIN_NOSCRIPT, categories: DANGEROUS, run: () => 0 },
    { name: 'doctor', arity: 2, flags: ADMIN_NOSCRIPT, categories: DANGEROUS, run: latencyDoctor },
    { name: 'graph', arity: 3, flags: ADMIN_NOSCRIPT, categories: DANGEROUS, run: latencyGraph },
    { name: 'histogram', arity: -2, flags: ADMIN_NOSCRIPT, categories: DANGEROUS, run: latencyHistogram },
    { name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['slow'], run: () => LATENCY_HELP },
  ],
} as const satisfies CommandSpec;
