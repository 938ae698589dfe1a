/**
 * The TCP listener: accepts sockets (refusing them past `maxclients`), makes a Connection for each, and keeps the
 * registry of connected clients that CLIENT LIST/KILL and INFO read.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
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

export class Listener {
  /** Connected clients by id. */
  readonly clients = new Map<number, CommandContext>();
  private readonly connections = new Set<Connection>();
  private readonly net: NetServer;
  private readonly server: ServerContext;
  private nextClientId = 1;
  /** The clients cron (idle timeout), every 1000/hz ms while listening. */
  private cron: NodeJS.Timeout | undefined;
  /** Forgets a closed client's server-side state (watches, MONITOR...). */
  private readonly onClientClosed: (ctx: CommandContext) => void;

  constructor(server: ServerContext, onClientClosed: (ctx: CommandContext) => void) {
    this.server = server;
    this.onClientClosed = onClientClosed;
    this.net = createServer((socket) => this.accept(socket));
    this.net.on('error', (error) => server.log(`# server error: ${String(error)}`));
  }

  /** Starts listening; resolves with the bound port. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.net.once('error', onError);
      this.net.listen(port, host, () => {
        this.net.off('error', onError);
        this.scheduleCron();
        const address = this.net.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  /** Stops accepting and closes every connection at once. */
  close(): Promise<void> {
    clearTimeout(this.cron);
    this.cron = undefined;
    const done = new Promise<void>((resolve) => this.net.close(() => resolve()));
    for (const connection of this.connections) connection.destroy();
    return done;
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
      if (this.net.listening) this.scheduleCron();
    }, 1000 / hz);
    this.cron.unref();
  }

  /** A client id for a context that is not a connection (scripts, tests). */
  allocateId(): number {
    return this.nextClientId++;
  }

  private accept(socket: Socket): void {
    const server = this.server;
    const config = server.config;
    const maxClients = Number(config.get('maxclients'));
    if (this.clients.size >= maxClients) {
      this.refuse(socket, '-ERR max number of clients reached\r\n');
      return;
    }
    if (config.get('protected-mode') === 'yes' && config.get('requirepass') === '' && !isLoopback(socket.remoteAddress)) {
      this.refuse(socket, PROTECTED_MODE_DENIED);
      return;
    }
    const connection = new Connection(server, this.nextClientId++, socket, (closed) => {
      this.connections.delete(closed);
      this.clients.delete(closed.ctx.id);
      this.onClientClosed(closed.ctx);
    });
    this.connections.add(connection);
    this.clients.set(connection.ctx.id, connection.ctx);
    server.stats.totalConnections++;
  }
}
