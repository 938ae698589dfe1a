/**
 * The blocking mechanism (Redis's blocked.c), for every key type: a client blocks on keys with a serve function;
 * commands signal keys that may now serve (signalKeyAsReady); after each top-level command the dispatcher calls
 * handleReady, which offers each ready key to its waiters first come, first served, until one finds nothing.
 */
import type { Clock } from '@mini-redis/store';
import type { Blocking, BlockRequest, CommandContext, Reply } from './context.js';
import { toErrorReply } from './commands/dispatch.js';

interface Waiter {
  readonly request: BlockRequest;
  readonly resolve: (reply: Reply) => void;
  /** When the wait times out, on the server's clock (ms); Infinity for none. */
  readonly deadline: number;
  done: boolean;
}

/**
 * Timeouts follow the server's clock, not the wall clock: each waiter has a deadline in clock time, and one real
 * timer is armed for the earliest deadline. When it fires, every waiter whose deadline the clock has reached times
 * out. With a ManualClock, a test moves the clock and calls `expireTimeouts()` (the timer also re-checks on its own,
 * every `MAX_TIMER_MS` at most, so time moved by hand is noticed without a call too).
 */
const MAX_TIMER_MS = 1000;

export class BlockingRegistry implements Blocking {
  /** Told when the first client blocks (true) and when the last one is released (false). */
  onActive: ((active: boolean) => void) | undefined;
  /**
   * Runs a waiter's serve with its client as the current one (blocked.c sets server.current_client = receiver):
   * invalidations of keys the served command modifies reach that client after its reply. Set by the server.
   */
  aroundServe: ((ctx: CommandContext, serve: () => Reply | undefined) => Reply | undefined) | undefined;
  private readonly clock: Clock;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** db -> key -> waiters in arrival order. */
  private readonly byKey = new Map<number, Map<string, Waiter[]>>();
  private readonly byClient = new Map<CommandContext, Waiter>();
  /** Keys signalled since the last handleReady, as db -> keys. */
  private ready = new Map<number, Set<string>>();
  /** Clients just served by a key, with the time serving took (ms), until the dispatcher takes it. */
  private readonly served = new Map<CommandContext, number>();

  isBlocked(ctx: CommandContext): boolean {
    return this.byClient.has(ctx);
  }

  takeServedMs(ctx: CommandContext): number | undefined {
    const ms = this.served.get(ctx);
    if (ms !== undefined) this.served.delete(ctx);
    return ms;
  }

  get blockedCount(): number {
    return this.byClient.size;
  }

  get hasReady(): boolean {
    return this.ready.size > 0;
  }

  block(request: BlockRequest, timeoutMs: number): Promise<Reply> {
    return new Promise<Reply>((resolve) => {
      const deadline = timeoutMs > 0 ? this.clock.now() + timeoutMs : Infinity;
      const waiter: Waiter = { request, resolve, deadline, done: false };
      const db = request.ctx.db.index;
      let keys = this.byKey.get(db);
      if (keys === undefined) this.byKey.set(db, (keys = new Map()));
      for (const key of new Set(request.keys)) {
        const queue = keys.get(key);
        if (queue === undefined) keys.set(key, [waiter]);
        else queue.push(waiter);
      }
      this.byClient.set(request.ctx, waiter);
      if (this.byClient.size === 1) this.onActive?.(true);
      if (deadline !== Infinity) this.arm(deadline);
    });
  }

  /** Times out every waiter whose deadline the clock has reached (called by the timer; tests with a ManualClock). */
  expireTimeouts(): void {
    const now = this.clock.now();
    let next = Infinity;
    for (const waiter of [...this.byClient.values()]) {
      if (waiter.deadline <= now) this.finish(waiter, waiter.request.timeoutReply());
      else if (waiter.deadline < next) next = waiter.deadline;
    }
    if (next !== Infinity) this.arm(next);
  }

  /** Arms the real timer for a deadline (keeps an earlier one). */
  private arm(deadline: number): void {
    if (this.timer !== undefined && this.timerAt <= deadline) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = deadline;
    const delay = Math.min(Math.max(deadline - this.clock.now(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.expireTimeouts();
    }, delay);
    this.timer.unref?.();
  }

  /** Stops the timer (server close). */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** SWAPDB and friends: every key waited on in the database may have changed. */
  signalDatabase(db: number): void {
    const keys = this.byKey.get(db);
    if (keys === undefined) return;
    for (const key of keys.keys()) this.signal(db, key);
  }

  signal(db: number, key: string): void {
    if (!this.byKey.get(db)?.has(key)) return;
    let keys = this.ready.get(db);
    if (keys === undefined) this.ready.set(db, (keys = new Set()));
    keys.add(key);
  }

  handleReady(): void {
    // Serving may make more keys ready (BLMOVE pushes to its destination): loop until nothing is left.
    while (this.ready.size > 0) {
      const ready = this.ready;
      this.ready = new Map();
      for (const [db, keys] of ready) {
        for (const key of keys) this.serveKey(db, key);
      }
    }
  }

  unblock(ctx: CommandContext, error?: Reply): boolean {
    const waiter = this.byClient.get(ctx);
    if (waiter === undefined) return false;
    this.finish(waiter, error ?? waiter.request.timeoutReply());
    return true;
  }

  cancel(ctx: CommandContext): void {
    const waiter = this.byClient.get(ctx);
    if (waiter !== undefined) this.remove(waiter);
  }

  private serveKey(db: number, key: string): void {
    const queue = this.byKey.get(db)?.get(key);
    if (queue === undefined) return;
    for (const waiter of [...queue]) {
      if (waiter.done) continue;
      let reply: Reply | undefined;
      const start = performance.now();
      try {
        reply = this.aroundServe === undefined ? waiter.request.serve() : this.aroundServe(waiter.request.ctx, waiter.request.serve);
      } catch (error) {
        reply = toErrorReply(error);
      }
      if (reply === undefined) break;
      this.served.set(waiter.request.ctx, performance.now() - start);
      this.finish(waiter, reply);
    }
  }

  private finish(waiter: Waiter, reply: Reply): void {
    if (waiter.done) return;
    this.remove(waiter);
    waiter.resolve(reply);
  }

  private remove(waiter: Waiter): void {
    waiter.done = true;
    const request = waiter.request;
    if (this.byClient.delete(request.ctx) && this.byClient.size === 0) this.onActive?.(false);
    const keys = this.byKey.get(request.ctx.db.index);
    if (keys === undefined) return;
    for (const key of request.keys) {
      const queue = keys.get(key);
      if (queue === undefined) continue;
      const index = queue.indexOf(waiter);
      if (index !== -1) queue.splice(index, 1);
      if (queue.length === 0) keys.delete(key);
    }
    if (keys.size === 0) this.byKey.delete(request.ctx.db.index);
  }
}
