/**
 * Explicit batches: `pipeline()` (non-atomic; `exec()` settles to values or ReplyErrors, in order) and
 * `multi()` (MULTI ... EXEC; `exec()` resolves to the typed results, or rejects with ExecAbortError, WatchError, or
 * the first command's ReplyError carrying every result). A batch is written and tracked as one queue record.
 */
import { encodeCommand, ErrorReply, NullArray, type RespValue } from '@mini-redis/protocol';
import { READ, type Arg, type CommandRow, type CommandTable, type Subst } from './command-table.js';
import { ExecAbortError, ReplyError, WatchError } from './errors.js';
import { BATCH } from './command-record.js';
import type { Connection } from './connection.js';
import { installCommands, type MethodFactory } from './install-commands.js';
import { readOnlyName } from './read-only.js';
import { plain, type RedisReply, type Transform } from './reply.js';

/** A pipeline result: the command's value, or the ReplyError it got. */
export type Settled<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] | ReplyError };

/** The chainable typed methods of a batch; each call appends that command's result type to `R`. */
export type BatchMethods<S, R extends unknown[], Self extends 'pipeline' | 'multi'> = {
  [Name in keyof CommandTable]: CommandTable[Name] extends CommandRow<infer A, infer T>
    ? (...args: A) => BatchOf<S, [...R, Subst<T, S>], Self>
    : never;
};

type BatchOf<S, R extends unknown[], Self extends 'pipeline' | 'multi'> = Self extends 'pipeline'
  ? Pipeline<S, R>
  : Multi<S, R>;

/** Options of a batch's `exec()`. */
export interface BatchOptions {
  /** Timeout for the whole batch (ms); default: the client's commandTimeout. */
  timeout?: number;
}

abstract class Batch {
  /** Encoded commands. */
  protected readonly chunks: Buffer[] = [];
  protected readonly transformsList: Transform[] = [];
  protected readonly names: Arg[] = [];
  protected readOnly = true;
  constructor(
    protected readonly connection: () => Connection,
    protected readonly timeout: number | undefined,
  ) {}

  protected addRaw(args: readonly Arg[]): this {
    return this.add(args, plain, readOnlyName(args));
  }

  /** Commands queued so far. */
  get length(): number {
    return this.chunks.length;
  }

  protected add(args: readonly Arg[], transform: Transform, readOnly: boolean): this {
    this.chunks.push(encodeCommand(args));
    this.transformsList.push(transform);
    this.names.push(args[0]!);
    if (!readOnly) this.readOnly = false;
    return this;
  }

  protected settle(replies: readonly RespValue[]): unknown[] {
    const out = new Array(replies.length);
    for (let index = 0; index < replies.length; index++) {
      const reply = replies[index]!;
      if (reply instanceof ErrorReply) out[index] = new ReplyError(reply.message, String(this.names[index]));
      else {
        try {
          out[index] = this.transformsList[index]!(reply);
        } catch (error) {
          out[index] = error;
        }
      }
    }
    return out;
  }

  protected run(
    chunks: Buffer[],
    expected: number,
    transform: Transform,
    retryable: boolean,
    name: string,
  ): Promise<any> {
    const connection = this.connection();
    const record = connection.record(Buffer.concat(chunks), name, transform, retryable, this.timeout, BATCH);
    record.batch = [];
    record.expected = expected;
    return connection.sendRecord(record);
  }
}

/** A non-atomic batch written in one go. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Pipeline<S = string, R extends unknown[] = []> extends Batch {
  /** Phantom: the string reply type. */
  declare readonly __strings?: S;
  /** Appends any command (its reply as `sendCommand` gives it). */
  addCommand(args: readonly Arg[]): Pipeline<S, [...R, RedisReply<S>]> {
    return this.addRaw(args) as unknown as Pipeline<S, [...R, RedisReply<S>]>;
  }
  /** Sends the batch; resolves with every result in order (ReplyError instances for the failed ones). */
  exec(): Promise<Settled<R>> {
    if (this.chunks.length === 0) return Promise.resolve([] as unknown as Settled<R>);
    return this.run(
      this.chunks,
      this.chunks.length,
      (replies) => this.settle(replies as RespValue[]),
      this.readOnly,
      'PIPELINE',
    );
  }
}

const MULTI = encodeCommand(['MULTI']);
const EXEC = encodeCommand(['EXEC']);

/** A MULTI/EXEC transaction written in one go. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Multi<S = string, R extends unknown[] = []> extends Batch {
  /** Phantom: the string reply type. */
  declare readonly __strings?: S;
  /** Appends any command (its reply as `sendCommand` gives it). */
  addCommand(args: readonly Arg[]): Multi<S, [...R, RedisReply<S>]> {
    return this.addRaw(args) as unknown as Multi<S, [...R, RedisReply<S>]>;
  }
  /**
   * Runs the transaction. Resolves with the typed results; rejects with ExecAbortError (a command was refused when
   * queued: nothing ran), WatchError (a watched key changed: nothing ran), or the first failed command's ReplyError
   * (the others ran; its `results` holds every value and error).
   */
  exec(): Promise<R> {
    const count = this.chunks.length;
    const transform = (value: RespValue): unknown => {
      const replies = value as unknown as RespValue[];
      const result = replies[count + 1]!;
      if (result instanceof ErrorReply) {
        const errors: ReplyError[] = [];
        for (let index = 1; index <= count; index++) {
          const queued = replies[index];
          if (queued instanceof ErrorReply) errors.push(new ReplyError(queued.message, String(this.names[index - 1])));
        }
        if (result.message.startsWith('EXECABORT')) throw new ExecAbortError(result.message, errors);
        throw new ReplyError(result.message, 'EXEC');
      }
      if (result === null || result instanceof NullArray) throw new WatchError();
      const settled = this.settle(result as RespValue[]);
      const failed = settled.find((item) => item instanceof ReplyError) as
        (ReplyError & { results?: unknown[] }) | undefined;
      if (failed !== undefined) {
        failed.results = settled;
        throw failed;
      }
      return settled;
    };
    return this.run([MULTI, ...this.chunks, EXEC], count + 2, transform, false, 'EXEC');
  }
}

/** The batch method of a command-table row: single-token rows (most) take the short path, no spread of tokens. */
const batchMethod: MethodFactory = ({ tokens, suffix, flags }, transform) => {
  const readOnly = (flags & READ) !== 0;
  const token = tokens[0]!;
  return tokens.length === 1 && suffix.length === 0
    ? function (this: Batch & { add: Batch['add'] }, ...args: Arg[]) {
        args.unshift(token);
        return this.add(args, transform, readOnly);
      }
    : function (this: Batch & { add: Batch['add'] }, ...args: Arg[]) {
        return this.add([...tokens, ...args, ...suffix], transform, readOnly);
      };
};
installCommands(Pipeline.prototype, batchMethod);
installCommands(Multi.prototype, batchMethod);

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Pipeline<S, R extends unknown[]> extends BatchMethods<S, R, 'pipeline'> {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Multi<S, R extends unknown[]> extends BatchMethods<S, R, 'multi'> {}
