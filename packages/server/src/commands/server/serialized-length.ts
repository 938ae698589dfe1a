/**
 * DEBUG OBJECT's serializedlength: Redis's rdbSavedObjectLen, the length of the value's RDB serialization for its
 * encoding, computed by building the bytes Redis saves: strings and elements as rdbSaveRawString saves them (integer
 * encodings; with rdbcompression, LZF when that saves at least 4 bytes), container blobs (listpacks, intsets) as their
 * exact bytes, saved as one string each (so LZF applies to them too), a list as the quicklist nodes Redis would have
 * made pushing its items at the tail. Known differences: the node split of lists built otherwise (see
 * quicklistNodes), and an intset's width, which Redis never narrows after its widest member is removed (here: the
 * width of the current members); a list's fill and compress depth are the current configuration's, where Redis keeps
 * those the list was created with.
 */
import type { Value } from '@mini-redis/store';
import { formatDouble } from '../../format.js';
import { lzfCompress } from '../scripting/lzf.js';
import { encodeString } from '../scripting/payload.js';

/** RDB length prefix size for a length (1, 2, 5 or 9 bytes). */
function lengthPrefix(length: number): number {
  return length < 64 ? 1 : length < 16384 ? 2 : length <= 0xffffffff ? 5 : 9;
}

/** rdbSaveRawString's length for one string or blob. */
function savedString(bytes: string | Buffer, compress: boolean): number {
  return encodeString(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, compress).length;
}

/** lpStringToInt64: a listpack stores an element that reads as an int64 as an integer. */
function listpackInteger(item: string | Buffer): bigint | undefined {
  const text = typeof item === 'string' ? item : item.toString('latin1');
  if (text.length === 0 || text.length > 20 || !/^(0|-?[1-9]\d*)$/.test(text)) return undefined;
  const value = BigInt(text);
  return value >= -(2n ** 63n) && value < 2n ** 63n ? value : undefined;
}

/** Little-endian bytes of a two's complement integer `width` bytes wide. */
function littleEndian(value: bigint, width: number): number[] {
  let unsigned = BigInt.asUintN(width * 8, value);
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    out.push(Number(unsigned & 0xffn));
    unsigned >>= 8n;
  }
  return out;
}

/** lpEncodeBacklen: an entry's length, read backwards (7 bits a byte, the high bit marking more). */
function backlen(length: number): number[] {
  if (length <= 127) return [length];
  if (length < 16383) return [length >> 7, (length & 127) | 128];
  if (length < 2097151) return [length >> 14, ((length >> 7) & 127) | 128, (length & 127) | 128];
  if (length < 268435455) return [length >> 21, ((length >> 14) & 127) | 128, ((length >> 7) & 127) | 128, (length & 127) | 128];
  return [Math.floor(length / 2 ** 28), ((length >> 21) & 127) | 128, ((length >> 14) & 127) | 128, ((length >> 7) & 127) | 128, (length & 127) | 128];
}

/** One listpack entry (lpEncodeIntegerGetType / lpEncodeString), then its back-length. */
function listpackEntry(item: string | Buffer, out: number[]): void {
  const integer = listpackInteger(item);
  let entry: number[];
  if (integer !== undefined) {
    if (integer >= 0n && integer <= 127n) entry = [Number(integer)];
    else if (integer >= -4096n && integer <= 4095n) {
      const value = Number(BigInt.asUintN(13, integer));
      entry = [(value >> 8) | 0xc0, value & 0xff];
    } else if (integer >= -32768n && integer <= 32767n) entry = [0xf1, ...littleEndian(integer, 2)];
    else if (integer >= -8388608n && integer <= 8388607n) entry = [0xf2, ...littleEndian(integer, 3)];
    else if (integer >= -2147483648n && integer <= 2147483647n) entry = [0xf3, ...littleEndian(integer, 4)];
    else entry = [0xf4, ...littleEndian(integer, 8)];
  } else {
    const bytes = typeof item === 'string' ? Buffer.from(item, 'latin1') : item;
    const length = bytes.length;
    if (length < 64) entry = [length | 0x80];
    else if (length < 4096) entry = [(length >> 8) | 0xe0, length & 0xff];
    else entry = [0xf0, ...littleEndian(BigInt(length), 4)];
    for (const byte of bytes) entry.push(byte);
  }
  for (const byte of entry) out.push(byte);
  for (const byte of backlen(entry.length)) out.push(byte);
}

/** A listpack's bytes: total bytes and element count (uint32, uint16 LE), the entries, the end byte 0xFF. */
export function listpackBytes(items: Iterable<string | Buffer>): Buffer {
  const body: number[] = [];
  let count = 0;
  for (const item of items) {
    listpackEntry(item, body);
    count++;
  }
  return withListpackHeader(body, count);
}

function withListpackHeader(body: number[], count: number): Buffer {
  const total = 6 + body.length + 1;
  const bytes = Buffer.allocUnsafe(total);
  bytes.writeUInt32LE(total, 0);
  bytes.writeUInt16LE(Math.min(count, 65535), 4);
  for (let i = 0; i < body.length; i++) bytes[6 + i] = body[i]!;
  bytes[total - 1] = 0xff;
  return bytes;
}

