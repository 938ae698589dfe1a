/**
 * Redis's HyperLogLog representation (hyperloglog.c), byte for byte: a 16-byte header ("HYLL", encoding, 3 unused
 * bytes, 8-byte little-endian cached cardinality whose top bit marks it invalid), then either 16384 6-bit dense
 * registers or the sparse opcodes ZERO (00xxxxxx), XZERO (01xxxxxx yyyyyyyy) and VAL (1vvvvvxx). The estimator is
 * Redis 7.0's (Ertl's improved estimator: hllTau / hllSigma).
 */
import { hashResult, murmurHash64A } from './murmur.js';

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + ((HLL_REGISTERS * 6 + 7) >> 3);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_SPARSE_XZERO_MAX_LEN = 16384;
const HLL_ALPHA_INF = 0.721347520444481703680;

export const INVALID_HLL = 'INVALIDOBJ Corrupted HLL object detected';
export const NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';

/** A fresh empty HLL: sparse, one XZERO covering every register, cached cardinality 0. */
export function createHll(): Buffer {
  const buffer = Buffer.alloc(HLL_HDR_SIZE + 2);
  buffer.write('HYLL', 0, 'latin1');
  buffer[4] = HLL_SPARSE;
  buffer[16] = 0x40 | ((HLL_SPARSE_XZERO_MAX_LEN - 1) >> 8);
  buffer[17] = (HLL_SPARSE_XZERO_MAX_LEN - 1) & 0xff;
  return buffer;
}

/** isHLLObjectOrReply's checks past the type: magic, encoding and dense size. */
export function isValidHll(value: Buffer): boolean {
  if (value.length < HLL_HDR_SIZE) return false;
  if (value[0] !== 0x48 || value[1] !== 0x59 || value[2] !== 0x4c || value[3] !== 0x4c) return false;
  if (value[4]! > HLL_SPARSE) return false;
  return !(value[4] === HLL_DENSE && value.length !== HLL_DENSE_SIZE);
}

export function invalidateCache(value: Buffer): void {
  value[15] = value[15]! | 0x80;
}

export function cacheValid(value: Buffer): boolean {
  return (value[15]! & 0x80) === 0;
}

/** The cached cardinality (up to 2^63, exact below 2^53 which is all an HLL can give). */
export function cachedCardinality(value: Buffer): number | bigint {
  const card = value.readBigUInt64LE(8);
  return card <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(card) : card;
}

/** What llroundl gives for an infinite estimate. */
export const LLONG_MIN = -9223372036854775808n;

export function setCachedCardinality(value: Buffer, card: number | bigint): void {
  if (typeof card === 'bigint') {
    value.writeBigInt64LE(card, 8);
    return;
  }
  value.writeUInt32LE(card % 0x100000000, 8);
  value.writeUInt32LE(Math.floor(card / 0x100000000), 12);
}

/** Dense register `index` of registers starting at `offset` (HLL_DENSE_GET_REGISTER). */
export function denseGet(buf: Uint8Array, offset: number, index: number): number {
  const bit = index * 6;
  const byte = offset + (bit >> 3);
  const fb = bit & 7;
  const b0 = buf[byte]!;
  const b1 = byte + 1 < buf.length ? buf[byte + 1]! : 0;
  return ((b0 >> fb) | (b1 << (8 - fb))) & 63;
}

/** HLL_DENSE_SET_REGISTER. */
export function denseSetRaw(buf: Uint8Array, offset: number, index: number, value: number): void {
  const bit = index * 6;
  const byte = offset + (bit >> 3);
  const fb = bit & 7;
  const fb8 = 8 - fb;
  buf[byte] = (buf[byte]! & ~(63 << fb)) | ((value << fb) & 0xff);
  if (byte + 1 < buf.length) buf[byte + 1] = (buf[byte + 1]! & ~(63 >> fb8)) | (value >> fb8);
}

/** Register index and run length of an element, in `pattern` (hllPatLen). */
export const pattern = { index: 0, count: 0 };

export function hllPatLen(element: string): void {
  murmurHash64A(element);
  const { hi, lo } = hashResult;
  pattern.index = lo & HLL_P_MASK;
  // hash >> 14 | 1 << 50: low word and high word (18 bits + the stop bit at 18)
  const low = ((lo >>> HLL_P) | (hi << (32 - HLL_P))) >>> 0;
  const high = (hi >>> HLL_P) | (1 << 18);
  let count: number;
  if (low !== 0) count = 31 - Math.clz32(low & -low) + 1;
  else count = 32 + (31 - Math.clz32(high & -high)) + 1;
  pattern.count = count;
}

