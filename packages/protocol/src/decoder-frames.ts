// The Decoder's open aggregates: a stack of frames that values are handed to, closed as they fill, and the callbacks
// that receive each complete top-level value.
import { aggregateOf } from './decoder-fast.js';
import { enumKind, error, type Frame, type Kind } from './decoder-values.js';
import { Attributed, Push, RespMap, type RespValue } from './values.js';

/** The stack of open aggregates, innermost last, and where complete top-level values go. */
export class Frames {
  readonly #onReply: (value: RespValue) => void;
  readonly #onPush: ((push: Push) => void) | undefined;
  readonly #maxDepth: number;
  stack: Frame[] = [];
  /** The innermost open aggregate (the stack's last frame). */
  top: Frame | undefined = undefined;

  constructor(onReply: (value: RespValue) => void, onPush: ((push: Push) => void) | undefined, maxDepth: number) {
    this.#onReply = onReply;
    this.#onPush = onPush;
    this.#maxDepth = maxDepth;
  }

  reset(): void {
    this.stack = [];
    this.top = undefined;
  }

  open(kind: Kind, remaining: number, attributes?: RespMap): void {
    if (this.stack.length >= this.#maxDepth) throw error(`nesting deeper than ${this.#maxDepth}`);
    const frame: Frame = { kind, items: [], remaining, attributes, parts: undefined };
    this.stack.push(frame);
    this.top = frame;
  }

  /** Opens frames recorded innermost first (by the fast path, for aggregates it could not finish). */
  adopt(partial: Frame[]): void {
    for (let index = partial.length - 1; index >= 0; index--) this.stack.push(partial[index]!);
    this.top = this.stack[this.stack.length - 1];
  }

  pop(): Frame {
    const stack = this.stack;
    const frame = stack.pop()!;
    this.top = stack.length === 0 ? undefined : stack[stack.length - 1];
    return frame;
  }

  /** An aggregate of size 0 of `kind`: a value at once, or attributes still waiting for their value. */
  empty(kind: Kind): void {
    if (kind === enumKind.ATTRIBUTE) this.open(enumKind.ATTRIBUTED, 1, new RespMap([]));
    else this.value(aggregateOf(kind, []));
  }

  /** Hands a complete value to the innermost open aggregate, closing those it completes, or to the callbacks. */
  value(value: RespValue): void {
    let frame = this.top;
    while (frame !== undefined) {
      if (frame.kind === enumKind.ATTRIBUTED) {
        this.pop();
        value = new Attributed(frame.attributes!, value);
        frame = this.top;
        continue;
      }
      frame.items.push(value);
      if (--frame.remaining !== 0) return;
      this.pop();
      if (frame.kind === enumKind.ATTRIBUTE) {
        this.open(enumKind.ATTRIBUTED, 1, new RespMap(frame.items));
        return;
      }
      value = aggregateOf(frame.kind, frame.items);
      frame = this.top;
    }
    if (this.#onPush !== undefined && value instanceof Push) this.#onPush(value);
    else this.#onReply(value);
  }
}
