/**
 * The DUMP payload format, as far as FUNCTION DUMP / FUNCTION RESTORE need it (Redis 7.0's rdb.c, cluster.c,
 * crc64.c): RDB strings (length encoding, integer encodings, LZF compression from lzf.ts), the payload footer (the 2-byte
 * little-endian RDB version and the 8-byte little-endian CRC-64/Jones of everything before it).
 */
import { lzfCompress, lzfDecompress } from './lzf.js';

export { lzfCompress, lzfDecompress } from './lzf.js';

/** The RDB version Redis 7.0 writes (RDB_VERSION). */
export const RDB_VERSION = 10;
/** RDB_OPCODE_FUNCTION (7.0 release candidates: name, engine, description, code) and RDB_OPCODE_FUNCTION2 (code). */
export const RDB_OPCODE_FUNCTION = 246;
export const RDB_OPCODE_FUNCTION2 = 245;

// ----- CRC-64/Jones (reflected, polynomial 0xad93d23594c935a9, no final xor) -----

/** The table, built on the first DUMP/RESTORE of a function payload (2048 BigInt steps: not at every start). */
let crcTable: bigint[] | undefined;

function buildCrcTable(): bigint[] {
  const poly = 0x95ac9329ac4bc9b5n; // 0xad93d23594c935a9 bit-reversed
  const table: bigint[] = [];
  for (let n = 0n; n < 256n; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
    table.push(crc);
  }
  return table;
}

/** Redis's crc64(crc, bytes): crc64(0, "123456789") is 0xe9c6d914c4b8d9ca. */
export function crc64(crc: bigint, bytes: Uint8Array): bigint {
  const table = (crcTable ??= buildCrcTable());
  let value = crc;
  for (const byte of bytes) value = table[Number((value ^ BigInt(byte)) & 0xffn)]! ^ (value >> 8n);
  return value;
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
