/**
 * What a command handler sees: a `CommandContext` (one client's state: database, protocol, auth, MULTI/WATCH...) and,
 * through it, the server's services (`ServerContext`: store, clock, config, command table, stats...). Nothing here
 * touches a socket. The TCP connection (net/connection.ts) owns a context and attaches itself as its
 * `ClientConnection`; a script engine, a MULTI/EXEC replay, a loader or a unit test makes a context with none.
 */
import type { RespValue } from '@mini-redis/protocol';
import type { Clock, Database, Store } from '@mini-redis/store';
import type { Config } from './config.js';
import type { Eviction } from './eviction.js';
import type { FaultRegistry } from './faults.js';
import type { LatencyHistogram, LatencyTracking } from './latency-histogram.js';
import type { SlowLog } from './slowlog.js';
import type { CommandTimer } from './command-timer.js';
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
  | 'no_async_loading'
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
  /** The key spec's flags in COMMAND INFO when not the default RW/RO access ones ('not_key' for shard channels). */
  readonly keySpecFlags?: readonly string[];
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
  /**
   * getCommandFlags: the flags of one invocation when they depend on it (a script's shebang or function flags);
   * CLIENT PAUSE WRITE and the OOM check use these. Default: `flags`.
   */
  readonly flagsFor?: (spec: CommandSpec, ctx: CommandContext, args: readonly string[]) => readonly CommandFlag[];
  /**
   * The keyspace-read and server.dirty rules the command table derives from the spec, set on the command's first
   * run (commands/table.ts rulesOf): deriving them for every command made each server's construction slower.
   */
  derived?: DerivedRules | undefined;
  /**
   * Timed per batch (command-timer.ts): the command's cost is bounded by its arguments (Redis's `fast` flag, SET,
   * MSET...). Set by the command table.
   */
  readonly batchTimed?: boolean;
  /** INFO commandstats counters; the command table gives each server's copy of a spec its own. */
  readonly stats?: CommandStats;
}

/** What the command table derives from a spec (commands/table.ts rulesOf). */
export interface DerivedRules {
  /**
   * The keys the command reads with Redis's lookupKeyRead (INFO keyspace_hits/misses; commands/keyspace-reads.ts);
   * 'self' when the handler counts them itself.
   */
  readonly readKeys: 'self' | KeyReads | undefined;
  /** server.dirty: how many changes the command made, from its arguments and reply. */
  readonly dirty: ((args: readonly string[], reply: Reply, destExisted: boolean) => number) | undefined;
  /** For *STORE commands: the destination key's position (its existence before the run is passed to `dirty`). */
  readonly dirtyDest: number | undefined;
}

/** The keys a command reads with lookupKeyRead (INFO keyspace_hits/misses; see commands/keyspace-reads.ts). */
export interface KeyReads {
  /** The keys, in lookup order. */
  keys(args: readonly string[]): readonly string[];
  /** Looked up before the other arguments are parsed: a syntax error after them still counts them. */
  readonly early: boolean;
  /** The types the command accepts: after a WRONGTYPE error only keys up to the first other type were looked up. */
  readonly types: ReadonlySet<string>;
  /** Set when the command reads exactly one key, at this index (when present): `keys` then gives [args[single]]. */
  readonly single?: number;
}

