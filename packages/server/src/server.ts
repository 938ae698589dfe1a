/**
 * The server: a TCP listener, the registry of clients, and command dispatch (lookup, arity, auth, MULTI queuing,
 * run, reply). Each command runs to completion before the next starts, which is what makes commands atomic.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { ErrorReply, type RespValue } from '@mini-redis/protocol';
import { MapStore, WrongTypeError, type Clock, type Store } from '@mini-redis/store';
import { Client } from './client.js';
import { CommandTable } from './commands/table.js';
import type { CommandSpec, Reply } from './commands/types.js';
import { Config, type ConfigInit } from './config.js';
import { SlowLog } from './slowlog.js';
import { Stats } from './stats.js';
import { WatchRegistry } from './watch.js';
import { cString } from './commands/errors.js';

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

const UNKNOWN_ARGS_LIMIT = 128;

export class MiniRedisServer {
  readonly store: Store;
  readonly clock: Clock;
  readonly config: Config;
  readonly commands: CommandTable;
  readonly stats: Stats;
  readonly slowlog: SlowLog;
  readonly watches: WatchRegistry;
  readonly clients = new Map<number, Client>();
  readonly monitors = new Set<Client>();
  readonly runId = makeRunId();
  readonly startedAt: number;
  readonly log: (line: string) => void;
  /** Called when a client runs SHUTDOWN, after the server closed (the CLI exits the process). */
  onShutdown: (() => void) | undefined;
  private readonly net: NetServer;
  private nextClientId = 1;
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
    this.log = options.log ?? (() => {});
    this.config = new Config({
      ...options.config,
      ...(options.requirepass !== undefined ? { requirepass: options.requirepass } : {}),
      databases: String(this.store.databaseCount),
      port: String(options.port ?? 6379),
      bind: options.host ?? '127.0.0.1',
    });
    this.commands = new CommandTable();
    this.stats = new Stats();
    this.slowlog = new SlowLog(this.config);
    this.watches = new WatchRegistry(this.store);
    this.net = createServer((socket) => this.accept(socket));
    this.net.on('error', (error) => this.log(`# server error: ${String(error)}`));
  }

  /** Starts listening; resolves with the bound port and host. */
  listen(): Promise<{ port: number; host: string }> {
    const port = this.options.port ?? 6379;
    const host = this.options.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.net.once('error', onError);
      this.net.listen(port, host, () => {
        this.net.off('error', onError);
        const address = this.net.address();
        const bound = typeof address === 'object' && address !== null ? address.port : port;
        this.listening = { port: bound, host };
        this.config.setInternal('port', String(bound));
        resolve(this.listening);
      });
    });
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
    const done = new Promise<void>((resolve) => this.net.close(() => resolve()));
    for (const client of this.clients.values()) client.destroy();
    await done;
    if (this.ownsStore) await this.store.close();
  }

  /** True when clients must AUTH first. */
  requiresAuth(): boolean {
    return this.config.get('requirepass') !== '';
  }

  private accept(socket: Socket): void {
    const maxClients = Number(this.config.get('maxclients'));
    if (this.clients.size >= maxClients) {
      socket.end('-ERR max number of clients reached\r\n');
      this.stats.rejectedConnections++;
      return;
    }
    const client = new Client(this, this.nextClientId++, socket);
    this.clients.set(client.id, client);
    this.stats.totalConnections++;
  }

  /** Forgets a closed client. */
  removeClient(client: Client): void {
    this.clients.delete(client.id);
    this.monitors.delete(client);
    this.watches.unwatchAll(client);
  }

  /** A client that is not on a socket (for scripting and tests): replies accumulate in its writer. */
  createInternalClient(): Client {
    return new Client(this, this.nextClientId++, undefined);
  }

  /**
   * Runs one request from a client and writes its reply. Returns a promise only when the command went asynchronous
   * (the client then waits before running its next command). Checks run in Redis's order (processCommand): command
   * and subcommand existence, arity, authentication, MULTI restrictions; a rejected command inside MULTI makes EXEC
   * fail with EXECABORT.
   */
  dispatch(client: Client, args: string[]): Promise<void> | undefined {
    this.stats.commandsProcessed++;
    const spec = this.commands.lookup(args[0]!);
    let target = spec;
    let error: string | undefined;
    if (spec === undefined) {
      error = unknownCommand(args);
    } else {
      if (spec.subcommands !== undefined && args.length > 1) {
        target = this.commands.lookupSubcommand(spec, args[1]!);
        if (target === undefined) {
          error = `ERR unknown subcommand '${cString(args[1]!)}'. Try ${spec.name.toUpperCase()} HELP.`;
        }
      }
      if (target !== undefined) {
        const arity = target.arity;
        if ((arity > 0 && args.length !== arity) || args.length < -arity) {
          error = `ERR wrong number of arguments for '${this.commands.fullName(target)}' command`;
        } else if (!client.authenticated && !target.flags.includes('no_auth')) {
          error = 'NOAUTH Authentication required.';
        } else if (client.multi !== undefined && target.flags.includes('no_multi')) {
          error = 'ERR Command not allowed inside a transaction';
        }
      }
    }
    if (error !== undefined) {
      if (client.multi !== undefined) client.multiError = true;
      client.writer.error(error);
      return undefined;
    }
    if (client.multi !== undefined && !isTransactionControl(target!.name)) {
      client.multi.push({ spec: target!, args });
      client.writer.simple('QUEUED');
      return undefined;
    }
    const reply = this.call(client, target!, args);
    if (reply instanceof Promise) {
      return reply.then((value) => {
        client.writer.value(value);
      });
    }
    client.writer.value(reply);
    return undefined;
  }

  /**
   * Runs a command whose checks passed (`spec` is the resolved command or subcommand) and returns its reply; thrown
   * errors become error replies. Used by dispatch and by EXEC for queued commands.
   */
  call(client: Client, spec: CommandSpec, args: string[]): Reply | Promise<Reply> {
    const run = spec.run;
    if (run === undefined) return new ErrorReply(`ERR unknown subcommand. Try ${this.commands.fullName(spec).toUpperCase()} HELP.`);
    client.lastCommand = spec;
    if (this.monitors.size > 0 && !spec.flags.includes('skip_monitor')) this.feedMonitors(client, args);
    try {
      const reply = this.slowlog.threshold < 0 ? run(client, args) : this.slowlog.timed(client, spec, args, run);
      if (reply instanceof Promise) return reply.catch(toErrorReply);
      return reply;
    } catch (error) {
      return toErrorReply(error);
    }
  }

  /** MONITOR: every command, as redis-server prints it. */
  private feedMonitors(client: Client, args: string[]): void {
    const now = this.clock.now();
    const seconds = Math.floor(now / 1000);
    const micros = String((now % 1000) * 1000).padStart(6, '0');
    const address = client.socket ? client.address : 'lua';
    let line = `${seconds}.${micros} [${client.db.index} ${address}]`;
    for (const arg of args) line += ` "${escapeMonitorArg(arg)}"`;
    for (const monitor of this.monitors) {
      if (monitor !== client) monitor.send((writer) => writer.simple(line));
    }
  }
}

