// Explicit pipelines and MULTI/EXEC transactions: typed results, errors in place, EXECABORT, WATCH.
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
import { createClient, ExecAbortError, ReplyError, WatchError, type RedisClient, type RedisReply } from '@mini-redis/client';
import { targetsFor, type RunningServer } from './targets.js';

describe.each(targetsFor('strings', 'transactions'))('batches against $name', (target) => {
  let server: RunningServer;
  let client: RedisClient;
  beforeAll(async () => {
    server = await target.start();
    client = createClient({ port: server.port, commandTimeout: 5000 });
  });
  afterAll(async () => {
    await client.quit();
    await server.stop();
  });

  test('pipeline(): results and errors in order, one record', async () => {
    await client.set('text', 'abc');
    const results = await client.pipeline().set('p', '1').incr('p').incr('text').get('p').addCommand(['ECHO', 'raw']).exec();
    expect(results.slice(0, 2)).toEqual(['OK', 2]);
    expect(results[2]).toBeInstanceOf(ReplyError);
    expect((results[2] as ReplyError).command).toBe('INCR');
    expect(results.slice(3)).toEqual(['2', 'raw']);
    expectTypeOf(results).toEqualTypeOf<['OK' | string | null | ReplyError, number | ReplyError, number | ReplyError, string | null | ReplyError, RedisReply | ReplyError]>();
    expect(await client.pipeline().exec()).toEqual([]);
  });

  test('multi(): typed results', async () => {
    const results = await client.multi().set('m', '5').incrby('m', 3).get('m').exec();
    expect(results).toEqual(['OK', 8, '8']);
    expectTypeOf(results).toEqualTypeOf<['OK' | string | null, number, string | null]>();
  });

  test('multi(): a command failing at run time rejects with its error, carrying every result', async () => {
    await client.set('str', 'x');
    const error = (await client.multi().set('m2', '1').incr('str').get('m2').exec().catch((caught: unknown) => caught)) as ReplyError & {
      results: unknown[];
    };
    expect(error).toBeInstanceOf(ReplyError);
    expect(error.command).toBe('INCR');
    expect(error.results[0]).toBe('OK');
    expect(error.results[2]).toBe('1');
  });

  test('multi(): EXECABORT is one clear error listing the refused commands', async () => {
    const error = await client
      .multi()
      .set('never', '1')
      .addCommand(['SET', 'too-few'])
      .exec()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExecAbortError);
    expect((error as ExecAbortError).code).toBe('EXECABORT');
    expect((error as ExecAbortError).errors).toHaveLength(1);
    expect((error as ExecAbortError).message).toMatch(/wrong number of arguments/);
    expect(await client.get('never')).toBeNull();
  });

  test('WATCH: a concurrent change aborts EXEC with WatchError', async () => {
    const watcher = client.duplicate();
    // WATCH and EXEC must run on the same connection: the duplicate's, with nothing else interleaved
    expect(await watcher.watch('w')).toBe('OK');
    await client.set('w', 'changed');
    await expect(watcher.multi().set('w', 'mine').exec()).rejects.toBeInstanceOf(WatchError);
    expect(await client.get('w')).toBe('changed');
    await watcher.watch('w');
    expect(await watcher.multi().set('w', 'mine').exec()).toEqual(['OK']);
    await watcher.quit();
  });
});
