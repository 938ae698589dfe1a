/**
 * Synchronous access to a real redis-server (for ScriptHost.call in the differential tests): a worker thread owns
 * the sockets, the test thread blocks on Atomics.wait until the reply bytes are in a SharedArrayBuffer.
 */
import { Worker } from 'node:worker_threads';
import { encodeCommand } from '@mini-redis/protocol';

export class SyncRedis {
  readonly #worker: Worker;
  readonly #state: Int32Array;
  readonly #bytes: Uint8Array;

  private constructor(worker: Worker, shared: SharedArrayBuffer) {
    this.#worker = worker;
    this.#state = new Int32Array(shared, 0, 2);
    this.#bytes = new Uint8Array(shared, 8);
  }

  static async open(port: number): Promise<SyncRedis> {
    const shared = new SharedArrayBuffer(8 + 64 * 1024 * 1024);
    const worker = new Worker(new URL('./sync-redis-worker.mjs', import.meta.url), { workerData: { port, shared } });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new SyncRedis(worker, shared);
  }

  /** Sends one command and returns the raw reply bytes. */
  call(args: readonly (Uint8Array | string)[], protocol: 2 | 3 = 2): Buffer {
    Atomics.store(this.#state, 0, 0);
    const payload = encodeCommand(args.map((a) => (typeof a === 'string' ? Buffer.from(a, 'latin1') : Buffer.from(a))), 'latin1');
    this.#worker.postMessage({ protocol, payload });
    // Never return the previous reply's bytes: wait until the worker flags this one (a loaded machine can be slow).
    const deadline = Date.now() + 60_000;
    while (Atomics.load(this.#state, 0) === 0) {
      if (Date.now() > deadline) throw new Error(`no reply from redis-server within 60 s for ${String(args[0])}`);
      Atomics.wait(this.#state, 0, 0, 1_000);
    }
    const n = Atomics.load(this.#state, 1);
    return Buffer.from(this.#bytes.subarray(0, n));
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
