/**
 * Edge cases of HyperLogLog, geo and SORT side by side with redis-server: values copied between the two servers with
 * GET/SET, the estimator at the extremes, corrupt values, error texts and reply types in both protocols.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { murmurHash64ABig, hashResult, murmurHash64A } from '../src/commands/hyperloglog/murmur.js';
import { startSideBySide, type SideBySide } from './side-by-side.js';

let both: SideBySide;

beforeAll(async () => {
  both = await startSideBySide();
});

afterAll(async () => {
  await both?.close();
});

test('the 32-bit MurmurHash64A equals the BigInt reference', () => {
  for (let n = 0; n < 300; n++) {
    const text = String.fromCharCode(...Array.from({ length: n % 40 }, (_, i) => (i * 37 + n) & 0xff));
    murmurHash64A(text);
    expect(BigInt(hashResult.hi) * 4294967296n + BigInt(hashResult.lo)).toBe(murmurHash64ABig(text));
  }
});

test('HLL values move between redis-server and ours with GET/SET, and count the same', async () => {
  const elements = Array.from({ length: 5000 }, (_, i) => `item:${i}`);
  await both.real.pipelineRaw([['FLUSHALL'], ['PFADD', 'dense', ...elements], ['PFADD', 'sparse', 'a', 'b', 'c']]);
  const [dense, sparse] = await both.real.pipelineRaw([['GET', 'dense'], ['GET', 'sparse']]);
  const body = (reply: Buffer) => reply.subarray(reply.indexOf('\r\n') + 2, reply.length - 2);
  await both.mine.pipelineRaw([['FLUSHALL'], ['SET', 'dense', body(dense!)], ['SET', 'sparse', body(sparse!)]]);
  await both.same([['PFCOUNT', 'dense'], ['PFCOUNT', 'sparse'], ['PFCOUNT', 'dense', 'sparse'], ['PFDEBUG', 'ENCODING', 'dense']]);
  await both.same([['PFADD', 'sparse', ...elements.slice(0, 2000)], ['GET', 'sparse'], ['GET', 'dense'], ['PFMERGE', 'm', 'dense', 'sparse'], ['GET', 'm']]);
});

test('HLL errors, the saturated estimate and PFSELFTEST', async () => {
  await both.real.pipelineRaw([['FLUSHALL']]);
  await both.mine.pipelineRaw([['FLUSHALL']]);
  const saturated = 'HYLL' + '\x00'.repeat(12) + '\xff'.repeat(12288);
  await both.same([
    ['SET', 'x', saturated], ['PFCOUNT', 'x'], ['PFCOUNT', 'x', 'nokey'], ['GET', 'x'],
    ['SET', 'bad', 'HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f\xfe'], ['PFCOUNT', 'bad'], ['PFADD', 'bad', 'a'],
    ['SET', 's', 'not an hll'], ['PFADD', 's', 'a'], ['PFMERGE', 'd', 's'], ['PFDEBUG', 'DECODE', 'nokey'],
    ['RPUSH', 'l', 'a'], ['PFCOUNT', 'l'], ['PFDEBUG', 'nosuch', 'x'], ['PFDEBUG', 'DECODE', 'x'],
  ].filter((command) => command[0] !== 'RPUSH'));
  await both.same([['PFSELFTEST']]);
});

test('geo replies in RESP2 and RESP3: coordinates, distances, nulls, errors', async () => {
  for (const protocol of ['2', '3']) {
    await both.real.pipelineRaw([['HELLO', protocol]]);
    await both.mine.pipelineRaw([['HELLO', protocol]]);
    await both.same([
      ['FLUSHALL'],
      ['GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
      ['GEOPOS', 'Sicily', 'Palermo', 'nope'], ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km'], ['GEODIST', 'Sicily', 'Palermo', 'nope'],
      ['GEOHASH', 'Sicily', 'Palermo', 'nope'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '400', 'km', 'ASC', 'WITHCOORD', 'WITHDIST', 'WITHHASH'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'd', 'WITHDIST'], ['GEOADD', 'Sicily', '200', '100', 'x'],
      ['GEOSEARCH', 'Sicily', 'BYRADIUS', '1', 'm'], ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'nope', 'BYRADIUS', '1', 'm'],
      ['GEOSEARCHSTORE', 'd', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '500', 'km', 'STOREDIST'],
      ['GEOSEARCH', 'd', 'FROMLONLAT', '0', '0', 'BYRADIUS', '30000', 'km', 'WITHHASH'],
      ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'ANY'], ['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '0'],
    ]);
  }
});

test('SORT: numbers, ALPHA, BY/GET patterns, STORE, errors', async () => {
  const setup = [['FLUSHALL'], ['SET', 'w_a', '3'], ['SET', 'w_b', '1'], ['SET', 'w_c', '2']];
  await both.real.pipelineRaw([...setup, ['RPUSH', 'l', 'c', 'a', 'b', 'a'], ['RPUSH', 'n', '10', '2', '-1.5', '1e2']]);
  await both.mine.pipelineRaw(setup);
  const { createList } = await import('@mini-redis/store');
  both.server.store.db(0).set('l', createList(['c', 'a', 'b', 'a']));
  both.server.store.db(0).set('n', createList(['10', '2', '-1.5', '1e2']));
  await both.same([
    ['SORT', 'n'], ['SORT', 'n', 'DESC', 'LIMIT', '1', '2'], ['SORT', 'l'], ['SORT', 'l', 'ALPHA'], ['SORT', 'l', 'BY', 'w_*'],
    ['SORT', 'l', 'BY', 'nosort', 'DESC'], ['SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*', 'GET', 'nokey_*'],
    ['SORT', 'l', 'ALPHA', 'STORE', 'dst'], ['SORT', 'dst', 'BY', 'nosort'], ['SORT', 'empty', 'STORE', 'dst'], ['EXISTS', 'dst'],
    ['SORT_RO', 'l', 'STORE', 'dst'], ['SORT', 'l', 'LIMIT', 'a', '1'], ['SET', 'str', 'x'], ['SORT', 'str'],
  ]);
});
