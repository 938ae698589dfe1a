/**
 * MINIREDIS: our own command for tests in any language, registered only when the server is started with
 * `faultInjection: true` (CLI: `--enable-fault-injection yes`), so a normal server's command table stays Redis's.
 *
 *   MINIREDIS FAULT ADD <command|*> [KEY <glob>] [CLIENT <name>] [PROBABILITY <0..1>] [COUNT <n>]
 *                       ERROR <message> | DELAY <ms> | DROP | CLOSE | PARTIAL <bytes>      -> rule id
 *   MINIREDIS FAULT DEL <id>    -> 1 or 0
 *   MINIREDIS FAULT LIST        -> one map per rule (id, command, action, hits, ...)
 *   MINIREDIS FAULT CLEAR       -> OK
 */
import { OK, RespMap, SimpleString, type RespValue } from '@mini-redis/protocol';
import type { CommandContext, CommandSpec } from '../../context.js';
import type { FaultAction, FaultRule } from '../../faults.js';
import { fail, floatArg, integerArg, SYNTAX_ERROR } from '../errors.js';

function parseRule(args: string[]): FaultRule {
  const command = args[3]!;
  let key: string | undefined;
  let clientName: string | undefined;
  let probability: number | undefined;
  let count: number | undefined;
  let action: FaultAction | undefined;
  for (let i = 4; i < args.length; i++) {
    const word = args[i]!.toLowerCase();
    const value = args[i + 1];
    const needValue = (): string => {
      if (value === undefined) fail(SYNTAX_ERROR);
      i++;
      return value;
    };
    switch (word) {
      case 'key': key = needValue(); break;
      case 'client': clientName = needValue(); break;
      case 'probability': probability = floatArg(needValue()); break;
      case 'count': count = integerArg(needValue()); break;
      case 'error': action = { type: 'error', message: needValue() }; break;
      case 'delay': action = { type: 'delay', ms: integerArg(needValue()) }; break;
      case 'partial': action = { type: 'partial', bytes: integerArg(needValue()) }; break;
      case 'drop': action = { type: 'drop' }; break;
      case 'close': action = { type: 'close' }; break;
      default: fail(SYNTAX_ERROR);
    }
  }
  if (action === undefined) fail('ERR a fault needs an action: ERROR <message>, DELAY <ms>, DROP, CLOSE or PARTIAL <bytes>');
  return {
    command,
    action,
    ...(key !== undefined ? { key } : {}),
    ...(clientName !== undefined ? { clientName } : {}),
    ...(probability !== undefined ? { probability } : {}),
    ...(count !== undefined ? { count } : {}),
  };
}

function fault(ctx: CommandContext, args: string[]): RespValue {
  const faults = ctx.server.faults;
  const sub = args[2]!.toLowerCase();
  if (sub === 'add' && args.length >= 5) {
    const rule = parseRule(args);
    try {
      return faults.add(rule);
    } catch (error) {
      return fail(`ERR ${(error as Error).message}`);
    }
  }
  if (sub === 'del' && args.length === 4) return faults.remove(integerArg(args[3]!)) ? 1 : 0;
  if (sub === 'list' && args.length === 3) {
    return faults.list().map((rule) => {
      const items: RespValue[] = ['id', rule.id, 'command', rule.command, 'action', rule.action.type, 'hits', rule.hits];
      if (rule.key !== undefined) items.push('key', rule.key);
      if (rule.clientName !== undefined) items.push('client', rule.clientName);
      if (rule.probability !== undefined) items.push('probability', String(rule.probability));
      if (rule.count !== undefined) items.push('count', rule.count);
      return new RespMap(items);
    });
  }
  if (sub === 'clear' && args.length === 3) {
    faults.clear();
    return OK;
  }
  return fail(SYNTAX_ERROR);
}

const HELP = [
  'MINIREDIS <subcommand> [<arg> ...]. Subcommands are:',
  'FAULT ADD <command|*> [KEY <glob>] [CLIENT <name>] [PROBABILITY <p>] [COUNT <n>] <action>',
  '    Add a fault rule; <action> is ERROR <message>, DELAY <ms>, DROP, CLOSE or PARTIAL <bytes>.',
  'FAULT DEL <id>',
  '    Remove a fault rule.',
  'FAULT LIST',
  '    List the fault rules and their hits.',
  'FAULT CLEAR',
  '    Remove every fault rule.',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

/** The MINIREDIS container command (registered only with fault injection enabled). */
export const miniredisCommand = {
  name: 'miniredis', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], categories: ['admin', 'slow', 'dangerous'],
  subcommands: [
    { name: 'fault', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], categories: ['admin', 'slow', 'dangerous'], run: fault },
    { name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['slow'], run: () => HELP },
  ],
} as const satisfies CommandSpec;
