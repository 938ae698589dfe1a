/** CLIENT KILL: the old form (ip:port) and the new one (filters: ID, TYPE, USER, ADDR, LADDR, SKIPME, MAXAGE). */
import { OK, type RespValue } from '@mini-redis/protocol';
import type { CommandContext } from '../../context.js';
import { cString, fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import { clientType, TYPES } from './admin-client-list.js';

/** A filter of CLIENT KILL's new form; every given option must match. */
interface KillFilter {
  id?: number;
  type?: string;
  addr?: string;
  laddr?: string;
  user?: string;
  skipMe: boolean;
}

function parseKillFilter(args: string[]): KillFilter {
  const filter: KillFilter = { skipMe: true };
  for (let i = 2; i < args.length; i += 2) {
    const option = args[i]!.toLowerCase();
    const value = args[i + 1];
    if (value === undefined) fail(SYNTAX_ERROR);
    switch (option) {
      case 'id': {
        const message = 'ERR client-id should be greater than 0';
        const id = integerArg(value, message);
        if (id < 1) fail(message);
        filter.id = id;
        break;
      }
      case 'type': {
        const type = value.toLowerCase();
        if (!TYPES.has(type)) fail(`ERR Unknown client type '${cString(value)}'`);
        filter.type = type === 'slave' ? 'replica' : type;
        break;
      }
      case 'addr': filter.addr = value; break;
      case 'laddr': filter.laddr = value; break;
      case 'user':
        if (value !== 'default') fail(`ERR No such user '${cString(value)}'`);
        filter.user = value;
        break;
      case 'skipme': {
        const answer = value.toLowerCase();
        if (answer !== 'yes' && answer !== 'no') fail(SYNTAX_ERROR);
        filter.skipMe = answer === 'yes';
        break;
      }
      default:
        fail(SYNTAX_ERROR);
    }
  }
  return filter;
}

function matches(filter: KillFilter, caller: CommandContext, target: CommandContext): boolean {
  if (filter.skipMe && target === caller) return false;
  if (filter.id !== undefined && target.id !== filter.id) return false;
  if (filter.type !== undefined && clientType(target) !== filter.type) return false;
  if (filter.addr !== undefined && target.connection?.address !== filter.addr) return false;
  if (filter.laddr !== undefined && target.connection?.localAddress !== filter.laddr) return false;
  if (filter.user !== undefined && target.user !== filter.user) return false;
  return true;
}

/** Closes a client: itself after this reply, any other at once. */
function kill(caller: CommandContext, target: CommandContext): void {
  if (target === caller) target.close();
  else target.connection?.destroy();
}

/** CLIENT KILL ip:port (OK or an error), or CLIENT KILL <option> <value> ... (how many were killed). */
export function clientKill(ctx: CommandContext, args: string[]): RespValue {
  const clients = [...ctx.server.clients.values()];
  if (args.length === 3) {
    const target = clients.find((candidate) => candidate.connection?.address === args[2]);
    if (target === undefined) fail('ERR No such client');
    kill(ctx, target);
    return OK;
  }
  const filter = parseKillFilter(args);
  let killed = 0;
  for (const candidate of clients) {
    if (!matches(filter, ctx, candidate)) continue;
    kill(ctx, candidate);
    killed++;
  }
  return killed;
}

