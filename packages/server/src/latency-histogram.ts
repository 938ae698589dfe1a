/**
 * Per-command latency histograms: Redis 7.0's latency tracking (`latency-tracking`, INFO latencystats, LATENCY
 * HISTOGRAM). Redis keeps one hdr_histogram per command, created on the command's first call with
 * hdr_init(LATENCY_HISTOGRAM_MIN_VALUE = 1 ns, LATENCY_HISTOGRAM_MAX_VALUE = 1 s, 2 significant figures), and records
 * each call's duration as its whole microseconds times 1000. This module reproduces that histogram's bucket
 * arithmetic (hdr_histogram.c as Redis 7.0 vendors it) so percentiles and buckets come out as Redis's do:
 *
 * - 2 significant figures: 2 * 10^2 = 200 values need 256 sub-buckets (half count 128, magnitude 7), unit magnitude
 *   0 (the lowest value is 1), 23 buckets to reach 1e9, so 24 * 128 = 3072 counters.
 * - a value's bucket is the bit length of (value | 255) minus 8; its sub-bucket is value >> bucket; its counter is
 *   (bucket + 1) * 128 + sub - 128. The values sharing a counter run from sub << bucket to that + 2^bucket - 1.
 *
 * Recording costs an index computation and two increments on a preallocated Float64Array (no allocation).
 */
import type { Config } from './config.js';

/** LATENCY_HISTOGRAM_MIN_VALUE and LATENCY_HISTOGRAM_MAX_VALUE (nanoseconds): recorded values are clamped to them. */
export const MIN_VALUE = 1;
export const MAX_VALUE = 1_000_000_000;

// hdr_calculate_bucket_config(1, 1e9, 2): largest value with single unit resolution 2 * 10^2 = 200.
const SUB_BUCKET_COUNT_MAGNITUDE = Math.ceil(Math.log(200) / Math.log(2)); // 8
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = SUB_BUCKET_COUNT_MAGNITUDE - 1; // 7
const SUB_BUCKET_COUNT = 2 ** SUB_BUCKET_COUNT_MAGNITUDE; // 256
const SUB_BUCKET_HALF_COUNT = SUB_BUCKET_COUNT / 2; // 128
const SUB_BUCKET_MASK = SUB_BUCKET_COUNT - 1; // unit magnitude 0
const BUCKET_COUNT = bucketsNeeded(MAX_VALUE); // 23
/** Counters per histogram. */
export const COUNTS_LEN = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT; // 3072

/** buckets_needed_to_cover_value. */
function bucketsNeeded(value: number): number {
  let smallestUntrackable = SUB_BUCKET_COUNT;
  let buckets = 1;
  while (smallestUntrackable <= value) {
    smallestUntrackable *= 2;
    buckets++;
  }
  return buckets;
}

// The helpers below take values below 2^32 (the histogram holds at most ~2^30; the log iterator peeks at 2^31).

/** get_bucket_index: 64 - clzll(value | sub_bucket_mask) - unit_magnitude - (sub_bucket_half_count_magnitude + 1). */
function bucketIndex(value: number): number {
  return 32 - Math.clz32(value | SUB_BUCKET_MASK) - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
}

/** get_sub_bucket_index: value >> bucket_index. */
function subBucketIndex(value: number, bucket: number): number {
  return Math.floor(value / 2 ** bucket);
}

/** hdr_value_at_index: the lowest value a counter holds. */
export function valueAtIndex(index: number): number {
  let bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let sub = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    sub -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  return sub * 2 ** bucket;
}

/** counts_index_for: the counter a value goes to. */
export function countsIndexFor(value: number): number {
  const bucket = bucketIndex(value);
  return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + subBucketIndex(value, bucket) - SUB_BUCKET_HALF_COUNT;
}

/** lowest_equivalent_value. */
export function lowestEquivalentValue(value: number): number {
  const bucket = bucketIndex(value);
  return subBucketIndex(value, bucket) * 2 ** bucket;
}

/** highest_equivalent_value: lowest equivalent value + hdr_size_of_equivalent_value_range - 1. */
export function highestEquivalentValue(value: number): number {
  const bucket = bucketIndex(value);
  const sub = subBucketIndex(value, bucket);
  const size = 2 ** (sub >= SUB_BUCKET_COUNT ? bucket + 1 : bucket);
  return sub * 2 ** bucket + size - 1;
}

/** One command's histogram (Redis's redisCommand.latency_histogram). */
export class LatencyHistogram {
  readonly counts = new Float64Array(COUNTS_LEN);
  totalCount = 0;

