// A small pool of connections for blocking commands (BLPOP, BLMOVE, XREAD BLOCK ...), so they never stall the
// main connection's pipeline. Connections open on demand up to the pool size; callers beyond it wait their turn.
import { BLOCK_FIRST, BLOCK_LAST, BLOCK_OPTION, type Arg } from './command-table.js';
import { Connection } from './connection.js';
import { ConnectionClosedError, TimeoutError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import type { Transform } from './reply.js';

export class BlockingPool {
  readonly #options: ResolvedOptions;
  readonly #idle: Connection[] = [];
  readonly #all: Connection[] = [];
  readonly #waiters: ((connection: Connection) => void)[] = [];
  #closed = false;

  constructor(options: ResolvedOptions) {
    // a blocked command is not retried after a reconnect: it may have popped an element already
    this.#options = { ...options, retryWritesOnReconnect: false };
  }

  /** Runs one blocking command on a pooled connection; `timeout` (ms, 0 = none) covers the block time. */
  async run(args: readonly (string | Buffer | number)[], transform: Transform, timeout: number): Promise<unknown> {
    const connection = await this.#acquire();
    let reusable = true;
    try {
      return await connection.send(args, transform, false, timeout);
    } catch (error) {
      // timed out: the server may still be blocked on it, so the connection cannot serve the next caller
      if (error instanceof TimeoutError) reusable = false;
      throw error;
    } finally {
      if (reusable) this.#release(connection);
      else this.#discard(connection);
    }
  }

  #acquire(): Promise<Connection> {
    if (this.#closed) return Promise.reject(new ConnectionClosedError('The client is closed'));
    const idle = this.#idle.pop();
    if (idle !== undefined) return Promise.resolve(idle);
    if (this.#all.length < this.#options.blockingPoolSize) {
      const connection = new Connection(this.#options);
      connection.on('error', () => {}); // reported by the main connection; a pooled one just reconnects
      this.#all.push(connection);
      return Promise.resolve(connection);
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #release(connection: Connection): void {
    if (connection.state === 'closed') {
      this.#all.splice(this.#all.indexOf(connection), 1);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) waiter(connection);
    else this.#idle.push(connection);
  }

  #discard(connection: Connection): void {
    connection.disconnect();
    this.#all.splice(this.#all.indexOf(connection), 1);
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) this.#acquire().then(waiter, () => {});
  }

  /** Connections open now. */
  get size(): number {
    return this.#all.length;
  }

  async close(graceful: boolean): Promise<void> {
    this.#closed = true;
    const all = this.#all.splice(0);
    this.#idle.length = 0;
    if (graceful) await Promise.all(all.map((connection) => connection.quit()));
    else for (const connection of all) connection.disconnect();
  }
}

/** The block time (ms) of a blocking command, or undefined when it will not block. */
export function blockTime(flags: number, args: readonly Arg[]): number | undefined {
  if ((flags & BLOCK_LAST) !== 0) return Number(args[args.length - 1]) * 1000;
  if ((flags & BLOCK_FIRST) !== 0) return Number(args[1]) * 1000;
  if ((flags & BLOCK_OPTION) !== 0) {
    for (let index = 1; index < args.length - 1; index++) {
      const arg = args[index];
      if (typeof arg === 'string' && arg.toUpperCase() === 'BLOCK') return Number(args[index + 1]);
      if (typeof arg === 'string' && arg.toUpperCase() === 'STREAMS') break;
    }
  }
  return undefined;
}
