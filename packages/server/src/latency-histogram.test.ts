/**
 * Unit tests of the latency histogram's arithmetic. The single-call expectations are what redis-server 7.0.15 printed
 * for calls of those durations (INFO latencystats with percentiles `0 50 100`, LATENCY HISTOGRAM); the others follow
 * from hdr_histogram's algorithm as Redis 7.0 configures it (1 ns .. 1 s, 2 significant figures). The differential
 * test in test/latency.test.ts checks many-call histograms against a running redis-server.
 */
import { describe, expect, test } from 'vitest';
import { Config } from './config.js';
import {
  COUNTS_LEN, countsIndexFor, highestEquivalentValue, LatencyHistogram, LatencyTracking, lowestEquivalentValue,
  usecText, valueAtIndex,
} from './latency-histogram.js';

function histogramOf(...usec: number[]): LatencyHistogram {
  const histogram = new LatencyHistogram();
  for (const value of usec) histogram.record(value * 1000);
  return histogram;
}

const at = (histogram: LatencyHistogram, percentile: number) => usecText(histogram.valueAtPercentile(percentile));

describe('bucket arithmetic (hdr_histogram, 2 significant figures)', () => {
  test('3072 counters cover 1 ns .. 1 s', () => {
    expect(COUNTS_LEN).toBe(3072);
    expect(valueAtIndex(COUNTS_LEN - 1)).toBe(255 * 2 ** 22);
    expect(countsIndexFor(1_000_000_000)).toBeLessThan(COUNTS_LEN);
  });

  test.each([
    // value, lowest and highest equivalent values
    [1, 1, 1],
    [255, 255, 255],
    [256, 256, 257],
    [1000, 1000, 1003],
    [2000, 2000, 2007],
    [3000, 2992, 3007],
    [8000, 8000, 8031],
    [9000, 8960, 9023],
    [25_000, 24_960, 25_087],
    [84_000, 83_968, 84_479],
    [106_000, 105_984, 106_495],
    [1_000_000_000, 998_244_352, 1_002_438_655],
  ])('%d shares its counter with %d..%d', (value, lowest, highest) => {
    expect(lowestEquivalentValue(value)).toBe(lowest);
    expect(highestEquivalentValue(value)).toBe(highest);
    expect(countsIndexFor(lowest)).toBe(countsIndexFor(value));
    expect(countsIndexFor(highest)).toBe(countsIndexFor(value));
    expect(countsIndexFor(highest + 1)).toBe(countsIndexFor(value) + 1);
    expect(valueAtIndex(countsIndexFor(value))).toBe(lowest);
  });

  test('every counter index maps back to itself', () => {
    for (let index = 1; index < COUNTS_LEN; index++) {
      const value = valueAtIndex(index);
      expect(countsIndexFor(value)).toBe(index);
      expect(countsIndexFor(highestEquivalentValue(value))).toBe(index);
    }
  });

  test('record clamps to 1 ns .. 1 s and counts in the value\'s counter', () => {
    const histogram = new LatencyHistogram();
    histogram.record(0);
    histogram.record(5_000_000_000);
    histogram.record(9000);
    expect(histogram.totalCount).toBe(3);
    expect(histogram.counts[countsIndexFor(1)]).toBe(1);
    expect(histogram.counts[countsIndexFor(1_000_000_000)]).toBe(1);
    expect(histogram.counts[countsIndexFor(8960)]).toBe(1);
    expect(histogram.counts.reduce((sum, count) => sum + count, 0)).toBe(3);
  });
});

