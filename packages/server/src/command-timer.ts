/**
 * How commands are timed (INFO commandstats usec, the slow log): with as few clock readings as possible, because on
 * the machines we measured one `performance.now()` costs 60-80 ns, as much as a whole GET in the store.
 *
 * A connection opens a batch when it reads a chunk of requests and closes it when it has run them. Inside a batch:
 * - A command whose cost is bounded by its own arguments (Redis's `fast` flag, plus SET/MSET-like commands: the
 *   command table sets `batchTimed`) reads no clock: it is deferred. When the batch closes, or before an exactly
 *   timed command runs, one reading ends the segment and its time is shared evenly among the deferred commands
 *   (commandstats usec; a share at or over slowlog-log-slower-than is logged). A batch of one command is exact.
 * - Any other command (KEYS, SORT, LRANGE, EVAL, EXEC...) is timed on its own: from the end of the previous segment
 *   to its end, one reading.
 * Outside a batch (blocked clients served later, commands inside EXEC or a script) a command reads the clock before
 * and after. So a pipeline of 16 GETs costs two clock readings instead of 32, and `calls` counts stay exact.
 */

/**
 * Records a measured duration (ms) for a command: commandstats usec and the slow log. Set by the dispatcher. (Generic
 * over the client and command types so this module imports nothing.)
 */
export type DurationRecorder<Client, Spec> = (ctx: Client, spec: Spec, args: readonly string[], ms: number) => void;

export class CommandTimer<Client, Spec> {
  /** The client whose batch is open, or undefined. */
  owner: Client | undefined;
  /** Start of the current segment (performance.now() ms). */
  start = 0;
  /** Nesting of calls (EXEC's and scripts' commands run at depth > 0). */
  depth = 0;
  private count = 0;
  private readonly specs: Spec[] = [];
  private readonly argv: Array<readonly string[]> = [];
  private readonly contexts: Client[] = [];

  constructor(private readonly record: DurationRecorder<Client, Spec>) {}

  /** A connection starts running a chunk of requests. */
  open(owner: Client): void {
    if (this.owner !== undefined) this.close();
    this.owner = owner;
    this.start = performance.now();
  }

  /** The chunk has run (or the client went asynchronous): the deferred commands get their shares. */
  close(): void {
    if (this.count !== 0) this.settle();
    this.owner = undefined;
  }

  /** A command of the open batch that ran without reading the clock. */
  defer(ctx: Client, spec: Spec, args: readonly string[]): void {
    const index = this.count++;
    this.specs[index] = spec;
    this.argv[index] = args;
    this.contexts[index] = ctx;
  }

  /** Ends the current segment: shares its time among the deferred commands; returns the reading (the next start). */
  settle(): number {
    const now = performance.now();
    const count = this.count;
    if (count !== 0) {
      const share = (now - this.start) / count;
      this.count = 0;
      for (let i = 0; i < count; i++) {
        this.record(this.contexts[i]!, this.specs[i]!, this.argv[i]!, share);
        this.argv[i] = EMPTY;
      }
    }
    this.start = now;
    return now;
  }
}

const EMPTY: readonly string[] = [];
