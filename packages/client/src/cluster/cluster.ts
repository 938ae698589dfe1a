/**
 * Redis Cluster: discovers the slot map (CLUSTER SHARDS, falling back to CLUSTER SLOTS), routes each command to the
 * master of its keys' hash slot, rejects cross-slot commands before sending them, follows MOVED (updating the map
 * and refreshing it) and ASK (ASKING first), retries TRYAGAIN/CLUSTERDOWN, and refreshes on connection loss. Each
 * node is a full client (automatic pipelining per node, timeouts, blocking pool, reconnects).
 */
import { EventEmitter } from 'node:events';
import type { Arg, CommandMethods } from '../command-table.js';
import { RedisClient, createClient, type CommandOptions } from '../client.js';
import { ConnectionClosedError, CrossSlotError, ReplyError } from '../errors.js';
import { installCommands } from '../install-commands.js';
import type { ClientOptions } from '../options.js';
import type { MessageHandler } from '../pubsub.js';
import { readOnlyName } from '../read-only.js';
import { plain, type RedisReply, type Transform } from '../reply.js';
import { ClusterPipeline } from './cluster-pipeline.js';
import { commandKeys, type KeySpec } from './keys.js';
import { addressOf, discoverSlots, loadKeySpecs, type NodeAddress, SLOTS, splitAddress } from './slot-map.js';
import { keySlot } from './slot.js';

export { ClusterPipeline, type ClusterPipelineMethods } from './cluster-pipeline.js';
export type { NodeAddress } from './slot-map.js';

/** Options of `createCluster`: the seed nodes, plus client options used for every node connection. */
export interface ClusterOptions extends Omit<ClientOptions, 'url' | 'host' | 'port' | 'db'> {
  rootNodes: NodeAddress[];
  /** How many MOVED/ASK/TRYAGAIN redirections one command may follow. Default 16. */
  maxRedirections?: number;
}