/** Starts a server (see ServerOptions) and resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<MiniRedisServer> {
  const server = new MiniRedisServer(options);
  await server.listen();
  return server;
}

function isTransactionControl(name: string): boolean {
  return name === 'exec' || name === 'discard' || name === 'multi' || name === 'watch' || name === 'quit' || name === 'reset';
}

/** Converts a thrown error into the reply Redis would send. */
export function toErrorReply(error: unknown): RespValue {
  if (error instanceof ErrorReply) {
    // addReplyErrorFormat trims CR/LF from both ends of the text (the writer turns inner ones into spaces).
    const message = error.message;
    if (message.indexOf('\r') === -1 && message.indexOf('\n') === -1) return error;
    return new ErrorReply(message.replace(/^[\r\n]+|[\r\n]+$/g, ''));
  }
  if (WrongTypeError.isInstance(error)) return new ErrorReply((error as Error).message);
  // Anything else is a bug in a handler: the client gets a clear error, the server and other clients carry on.
  const message = error instanceof Error ? error.message : String(error);
  return new ErrorReply(`ERR internal error: ${message}`);
}

/** Redis's text for an unknown command: the name and the first args quoted, up to 128 chars of args. */
function unknownCommand(args: string[]): string {
  let listed = '';
  for (let i = 1; i < args.length && listed.length < UNKNOWN_ARGS_LIMIT; i++) {
    listed += `'${cString(args[i]!, UNKNOWN_ARGS_LIMIT - listed.length)}' `;
  }
  return `ERR unknown command '${cString(args[0]!)}', with args beginning with: ${listed}`;
}

/** sdscatrepr: printable bytes as they are, the rest escaped. */
export function escapeMonitorArg(arg: string): string {
  let out = '';
  for (let i = 0; i < arg.length; i++) {
    const code = arg.charCodeAt(i);
    switch (code) {
      case 92: out += '\\\\'; break;
      case 34: out += '\\"'; break;
      case 10: out += '\\n'; break;
      case 13: out += '\\r'; break;
      case 9: out += '\\t'; break;
      case 7: out += '\\a'; break;
      case 8: out += '\\b'; break;
      default:
        out += code >= 32 && code < 127 ? arg[i] : `\\x${code.toString(16).padStart(2, '0')}`;
    }
  }
  return out;
}
