/**
 * The composition: a MiniRedisServer puts together the store (a MapStore unless one is given), the clock, the
 * config, the command table, stats, slow log and watch registry (the ServerContext that commands see) with the TCP
 * listener. startServer and the CLI build one.
 */
import { MapStore, type Clock, type Store } from '@mini-redis/store';
import { BlockingRegistry } from './blocking.js';
import { allCommands } from './commands/index.js';
import { CommandTable } from './commands/table.js';
import { CommandContext, type NotifyClass, type ServerContext } from './context.js';
import { Config, type ConfigInit } from './config.js';
import { Listener } from './net/listener.js';
import { SlowLog } from './slowlog.js';
import { Stats } from './stats.js';
import { WatchRegistry } from './watch.js';

/** Options of an embedded or CLI server. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one (read it back from `port` after listen). Default 6379. */
  readonly port?: number;
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
  readonly watches: WatchRegistry;
  readonly blocking = new BlockingRegistry();
  readonly monitors = new Set<CommandContext>();
  readonly runId = makeRunId();
  readonly startedAt: number;
  private readonly logLine: (line: string) => void;
  /** Called when a client runs SHUTDOWN, after the server closed (the CLI exits the process). */
  onShutdown: (() => void) | undefined;
  private readonly listener: Listener;
  private listening: { port: number; host: string } | undefined;
  private readonly options: ServerOptions;
  private closed = false;
  private readonly ownsStore: boolean;

  constructor(options: ServerOptions = {}) {
    this.options = options;
    this.ownsStore = options.store === undefined;
    this.store =
      options.store ??
      new MapStore({ databases: options.databases ?? 16, ...(options.clock ? { clock: options.clock } : {}) });
    this.clock = this.store.clock;
    this.startedAt = this.clock.now();
    this.logLine = options.log ?? (() => {});
    this.config = new Config({
      ...options.config,
      ...(options.requirepass !== undefined ? { requirepass: options.requirepass } : {}),
      databases: String(this.store.databaseCount),
      port: String(options.port ?? 6379),
      bind: options.host ?? '127.0.0.1',
    });
    this.commands = new CommandTable(allCommands);
    this.stats = new Stats();
    this.slowlog = new SlowLog(this.config);
    this.watches = new WatchRegistry(this.store);
    this.listener = new Listener(this, (ctx) => this.forget(ctx));
    // signalDeletedKeyAsReady: a key removed or replaced wakes its waiters (XREADGROUP then fails, as in Redis 7.0).
    this.store.onChange((change) => {
      if (change.key !== undefined && (change.kind === 'deleted' || change.kind === 'set' || change.kind === 'expired')) {
        this.blocking.signal(change.db, change.key);
      }
    });
  }

  /** Connected clients by id. */
  get clients(): ReadonlyMap<number, CommandContext> {
    return this.listener.clients;
  }

  log(line: string): void {
    this.logLine(line);
  }

  /** Starts listening; resolves with the bound port and host. */
  async listen(): Promise<{ port: number; host: string }> {
    const host = this.options.host ?? '127.0.0.1';
    const port = await this.listener.listen(this.options.port ?? 6379, host);
    this.listening = { port, host };
    this.config.setInternal('port', String(port));
    return this.listening;
  }

  /** The bound port (after listen). */
  get port(): number {
    if (!this.listening) throw new Error('the server is not listening');
    return this.listening.port;
  }

  /** The bound host (after listen). */
  get host(): string {
    return this.listening?.host ?? this.options.host ?? '127.0.0.1';
  }

  /** Stops accepting, closes every client, and (when the server created it) closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listener.close();
    if (this.ownsStore) await this.store.close();
  }

  async shutdown(): Promise<void> {
    await this.close();
    this.onShutdown?.();
  }

  notify(_type: NotifyClass, _event: string, _key: string, _db: number): void {
    // Keyspace notifications are delivered once pub/sub exists; until then nobody can subscribe to them.
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
  }
}

/** Starts a server (see ServerOptions) and resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<MiniRedisServer> {
  const server = new MiniRedisServer(options);
  await server.listen();
  return server;
}
