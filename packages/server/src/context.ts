/**
 * What a command handler sees: a `CommandContext` (one client's state: database, protocol, auth, MULTI/WATCH...) and,
 * through it, the server's services (`ServerContext`: store, clock, config, command table, stats...). Nothing here
 * touches a socket. The TCP connection (net/connection.ts) owns a context and attaches itself as its
 * `ClientConnection`; a script engine, a MULTI/EXEC replay, a loader or a unit test makes a context with none.
 */
import type { RespValue } from '@mini-redis/protocol';
import type { Clock, Database, Store } from '@mini-redis/store';
import type { Config } from './config.js';
import type { SlowLog } from './slowlog.js';
import type { Stats } from './stats.js';
import type { WatchRegistry } from './watch.js';

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

/** A handler: runs a command with its arguments (args[0] is the name as sent, each a latin1 byte string). */
export type Handler = (ctx: CommandContext, args: string[]) => Reply | Promise<Reply>;

/** One command (or subcommand) of the table, in the manner of Redis's `src/commands/*.json`. */
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
  /** ACL categories without the @ ('string', 'keyspace', 'fast'...), for COMMAND INFO. */
  readonly categories?: readonly string[];
  /** A container command's subcommands (CONFIG GET, CLIENT LIST...). The container's own `run` handles HELP. */
  readonly subcommands?: readonly CommandSpec[];
  readonly run?: Handler;
  /**
   * For `movablekeys` commands (numkeys forms): the keys of a command line, or undefined when the arguments do not
   * name them validly (COMMAND GETKEYS then answers 'Invalid arguments specified for command').
   */
  readonly keys?: (args: readonly string[]) => string[] | undefined;
}

/** A command queued by MULTI. */
export interface QueuedCommand {
  readonly spec: CommandSpec;
  readonly args: string[];
}

/** The command table as commands see it (commands/table.ts implements it). */
export interface CommandLookup {
  /** Every top-level command, in table order. */
  readonly all: readonly CommandSpec[];
  /** The command named (any case), or undefined. */
  lookup(name: string): CommandSpec | undefined;
  /** A container's subcommand (any case), or undefined. */
  lookupSubcommand(container: CommandSpec, name: string): CommandSpec | undefined;
  /** Redis's full name of a command or subcommand: 'get', 'config|get'. */
  fullName(spec: CommandSpec): string;
}

/**
 * Keyspace notification classes (notify.c): g generic, $ string, l list, s set, h hash, z sorted set, x expired,
 * e evicted, t stream, m key miss, d module, n new key.
 */
export type NotifyClass = 'g' | '$' | 'l' | 's' | 'h' | 'z' | 'x' | 'e' | 't' | 'm' | 'd' | 'n';

/** The server's services, shared by every client. Composed in server.ts (startServer and the CLI). */
export interface ServerContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly config: Config;
  readonly commands: CommandLookup;
  readonly stats: Stats;
  readonly slowlog: SlowLog;
  readonly watches: WatchRegistry;
  /** Every connected client by id (CLIENT LIST/KILL). */
  readonly clients: ReadonlyMap<number, CommandContext>;
  /** Clients in MONITOR mode. */
  readonly monitors: Set<CommandContext>;
  readonly runId: string;
  readonly startedAt: number;
  log(line: string): void;
  /** True when clients must AUTH first. */
  requiresAuth(): boolean;
  /**
   * notifyKeyspaceEvent: a command reports what it did to a key, where Redis's command calls notifyKeyspaceEvent, with
   * Redis's class and event name ('l', 'lpush'). Costs nothing while `notify-keyspace-events` is empty.
   */
  notify(type: NotifyClass, event: string, key: string, db: number): void;
  /**
   * signalKeyAsReady: a list, sorted set or stream key was created or (streams) got new entries, so clients blocked
   * on it may be served once the current command (or EXEC, or script) has finished.
   */
  signalKeyAsReady(db: number, key: string): void;
  /** SHUTDOWN: closes the server (every client included), then runs the embedder's shutdown hook. */
  shutdown(): Promise<void>;
}

/** The socket side of a client, as the few commands that act on connections see it. */
export interface ClientConnection {
  readonly address: string;
  readonly localAddress: string;
  /** The file descriptor when known, else -1 (CLIENT LIST fd=). */
  readonly fd: number;
  /** Bytes received but not yet decoded (CLIENT LIST qbuf). */
  readonly queryBufferLength: number;
  /** Reply bytes not yet taken by the peer (buffered here and in the socket). */
  readonly outputLength: number;
  /** A command of this client is still running asynchronously (blocked). */
  readonly blocked: boolean;
  /** Sends a value outside the request/reply flow (MONITOR lines, pushes). */
  push(value: RespValue): void;
  /** The client's protocol or auth state changed (the connection adjusts its writer and decoder limits). */
  stateChanged(): void;
  /** Flushes what is buffered, then closes (QUIT, CLIENT KILL of oneself). */
  close(): void;
  /** Closes at once, dropping buffered replies. */
  destroy(): void;
}

/** One client's state as commands read and change it. */
export class CommandContext {
  readonly id: number;
  readonly server: ServerContext;
  /** The socket side, when the client is a network connection. */
  connection: ClientConnection | undefined;
  readonly createdAt: number;
  db: Database;
  protocol: 2 | 3 = 2;
  name = '';
  libName = '';
  libVersion = '';
  authenticated: boolean;
  user = 'default';
  /** Commands queued since MULTI; undefined outside a transaction. */
  multi: QueuedCommand[] | undefined;
  /** A command failed to queue: EXEC answers EXECABORT. */
  multiError = false;
  /** Keys WATCHed (the server's watch registry keeps the reverse index). */
  readonly watched: Array<{ db: number; key: string }> = [];
  /** A watched key was touched: EXEC fails. */
  watchDirty = false;
  lastInteraction: number;
  /** The last command run (CLIENT LIST cmd=). */
  lastCommand: CommandSpec | undefined;
  monitor = false;
  noEvict = false;
  noTouch = false;

  constructor(server: ServerContext, id: number, connection?: ClientConnection) {
    this.server = server;
    this.id = id;
    this.connection = connection;
    this.authenticated = !server.requiresAuth();
    this.db = server.store.db(0);
    this.createdAt = server.clock.now();
    this.lastInteraction = this.createdAt;
  }

  /** Sets whether the client passed AUTH (the connection lifts the unauthenticated protocol limits). */
  setAuthenticated(authenticated: boolean): void {
    this.authenticated = authenticated;
    this.connection?.stateChanged();
  }

  /** Switches the reply protocol (HELLO). */
  setProtocol(protocol: 2 | 3): void {
    this.protocol = protocol;
    this.connection?.stateChanged();
  }

  /** Closes the client after the current reply (QUIT). */
  close(): void {
    this.connection?.close();
  }
}
