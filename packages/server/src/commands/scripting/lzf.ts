// LZF (liblzf 3.6), as redis-server compresses and decompresses RDB strings: the DUMP payloads of FUNCTION DUMP and
// FUNCTION RESTORE.

const HASH_LOG = 16;
const HASH_SIZE = 1 << HASH_LOG;
const MAX_LITERAL = 32;
const MAX_OFFSET = 1 << 13;
const MAX_BACKREF = (1 << 8) + (1 << 3);

/**
 * LZF compression producing the same bytes as liblzf 3.6's lzf_compress (Debian's redis-server links the system
 * liblzf, not Redis's bundled copy: there a back reference may end the input; HLOG 16, VERY_FAST, the shift hash,
 * an empty hash table): literal runs of up to 32
 * bytes (`000LLLLL` then the bytes) and back references (`LLLooooo oooooooo`, or `111ooooo LLLLLLLL oooooooo` for
 * long ones) into the previous 8 KB, found through a hash of the next 3 bytes. Returns undefined when the output
 * would not fit in `limit` bytes (Redis then stores the string uncompressed).
 */
export function lzfCompress(input: Uint8Array, limit: number): Buffer | undefined {
  const length = input.length;
  if (length === 0 || limit === 0) return undefined;
  const table = new Int32Array(HASH_SIZE).fill(-1);
  const out = Buffer.alloc(limit + 8);
  const hashIndex = (h: number): number => (((h >>> (24 - HASH_LOG)) - Math.imul(h, 5)) >>> 0) & (HASH_SIZE - 1);
  const first = (p: number): number => ((input[p]! << 8) | input[p + 1]!) >>> 0;
  const next = (h: number, p: number): number => ((h << 8) | input[p + 2]!) >>> 0;
  let ip = 0;
  let op = 1; // room for the first run's header
  let literal = 0;
  let hash = first(ip);
  while (ip < length - 2) {
    hash = next(hash, ip);
    const slot = hashIndex(hash);
    const ref = table[slot]!;
    table[slot] = ip;
    const offset = ip - ref - 1;
    if (
      ref > 0 &&
      offset >= 0 &&
      offset < MAX_OFFSET &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1] &&
      input[ref + 2] === input[ip + 2]
    ) {
      let len = 2;
      const maxLen = Math.min(length - ip - len, MAX_BACKREF);
      out[op - literal - 1] = literal - 1; // close the literal run
      if (literal === 0) op--; // an empty run takes no header
      if (op + 3 + 1 >= limit) return undefined;
      // lzf_compress compares 16 bytes unrolled before its bounded loop when maxLen > 16 (a match can then run up to
      // 2 bytes past maxLen); the same steps give the same bytes.
      let mismatch = false;
      if (maxLen > 16) {
        for (let step = 0; step < 16; step++) {
          len++;
          if (input[ref + len] !== input[ip + len]) {
            mismatch = true;
            break;
          }
        }
      }
      if (!mismatch) {
        do len++;
        while (len < maxLen && input[ref + len] === input[ip + len]);
      }
      len -= 2;
      ip++;
      if (len < 7) {
        out[op++] = (offset >> 8) + (len << 5);
      } else {
        out[op++] = (offset >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = offset & 0xff;
      literal = 0;
      op++;
      ip += len + 1;
      if (ip >= length - 2) break;
      ip -= 2;
      hash = first(ip);
      hash = next(hash, ip);
      table[hashIndex(hash)] = ip;
      ip++;
      hash = next(hash, ip);
      table[hashIndex(hash)] = ip;
      ip++;
    } else {
      if (op >= limit) return undefined;
      literal++;
      out[op++] = input[ip++]!;
      if (literal === MAX_LITERAL) {
        out[op - literal - 1] = literal - 1;
        literal = 0;
        op++;
      }
    }
  }
  if (op + 3 > limit) return undefined;
  while (ip < length) {
    literal++;
    out[op++] = input[ip++]!;
    if (literal === MAX_LITERAL) {
      out[op - literal - 1] = literal - 1;
      literal = 0;
      op++;
    }
  }
  out[op - literal - 1] = literal - 1;
  if (literal === 0) op--;
  return out.subarray(0, op);
}

/** LZF decompression; undefined when the data is corrupt or does not expand to exactly `length` bytes. */
export function lzfDecompress(input: Uint8Array, length: number): Buffer | undefined {
  const out = Buffer.alloc(length);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    const ctrl = input[ip++]!;
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (op + run > length || ip + run > input.length) return undefined;
      out.set(input.subarray(ip, ip + run), op);
      op += run;
      ip += run;
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= input.length) return undefined;
        len += input[ip++]!;
      }
      if (ip >= input.length) return undefined;
      let ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++]!;
      len += 2;
      if (op + len > length || ref < 0) return undefined;
      while (len-- > 0) out[op++] = out[ref++]!;
    }
  }
  return op === length ? out : undefined;
}