describe('percentiles (INFO latencystats), as redis-server 7.0.15 prints them', () => {
  test.each([
    // one call of that many microseconds: p0, p50, p100
    [3, '2.992', '3.007'],
    [8, '8.000', '8.031'],
    [9, '8.960', '9.023'],
    [25, '24.960', '25.087'],
    [84, '83.968', '84.479'],
    [106, '105.984', '106.495'],
    [103, '102.912', '103.423'],
    [1_100_000, '998244.352', '1002438.655'],
  ])('one call of %d usec: p0=%s, p50=p100=%s', (usec, p0, p50) => {
    const histogram = histogramOf(usec);
    expect(at(histogram, 0)).toBe(p0);
    expect(at(histogram, 50)).toBe(p50);
    expect(at(histogram, 100)).toBe(p50);
    // a percentile whose count rounds to 0 still takes the first call (Redis 7.0's hdr_value_at_percentile)
    expect(at(histogram, 1)).toBe(p50);
  });

  test('a call under 1 usec is recorded as 1 ns', () => {
    expect(at(histogramOf(0), 50)).toBe('0.001');
    expect(at(histogramOf(0), 0)).toBe('0.001');
  });

  test('the count at a percentile is rounded half up: (int)(p / 100 * total + 0.5)', () => {
    // 10 calls: 1, 2, ..., 10 usec
    const histogram = histogramOf(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    expect(at(histogram, 50)).toBe('5.023'); // count 5
    expect(at(histogram, 54.9)).toBe('5.023'); // 5.49 -> 5
    expect(at(histogram, 55)).toBe('6.015'); // 5.5 -> 6 (6000 is 5984..6015)
    expect(at(histogram, 99)).toBe('10.047'); // 9.9 -> 10 (10000 is 9984..10047)
    expect(at(histogram, 99.9)).toBe('10.047');
    expect(at(histogram, 0)).toBe('1.000');
    expect(at(histogram, 4)).toBe('1.003'); // 0.9 -> 1
    expect(at(histogram, 100)).toBe('10.047');
  });

  test('above 100 and NaN count as 100', () => {
    const histogram = histogramOf(1, 50);
    expect(at(histogram, 150)).toBe('50.175');
    expect(at(histogram, Number.NaN)).toBe('50.175');
  });

  test('usecText is printf %.3f of nanoseconds / 1000', () => {
    expect(usecText(0)).toBe('0.000');
    expect(usecText(1)).toBe('0.001');
    expect(usecText(1003)).toBe('1.003');
    expect(usecText(1_002_438_655)).toBe('1002438.655');
  });
});

describe('cumulative buckets (LATENCY HISTOGRAM histogram_usec)', () => {
  test.each([
    [3, [[4, 1]]],
    [8, [[8, 1]]],
    [25, [[33, 1]]],
    [106, [[132, 1]]],
    [1, [[1, 1]]],
    [0, [[1, 1]]],
    [1_100_000, [[1_073_741, 1]]],
  ])('one call of %d usec', (usec, buckets) => {
    expect(histogramOf(usec).cumulativeBuckets()).toEqual(buckets);
  });

  test('as redis-server 7.0.15 reported three DEBUG SLEEPs (104 usec, 0.3 s, 1.1 s)', () => {
    expect(histogramOf(104, 300_000, 1_100_000).cumulativeBuckets()).toEqual([[132, 1], [541_065, 2], [1_073_741, 3]]);
  });

  test('a bucket holds the calls up to its power of two (1024 ns << n) and that value\'s counter', () => {
    // 1031 ns shares 1024's counter (1024..1031): counted in the first bucket; 1032 ns in the next
    const histogram = new LatencyHistogram();
    for (const value of [1, 500, 1031, 1032, 2063, 2064, 4000]) histogram.record(value);
    expect(histogram.cumulativeBuckets()).toEqual([[1, 3], [2, 5], [4, 7]]);
  });

  test('buckets without new calls are left out; an empty histogram has none', () => {
    expect(histogramOf(1, 1000).cumulativeBuckets()).toEqual([[1, 1], [1_056, 2]]);
    expect(new LatencyHistogram().cumulativeBuckets()).toEqual([]);
  });
});

describe('LatencyTracking', () => {
  test('follows latency-tracking and latency-tracking-info-percentiles', () => {
    const config = new Config();
    const tracking = new LatencyTracking(config);
    expect(tracking.enabled).toBe(true);
    const holder: { latency?: LatencyHistogram | undefined } = {};
    tracking.record(holder, 0.0095);
    tracking.record(holder, 0.0012);
    expect(tracking.percentileText(holder.latency!)).toBe('p50=1.003,p99=9.023,p99.9=9.023');
    expect(config.set('latency-tracking-info-percentiles', '0 12.50 100')).toBeUndefined();
    expect(tracking.percentileText(holder.latency!)).toBe('p0=1.000,p12.5=1.003,p100=9.023');
    expect(config.set('latency-tracking-info-percentiles', '')).toBeUndefined();
    expect(tracking.percentileText(holder.latency!)).toBe('');
    expect(config.set('latency-tracking', 'no')).toBeUndefined();
    tracking.record(holder, 0.005);
    expect(holder.latency!.totalCount).toBe(2);
    const fresh: { latency?: LatencyHistogram | undefined } = {};
    tracking.record(fresh, 0.005);
    expect(fresh.latency).toBeUndefined();
  });
});
