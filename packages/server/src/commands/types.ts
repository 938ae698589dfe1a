/**
 * The shape of a command table entry, in the manner of Redis's `src/commands/*.json`: a name, an arity (negative =
 * at least that many), flags, key positions, and the handler that runs it.
 */
import type { RespValue } from '@mini-redis/protocol';
import type { Client } from '../client.js';

/** Redis's command flags (the subset we use; COMMAND INFO reports them). */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_mandatory_keys'
  | 'no_multi'
  | 'allow_busy'
  | 'movablekeys';

/** What a handler returns: a reply value (written with the client's protocol), possibly later. */
export type Reply = RespValue;

/** A handler: runs a command with its arguments (args[0] is the name as sent). Never touches the socket. */
export type Handler = (client: Client, args: string[]) => Reply | Promise<Reply>;

/** One command (or subcommand) of the table. */
export interface CommandSpec {
  /** Lowercase name ('get'; for a subcommand, just the subcommand: 'setname'). */
  readonly name: string;
  /** Redis's arity: N = exactly N args including the name; -N = at least N. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  /** Position of the first key (0 = no keys), of the last key (negative counts from the end), and the step. */
  readonly firstKey?: number;
  readonly lastKey?: number;
  readonly keyStep?: number;
  /** ACL categories without the @ ('string', 'keyspace', 'fast'...), for COMMAND INFO / DOCS. */
  readonly categories?: readonly string[];
  /** One-line summary for COMMAND DOCS. */
  readonly summary?: string;
  /** Redis version the command appeared in, for COMMAND DOCS. */
  readonly since?: string;
  /** Complexity text for COMMAND DOCS. */
  readonly complexity?: string;
  /** A container command's subcommands (CONFIG GET, CLIENT LIST...). The container's own `run` handles HELP. */
  readonly subcommands?: readonly CommandSpec[];
  readonly run?: Handler;
}
