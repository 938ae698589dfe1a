// The client's typed errors: replies the server refused, closed connections, timeouts and client misuse.

const MARKER = Symbol.for('@mini-redis/client.error');

/** The base class of every error this client raises (check with `instanceof` or `RedisClientError.isInstance`). */
export class RedisClientError extends Error {
  readonly [MARKER] = true;
  override readonly name: string = 'RedisClientError';
  /** True for any error created by this package, even when two copies of it are loaded. */
  static isInstance(value: unknown): value is RedisClientError {
    return typeof value === 'object' && value !== null && (value as { [MARKER]?: boolean })[MARKER] === true;
  }
}

/**
 * An error reply from the server. `code` is its first word (`ERR`, `WRONGTYPE`, `NOSCRIPT`, `MOVED`, `ASK`, `BUSY`,
 * `LOADING`, `EXECABORT`...); `message` is the full text, exactly as the server sent it.
 */
export class ReplyError extends RedisClientError {
  override readonly name: string = 'ReplyError';
  /** The command's name (first argument), for context; arguments are not kept (they may hold secrets). */
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
  /** The error code: the first word of the message. */
  get code(): string {
    const space = this.message.indexOf(' ');
    return space === -1 ? this.message : this.message.slice(0, space);
  }
}

/** EXEC answered EXECABORT: a queued command was refused, so nothing ran. `errors` holds the refusals, in order. */
export class ExecAbortError extends ReplyError {
  override readonly name = 'ExecAbortError';
  constructor(
    message: string,
    readonly errors: readonly ReplyError[],
  ) {
    super(errors.length > 0 ? `${message} (${errors.map((error) => error.message).join('; ')})` : message, 'EXEC');
  }
}

/** EXEC returned null: a WATCHed key changed, so the transaction did not run. */
export class WatchError extends RedisClientError {
  override readonly name = 'WatchError';
  constructor() {
    super('EXEC aborted: a watched key was modified (the transaction did not run)');
  }
}

/**
 * The connection closed while the command was in flight (and the command was not safe to retry), or before it could
 * be sent (the client was closed, or the offline queue was full or disabled).
 */
export class ConnectionClosedError extends RedisClientError {
  override readonly name = 'ConnectionClosedError';
}

/** The command got no reply within its timeout. The connection stays usable; the late reply is dropped. */
export class TimeoutError extends RedisClientError {
  override readonly name = 'TimeoutError';
}

/** A cluster command whose keys hash to different slots. */
export class CrossSlotError extends RedisClientError {
  override readonly name = 'CrossSlotError';
}
