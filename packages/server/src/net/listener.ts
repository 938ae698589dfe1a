/**
 * The TCP listener: accepts sockets (refusing them past `maxclients`), makes a Connection for each, and keeps the
 * registry of connected clients that CLIENT LIST/KILL and INFO read.
 */
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { CommandContext, ServerContext } from '../context.js';
import { Connection } from './connection.js';

/** Redis 7.0's refusal of a non-loopback client in protected mode (networking.c clientAcceptHandler). */
const PROTECTED_MODE_DENIED =
  '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the ' +
  'default user. In this mode connections are only accepted from the loopback interface. If you want to connect ' +
  'from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode ' +
  "sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the " +
  'same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. ' +
  'Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by ' +
  "editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the " +
  "server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' " +
  'option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above ' +
  'things in order for the server to start accepting connections from the outside.\r\n';

/** connIsLocal: a loopback address (or a Unix socket, which has no remote address). */
function isLoopback(address: string | undefined): boolean {
  if (address === undefined || address === '') return true;
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

/** strerror(3)'s text for the errors binding a Unix socket can give (anetListen's `bind: %s`). */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EADDRINUSE: 'Address already in use',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  ENAMETOOLONG: 'File name too long',
  EINVAL: 'Invalid argument',
  ELOOP: 'Too many levels of symbolic links',
  EPERM: 'Operation not permitted',
};

/** sizeof(struct sockaddr_un.sun_path) on Linux: a path must be shorter. */
const SUN_PATH_SIZE = 108;

/** A Unix socket that could not be opened; `message` is Redis's reason (`bind: No such file or directory`). */
export class UnixSocketError extends Error {
  override readonly name = 'UnixSocketError';
}

export class Listener {
  /** Connected clients by id. */
  readonly clients = new Map<number, CommandContext>();
  private readonly connections = new Set<Connection>();
  /** One listening socket per bound address. */
  private nets: NetServer[] = [];
  /** The Unix socket's listener and path (`unixsocket`), when one is open. */
  private unixNet: NetServer | undefined;
  private unixPath = '';
  private readonly server: ServerContext;
  private nextClientId = 1;
  /** The clients cron (idle timeout), every 1000/hz ms while listening. */
  private cron: NodeJS.Timeout | undefined;
  /** Forgets a closed client's server-side state (watches, MONITOR...). */
  private readonly onClientClosed: (ctx: CommandContext) => void;

  constructor(server: ServerContext, onClientClosed: (ctx: CommandContext) => void) {
    this.server = server;
    this.onClientClosed = onClientClosed;
  }

  /**
   * Starts listening on `port` at each address of a `bind` list (`*` is every IPv4 address, `::*` every IPv6 one, a
   * leading `-` marks an address that may be unavailable); resolves with the bound port (the chosen one for 0).
   */
  async listen(port: number, bind: string): Promise<number> {
    const nets = await this.open(port, bind);
    this.nets = nets;
    this.scheduleCron();
    const address = nets[0]?.address();
    return typeof address === 'object' && address !== null ? address.port : port;
  }

  /**
   * Listens on a new port or bind list (CONFIG SET port/bind); the old sockets close once the new ones listen, and
   * connected clients stay. Resolves with an error text when the new addresses cannot be bound (nothing changes).
   */
  async rebind(port: number, bind: string, oldPort: number, oldBind: string): Promise<Error | undefined> {
    // As Redis's applyBind: the old sockets close first (the new list may name the same address), and come back when
    // the new ones cannot be bound.
    for (const net of this.nets) net.close();
    this.nets = [];
    await new Promise((resolve) => setImmediate(resolve));
    try {
      this.nets = await this.open(port, bind);
      return undefined;
    } catch (error) {
      // Port 0 here is a server without TCP (the CLI's port 0): there is nothing to reopen.
      this.nets = oldPort === 0 ? [] : await this.open(oldPort, oldBind).catch(() => []);
      return error as Error;
    }
  }

