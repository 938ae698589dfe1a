/**
 * The composition: a MiniRedisServer puts together the store (a MapStore unless one is given), the clock, the
 * config, the command table, stats, slow log and watch registry (the ServerContext that commands see) with the TCP
 * listener. startServer and the CLI build one.
 */
import { Eviction } from './eviction.js';
import { MapStore, systemClock, type Clock, type Store } from '@mini-redis/store';
import { BlockingRegistry } from './blocking.js';
import { allCommands } from './commands/index.js';
import { CommandTable } from './commands/table.js';
import { miniredisCommand } from './commands/testing/miniredis.js';
import { CommandContext, type CommandSpec, type ExecutedCommand, type NotifyClass, type ServerContext } from './context.js';
import { FaultRegistry } from './faults.js';
import { seed, snapshot, type SeedOptions, type SeedValue, type SnapshotOptions, type SnapshotValue } from './test-data.js';
import { Config, type ConfigInit } from './config.js';
import { Listener } from './net/listener.js';
import { KeyspaceEvents } from './notify.js';
import { OutputLimits } from './output-limits.js';
import { PubSubRegistry } from './pubsub.js';
import { TrackingRegistry } from './tracking.js';
import { PauseRegistry } from './pause.js';
import { LatencyTracking } from './latency-histogram.js';
import { SlowLog } from './slowlog.js';
import { CommandTimer } from './command-timer.js';
import { recordDuration } from './commands/dispatch.js';
import { Stats } from './stats.js';
import { WatchRegistry } from './watch.js';

/** Options of an embedded or CLI server. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one (read it back from `port` after listen). Default 6379. */
  readonly port?: number;
  /**
   * false: no TCP listener, as redis-server with `port 0` (the server is reached at its `unixsocket`). Default true.
   */
  readonly tcp?: boolean;
  /** Address to bind; default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** The storage backend; default a new MapStore with `databases` and `clock`. */
  readonly store?: Store;
  /** Clock for expiry and timestamps; default Date.now. Ignored when `store` is given (the store's clock is used). */
  readonly clock?: Clock;
  /** Number of databases; default 16. */
  readonly databases?: number;
  /** Password of the default user (redis.conf `requirepass`). */
  readonly requirepass?: string;
  /** Any other redis.conf parameters, as CONFIG SET would take them. */
  readonly config?: ConfigInit;
  /** Where log lines go; default nowhere for the embedding API. */
  readonly log?: (line: string) => void;
  /**
   * Registers the MINIREDIS command (fault injection over the wire, for tests in any language). Off by default: a
   * normal server's command table is Redis's. `server.faults` works in-process either way.
   */
  readonly faultInjection?: boolean;
}

/** The process's run id, 40 hex chars as Redis prints it in INFO. */
function makeRunId(): string {
  let id = '';
  for (let i = 0; i < 40; i++) id += Math.floor(Math.random() * 16).toString(16);
  return id;
}

