// A plain ES module adapter over the built @mini-redis/client (run `pnpm build` first), for harnesses that drive
// several clients through one shape. Per-command timeouts are on (commandTimeout), as in the client benchmark.
import { createRequire } from 'node:module';
import { createClient } from '@mini-redis/client';

const require = createRequire(import.meta.url);

export const name = '@mini-redis/client';
export const version = require('@mini-redis/client/package.json').version;

/**
 * Connects to 127.0.0.1:port (or `host`) and resolves once ready to
 * `{ set(key, value) -> 'OK', get(key) -> string | null, pipeline(cmds) -> replies in order, close() }`.
 * `pipeline` sends `cmds` (arrays of strings) as one non-atomic batch and rejects if any of them failed.
 */
export async function connect(port, { host = '127.0.0.1' } = {}) {
  const client = createClient({ host, port, commandTimeout: 10_000 });
  await client.ready();
  return {
    set: (key, value) => client.set(key, value),
    get: (key) => client.get(key),
    async pipeline(cmds) {
      const batch = client.pipeline();
      for (const args of cmds) batch.addCommand(args);
      const results = await batch.exec();
      const failed = results.find((result) => result instanceof Error);
      if (failed !== undefined) throw failed;
      return results;
    },
    close: () => client.quit(),
  };
}