  private async open(port: number, bind: string): Promise<NetServer[]> {
    const nets: NetServer[] = [];
    try {
      for (const entry of bind.split(' ').filter((word) => word !== '')) {
        const optional = entry.startsWith('-');
        const address = optional ? entry.slice(1) : entry;
        const host = address === '*' ? '0.0.0.0' : address === '::*' ? '::' : address;
        try {
          // Later addresses share the port the first one got (port 0 picks one).
          const first = nets[0]?.address();
          const chosen = port === 0 && typeof first === 'object' && first !== null ? first.port : port;
          nets.push(await this.listenOne(chosen, host));
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (optional && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT' || code === 'EPROTONOSUPPORT')) continue;
          throw error;
        }
      }
    } catch (error) {
      for (const net of nets) net.close();
      throw error;
    }
    return nets;
  }

  /**
   * Opens the Unix socket at `path` as Redis's anetUnixServer: a stale file there is removed first, then the socket
   * is bound and, when `perm` is not 0, chmod-ed to it. Rejects with a UnixSocketError carrying Redis's reason.
   */
  async listenUnix(path: string, perm: number): Promise<void> {
    if (path.length > SUN_PATH_SIZE - 1) {
      throw new UnixSocketError(`unix socket path too long (${path.length}), must be under ${SUN_PATH_SIZE}`);
    }
    try {
      unlinkSync(path); // don't care if this fails (as Redis)
    } catch {
      // no stale socket
    }
    const net = createServer({ pauseOnConnect: true }, (socket) => this.accept(socket, path));
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        // libuv reports a missing directory as EACCES (uv_pipe_bind); bind(2) says ENOENT, as Redis prints it.
        const code = error.code === 'EACCES' && !existsSync(dirname(path)) ? 'ENOENT' : (error.code ?? '');
        reject(new UnixSocketError(`bind: ${STRERROR[code] ?? error.message}`));
      };
      net.once('error', onError);
      net.listen({ path, backlog: Number(this.server.config.get('tcp-backlog')) }, () => {
        net.off('error', onError);
        net.on('error', (error) => this.server.log(`# server error: ${String(error)}`));
        resolve();
      });
    });
    if (perm !== 0) {
      try {
        chmodSync(path, perm);
      } catch {
        // Redis ignores chmod's result too
      }
    }
    this.unixNet = net;
    this.unixPath = path;
    if (this.cron === undefined) this.scheduleCron();
  }

  private listenOne(port: number, host: string): Promise<NetServer> {
    const net = createServer({ pauseOnConnect: true }, (socket) => this.accept(socket));
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      net.once('error', onError);
      net.listen({ port, host, ipv6Only: host.includes(':'), backlog: Number(this.server.config.get('tcp-backlog')) }, () => {
        net.off('error', onError);
        net.on('error', (error) => this.server.log(`# server error: ${String(error)}`));
        resolve(net);
      });
    });
  }

  /** Stops accepting and closes every connection at once. */
  close(): Promise<void> {
    clearTimeout(this.cron);
    this.cron = undefined;
    const nets = this.unixNet === undefined ? this.nets : [...this.nets, this.unixNet];
    const done = Promise.all(nets.map((net) => new Promise<void>((resolve) => net.close(() => resolve()))));
    this.nets = [];
    if (this.unixNet !== undefined) {
      // closeListeningSockets: the socket file goes (libuv unlinks it on close too; this is for the log line).
      this.server.log('* Removing the unix socket file.');
      try {
        unlinkSync(this.unixPath);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') this.server.log(`# Error removing the unix socket file: ${STRERROR[code ?? ''] ?? String(error)}`);
      }
      this.unixNet = undefined;
      this.unixPath = '';
    }
    for (const connection of this.connections) connection.destroy();
    return done.then(() => undefined);
  }

  /** Writes Redis's refusal and closes at once (what the peer sends is not read). */
  private refuse(socket: Socket, text: string): void {
    socket.on('error', () => {});
    socket.pause();
    socket.end(text, () => socket.destroy());
    this.server.stats.rejectedConnections++;
  }

  /**
   * clientsCronHandleTimeout: closes the clients idle for more than `timeout` seconds (none when 0), except those
   * blocked in a command and those in MONITOR mode (Redis exempts replicas and monitors, blocked and subscribed
   * clients).
   */
  closeIdleClients(): void {
    const timeout = Number(this.server.config.get('timeout'));
    if (timeout <= 0) return;
    const now = this.server.clock.now();
    for (const connection of this.connections) {
      const ctx = connection.ctx;
      if (connection.idleExempt) continue;
      if (now - ctx.lastInteraction > timeout * 1000) {
        this.server.log('- Closing idle client');
        connection.destroy();
      }
    }
  }

  private scheduleCron(): void {
    const hz = Number(this.server.config.get('hz')) || 10;
    this.cron = setTimeout(() => {
      this.closeIdleClients();
      if (this.nets.length > 0 || this.unixNet !== undefined) this.scheduleCron();
    }, 1000 / hz);
    this.cron.unref();
  }

  /** A client id for a context that is not a connection (scripts, tests). */
  allocateId(): number {
    return this.nextClientId++;
  }

  /** A new client: `unixPath` is the socket's path for a Unix socket client. */
  private accept(socket: Socket, unixPath?: string): void {
    const server = this.server;
    const config = server.config;
    const maxClients = Number(config.get('maxclients'));
    if (this.clients.size >= maxClients) {
      this.refuse(socket, '-ERR max number of clients reached\r\n');
      return;
    }
    // Unix socket clients are local: protected mode lets them in.
    if (unixPath === undefined && config.get('protected-mode') === 'yes' && config.get('requirepass') === '' && !isLoopback(socket.remoteAddress)) {
      this.refuse(socket, PROTECTED_MODE_DENIED);
      return;
    }
    const connection = new Connection(server, this.nextClientId++, socket, (closed) => {
      this.connections.delete(closed);
      this.clients.delete(closed.ctx.id);
      this.onClientClosed(closed.ctx);
    }, unixPath);
    this.connections.add(connection);
    this.clients.set(connection.ctx.id, connection.ctx);
    server.stats.totalConnections++;
  }
}