export class MiniRedisServer implements ServerContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly config: Config;
  readonly commands: CommandTable;
  readonly stats: Stats;
  readonly slowlog: SlowLog;
  readonly cachedClock: Clock;
  private cachedClockTimer: NodeJS.Timeout | undefined;
  readonly timer = new CommandTimer<CommandContext, CommandSpec>(recordDuration);
  readonly latency: LatencyTracking;
  readonly watches: WatchRegistry;
  busyScript: string | undefined = undefined;
  /** Fault injection rules for tests (see src/faults.ts). */
  readonly faults = new FaultRegistry();
  readonly commandListeners = new Set<(command: ExecutedCommand) => void>();
  readonly blocking: BlockingRegistry;
  readonly eviction: Eviction;
  readonly pubsub = new PubSubRegistry();
  readonly tracking: TrackingRegistry;
  readonly pause: PauseRegistry;
  private readonly keyspaceEvents: KeyspaceEvents;
  readonly outputLimits: OutputLimits;
  readonly monitors = new Set<CommandContext>();
  readonly runId = makeRunId();
  readonly startedAt: number;
  private readonly logLine: (line: string) => void;
  /** Called when a client runs SHUTDOWN, after the server closed (the CLI exits the process). */
  onShutdown: (() => void) | undefined;
  private readonly listener: Listener;
  private listening: { port: number; host: string } | undefined;
  /** The bind list the listener is bound to (CONFIG SET bind restores it when the new one fails). */
  private bound = '';
  /** The port bound by the first listen (a restart binds it again). */
  private listenPort: number | undefined;
  private readonly options: ServerOptions;
  private closed = false;
  private readonly ownsStore: boolean;

  constructor(options: ServerOptions = {}) {
    this.options = options;
    this.ownsStore = options.store === undefined;
    if (options.store !== undefined && options.clock !== undefined && options.store.clock !== options.clock) {
      throw new Error('ServerOptions.clock differs from the given store\'s clock: create the store with that clock');
    }
    this.store =
      options.store ??
      new MapStore({ databases: options.databases ?? 16, ...(options.clock ? { clock: options.clock } : {}) });
    this.clock = this.store.clock;
    if (this.clock === systemClock) {
      // Redis's cached server time (updated by its cron): a read event stamps the client's last interaction without a
      // clock call of its own (Date.now() costs 60-90 ns on the VMs we measured).
      const cached = { time: Date.now(), now(): number { return this.time; } };
      this.cachedClock = cached;
      this.cachedClockTimer = setInterval(() => {
        cached.time = Date.now();
      }, 100);
      this.cachedClockTimer.unref();
    } else {
      this.cachedClock = this.clock;
    }
    this.blocking = new BlockingRegistry(this.clock);
    this.pause = new PauseRegistry();
    this.startedAt = this.clock.now();
    this.logLine = options.log ?? (() => {});
    this.config = new Config({
      ...options.config,
      ...(options.requirepass !== undefined ? { requirepass: options.requirepass } : {}),
      databases: String(this.store.databaseCount),
      port: String(options.port ?? 6379),
      bind: options.host ?? options.config?.['bind'] ?? '127.0.0.1',
    });
    this.commands = new CommandTable(options.faultInjection ? [...allCommands, miniredisCommand] : allCommands);
    this.stats = new Stats();
    this.slowlog = new SlowLog(this.config);
    this.latency = new LatencyTracking(this.config);
    this.watches = new WatchRegistry(this.store);
    this.keyspaceEvents = new KeyspaceEvents(this.config, this.pubsub, this.store);
    this.eviction = new Eviction(this.config, this.store, (db, key) => this.notify('e', 'evicted', key, db));
    this.outputLimits = new OutputLimits(this.config);
    this.listener = new Listener(this, (ctx) => this.forget(ctx));
    this.tracking = new TrackingRegistry(
      this.store, this.config, (id) => this.listener.clients.get(id), () => this.listener.clients.values(),
    );
    // No persistence yet: turning the AOF on must not look like durability.
    this.config.onApply('appendonly', (value) =>
      value === 'yes' ? 'this server keeps its data in memory only (no AOF): appendonly yes is not supported' : undefined,
    );
    // signalDeletedKeyAsReady: a key removed or replaced wakes its waiters (XREADGROUP then fails, as in Redis 7.0).
    // The store listener is attached only while some client is blocked, so writes cost nothing extra otherwise.
    this.blocking.aroundServe = (ctx, serve) => {
      const tracking = this.tracking;
      const previous = tracking.current;
      tracking.current = ctx;
      try {
        return serve();
      } finally {
        tracking.current = previous;
      }
    };
    let stopListening: (() => void) | undefined;
    this.blocking.onActive = (active) => {
      if (active && stopListening === undefined) {
        stopListening = this.store.onChange((change) => {
          if (change.key !== undefined && (change.kind === 'deleted' || change.kind === 'set' || change.kind === 'expired')) {
            this.blocking.signal(change.db, change.key);
          }
        });
      } else if (!active && stopListening !== undefined) {
        stopListening();
        stopListening = undefined;
      }
    };
  }

  /** Connected clients by id. */
  get clients(): ReadonlyMap<number, CommandContext> {
    return this.listener.clients;
  }

  log(line: string): void {
    this.logLine(line);
  }

  /** Starts listening; resolves with the bound port and host. A closed server cannot listen again (use restart). */
  async listen(): Promise<{ port: number; host: string }> {
    if (this.closed) throw new Error('the server is closed: start a new one, or use restart() before close()');
    if (this.listening) return this.listening;
    const bind = this.config.get('bind');
    const port = this.options.tcp === false ? 0 : await this.listener.listen(this.listenPort ?? this.options.port ?? 6379, bind);
    // `unixsocket`: the same protocol on a Unix socket, opened after the TCP ones as Redis's initServer does.
    const unixsocket = this.config.get('unixsocket');
    if (unixsocket !== '') {
      try {
        await this.listener.listenUnix(unixsocket, Number.parseInt(this.config.get('unixsocketperm'), 8) || 0);
      } catch (error) {
        await this.listener.close();
        throw error;
      }
    }
    const host = bind.split(' ')[0]!.replace(/^-/, '');
    this.listening = { port, host };
    this.listenPort = port;
    this.bound = bind;
    this.config.setInternal('port', String(port));
    // CONFIG SET port / bind listen anew (the old sockets close once the new ones listen; clients stay).
    this.config.onApply('port', async (value) => {
      const old = this.listening!.port;
      const error = await this.listener.rebind(Number(value), this.config.get('bind'), old, this.config.get('bind'));
      if (error !== undefined) this.log(`# Unable to listen on this port: ${error.message}`);
      if (error !== undefined) return 'Unable to listen on this port. Check server logs.';
      this.listening = { port: Number(value), host: this.listening!.host };
      this.listenPort = Number(value);
      return undefined;
    });
    this.config.onApply('bind', async (value) => {
      const port = Number(this.config.get('port'));
      // Without TCP (`tcp: false`, the CLI's port 0), a new bind list waits for a port, as in Redis.
      if (port === 0 && this.options.tcp === false) {
        this.bound = value;
        return undefined;
      }
      const error = await this.listener.rebind(port, value, port, this.bound);
      if (error !== undefined) this.log(`# Failed to bind: ${error.message}`);
      if (error !== undefined) return 'Failed to bind to specified addresses.';
      this.listening = { port: this.listening!.port, host: value.split(' ')[0]?.replace(/^-/, '') ?? '' };
      this.bound = value;
      return undefined;
    });
    return this.listening;
  }

  /** `redis://host:port` (after listen). */
  get url(): string {
    return `redis://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  /**
   * Closes every connection and the listener, then listens again on the same port, keeping the data (a server
   * restart as clients see it: connections drop, the keyspace stays).
   */
  async restart(): Promise<void> {
    if (this.closed) throw new Error('the server is closed');
    await this.listener.close();
    this.listening = undefined;
    await this.listen();
  }

  /** Registers a listener told of every executed command; returns a function that removes it. */
  onCommand(listener: (command: ExecutedCommand) => void): () => void {
    this.commandListeners.add(listener);
    return () => this.commandListeners.delete(listener);
  }

  /** Writes plain JS values into a database (UTF-8 strings, lists, sets, hashes, sorted sets): see test-data.ts. */
  seed(data: Readonly<Record<string, SeedValue>>, options?: SeedOptions): void {
    seed(this.store, data, options);
  }

  /** Every key of a database as plain JS values (UTF-8 strings by default, Buffers with `buffers: true`). */
  snapshot(options?: SnapshotOptions): Record<string, SnapshotValue> {
    return snapshot(this.store, options);
  }

  /** `await using server = await startServer()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** The bound port (after listen; after close, the port it had). */
  get port(): number {
    const port = this.listening?.port ?? this.listenPort;
    if (port === undefined) throw new Error('the server is not listening');
    return port;
  }

  /** The bound host (after listen). */
  get host(): string {
    return this.listening?.host ?? this.options.host ?? '127.0.0.1';
  }

  /** Stops accepting, closes every client, and (when the server created it) closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listening = undefined;
    this.blocking.close();
    this.pause.close();
    if (this.cachedClockTimer !== undefined) clearInterval(this.cachedClockTimer);
    await this.listener.close();
    if (this.ownsStore) await this.store.close();
  }

  async shutdown(): Promise<void> {
    await this.close();
    this.onShutdown?.();
  }

  notify(type: NotifyClass, event: string, key: string, db: number): void {
    this.keyspaceEvents.notify(type, event, key, db);
  }

  notifyEnabled(type: NotifyClass): boolean {
    return this.keyspaceEvents.enabled(type);
  }

  signalKeyAsReady(db: number, key: string): void {
    this.blocking.signal(db, key);
  }

  /** True when clients must AUTH first. */
  requiresAuth(): boolean {
    return this.config.get('requirepass') !== '';
  }

  /** A client context on no connection (scripts, tests): commands run through it reply to the caller only. */
  createContext(): CommandContext {
    return new CommandContext(this, this.listener.allocateId());
  }

  /** Forgets a closed client's server-side state. */
  private forget(ctx: CommandContext): void {
    this.monitors.delete(ctx);
    this.watches.unwatchAll(ctx);
    this.blocking.cancel(ctx);
    this.pubsub.unsubscribeAll(ctx);
    this.tracking.disable(ctx);
  }
}

/** Starts a server (see ServerOptions) and resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<MiniRedisServer> {
  const server = new MiniRedisServer(options);
  await server.listen();
  return server;
}
