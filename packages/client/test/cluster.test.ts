// Redis Cluster against a real 3-master cluster: slot routing, hash tags, cross-slot errors, per-node pipelining,
// and a slot migrated (IMPORTING/MIGRATING + MIGRATE, then SETSLOT NODE) in the middle of a run.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClient, createCluster, CrossSlotError, keySlot, type RedisCluster } from '@mini-redis/client';
import { startRedisCluster, type RedisClusterProcesses } from './cluster-process.js';

describe('cluster against 3 redis-server masters', () => {
  let processes: RedisClusterProcesses;
  let cluster: RedisCluster;
  beforeAll(async () => {
    processes = await startRedisCluster(3);
    cluster = createCluster({ rootNodes: [{ host: '127.0.0.1', port: processes.ports[0]! }], commandTimeout: 5000 });
    await cluster.ready();
  }, 60_000);
  afterAll(async () => {
    await cluster?.quit();
    await processes?.stop();
  });

  test('discovers 3 masters and routes each key to the master of its slot', async () => {
    expect(cluster.masters).toHaveLength(3);
    const keys = Array.from({ length: 200 }, (_, index) => `key:${index}`);
    expect(await Promise.all(keys.map((key) => cluster.set(key, key)))).toEqual(keys.map(() => 'OK'));
    // each key is on the node the map names: a plain client there answers without MOVED
    for (const key of keys.slice(0, 30)) {
      const [host, port] = cluster.nodeForSlot(keySlot(key))!.split(':');
      const direct = createClient({ host: host!, port: Number(port) });
      expect(await direct.get(key)).toBe(key);
      expect(await direct.sendCommand(['CLUSTER', 'KEYSLOT', key])).toBe(keySlot(key));
      await direct.quit();
    }
    expect(await cluster.mget('{user}:a', '{user}:b')).toEqual([null, null]);
    expect(keySlot('{user}:a')).toBe(keySlot('user'));
    // an empty tag `{}` does not count: the whole key is hashed
    expect(keySlot('{}x')).toBe(Number(await cluster.sendCommand(['CLUSTER', 'KEYSLOT', '{}x'])));
  });

  test('cross-slot multi-key commands are rejected before sending', async () => {
    await expect(cluster.mget('a', 'b')).rejects.toBeInstanceOf(CrossSlotError);
    await expect(cluster.del('a', 'b', 'c')).rejects.toThrow(/different hash slots/);
    expect(await cluster.mset('{t}1', 'x', '{t}2', 'y')).toBe('OK');
    expect(await cluster.mget('{t}1', '{t}2')).toEqual(['x', 'y']);
  });

  test('pipelines are split per node and settle in order', async () => {
    const results = await cluster.pipeline().set('p:1', 'a').set('p:2', 'b').get('p:1').get('p:2').incr('p:1').exec();
    expect(results.slice(0, 4)).toEqual(['OK', 'OK', 'a', 'b']);
    expect(results[4]).toBeInstanceOf(Error);
  });

  test('a slot migrated mid-run: ASK then MOVED are followed, nothing lost or run twice', async () => {
    // arrange: 50 keys in one slot, a stream of INCRs on them
    const keys = Array.from({ length: 50 }, (_, index) => `{migrate}:${index}`);
    const slot = keySlot(keys[0]!);
    const source = cluster.nodeForSlot(slot)!;
    const target = cluster.masters.find((address) => address !== source)!;
    const port = (address: string) => Number(address.split(':')[1]);
    const sourceId = await processes.cli(port(source), 'CLUSTER', 'MYID');
    const targetId = await processes.cli(port(target), 'CLUSTER', 'MYID');
    await Promise.all(keys.map((key) => cluster.set(key, '0')));
    const expected = new Map(keys.map((key) => [key, 0]));
    let running = true;
    const failures: string[] = [];
    const stream = (async () => {
      let round = 0;
      while (running) {
        const batch = keys.filter((_, index) => (index + round) % 3 === 0);
        round++;
        const outcomes = await Promise.allSettled(batch.map((key) => cluster.incr(key)));
        outcomes.forEach((outcome, index) => {
          if (outcome.status === 'fulfilled') expected.set(batch[index]!, expected.get(batch[index]!)! + 1);
          else failures.push(String(outcome.reason));
        });
      }
    })();
    // act: migrate the slot while the stream runs
    await new Promise((resolve) => setTimeout(resolve, 50));
    await processes.cli(port(target), 'CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', sourceId);
    await processes.cli(port(source), 'CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', targetId);
    for (;;) {
      const batch = (await processes.cli(port(source), 'CLUSTER', 'GETKEYSINSLOT', String(slot), '5')).split('\n').filter(Boolean);
      if (batch.length === 0) break;
      await processes.cli(port(source), 'MIGRATE', '127.0.0.1', String(port(target)), '', '0', '5000', 'KEYS', ...batch);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // the importing node first, then the migrating one, then the rest (as redis-cli --cluster does)
    const order = [port(target), port(source), ...processes.ports.filter((node) => node !== port(target) && node !== port(source))];
    for (const node of order) await processes.cli(node, 'CLUSTER', 'SETSLOT', String(slot), 'NODE', targetId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    running = false;
    await stream;
    // assert
    expect(failures).toEqual([]);
    expect(cluster.stats.ask + cluster.stats.moved).toBeGreaterThan(0);
    expect(cluster.stats.refreshes).toBeGreaterThan(1);
    const values = await cluster.mget(...(keys as [string, ...string[]]));
    expect(values).toEqual(keys.map((key) => String(expected.get(key))));
    expect(cluster.nodeForSlot(slot)).toBe(target);
  }, 30_000);
});
