/**
 * The cluster pipeline: typed commands chained like a client's pipeline, each routed to its own node by the
 * cluster (commands for one node share that node's write); `exec()` settles every result in order.
 */
import type { Settled } from '../batch.js';
import type { Arg, CommandRow, CommandTable, Subst } from '../command-table.js';
import { CrossSlotError, ReplyError } from '../errors.js';
import { installCommands } from '../install-commands.js';
import { readOnlyName } from '../read-only.js';
import { plain, type RedisReply, type Transform } from '../reply.js';
import type { RedisCluster } from './cluster.js';

/** The chainable typed methods of a cluster pipeline. */
export type ClusterPipelineMethods<S, R extends unknown[]> = {
  [Name in keyof CommandTable]: CommandTable[Name] extends CommandRow<infer A, infer T>
    ? (...args: A) => ClusterPipeline<S, [...R, Subst<T, S>]>
    : never;
};

/** A cluster pipeline: routed per command; `exec()` settles every result in order. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ClusterPipeline<S = string, R extends unknown[] = []> {
  declare readonly __strings?: S;
  readonly #commands: [Arg[], Transform, number][] = [];
  constructor(readonly cluster: RedisCluster) {}

  /** @internal */
  _add(args: Arg[], transform: Transform, flags: number): this {
    this.#commands.push([args, transform, flags]);
    return this;
  }

  addCommand(args: readonly Arg[]): ClusterPipeline<S, [...R, RedisReply<S>]> {
    return this._add([...args], plain, readOnlyName(args) ? 1 : 0) as unknown as ClusterPipeline<
      S,
      [...R, RedisReply<S>]
    >;
  }

  async exec(): Promise<Settled<R>> {
    const outcomes = this.#commands.map(([args, transform, flags]) =>
      this.cluster._run(args, transform, flags).catch((error: unknown) => {
        if (error instanceof ReplyError || error instanceof CrossSlotError) return error;
        throw error;
      }),
    );
    return (await Promise.all(outcomes)) as Settled<R>;
  }
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ClusterPipeline<S, R extends unknown[]> extends ClusterPipelineMethods<S, R> {}

installCommands(
  ClusterPipeline.prototype,
  ({ tokens, suffix, flags }, transform) =>
    function (this: ClusterPipeline, ...args: Arg[]) {
      return this._add([...tokens, ...args, ...suffix], transform, flags);
    },
);
