/**
 * MurmurHash64A (Austin Appleby) as Redis's hyperloglog.c uses it, in 32-bit halves so that PFADD needs no BigInt:
 * every 64-bit product is the low 64 bits of a 64x64 multiplication, built from 16-bit partial products.
 */

/** Redis's seed for HyperLogLog hashing. */
const SEED_HI = 0;
const SEED_LO = 0xadc83b19;
/** m = 0xc6a4a7935bd1e995. */
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;

let outHi = 0;
let outLo = 0;

/** (aHi:aLo * bHi:bLo) mod 2^64 into outHi:outLo. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  outLo = ((p00 & 0xffff) | ((mid & 0xffff) << 16)) >>> 0;
  const carry = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  outHi = (carry + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) >>> 0;
}

/** Result of the last murmurHash64A call: high and low 32 bits. */
export const hashResult = { hi: 0, lo: 0 };

/** MurmurHash64A of a latin1 byte string with Redis's seed; the result lands in `hashResult`. */
export function murmurHash64A(data: string): void {
  const len = data.length;
  // h = seed ^ (len * m)
  mul64(0, len, M_HI, M_LO);
  let hHi = (SEED_HI ^ outHi) >>> 0;
  let hLo = (SEED_LO ^ outLo) >>> 0;
  const blocks = len - (len & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    let kLo =
      (data.charCodeAt(i) | (data.charCodeAt(i + 1) << 8) | (data.charCodeAt(i + 2) << 16) | (data.charCodeAt(i + 3) << 24)) >>> 0;
    let kHi =
      (data.charCodeAt(i + 4) | (data.charCodeAt(i + 5) << 8) | (data.charCodeAt(i + 6) << 16) | (data.charCodeAt(i + 7) << 24)) >>>
      0;
    mul64(kHi, kLo, M_HI, M_LO);
    kHi = outHi;
    kLo = outLo;
    // k ^= k >> 47
    kLo = (kLo ^ (kHi >>> 15)) >>> 0;
    mul64(kHi, kLo, M_HI, M_LO);
    hHi = (hHi ^ outHi) >>> 0;
    hLo = (hLo ^ outLo) >>> 0;
    mul64(hHi, hLo, M_HI, M_LO);
    hHi = outHi;
    hLo = outLo;
  }
  const rest = len & 7;
  if (rest > 0) {
    // h ^= data[6] << 48 ... data[0]
    for (let j = rest - 1; j >= 0; j--) {
      const byte = data.charCodeAt(i + j);
      if (j >= 4) hHi = (hHi ^ (byte << ((j - 4) * 8))) >>> 0;
      else hLo = (hLo ^ (byte << (j * 8))) >>> 0;
    }
    mul64(hHi, hLo, M_HI, M_LO);
    hHi = outHi;
    hLo = outLo;
  }
  // h ^= h >> 47; h *= m; h ^= h >> 47
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  mul64(hHi, hLo, M_HI, M_LO);
  hHi = outHi;
  hLo = outLo;
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  hashResult.hi = hHi;
  hashResult.lo = hLo;
}

/** The same hash with BigInt, as a reference for tests. */
export function murmurHash64ABig(data: string): bigint {
  const mask = (1n << 64n) - 1n;
  const m = 0xc6a4a7935bd1e995n;
  let h = (0xadc83b19n ^ (BigInt(data.length) * m)) & mask;
  const blocks = data.length - (data.length & 7);
  let i = 0;
  for (; i < blocks; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(data.charCodeAt(i + j));
    k = (k * m) & mask;
    k ^= k >> 47n;
    k = (k * m) & mask;
    h ^= k;
    h = (h * m) & mask;
  }
  const rest = data.length & 7;
  if (rest > 0) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(data.charCodeAt(i + j)) << BigInt(8 * j);
    h = (h * m) & mask;
  }
  h ^= h >> 47n;
  h = (h * m) & mask;
  h ^= h >> 47n;
  return h;
}
