/**
 * CLIENT PAUSE (networking.c pauseClients, server.c processCommand's check): while a pause is in effect, a client's
 * command that the pause covers (every command for ALL; for WRITE, write and may-replicate commands, and EXEC of a
 * transaction holding one) waits, postponed, until CLIENT UNPAUSE or the pause's end, then runs in arrival order.
 * The dispatcher asks `covers`, then returns `postpone()`'s promise; the connection holds the client's later
 * commands behind it (Redis's BLOCKED_POSTPONE, counted in blocked_clients, flag b). The pause runs on wall-clock
 * time (a timer), not on the server's injectable clock, so a test's manual clock cannot hold clients forever.
 */
import type { ClientPause, PauseType } from './context.js';

export class PauseRegistry implements ClientPause {
  type: PauseType = 'none';
  /** When the pause ends (wall clock, ms). */
  end = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly waiting: Array<() => void> = [];
  private readonly now = (): number => performance.now();

  get postponedCount(): number {
    return this.waiting.length;
  }

  /** pauseClients: the stronger type and the later end of the current pause and this one. */
  pause(timeoutMs: number, type: 'write' | 'all'): void {
    const end = this.now() + timeoutMs;
    if (this.type !== 'all') this.type = type;
    if (end > this.end) this.end = end;
    this.schedule();
  }

  unpause(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.type = 'none';
    this.end = 0;
    const waiting = this.waiting.splice(0);
    for (const resume of waiting) resume();
  }

  covers(writes: boolean): boolean {
    if (this.type === 'none') return false;
    if (this.now() >= this.end) {
      this.unpause();
      return false;
    }
    return this.type === 'all' || writes;
  }

  postpone(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    const delay = Math.max(0, this.end - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.now() >= this.end) this.unpause();
      else this.schedule();
    }, delay);
    this.timer.unref?.();
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
