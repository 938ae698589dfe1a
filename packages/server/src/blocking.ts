/**
 * The blocking mechanism (Redis's blocked.c), for every key type: a client blocks on keys with a serve function;
 * commands signal keys that may now serve (signalKeyAsReady); after each top-level command the dispatcher calls
 * handleReady, which offers each ready key to its waiters first come, first served, until one finds nothing.
 */
import type { Blocking, BlockRequest, CommandContext, Reply } from './context.js';
import { toErrorReply } from './commands/dispatch.js';

interface Waiter {
  readonly request: BlockRequest;
  readonly resolve: (reply: Reply) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  done: boolean;
}

export class BlockingRegistry implements Blocking {
  /** db -> key -> waiters in arrival order. */
  private readonly byKey = new Map<number, Map<string, Waiter[]>>();
  private readonly byClient = new Map<CommandContext, Waiter>();
  /** Keys signalled since the last handleReady, as db -> keys. */
  private ready = new Map<number, Set<string>>();

  get blockedCount(): number {
    return this.byClient.size;
  }

  get hasReady(): boolean {
    return this.ready.size > 0;
  }

  block(request: BlockRequest, timeoutMs: number): Promise<Reply> {
    return new Promise<Reply>((resolve) => {
      const waiter: Waiter = { request, resolve, timer: undefined, done: false };
      const db = request.ctx.db.index;
      let keys = this.byKey.get(db);
      if (keys === undefined) this.byKey.set(db, (keys = new Map()));
      for (const key of new Set(request.keys)) {
        const queue = keys.get(key);
        if (queue === undefined) keys.set(key, [waiter]);
        else queue.push(waiter);
      }
      this.byClient.set(request.ctx, waiter);
      if (timeoutMs > 0) {
        waiter.timer = setTimeout(() => this.finish(waiter, request.timeoutReply()), timeoutMs);
      }
    });
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
      try {
        reply = waiter.request.serve();
      } catch (error) {
        reply = toErrorReply(error);
      }
      if (reply === undefined) break;
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
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    const request = waiter.request;
    this.byClient.delete(request.ctx);
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
