/**
 * client-output-buffer-limit: a subscriber that stops reading is disconnected once its pending messages pass the
 * pubsub class's hard limit (or stay past the soft limit too long), while the publisher and a subscriber that reads
 * carry on and get everything; the setting parses as Redis's (units, several classes, partial settings).
 */
import { connect } from 'node:net';
import { encodeCommand } from '@mini-redis/protocol';
import { describe, expect, test } from 'vitest';
import { parseOutputLimits } from '../src/output-limits.js';
import { RawClient, startTestServer } from './helpers.js';

describe('client-output-buffer-limit', () => {
  test('parses classes, units and partial settings', () => {
    const limits = parseOutputLimits('pubsub 1mb 512kb 10 normal 0 0 0');
    expect(limits.pubsub).toEqual({ hard: 1024 * 1024, soft: 512 * 1024, softSeconds: 10 });
    expect(limits.normal).toEqual({ hard: 0, soft: 0, softSeconds: 0 });
    expect(limits.replica).toEqual({ hard: 268435456, soft: 67108864, softSeconds: 60 });
    expect(parseOutputLimits('slave 1k 2 3').replica).toEqual({ hard: 1000, soft: 2, softSeconds: 3 });
  });

  test('the default setting (not parsed at start) is what parsing it gives', async () => {
    const server = await startTestServer();
    const setting = server.config.get('client-output-buffer-limit');
    const parsed = parseOutputLimits(setting);
    for (const cls of ['normal', 'replica', 'pubsub'] as const) expect(server.outputLimits.limitFor(cls)).toEqual(parsed[cls]);
    await server.close();
  });

  test('a subscriber that stops reading is closed at the hard limit; the others notice nothing', async () => {
    const server = await startTestServer({ config: { 'client-output-buffer-limit': 'pubsub 1mb 0 0' } });
    // The slow subscriber: subscribes, then never reads again.
    const slow = connect({ port: server.port, host: '127.0.0.1' });
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.on('error', () => {});
    slow.on('close', () => {});
    slow.write(encodeCommand(['SUBSCRIBE', 'big']));
    await new Promise((resolve) => setTimeout(resolve, 30));
    slow.pause();
    const reader = await RawClient.connect(server.port);
    await reader.call('SUBSCRIBE', 'big');
    const publisher = await RawClient.connect(server.port);
    const message = 'x'.repeat(256 * 1024);
    const counts: number[] = [];
    // 50 MB in all: more than the kernel's socket buffers can absorb for the slow reader.
    for (let round = 0; round < 20; round++) {
      const replies = await publisher.pipeline(Array.from({ length: 10 }, () => ['PUBLISH', 'big', message]));
      counts.push(...(replies as number[]));
      // The reader reads what it was sent.
      await Promise.all(Array.from({ length: 10 }, () => reader.nextReply()));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The server closed it (a paused socket may not see the close yet): only the reader and publisher are left.
    expect(server.clients.size).toBe(2);
    expect(counts[0]).toBe(2);
    expect(counts[counts.length - 1]).toBe(1);
    expect(await publisher.call('PUBSUB', 'NUMSUB', 'big')).toEqual(['big', 1]);
    const usage = process.memoryUsage().rss;
    expect(usage).toBeLessThan(2 * 1024 ** 3);
    await reader.close();
    await publisher.close();
    await server.close();
  });

  test('CONFIG SET applies at once: a normal client past its hard limit is closed too', async () => {
    const server = await startTestServer();
    const admin = await RawClient.connect(server.port);
    expect(await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 256kb 0 0')).toEqual(
      expect.objectContaining({ value: 'OK' }),
    );
    await admin.call('SET', 'big', 'y'.repeat(100 * 1024));
    const greedy = connect({ port: server.port, host: '127.0.0.1' });
    await new Promise<void>((resolve) => greedy.once('connect', () => resolve()));
    greedy.pause();
    let closed = false;
    greedy.on('close', () => (closed = true));
    greedy.on('error', () => {});
    greedy.write(Buffer.concat(Array.from({ length: 400 }, () => encodeCommand(['GET', 'big']))));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.clients.size).toBe(1);
    greedy.resume();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(true);
    expect(await admin.call('PING')).toEqual(expect.objectContaining({ value: 'PONG' }));
    await admin.close();
    await server.close();
  });
});
