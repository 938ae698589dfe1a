/**
 * The DUMP payload format, as far as FUNCTION DUMP / FUNCTION RESTORE need it (Redis 7.0's rdb.c, cluster.c,
 * crc64.c, lzf): RDB strings (length encoding, integer encodings, LZF compression), the payload footer (the 2-byte
 * little-endian RDB version and the 8-byte little-endian CRC-64/Jones of everything before it).
 */

/** The RDB version Redis 7.0 writes (RDB_VERSION). */
export const RDB_VERSION = 10;
/** RDB_OPCODE_FUNCTION (7.0 release candidates: name, engine, description, code) and RDB_OPCODE_FUNCTION2 (code). */
export const RDB_OPCODE_FUNCTION = 246;
export const RDB_OPCODE_FUNCTION2 = 245;

// ----- CRC-64/Jones (reflected, polynomial 0xad93d23594c935a9, no final xor) -----

const CRC_TABLE: bigint[] = (() => {
  const poly = 0x95ac9329ac4bc9b5n; // 0xad93d23594c935a9 bit-reversed
  const table: bigint[] = [];
  for (let n = 0n; n < 256n; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
    table.push(crc);
  }
  return table;
})();

/** Redis's crc64(crc, bytes): crc64(0, "123456789") is 0xe9c6d914c4b8d9ca. */
export function crc64(crc: bigint, bytes: Uint8Array): bigint {
  let value = crc;
  for (const byte of bytes) value = CRC_TABLE[Number((value ^ BigInt(byte)) & 0xffn)]! ^ (value >> 8n);
  return value;
}

// ----- LZF -----

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

// ----- RDB strings -----

/** rdbSaveLen. */
export function encodeLength(length: number): Buffer {
  if (length < 1 << 6) return Buffer.from([length]);
  if (length < 1 << 14) return Buffer.from([0x40 | (length >> 8), length & 0xff]);
  if (length <= 0xffffffff) {
    const buffer = Buffer.alloc(5);
    buffer[0] = 0x80;
    buffer.writeUInt32BE(length, 1);
    return buffer;
  }
  const buffer = Buffer.alloc(9);
  buffer[0] = 0x81;
  buffer.writeBigUInt64BE(BigInt(length), 1);
  return buffer;
}

/** rdbTryIntegerEncoding: a string of at most 11 bytes that is the canonical form of a 32-bit integer. */
function integerEncoding(bytes: Buffer): Buffer | undefined {
  if (bytes.length === 0 || bytes.length > 11) return undefined;
  const text = bytes.toString('latin1');
  if (!/^(0|-?[1-9][0-9]*)$/.test(text)) return undefined;
  const value = Number(text);
  if (value >= -(2 ** 7) && value < 2 ** 7) return Buffer.from([0xc0, value & 0xff]);
  if (value >= -(2 ** 15) && value < 2 ** 15) {
    const buffer = Buffer.alloc(3);
    buffer[0] = 0xc1;
    buffer.writeInt16LE(value, 1);
    return buffer;
  }
  if (value >= -(2 ** 31) && value < 2 ** 31) {
    const buffer = Buffer.alloc(5);
    buffer[0] = 0xc2;
    buffer.writeInt32LE(value, 1);
    return buffer;
  }
  return undefined;
}

/** rdbSaveRawString: integer encoding, else (with rdbcompression) LZF when it saves at least 4 bytes, else raw. */
export function encodeString(bytes: Buffer, compress = true): Buffer {
  const integer = integerEncoding(bytes);
  if (integer !== undefined) return integer;
  if (compress && bytes.length > 20) {
    const compressed = lzfCompress(bytes, bytes.length - 4);
    if (compressed !== undefined) {
      return Buffer.concat([Buffer.from([0xc3]), encodeLength(compressed.length), encodeLength(bytes.length), compressed]);
    }
  }
  return Buffer.concat([encodeLength(bytes.length), bytes]);
}

/** A cursor over an RDB byte string; every read returns undefined past the end or on a malformed encoding. */
export class RdbReader {
  position = 0;
  constructor(readonly bytes: Buffer) {}

  byte(): number | undefined {
    return this.position < this.bytes.length ? this.bytes[this.position++] : undefined;
  }

  /** rdbLoadLenByRef: the length, or an encoding marker `{ encoded }` for 0b11xxxxxx. */
  length(): { value: number; encoded: boolean } | undefined {
    const first = this.byte();
    if (first === undefined) return undefined;
    const kind = first >> 6;
    if (kind === 0) return { value: first & 0x3f, encoded: false };
    if (kind === 3) return { value: first & 0x3f, encoded: true };
    if (kind === 1) {
      const second = this.byte();
      return second === undefined ? undefined : { value: ((first & 0x3f) << 8) | second, encoded: false };
    }
    if (first === 0x80) {
      const slice = this.take(4);
      return slice && { value: slice.readUInt32BE(0), encoded: false };
    }
    if (first === 0x81) {
      const slice = this.take(8);
      if (slice === undefined) return undefined;
      const value = slice.readBigUInt64BE(0);
      return value > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : { value: Number(value), encoded: false };
    }
    return undefined;
  }

  take(count: number): Buffer | undefined {
    if (this.position + count > this.bytes.length) return undefined;
    const slice = this.bytes.subarray(this.position, this.position + count);
    this.position += count;
    return slice;
  }

  /** rdbGenericLoadStringObject. */
  string(): Buffer | undefined {
    const header = this.length();
    if (header === undefined) return undefined;
    if (!header.encoded) return this.take(header.value);
    switch (header.value) {
      case 0: {
        const slice = this.take(1);
        return slice && Buffer.from(String(slice.readInt8(0)), 'latin1');
      }
      case 1: {
        const slice = this.take(2);
        return slice && Buffer.from(String(slice.readInt16LE(0)), 'latin1');
      }
      case 2: {
        const slice = this.take(4);
        return slice && Buffer.from(String(slice.readInt32LE(0)), 'latin1');
      }
      case 3: {
        const compressed = this.length();
        const original = this.length();
        if (compressed === undefined || original === undefined || compressed.encoded || original.encoded) return undefined;
        const data = this.take(compressed.value);
        return data && lzfDecompress(data, original.value);
      }
      default:
        return undefined;
    }
  }
}

/** Appends the footer: RDB version (2 bytes LE) and CRC-64 (8 bytes LE) of everything before it. */
export function withFooter(body: Buffer): Buffer {
  const version = Buffer.from([RDB_VERSION & 0xff, RDB_VERSION >> 8]);
  const crc = Buffer.alloc(8);
  const withVersion = Buffer.concat([body, version]);
  crc.writeBigUInt64LE(crc64(0n, withVersion));
  return Buffer.concat([withVersion, crc]);
}

/** verifyDumpPayload: at least 10 bytes, an RDB version Redis can read, a matching CRC. */
export function verifyPayload(payload: Buffer): boolean {
  if (payload.length < 10) return false;
  const footer = payload.length - 10;
  const version = payload[footer]! | (payload[footer + 1]! << 8);
  if (version > RDB_VERSION) return false;
  return crc64(0n, payload.subarray(0, payload.length - 8)) === payload.readBigUInt64LE(payload.length - 8);
}
