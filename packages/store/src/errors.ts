/** Errors the store throws, with Redis's exact reply text so the server can send `message` as is. */

const marker = Symbol.for('mini-redis.store.WrongTypeError');

/** A command used a key holding another type of value (Redis's WRONGTYPE error). */
export class WrongTypeError extends Error {
  readonly [marker] = true;

  constructor() {
    super('WRONGTYPE Operation against a key holding the wrong kind of value');
    this.name = 'WrongTypeError';
  }

  /** True for a WrongTypeError, even one created by another copy of this package. */
  static isInstance(error: unknown): error is WrongTypeError {
    return (
      typeof error === 'object' &&
      error !== null &&
      marker in error &&
      (error as Record<symbol, unknown>)[marker] === true
    );
  }
}