/** hllDenseSet on a dense HLL value: true when the register grew. */
export function denseSet(value: Uint8Array, index: number, count: number): boolean {
  const old = denseGet(value, HLL_HDR_SIZE, index);
  if (count > old) {
    denseSetRaw(value, HLL_HDR_SIZE, index, count);
    return true;
  }
  return false;
}

/** Sparse → dense (hllSparseToDense): a new dense value keeping the header, or undefined when corrupt. */
export function sparseToDense(sparse: Uint8Array, length = sparse.length): Buffer | undefined {
  const dense = Buffer.alloc(HLL_DENSE_SIZE);
  for (let i = 0; i < HLL_HDR_SIZE; i++) dense[i] = sparse[i]!;
  dense[4] = HLL_DENSE;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < length) {
    const op = sparse[p]!;
    if ((op & 0xc0) === 0) {
      idx += (op & 0x3f) + 1;
      if (idx > HLL_REGISTERS) return undefined;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      idx += (((op & 0x3f) << 8) | (p + 1 < length ? sparse[p + 1]! : 0)) + 1;
      if (idx > HLL_REGISTERS) return undefined;
      p += 2;
    } else {
      let runlen = (op & 3) + 1;
      const regval = ((op >> 2) & 0x1f) + 1;
      if (runlen + idx > HLL_REGISTERS) return undefined;
      while (runlen--) denseSetRaw(dense, HLL_HDR_SIZE, idx++, regval);
      p++;
    }
  }
  return idx === HLL_REGISTERS ? dense : undefined;
}

/** Register histogram of a value (dense or sparse); undefined when a sparse value is corrupt and `check` is set. */
export function registerHistogram(value: Uint8Array, histogram: Float64Array, check: boolean): boolean {
  if (value[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) histogram[denseGet(value, HLL_HDR_SIZE, i)]!++;
    return true;
  }
  let idx = 0;
  let p = HLL_HDR_SIZE;
  const end = value.length;
  while (p < end) {
    const op = value[p]!;
    if ((op & 0xc0) === 0) {
      const runlen = (op & 0x3f) + 1;
      idx += runlen;
      histogram[0]! += runlen;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      const runlen = (((op & 0x3f) << 8) | (p + 1 < end ? value[p + 1]! : 0)) + 1;
      idx += runlen;
      histogram[0]! += runlen;
      p += 2;
    } else {
      const runlen = (op & 3) + 1;
      idx += runlen;
      histogram[((op >> 2) & 0x1f) + 1]! += runlen;
      p++;
    }
  }
  return !check || idx === HLL_REGISTERS;
}

/** hllMerge: max[i] = max(max[i], register i); false when a sparse value is corrupt. */
export function mergeInto(max: Uint8Array, value: Uint8Array): boolean {
  if (value[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(value, HLL_HDR_SIZE, i);
      if (v > max[i]!) max[i] = v;
    }
    return true;
  }
  let i = 0;
  let p = HLL_HDR_SIZE;
  const end = value.length;
  while (p < end) {
    const op = value[p]!;
    if ((op & 0xc0) === 0) {
      i += (op & 0x3f) + 1;
      if (i > HLL_REGISTERS) return false;
      p++;
    } else if ((op & 0xc0) === 0x40) {
      i += (((op & 0x3f) << 8) | (p + 1 < end ? value[p + 1]! : 0)) + 1;
      if (i > HLL_REGISTERS) return false;
      p += 2;
    } else {
      let runlen = (op & 3) + 1;
      const regval = ((op >> 2) & 0x1f) + 1;
      if (runlen + i > HLL_REGISTERS) return false;
      while (runlen--) {
        if (regval > max[i]!) max[i] = regval;
        i++;
      }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

function hllSigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function hllTau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** hllCount's estimate from a register histogram (HLL_Q + 2 buckets). */
export function estimate(histogram: Float64Array): number | bigint {
  const m = HLL_REGISTERS;
  let z = m * hllTau((m - histogram[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += histogram[j]!;
    z *= 0.5;
  }
  z += m * hllSigma(histogram[0]! / m);
  const e = (HLL_ALPHA_INF * m * m) / z;
  // llroundl of an infinite (or NaN) estimate is LLONG_MIN on x86-64: Redis replies it as a signed long long.
  if (!Number.isFinite(e)) return LLONG_MIN;
  const floor = Math.floor(e);
  return e - floor >= 0.5 ? floor + 1 : floor;
}

/** A histogram sized for any register value (dense registers hold up to 63). */
export function newHistogram(): Float64Array {
  return new Float64Array(64);
}
