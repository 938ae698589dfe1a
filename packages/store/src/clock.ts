/** Clocks for expiry: the system clock, and a manual one tests move by hand. */
import type { Clock } from './types.js';

/** Wall-clock milliseconds (`Date.now()`). */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to, so tests can expire keys without sleeping. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward (or back, with a negative amount) by `ms`. */
  advance(ms: number): void {
    this.current += ms;
  }

  /** Sets the time to `ms` since the epoch. */
  set(ms: number): void {
    this.current = ms;
  }
}
