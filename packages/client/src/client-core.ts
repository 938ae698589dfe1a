/**
 * What a client shares with its views (`withBuffers()`, `withTimeout()`): the main connection, the blocking pool, the
 * subscriber connection and subscriptions, the Buffer-replies sibling, and their closing.
 */
import { EventEmitter } from 'node:events';
import { BlockingPool } from './blocking-pool.js';
import { Connection } from './connection.js';
import type { ResolvedOptions } from './options.js';
import { Subscriptions } from './pubsub.js';

/** Shared by a client and its views. */
export class ClientCore extends EventEmitter {
  readonly main: Connection;
  #pool: BlockingPool | undefined;
  #subscriber: Connection | undefined;
  readonly subscriptions = new Subscriptions();
  #sibling: ClientCore | undefined;

  constructor(readonly options: ResolvedOptions) {
    super();
    this.main = new Connection(options);
    for (const event of ['connect', 'ready', 'reconnecting', 'end']) {
      this.main.on(event, (...args: unknown[]) => this.emit(event, ...args));
    }
    this.main.on('error', (error: Error) => this.reportError(error));
  }

  reportError(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  get pool(): BlockingPool {
    return (this.#pool ??= new BlockingPool(this.options));
  }

  /** The connection carrying subscriptions: the main one under RESP3, a dedicated one under RESP2. */
  async subscriptionConnection(): Promise<Connection> {
    const current = this.subscriptions.connection;
    if (current !== undefined) return current;
    if (this.options.protocol === 3) {
      await this.main.ready();
      if (this.subscriptions.connection === undefined && this.main.protocol === 3) this.subscriptions.attach(this.main);
    }
    if (this.subscriptions.connection === undefined) {
      const connection = (this.#subscriber = new Connection({ ...this.options, protocol: 2 }));
      connection.on('error', (error: Error) => this.reportError(error));
      this.subscriptions.attach(connection);
    }
    return this.subscriptions.connection!;
  }

  /** The core of `withBuffers()` (its own connection: replies are decoded per connection). */
  sibling(): ClientCore {
    if (this.options.returnBuffers) return this;
    return (this.#sibling ??= new ClientCore({ ...this.options, returnBuffers: true }));
  }

  async close(graceful: boolean): Promise<void> {
    const others: Promise<void>[] = [];
    if (this.#pool !== undefined) others.push(this.#pool.close(graceful));
    if (this.#subscriber !== undefined)
      others.push(graceful ? this.#subscriber.quit() : Promise.resolve(this.#subscriber.disconnect()));
    if (this.#sibling !== undefined) others.push(this.#sibling.close(graceful));
    if (graceful) others.push(this.main.quit());
    else this.main.disconnect();
    await Promise.all(others);
  }
}