/** Per-command counters (Redis's redisCommand calls, microseconds, rejected_calls, failed_calls). */
export interface CommandStats {
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
  /** The latency histogram (INFO latencystats, LATENCY HISTOGRAM): created by the first call recorded. */
  latency: LatencyHistogram | undefined;
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

/** A client waiting on keys (BLPOP, BZPOPMIN, XREAD BLOCK...). */
export interface BlockRequest {
  readonly ctx: CommandContext;
  /** The keys waited on, in the client's database `ctx.db`. */
  readonly keys: readonly string[];
  /**
   * Tries to serve the client now that a key may be ready: returns the reply (the client is unblocked), or undefined
   * when there is still nothing for it (it stays blocked). A thrown ErrorReply is the client's reply.
   */
  serve(): Reply | undefined;
  /** The reply when the timeout passes (usually the null of the client's protocol). */
  timeoutReply(): Reply;
}

/** The blocking mechanism that any key type uses (src/blocking.ts). */
export interface Blocking {
  /** How many clients are blocked (INFO blocked_clients). */
  readonly blockedCount: number;
  /**
   * Blocks the request's client until serve() gives a reply or `timeoutMs` passes (0 = forever). Clients blocked on
   * the same key are served first come, first served. The handler returns the promise as its reply.
   */
  block(request: BlockRequest, timeoutMs: number): Promise<Reply>;
  /** signalKeyAsReady: the key may now serve waiters (served by handleReady after the current command). */
  signal(db: number, key: string): void;
  /** Serves waiters of keys signalled since the last call (the dispatcher calls it after each top-level command). */
  handleReady(): void;
  /** True when keys were signalled and not yet handled. */
  readonly hasReady: boolean;
  /** CLIENT UNBLOCK: ends a client's wait with its timeout reply (or with an error); false when it was not blocked. */
  unblock(ctx: CommandContext, error?: Reply): boolean;
  /** Forgets a client that disconnected. */
  cancel(ctx: CommandContext): void;
  /** Every key waited on in a database may now serve (SWAPDB, FLUSHALL... as Redis's scanDatabaseForReadyKeys). */
  signalDatabase(db: number): void;
  /** Whether the client is waiting in the registry (its command returned block()'s promise). */
  isBlocked(ctx: CommandContext): boolean;
  /**
   * How long serving the client's blocked command took (ms) when a key served it, once, for the dispatcher's stats;
   * undefined when its wait ended otherwise (timeout, CLIENT UNBLOCK, disconnect).
   */
  takeServedMs(ctx: CommandContext): number | undefined;
}

/** A client's pub/sub subscriptions (Redis keeps them on the client: pubsub_channels, pubsub_patterns...). */
export interface Subscriptions {
  /** Channels, in subscription order. */
  readonly channels: Set<string>;
  /** Patterns, in subscription order (Redis 7.0 keeps them in a list). */
  readonly patterns: Set<string>;
  /** Shard channels (SSUBSCRIBE). */
  readonly shardChannels: Set<string>;
}

/** Pub/sub (src/pubsub.ts): the server's channel and pattern tables. */
export interface PubSub {
  /** Channels with at least one subscriber (INFO pubsub_channels; PUBSUB CHANNELS). */
  readonly channels: ReadonlyMap<string, ReadonlySet<CommandContext>>;
  /** Patterns with at least one subscriber (INFO pubsub_patterns; PUBSUB NUMPAT). */
  readonly patterns: ReadonlyMap<string, ReadonlySet<CommandContext>>;
  /** Shard channels with at least one subscriber. */
  readonly shardChannels: ReadonlyMap<string, ReadonlySet<CommandContext>>;
  /** Adds a subscription; false when the client already had it. */
  subscribe(ctx: CommandContext, kind: SubscriptionKind, name: string): boolean;
  /** Removes a subscription; false when the client did not have it. */
  unsubscribe(ctx: CommandContext, kind: SubscriptionKind, name: string): boolean;
  /** Drops every subscription of a client (RESET, disconnect) without telling it. */
  unsubscribeAll(ctx: CommandContext): void;
  /** PUBLISH / SPUBLISH: delivers a message, returns how many clients received it. */
  publish(channel: string, message: string, shard?: boolean): number;
}

export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

/** A client's CLIENT TRACKING state (Redis keeps it in the client's flags). */
export interface ClientTrackingState {
  /** REDIRECT client id, 0 for none. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING YES (OPTIN) / NO (OPTOUT) given for the next command. */
  caching: boolean;
  /** The redirect client went away (flag R; 'broken_redirect'). */
  brokenRedirect: boolean;
  /** BCAST prefixes. */
  readonly prefixes: Set<string>;
}

export interface TrackingOptions {
  readonly bcast: boolean;
  readonly optin: boolean;
  readonly optout: boolean;
  readonly noloop: boolean;
}

/** Client-side caching (src/tracking.ts): the tracking table, BCAST prefixes and invalidation messages. */
export interface Tracking {
  /** INFO tracking_clients. */
  readonly clientCount: number;
  /** INFO tracking_total_keys / tracking_total_items / tracking_total_prefixes. */
  readonly totalKeys: number;
  readonly totalItems: number;
  readonly totalPrefixes: number;
  /** The client whose top-level command is running (Redis's server.current_client), set by the dispatcher. */
  current: CommandContext | undefined;
  /** The error when BCAST prefixes overlap each other or the client's own, else undefined. */
  prefixCollision(ctx: CommandContext, prefixes: readonly string[]): string | undefined;
  enable(ctx: CommandContext, redirect: number, options: TrackingOptions, prefixes: readonly string[]): void;
  disable(ctx: CommandContext): void;
  /** After a read-only command: remembers its keys for the tracking client (the script's caller inside scripts). */
  rememberKeys(tracking: CommandContext, spec: CommandSpec, args: readonly string[]): void;
  /** Sends the invalidations held back until after the client's reply. */
  flushPending(ctx: CommandContext): void;
  /** FLUSHDB / FLUSHALL: every tracking client is told that all keys are invalid (a null); the table is emptied. */
  flushed(): void;
  /** tracking-table-max-keys: evicts (and invalidates) tracked keys over the limit. */
  limit(): void;
}

export type PauseType = 'none' | 'write' | 'all';

/** CLIENT PAUSE (src/pause.ts). */
export interface ClientPause {
  readonly type: PauseType;
  /** Commands postponed by the pause (counted in INFO blocked_clients). */
  readonly postponedCount: number;
  /** Pauses for `timeoutMs` (wall clock); a pause in effect keeps its later end and stronger type. */
  pause(timeoutMs: number, type: 'write' | 'all'): void;
  /** CLIENT UNPAUSE: ends the pause; postponed commands run, in the order they came. */
  unpause(): void;
  /** True when a command must wait: every command during ALL, writes (`writes`) during WRITE. */
  covers(writes: boolean): boolean;
  /** A promise that resolves when the pause ends. */
  postpone(): Promise<void>;
}

/** One class's output buffer limit: bytes, and a soft limit tolerated for `softSeconds`. */
export interface OutputLimit {
  readonly hard: number;
  readonly soft: number;
  readonly softSeconds: number;
}

/** A command as command hooks see it (after it ran). */
export interface ExecutedCommand {
  /** Lowercase full name ('get', 'config|get'). */
  readonly name: string;
  /** The arguments as sent, name first (latin1 byte strings). */
  readonly args: readonly string[];
  readonly db: number;
  readonly clientId: number;
  readonly clientName: string;
}

/** The server's services, shared by every client. Composed in server.ts (startServer and the CLI). */
export interface ServerContext {
  readonly store: Store;
  readonly clock: Clock;
  /** The clock as of at most 100 ms ago (the clock itself unless it is the system clock): Redis's cached time. */
  readonly cachedClock: Clock;
  readonly config: Config;
  readonly commands: CommandLookup;
  readonly stats: Stats;
  readonly slowlog: SlowLog;
  /** Command timing with few clock readings (command-timer.ts). */
  readonly timer: CommandTimer<CommandContext, CommandSpec>;
  /** Per-command latency histograms (latency-tracking). */
  readonly latency: LatencyTracking;
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
  /** True when events of this class are published (so a caller may skip work, as the key-miss check does). */
  notifyEnabled(type: NotifyClass): boolean;
  /**
   * signalKeyAsReady: a list, sorted set or stream key was created or (streams) got new entries, so clients blocked
   * on it may be served once the current command (or EXEC, or script) has finished.
   */
  signalKeyAsReady(db: number, key: string): void;
  /** Clients blocked on keys. */
  readonly blocking: Blocking;
  /** maxmemory and eviction (absent in contexts built without one: no limit, no OOM). */
  readonly eviction?: Eviction;
  /** While a script runs past busy-reply-threshold: the BUSY error other clients get (commands without allow_busy). */
  busyScript: string | undefined;
  /** Test fault injection rules (empty unless a test adds some). */
  readonly faults: FaultRegistry;
  /** Listeners told of every executed command (empty unless a test listens). */
  readonly commandListeners: ReadonlySet<(command: ExecutedCommand) => void>;
  /** Pub/sub channels and patterns. */
  readonly pubsub: PubSub;
  /** Client-side caching. */
  readonly tracking: Tracking;
  /** CLIENT PAUSE. */
  readonly pause: ClientPause;
  /** client-output-buffer-limit per client class, as connections check it. */
  readonly outputLimits: { limitFor(cls: 'normal' | 'replica' | 'pubsub'): OutputLimit };
  /** SHUTDOWN: closes the server (every client included), then runs the embedder's shutdown hook. */
  shutdown(): Promise<void>;
}

/** The socket side of a client, as the few commands that act on connections see it. */
export interface ClientConnection {
  readonly address: string;
  readonly localAddress: string;
  /** Connected through the Unix socket (CLIENT LIST flag U). */
  readonly unix?: boolean;
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
  /** The arguments of the command being run, or last run (CLIENT LIST argv-mem while running or blocked). */
  currentArgs: readonly string[] | undefined;
  monitor = false;
  /** Blocking commands must not block now (inside EXEC or a script: CLIENT_DENY_BLOCKING); they answer at once. */
  denyBlocking = false;
  /** The Lua client that runs scripts' commands (CLIENT_SCRIPT). */
  script = false;
  noEvict = false;
  noTouch = false;
  /** CLIENT REPLY OFF: no replies (pushes still go out). */
  replyOff = false;
  /** CLIENT REPLY SKIP: the reply of the command being run is dropped; `replySkipNext` drops the next one's. */
  replySkip = false;
  replySkipNext = false;
  /** Pub/sub subscriptions; undefined until the first SUBSCRIBE (and after the last unsubscribe). */
  subscriptions: Subscriptions | undefined;
  /** CLIENT TRACKING state; undefined while tracking is off. */
  tracking: ClientTrackingState | undefined;
  /** Invalidations (keys, or null for a flush) for this client, held until its reply is written. */
  trackingPending: Array<string | null> | undefined;

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

  /**
   * In pub/sub mode (Redis's CLIENT_PUBSUB flag): subscribed to at least one channel, pattern or shard channel. In
   * RESP2 such a client may only run (P|S)(UN)SUBSCRIBE, PING, QUIT and RESET.
   */
  get inPubSub(): boolean {
    return this.subscriptions !== undefined;
  }

  /** Closes the client after the current reply (QUIT). */
  close(): void {
    this.connection?.close();
  }
}
