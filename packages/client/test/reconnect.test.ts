// Reconnection: the server is killed mid-stream and started again on the same port. Commands resume, read-only
// commands in flight are retried, writes in flight are rejected (never run twice), subscriptions come back.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConnectionClosedError, createClient } from '@mini-redis/client';
import { targets, targetsFor, type RunningServer } from './targets.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(targets)('reconnect against $name', (target) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await target.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  test('kill mid-stream and restart: commands resume, writes never run twice, reads retried', async () => {
    // arrange
    const client = createClient({ port: server.port, reconnectStrategy: () => 30 });
    const events: string[] = [];
    client.on('error', () => events.push('error'));
    client.on('reconnecting', () => events.push('reconnecting'));
    client.on('ready', () => events.push('ready'));
    await client.ready();
    const writes: { key: string; outcome: Promise<unknown> }[] = [];
    const reads: Promise<unknown>[] = [];
    let running = true;
    let index = 0;
    const stream = (async () => {
      while (running) {
        for (let burst = 0; burst < 20; burst++) {
          const key = `once:${index++}`;
          writes.push({ key, outcome: client.incr(key).then((value) => ({ value }), (error: unknown) => ({ error })) });
          reads.push(client.get('anything').then(() => 'ok', (error: unknown) => error));
        }
        await sleep(2);
      }
    })();
    // act
    await sleep(60);
    await server.kill();
    await sleep(150);
    await server.start();
    await new Promise<void>((resolve) => {
      const check = () => (client.status === 'ready' ? resolve() : setTimeout(check, 10));
      check();
    });
    await sleep(60);
    running = false;
    await stream;
    const outcomes = (await Promise.all(writes.map((write) => write.outcome))) as { value?: number; error?: unknown }[];
    const readOutcomes = await Promise.all(reads);
    // assert
    expect(events).toContain('reconnecting');
    expect(events.filter((event) => event === 'ready').length).toBeGreaterThanOrEqual(2);
    expect(readOutcomes.every((outcome) => outcome === 'ok')).toBe(true);
    const checker = createClient({ port: server.port });
    const afterRestart = await Promise.all(writes.map((write) => checker.get(write.key)));
    let fulfilled = 0;
    let rejected = 0;
    outcomes.forEach((outcome, position) => {
      if (outcome.error !== undefined) {
        rejected++;
        expect(outcome.error).toBeInstanceOf(ConnectionClosedError);
        expect(afterRestart[position]).toBeNull(); // never sent again
      } else {
        fulfilled++;
        expect(outcome.value).toBe(1); // ran once
      }
    });
    expect(fulfilled).toBeGreaterThan(0);
    expect(writes.length).toBeGreaterThan(fulfilled - 1);
    expect(rejected + fulfilled).toBe(writes.length);
    // commands after the restart work
    expect(await client.set('after', 'yes')).toBe('OK');
    expect(await checker.get('after')).toBe('yes');
    await checker.quit();
    await client.quit();
  });
});

describe.each(targetsFor('pubsub'))('pub/sub reconnect against $name', (target) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await target.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  test('subscriptions come back after a restart (RESP2 dedicated connection, RESP3 pushes)', async () => {
    for (const protocol of [2, 3] as const) {
      const client = createClient({ port: server.port, protocol, reconnectStrategy: () => 30 });
      const publisher = createClient({ port: server.port });
      const received: string[] = [];
      await client.subscribe('news', (message) => received.push(message));
      await client.psubscribe('sport.*', (message, channel) => received.push(`${channel}:${message}`));
      expect(await publisher.publish('news', 'before')).toBe(1);
      await server.restart();
      await sleep(100);
      await client.ready();
      // the resubscription is in flight right after ready: publish until it lands
      for (let attempt = 0; attempt < 50 && (await publisher.publish('news', 'after')) === 0; attempt++) await sleep(20);
      await publisher.publish('sport.tennis', 'ace');
      await sleep(50);
      expect(received[0]).toBe('before');
      expect(received).toContain('after');
      expect(received).toContain('sport.tennis:ace');
      await client.quit();
      await publisher.quit();
    }
  });
});