/** quicklist.c's size limits of a node for a negative fill (list-max-listpack-size -1..-5). */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
/** SIZE_SAFETY_LIMIT: the size limit of a node under a positive (count) fill. */
const SIZE_SAFETY_LIMIT = 8192;
/** SIZE_ESTIMATE_OVERHEAD: _quicklistNodeAllowInsert's allowance for an entry's encoding bytes. */
const SIZE_ESTIMATE_OVERHEAD = 8;
/** __quicklistCompressNode: nodes under MIN_COMPRESS_BYTES, or saving under MIN_COMPRESS_IMPROVE, stay raw. */
const MIN_COMPRESS_BYTES = 48;
const MIN_COMPRESS_IMPROVE = 8;

/**
 * The listpacks of the quicklist nodes Redis 7.0 builds when the items are pushed at the tail one by one
 * (_quicklistNodeAllowInsert: a node takes an item while its size plus the item's length plus 8 stays within the fill's
 * limit). A list also built by LPUSH, LINSERT or LSET may be split elsewhere in Redis: the store keeps no history.
 */
export function quicklistNodes(items: Iterable<string | Buffer>, fill: number): Buffer[] {
  const nodes: Buffer[] = [];
  let body: number[] = [];
  let count = 0;
  const sizeLimit = fill < 0 ? OPTIMIZATION_LEVEL[Math.min(-fill - 1, OPTIMIZATION_LEVEL.length - 1)]! : Infinity;
  const countLimit = fill < 0 ? Infinity : fill === 0 ? 1 : fill;
  for (const item of items) {
    if (count > 0) {
      const newSize = 7 + body.length + item.length + SIZE_ESTIMATE_OVERHEAD;
      const exceeds = fill < 0 ? newSize > sizeLimit : newSize > SIZE_SAFETY_LIMIT || count + 1 > countLimit;
      if (exceeds) {
        nodes.push(withListpackHeader(body, count));
        body = [];
        count = 0;
      }
    }
    listpackEntry(item, body);
    count++;
  }
  if (count > 0) nodes.push(withListpackHeader(body, count));
  return nodes;
}

/**
 * A quicklist's RDB length (RDB_TYPE_LIST_QUICKLIST_2): the node count, then each node's container type and its
 * listpack, LZF-compressed when the node is an interior one of a list with a compress depth and compresses well
 * enough (__quicklistCompressNode, saved by rdbSaveLzfBlob), else saved as a string (rdbSaveRawString).
 */
function quicklistLength(nodes: readonly Buffer[], depth: number, compress: boolean): number {
  let total = lengthPrefix(nodes.length);
  const interior = depth > 0 && nodes.length >= depth * 2;
  nodes.forEach((listpack, index) => {
    total += 1; // container: PACKED
    if (interior && index >= depth && index < nodes.length - depth && listpack.length >= MIN_COMPRESS_BYTES) {
      const compressed = lzfCompress(listpack, listpack.length);
      if (compressed !== undefined && compressed.length + MIN_COMPRESS_IMPROVE < listpack.length) {
        total += 1 + lengthPrefix(compressed.length) + lengthPrefix(listpack.length) + compressed.length;
        return;
      }
    }
    total += savedString(listpack, compress);
  });
  return total;
}

/** An intset's bytes: encoding (2, 4 or 8) and length (uint32 LE each), then the members sorted, LE at that width. */
function intsetBytes(members: Iterable<string>): Buffer {
  const values = [...members].map((member) => BigInt(member)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const value of values) {
    if (value < -2147483648n || value > 2147483647n) width = 8;
    else if ((value < -32768n || value > 32767n) && width < 4) width = 4;
  }
  const out = [...littleEndian(BigInt(width), 4), ...littleEndian(BigInt(values.length), 4)];
  for (const value of values) out.push(...littleEndian(value, width));
  return Buffer.from(out);
}

function* flatten<T>(pairs: Iterable<T>, parts: (pair: T) => Array<string | Buffer>): Generator<string | Buffer> {
  for (const pair of pairs) yield* parts(pair);
}

/** What serializedLength reads from the configuration. */
export interface SerializeOptions {
  /** rdbcompression. */
  readonly compress: boolean;
  /** list-max-listpack-size. */
  readonly listFill: number;
  /** list-compress-depth. */
  readonly listCompressDepth: number;
}

/** rdbSavedObjectLen for the value in its encoding. */
export function serializedLength(value: Value, encoding: string, options: SerializeOptions): number {
  const compress = options.compress;
  if (typeof value === 'string' || Buffer.isBuffer(value)) return savedString(value, compress);
  let total = 0;
  if (value instanceof Map) {
    if (encoding === 'listpack') return savedString(listpackBytes(flatten(value, ([field, item]) => [field, item])), compress);
    for (const [field, item] of value) total += savedString(field, compress) + savedString(item, compress);
    return lengthPrefix(value.size) + total;
  }
  if (value instanceof Set) {
    if (encoding === 'intset') return savedString(intsetBytes(value), compress);
    for (const member of value) total += savedString(member, compress);
    return lengthPrefix(value.size) + total;
  }
  if (value.kind === 'list') return quicklistLength(quicklistNodes(value, options.listFill), options.listCompressDepth, compress);
  if (value.kind === 'zset') {
    if (encoding === 'listpack') {
      return savedString(listpackBytes(flatten(value, ({ member, score }) => [member, formatDouble(score)])), compress);
    }
    // skiplist: each member as a string, each score as a binary double
    for (const { member } of value) total += savedString(member, compress) + 8;
    return lengthPrefix(value.size) + total;
  }
  return 16 * value.length;
}