  /** hdr_record_value after updateCommandLatencyHistogram's clamp; `value` is a whole number of nanoseconds. */
  record(value: number): void {
    if (value < MIN_VALUE) value = MIN_VALUE;
    else if (value > MAX_VALUE) value = MAX_VALUE;
    // bucketIndex and countsIndexFor inlined: value < 2^30, so 32-bit operations are exact
    const bucket = 24 - Math.clz32(value | SUB_BUCKET_MASK);
    const index = ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (value >>> bucket) - SUB_BUCKET_HALF_COUNT;
    this.counts[index] = this.counts[index]! + 1;
    this.totalCount++;
  }

  /**
   * hdr_value_at_percentile as Redis 7.0 has it: the counter where the cumulative count reaches
   * (int64)(percentile / 100 * total + 0.5) (at least 1), reported as its highest equivalent value, or its lowest
   * for percentile 0. Percentiles above 100 (and NaN) count as 100.
   */
  valueAtPercentile(percentile: number): number {
    const requested = percentile < 100 ? percentile : 100;
    const countAtPercentile = Math.trunc((requested / 100) * this.totalCount + 0.5);
    const wanted = countAtPercentile > 0 ? countAtPercentile : 1;
    let value = 0;
    let cumulative = 0;
    const counts = this.counts;
    for (let index = 0; index < COUNTS_LEN; index++) {
      cumulative += counts[index]!;
      if (cumulative >= wanted) {
        value = valueAtIndex(index);
        break;
      }
    }
    return percentile === 0 ? lowestEquivalentValue(value) : highestEquivalentValue(value);
  }

  /**
   * LATENCY HISTOGRAM's histogram_usec (fillCommandCDF): hdr_iter_log_init(h, 1024, 2) walked to the end, each step
   * giving its counter's highest equivalent value in whole microseconds and the cumulative count, steps that add
   * nothing left out.
   */
  cumulativeBuckets(): Array<[usec: number, count: number]> {
    const counts = this.counts;
    const total = this.totalCount;
    const out: Array<[number, number]> = [];
    let index = -1;
    let cumulative = 0;
    let value = 0;
    let highest = 0;
    let level = 1024;
    let levelLowest = lowestEquivalentValue(level);
    let previous = 0;
    // log_iter_next: on while values remain, or while the next counter lies past the reporting level
    while (cumulative < total || (index < COUNTS_LEN && valueAtIndex(index + 1) > levelLowest)) {
      for (;;) {
        if (value >= levelLowest) {
          level *= 2;
          levelLowest = lowestEquivalentValue(level);
          break;
        }
        // move_next; past the last counter the step ends with the last counter's values
        if (++index >= COUNTS_LEN) break;
        cumulative += counts[index]!;
        value = valueAtIndex(index);
        highest = highestEquivalentValue(value);
      }
      if (cumulative > previous) out.push([Math.trunc(highest / 1000), cumulative]);
      previous = cumulative;
    }
    return out;
  }
}

/** Where a command's histogram lives (its commandstats counters): created on the first recorded call. */
export interface LatencyHolder {
  latency?: LatencyHistogram | undefined;
}

/** A percentile of `latency-tracking-info-percentiles`: its value and its name as INFO prints it. */
interface Percentile {
  readonly value: number;
  readonly name: string;
}

/** Nanoseconds as microseconds with three decimals (printf %.3f of value / 1000.0, exact for whole nanoseconds). */
export function usecText(nanoseconds: number): string {
  return `${Math.floor(nanoseconds / 1000)}.${String(nanoseconds % 1000).padStart(3, '0')}`;
}

/** A server's latency tracking: its settings (followed from the config) and the recording hook of the dispatcher. */
export class LatencyTracking {
  /** `latency-tracking`. */
  enabled = true;
  /** `latency-tracking-info-percentiles`. */
  percentiles: readonly Percentile[] = [];

  constructor(config: Config) {
    config.observe('latency-tracking', (value) => {
      this.enabled = value === 'yes';
    });
    config.observe('latency-tracking-info-percentiles', (value) => {
      // the config keeps each number as printf %f without trailing zeros: the name INFO prints
      this.percentiles = value.split(' ').filter((name) => name !== '').map((name) => ({ name, value: Number(name) }));
    });
  }

  /**
   * updateCommandLatencyHistogram for a call that took `elapsed` milliseconds (a performance.now() difference), while
   * tracking is on: Redis records the call's whole microseconds (as commandstats counts them) times 1000.
   */
  record(holder: LatencyHolder, elapsed: number): void {
    if (!this.enabled) return;
    (holder.latency ??= new LatencyHistogram()).record(Math.floor(elapsed * 1000) * 1000);
  }

  /** fillPercentileDistributionLatencies's value: `p50=1.003,p99=2.007,p99.9=3.007`. */
  percentileText(histogram: LatencyHistogram): string {
    let text = '';
    for (const percentile of this.percentiles) {
      if (text !== '') text += ',';
      text += `p${percentile.name}=${usecText(histogram.valueAtPercentile(percentile.value))}`;
    }
    return text;
  }
}
