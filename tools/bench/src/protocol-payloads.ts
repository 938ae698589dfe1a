// Fixed, seeded payloads for the protocol benchmark.
import { encode, encodeCommand, RespDouble, RespMap, type RespValue } from '@mini-redis/protocol';

/** mulberry32: a tiny seeded PRNG so every run uses the same bytes. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(42);
const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
const word = (length: number): string => Array.from({ length }, () => String.fromCharCode(int(97, 122))).join('');

/** 10k small bulk replies (5..20 bytes each), pipelined. */
export const smallBulks = Buffer.concat(Array.from({ length: 10_000 }, () => encode(word(int(5, 20)))));
export const smallBulksCount = 10_000;

/** One array of 1000 integers. */
export const integerArray = encode(Array.from({ length: 1000 }, () => int(-1_000_000, 1_000_000_000)));

/** 200 nested RESP3 replies: maps of arrays of bulks, integers and doubles (RESP3 only). */
export const nestedResp3 = Buffer.concat(
  Array.from({ length: 200 }, () => {
    const items: RespValue[] = [];
    for (let pair = 0; pair < 5; pair++) {
      items.push(word(6), [int(0, 1e6), word(8), new RespDouble(int(0, 1e6) / 7), [word(3), int(0, 99)]]);
    }
    return encode(new RespMap(items), { protocol: 3 });
  }),
);
export const nestedCount = 200;

/** 10k pipelined `SET key:i value` commands. */
export const setCommands = Buffer.concat(Array.from({ length: 10_000 }, (_, index) => encodeCommand(['SET', `key:${index}`, word(int(5, 20))])));
export const setCommandsCount = 10_000;

/** Splits a payload into random 1..1460-byte chunks (TCP segment sizes), seeded. */
export function toSegments(payload: Buffer, seed = 7): Buffer[] {
  const nextSize = random(seed);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < payload.length; ) {
    const size = 1 + Math.floor(nextSize() * 1460);
    chunks.push(payload.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}
