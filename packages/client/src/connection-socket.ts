/**
 * Opening a connection's socket: TCP or TLS, no Nagle delay, keep-alive, and the connect timeout (the socket is
 * destroyed with ConnectionClosedError when it is not up in time; the connection clears the timer once ready); and
 * the reconnection schedule after the socket closes.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ConnectionClosedError } from './errors.js';
import type { ResolvedOptions } from './options.js';

/** What a connection does with its socket's events. */
export interface SocketEvents {
  /** TCP (or TLS) is up. */
  connected(): void;
  data(chunk: Buffer): void;
  error(error: Error): void;
  closed(): void;
}

/** Opens the socket; returns it with its connect timer (undefined without a connect timeout). */
export function openSocket(
  options: ResolvedOptions,
  events: SocketEvents,
): { socket: Socket; connectTimer: NodeJS.Timeout | undefined } {
  const { host, port, tls, connectTimeout } = options;
  const socket = tls !== undefined ? tlsConnect({ host, port, ...tls }) : netConnect({ host, port });
  socket.setNoDelay(true);
  socket.setKeepAlive(true);
  let connectTimer: NodeJS.Timeout | undefined;
  if (connectTimeout > 0) {
    connectTimer = setTimeout(() => {
      socket.destroy(new ConnectionClosedError(`Connection to ${host}:${port} timed out after ${connectTimeout} ms`));
    }, connectTimeout);
    connectTimer.unref();
  }
  socket.once(tls !== undefined ? 'secureConnect' : 'connect', () => events.connected());
  socket.on('data', (chunk: Buffer) => events.data(chunk));
  socket.on('error', (error) => events.error(error));
  socket.on('close', () => events.closed());
  return { socket, connectTimer };
}

/** Reconnection attempts: the strategy's delay before each, and its timer. */
export class Reconnect {
  /** Attempts since the connection was last ready. */
  attempt = 0;
  #timer: NodeJS.Timeout | undefined;

  /** Schedules `retry` after the strategy's delay for the next attempt; false (nothing scheduled) when it gives up. */
  schedule(strategy: ResolvedOptions['reconnectStrategy'], retry: () => void): number | false {
    const delay = strategy === false ? false : strategy(++this.attempt, undefined);
    if (delay === false) return false;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      retry();
    }, delay);
    return delay;
  }

  cancel(): void {
    clearTimeout(this.#timer);
  }
}
