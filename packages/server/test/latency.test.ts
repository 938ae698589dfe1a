/**
 * Latency tracking next to redis-server 7.0.15: INFO latencystats and LATENCY HISTOGRAM replies compared with the
 * timings masked (line and reply shapes, names, calls, RESP2 and RESP3), latency-tracking off and on, CONFIG
 * RESETSTAT, a slow script's percentiles over a real socket, and our histogram arithmetic checked against the
 * percentiles and buckets redis-server printed for many calls of scattered durations.
 */
import { NullArray, RespMap, type RespValue } from '@mini-redis/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LatencyHistogram, LatencyTracking, usecText } from '../src/latency-histogram.js';
import { Config } from '../src/config.js';
import { RawClient, type Command } from './helpers.js';
import { startSideBySide, type SideBySide } from './side-by-side.js';

let sides: SideBySide;

beforeAll(async () => {
  sides = await startSideBySide();
});

afterAll(async () => {
  await sides?.close();
});

type Client = SideBySide['real'];

/** Sends the same commands to both servers (in order), and returns both sides' decoded replies. */
async function both(commands: Command[]): Promise<[RespValue[], RespValue[]]> {
  return Promise.all([sides.real.pipeline(commands), sides.mine.pipeline(commands)]);
}

/** INFO's lines for some sections, latency percentiles masked to p<name>=N. */
async function maskedInfo(client: Client, ...sections: string[]): Promise<string[]> {
  const text = String(await client.call('INFO', ...sections));
  return text
    .split('\r\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/=\d+\.\d{3}(?=,|$)/g, '=N'));
}

/** The text between `histogram_usec` and the next entry, as bytes: the timing part of a LATENCY HISTOGRAM reply. */
function maskHistograms(bytes: Buffer): string {
  return bytes
    .toString('latin1')
    .replace(/(\$14\r\nhistogram_usec\r\n)\*(\d+)\r\n((?::\d+\r\n)*)/g, (_all, head: string, size: string, body: string) => {
      expect(body.split('\r\n').length - 1).toBe(Number(size));
      return `${head}<histogram>`;
    })
    .replace(/(\$14\r\nhistogram_usec\r\n)%(\d+)\r\n((?::\d+\r\n)*)/g, (_all, head: string, size: string, body: string) => {
      expect(body.split('\r\n').length - 1).toBe(2 * Number(size));
      return `${head}<histogram>`;
    });
}

/** A decoded LATENCY HISTOGRAM reply as entries [name, calls, buckets], buckets checked to be a cumulative CDF. */
function entries(reply: RespValue): Array<[string, number]> {
  const items = reply instanceof RespMap ? reply.items : (reply as RespValue[]);
  const out: Array<[string, number]> = [];
  for (let i = 0; i < items.length; i += 2) {
    const body = items[i + 1]!;
    const fields = body instanceof RespMap ? body.items : (body as RespValue[]);
    expect(fields[0]).toBe('calls');
    expect(fields[2]).toBe('histogram_usec');
    const calls = fields[1] as number;
    const histogram = fields[3]!;
    const buckets = (histogram instanceof RespMap ? histogram.items : (histogram as RespValue[])) as number[];
    expect(buckets.length).toBeGreaterThan(0);
    for (let j = 2; j < buckets.length; j += 2) {
      expect(buckets[j]!).toBeGreaterThan(buckets[j - 2]!);
      expect(buckets[j + 1]!).toBeGreaterThan(buckets[j - 1]!);
    }
    expect(buckets[buckets.length - 1]).toBe(calls);
    out.push([String(items[i]), calls]);
  }
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const WORKLOAD: Command[] = [
  ['CONFIG', 'RESETSTAT'],
  ['SET', 'k', 'v'],
  ['GET', 'k'],
  ['GET', 'k'],
  ['GET'],
  ['NOSUCH'],
  ['INCR', 'k'],
  ['CONFIG', 'GET', 'maxmemory'],
  ['PING'],
];

describe('INFO latencystats', () => {
  test('lines as redis-server prints them (numbers masked)', async () => {
    await both(WORKLOAD);
    const real = await maskedInfo(sides.real, 'latencystats');
    const mine = await maskedInfo(sides.mine, 'latencystats');
    expect(real[0]).toBe('# Latencystats');
    expect(mine[0]).toBe('# Latencystats');
    // Redis prints them in its command dict's order
    expect(mine.slice(1).sort()).toEqual(real.slice(1).sort());
    expect(mine).toContain('latency_percentiles_usec_get:p50=N,p99=N,p99.9=N');
    expect(mine).toContain('latency_percentiles_usec_config|get:p50=N,p99=N,p99.9=N');
  });

  test('latency-tracking-info-percentiles names the percentiles', async () => {
    await both([['CONFIG', 'SET', 'latency-tracking-info-percentiles', '0 12.50 99.99 100.0']]);
    const real = await maskedInfo(sides.real, 'latencystats');
    const mine = await maskedInfo(sides.mine, 'latencystats');
    expect(mine.slice(1).sort()).toEqual(real.slice(1).sort());
    expect(mine).toContain('latency_percentiles_usec_ping:p0=N,p12.5=N,p99.99=N,p100=N');
    await both([['CONFIG', 'SET', 'latency-tracking-info-percentiles', '']]);
    expect((await maskedInfo(sides.mine, 'latencystats')).slice(1).sort()).toEqual(
      (await maskedInfo(sides.real, 'latencystats')).slice(1).sort(),
    );
    await both([['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9']]);
  });

  test('in INFO all and everything, not in the default sections', async () => {
    const headers = async (client: Client, ...sections: string[]) =>
      String(await client.call('INFO', ...sections)).split('\r\n').filter((line) => line.startsWith('#'));
    for (const sections of [[], ['default'], ['all'], ['everything'], ['latencystats', 'server']]) {
      expect(await headers(sides.mine, ...sections), sections.join(' ')).toEqual(await headers(sides.real, ...sections));
    }
    expect(await headers(sides.mine)).not.toContain('# Latencystats');
    expect(await headers(sides.mine, 'all')).toContain('# Latencystats');
  });

  test('latency-tracking no: the section is empty, nothing is recorded, the histograms are kept', async () => {
    await both(WORKLOAD);
    await both([['CONFIG', 'SET', 'latency-tracking', 'no'], ['SET', 'k', 'v'], ['ECHO', 'x']]);
    expect(await maskedInfo(sides.mine, 'latencystats')).toEqual(['# Latencystats']);
    expect(await maskedInfo(sides.real, 'latencystats')).toEqual(['# Latencystats']);
    const [real, mine] = await both([['LATENCY', 'HISTOGRAM', 'set', 'echo']]);
    expect(entries(mine[0]!)).toEqual([['set', 1]]);
    expect(entries(mine[0]!)).toEqual(entries(real[0]!));
    await both([['CONFIG', 'SET', 'latency-tracking', 'yes'], ['ECHO', 'x']]);
    const [realAfter, mineAfter] = await both([['LATENCY', 'HISTOGRAM', 'set', 'echo']]);
    expect(entries(mineAfter[0]!)).toEqual([['echo', 1], ['set', 1]]);
    expect(entries(mineAfter[0]!)).toEqual(entries(realAfter[0]!));
  });
});

describe('LATENCY HISTOGRAM', () => {
  test('reply bytes as redis-server sends them, RESP2 and RESP3 (bucket maps masked)', async () => {
    const commands: Command[] = [
      ['LATENCY', 'HISTOGRAM', 'set'],
      ['LATENCY', 'HISTOGRAM', 'GeT'],
      ['LATENCY', 'HISTOGRAM', 'config|get'],
      ['LATENCY', 'HISTOGRAM', 'CONFIG|GET', 'ping'],
      ['LATENCY', 'HISTOGRAM', 'get', 'get'],
      ['LATENCY', 'HISTOGRAM', 'nosuch', '', '|', 'config|', 'ping|x', 'config|get|x', 'incr'],
      ['LATENCY', 'HISTOGRAM', 'echo'],
      ['LATENCY', 'HISTOGRAM', 'config|nosuch'],
      ['LATENCY'],
      ['LATENCY', 'HISTOGRAMS'],
    ];
    for (const protocol of ['2', '3']) {
      await both([['HELLO', protocol], ...WORKLOAD]);
      const [real, mine] = await Promise.all([sides.real.pipelineRaw(commands), sides.mine.pipelineRaw(commands)]);
      commands.forEach((command, index) => {
        expect(maskHistograms(mine[index]!), `RESP${protocol} ${command.join(' ')}`).toBe(maskHistograms(real[index]!));
      });
    }
    await both([['HELLO', '2']]);
  });

  test('a container names its subcommands; no name names every command', async () => {
    await both(WORKLOAD);
    await both([['CONFIG', 'SET', 'latency-tracking', 'yes'], ['CLIENT', 'ID'], ['HELLO', '2']]);
    for (const command of [['LATENCY', 'HISTOGRAM', 'config'], ['LATENCY', 'HISTOGRAM', 'client', 'config'], ['LATENCY', 'HISTOGRAM']]) {
      const [real, mine] = await both([command]);
      expect(entries(mine[0]!), command.join(' ')).toEqual(entries(real[0]!));
    }
  });

  test('CONFIG RESETSTAT drops the histograms (RESETSTAT itself is recorded after it ran)', async () => {
    await both([['SET', 'k', 'v'], ['CONFIG', 'RESETSTAT']]);
    const [real, mine] = await both([['LATENCY', 'HISTOGRAM', 'set', 'config']]);
    expect(entries(mine[0]!)).toEqual([['config|resetstat', 1]]);
    expect(entries(mine[0]!)).toEqual(entries(real[0]!));
  });
});

describe('recording over a real socket', () => {
  test('a script busy for 10 ms shows p50 >= 10000 usec', async () => {
    const script = `
      local start = redis.call('TIME')
      repeat
        local now = redis.call('TIME')
      until (now[1] - start[1]) * 1000000 + (now[2] - start[2]) >= 10000
      return 1`;
    const client = sides.mine;
    await client.call('CONFIG', 'RESETSTAT');
    for (let i = 0; i < 3; i++) expect(await client.call('EVAL', script, '0')).toBe(1);
    const line = String(await client.call('INFO', 'latencystats')).split('\r\n').find((text) => text.startsWith('latency_percentiles_usec_eval:'));
    const p50 = Number(/p50=([\d.]+)/.exec(line!)![1]);
    expect(p50).toBeGreaterThanOrEqual(10000);
    expect(p50).toBeLessThan(1_000_000);
    const [entry] = entries(await client.call('LATENCY', 'HISTOGRAM', 'eval'));
    expect(entry).toEqual(['eval', 3]);
  });
});

describe('blocking commands, as updateStatsOnUnblock counts them', () => {
  test('a BLPOP or WAIT that times out counts in commandstats only; a served one also in the histogram and the slow log, after the push that served it', async () => {
    /** What each side recorded: commandstats calls, LATENCY HISTOGRAM calls, the slow log's commands (oldest first). */
    const run = async (client: Client, port: number) => {
      await client.pipeline([['CONFIG', 'SET', 'slowlog-log-slower-than', '0'], ['DEL', 'blk'], ['SLOWLOG', 'RESET'], ['CONFIG', 'RESETSTAT']]);
      expect(await client.call('BLPOP', 'blk', '0.05')).toBeInstanceOf(NullArray);
      // WAIT blocks too (no replica ever acknowledges): it ends by its timeout
      expect(await client.call('WAIT', '1', '50')).toBe(0);
      const waiter = await RawClient.connect(port);
      const served = waiter.call('BLPOP', 'blk', '5');
      // the waiter is blocked before the push (CLIENT LIST shows it)
      for (let i = 0; i < 100 && !/cmd=blpop/.test(String(await client.call('CLIENT', 'LIST'))); i++) await new Promise((r) => setTimeout(r, 5));
      expect(await client.call('RPUSH', 'blk', 'job')).toBe(1);
      expect(await served).toEqual(['blk', 'job']);
      await waiter.close();
      const calls = /cmdstat_blpop:calls=(\d+)/.exec(String(await client.call('INFO', 'commandstats')))?.[1];
      const histogram = entries(await client.call('LATENCY', 'HISTOGRAM', 'blpop', 'wait'));
      const waitCalls = /cmdstat_wait:calls=(\d+),usec=(\d+)/.exec(String(await client.call('INFO', 'commandstats')));
      // the 50 ms wait is not in usec either
      expect(Number(waitCalls?.[2])).toBeLessThan(20_000);
      const slowlog = (await client.call('SLOWLOG', 'GET', '10')) as RespValue[][];
      const commands = slowlog.map((entry) => String((entry[3] as RespValue[])[0]).toLowerCase()).reverse();
      return { calls, waitCalls: waitCalls?.[1], histogram, commands: commands.filter((name) => ['blpop', 'rpush', 'wait'].includes(name)) };
    };
    const theirs = await run(sides.real, sides.redis.port);
    const ours = await run(sides.mine, sides.server.port);
    expect(theirs).toEqual({ calls: '2', waitCalls: '1', histogram: [['blpop', 1]], commands: ['rpush', 'blpop'] });
    expect(ours).toEqual(theirs);
  });
});

describe('our arithmetic on redis-server\'s own calls', () => {
  test('percentiles and buckets of many scattered durations, rebuilt from redis-server\'s percentiles', async () => {
    // EVAL busy loops of scattered lengths: durations over several powers of two
    const calls = 400;
    const loops: Command[] = [];
    let seed = 12345;
    for (let i = 0; i < calls; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      loops.push(['EVAL', 'for i = 1, tonumber(ARGV[1]) do end return 1', '0', String(Math.floor(2 ** ((seed % 1700) / 100)))]);
    }
    const real = sides.real;
    await real.call('CONFIG', 'RESETSTAT');
    await real.pipeline(loops);
    // one percentile per call rank: the counter of every call (as its highest value, or lowest for p0)
    const ranks = Array.from({ length: calls }, (_, i) => String(((i + 1) * 100) / calls));
    const printed = ['0', '50', '99', '99.9', '12.5', '33.3', '100'];
    await real.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', [...ranks, ...printed].join(' '));
    const line = String(await real.call('INFO', 'latencystats'))
      .split('\r\n')
      .find((text) => text.startsWith('latency_percentiles_usec_eval:'))!;
    const [histogramReply] = await real.pipeline([['LATENCY', 'HISTOGRAM', 'eval']]);
    await real.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9');
    const values = line
      .slice(line.indexOf(':') + 1)
      .split(',')
      .map((pair) => Number(pair.split('=')[1]!.replace('.', '')));
    // rebuild the histogram: one call in each rank's counter
    const histogram = new LatencyHistogram();
    for (const value of values.slice(0, calls)) histogram.record(value);
    expect(histogram.totalCount).toBe(calls);
    const tracking = new LatencyTracking(new Config({ 'latency-tracking-info-percentiles': [...ranks, ...printed].join(' ') }));
    expect(`latency_percentiles_usec_eval:${tracking.percentileText(histogram)}`).toBe(line);
    const body = (histogramReply as RespValue[])[1] as RespValue[];
    const buckets = body[3] as number[];
    expect(histogram.cumulativeBuckets().flat()).toEqual(buckets);
    // the durations did spread over several buckets
    expect(buckets.length).toBeGreaterThanOrEqual(8);
    expect(usecText(histogram.valueAtPercentile(100))).toBe(line.slice(line.lastIndexOf('=') + 1));
  });
});
