/**
 * The TCP listener: accepts sockets (refusing them past `maxclients`), makes a Connection for each, and keeps the
 * registry of connected clients that CLIENT LIST/KILL and INFO read.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { CommandContext, ServerContext } from '../context.js';
import { Connection } from './connection.js';

export class Listener {
  /** Connected clients by id. */
  readonly clients = new Map<number, CommandContext>();
  private readonly connections = new Set<Connection>();
  private readonly net: NetServer;
  private readonly server: ServerContext;
  private nextClientId = 1;
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
        const address = this.net.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  /** Stops accepting and closes every connection at once. */
  close(): Promise<void> {
    const done = new Promise<void>((resolve) => this.net.close(() => resolve()));
    for (const connection of this.connections) connection.destroy();
    return done;
  }

  /** A client id for a context that is not a connection (scripts, tests). */
  allocateId(): number {
    return this.nextClientId++;
  }

  private accept(socket: Socket): void {
    const server = this.server;
    const maxClients = Number(server.config.get('maxclients'));
    if (this.clients.size >= maxClients) {
      socket.end('-ERR max number of clients reached\r\n');
      server.stats.rejectedConnections++;
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