/** A cluster client: the same typed methods as RedisClient, routed by hash slot. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class RedisCluster {
  readonly #options: ClusterOptions;
  readonly #events = new EventEmitter();
  readonly #nodes = new Map<string, RedisClient>();
  #slots: (string | undefined)[] = new Array<string | undefined>(SLOTS);
  #masters: string[] = [];
  readonly #specs = new Map<string, KeySpec>();
  #loaded = false;
  #refreshing: Promise<void> | undefined;
  #ready: Promise<void>;
  #closed = false;
  /** Slot map loads, and MOVED / ASK redirections followed (for tests and monitoring). */
  readonly stats = { refreshes: 0, moved: 0, ask: 0 };

  constructor(options: ClusterOptions) {
    if (options.rootNodes.length === 0) throw new TypeError('rootNodes must name at least one node');
    this.#options = options;
    this.#ready = this.refresh();
    this.#ready.catch(() => {});
  }

  /** Resolves once the slot map is known. */
  async ready(): Promise<this> {
    await this.#ready;
    return this;
  }

  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'refresh', listener: () => void): this;
  on(event: string, listener: (...args: any[]) => void): this {
    this.#events.on(event, listener);
    return this;
  }

  /** The master address (`host:port`) serving `slot`, once the map is loaded. */
  nodeForSlot(slot: number): string | undefined {
    return this.#slots[slot];
  }

  /** Master addresses. */
  get masters(): readonly string[] {
    return this.#masters;
  }

  /** The client of one node (opened on first use). */
  node(address: string): RedisClient {
    let client = this.#nodes.get(address);
    if (client === undefined) {
      const { rootNodes: _roots, maxRedirections: _max, ...clientOptions } = this.#options;
      client = createClient({ ...clientOptions, ...splitAddress(address) });
      client.on('error', (error) => {
        if (this.#events.listenerCount('error') > 0) this.#events.emit('error', error);
      });
      client.on('reconnecting', () => this.#scheduleRefresh());
      this.#nodes.set(address, client);
    }
    return client;
  }

  /** Reloads the slot map from the first node that answers (known masters first, then the root nodes). */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#load().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  #refreshTimer: NodeJS.Timeout | undefined;
  #scheduleRefresh(): void {
    if (this.#refreshTimer !== undefined || this.#closed) return;
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = undefined;
      this.refresh().catch(() => {});
    }, 50);
    this.#refreshTimer.unref();
  }

  async #load(): Promise<void> {
    const candidates = [...new Set([...this.#masters, ...this.#options.rootNodes.map(addressOf)])];
    let lastError: unknown;
    for (const address of candidates) {
      const client = this.node(address);
      try {
        const slots = await discoverSlots(client, splitAddress(address).host);
        if (this.#specs.size === 0) await loadKeySpecs(client, this.#specs);
        this.#slots = slots;
        this.#masters = [...new Set(slots.filter((node): node is string => node !== undefined))];
        this.#loaded = true;
        this.stats.refreshes++;
        this.#events.emit('refresh');
        return;
      } catch (error) {
        lastError = error;
      }
    }
    throw new ConnectionClosedError(`No cluster node answered the slot map request (${String(lastError)})`);
  }

  /** The slot of `args`' keys: -1 when keyless; throws CrossSlotError when they span slots. */
  slotOf(args: readonly Arg[]): number {
    const keys = commandKeys(args, this.#specs);
    if (keys.length === 0) return -1;
    const slot = keySlot(keys[0]!);
    for (let index = 1; index < keys.length; index++) {
      if (keySlot(keys[index]!) !== slot) {
        throw new CrossSlotError(
          `${String(args[0])}: keys in different hash slots (${keys.map(String).join(', ')}); use a hash tag such as {user}:a and {user}:b`,
        );
      }
    }
    return slot;
  }

  #anyMaster(): string {
    const masters = this.#masters;
    return masters[Math.floor(Math.random() * masters.length)] ?? addressOf(this.#options.rootNodes[0]!);
  }

  /** @internal routes one command, following redirections */
  _run(args: Arg[], transform: Transform, flags: number, attempt = 0): Promise<any> {
    if (this.#closed) return Promise.reject(new ConnectionClosedError('The cluster client is closed'));
    if (!this.#loaded) return this.#ready.then(() => this._run(args, transform, flags, attempt));
    let slot: number;
    try {
      slot = this.slotOf(args);
    } catch (error) {
      return Promise.reject(error);
    }
    const address = slot === -1 ? this.#anyMaster() : (this.#slots[slot] ?? this.#anyMaster());
    return this.node(address)
      ._run(args, transform, flags)
      .catch((error: unknown) => this.#redirect(error, address, args, transform, flags, attempt));
  }

  async #redirect(
    error: unknown,
    from: string,
    args: Arg[],
    transform: Transform,
    flags: number,
    attempt: number,
  ): Promise<any> {
    if (error instanceof ConnectionClosedError) this.#scheduleRefresh();
    if (!(error instanceof ReplyError) || attempt >= (this.#options.maxRedirections ?? 16)) throw error;
    const code = error.code;
    if (code === 'MOVED' || code === 'ASK') {
      const [, slotText, target] = error.message.split(' ');
      const address = target!.startsWith(':') ? `${splitAddress(from).host}${target}` : target!;
      if (code === 'MOVED') {
        this.stats.moved++;
        this.#slots[Number(slotText)] = address;
        this.#scheduleRefresh();
        // nodes may briefly disagree while a migration is being committed: back off after a few bounces
        if (attempt >= 2) await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
        return this._run(args, transform, flags, attempt + 1);
      }
      this.stats.ask++;
      const node = this.node(address);
      const asking = node._run(['ASKING'], plain, 0);
      const reply = node._run(args, transform, flags);
      asking.catch(() => {});
      return reply.catch((next: unknown) => this.#redirect(next, address, args, transform, flags, attempt + 1));
    }
    if (code === 'TRYAGAIN' || code === 'CLUSTERDOWN') {
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
      if (code === 'CLUSTERDOWN') await this.refresh().catch(() => {});
      return this._run(args, transform, flags, attempt + 1);
    }
    throw error;
  }

  /** Sends any command to the node of its keys (any master when keyless). */
  sendCommand(args: readonly Arg[], options?: CommandOptions): Promise<RedisReply> {
    const retry = options?.retryOnReconnect ?? readOnlyName(args);
    return this._run([...args], plain, retry ? 1 : 0);
  }

  /** A non-atomic batch: each command goes to its node; commands for one node share a write. */
  pipeline(): ClusterPipeline<string> {
    return new ClusterPipeline<string>(this);
  }

  /** Subscribes on one node (cluster-wide PUBLISH reaches every node). */
  subscribe(channels: string | string[], handler: MessageHandler): Promise<void> {
    return this.#ready.then(() => this.node(this.#masters[0]!).subscribe(channels, handler));
  }

  /** Subscribes to a shard channel on the master of its slot. */
  ssubscribe(channel: string, handler: MessageHandler): Promise<void> {
    return this.#ready.then(() => this.node(this.#slots[keySlot(channel)]!).ssubscribe(channel, handler));
  }

  /** Closes every node connection (QUIT). */
  async quit(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#refreshTimer);
    await this.#refreshing?.catch(() => {});
    await Promise.all([...this.#nodes.values()].map((client) => client.quit()));
  }

  /** Closes every node connection at once. */
  async disconnect(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#refreshTimer);
    await Promise.all([...this.#nodes.values()].map((client) => client.disconnect()));
  }
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface RedisCluster extends CommandMethods<string> {}

installCommands(
  RedisCluster.prototype,
  ({ tokens, suffix, flags }, transform) =>
    function (this: RedisCluster, ...args: Arg[]) {
      return this._run([...tokens, ...args, ...suffix], transform, flags);
    },
);

/** Creates a cluster client and starts discovering the slot map. */
export function createCluster(options: ClusterOptions): RedisCluster {
  return new RedisCluster(options);
}
