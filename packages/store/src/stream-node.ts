/**
 * A stream's macro node (Redis's listpack of entries in the stream's radix tree): IDs as one BigUint64Array of (ms,
 * seq) pairs, entries in one byte buffer, SAMEFIELDS compression against the node's master fields, deleted flags, and
 * the size Redis's listpack encoding would take (stream-node-max-bytes decides where nodes end).
 */
import { type StreamID } from './stream-id.js';
import type { Bytes } from './types.js';

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Bytes the listpack integer/string encoding takes for an element plus its back-length (listpack.c). */
function encodedSize(length: number): number {
  const backlen = length <= 127 ? 1 : length < 16383 ? 2 : length < 2097151 ? 3 : length < 268435455 ? 4 : 5;
  return length + backlen;
}

function integerElementSize(value: bigint): number {
  let length: number;
  if (value >= 0n && value <= 127n) length = 1;
  else if (value >= -4096n && value <= 4095n) length = 2;
  else if (value >= -32768n && value <= 32767n) length = 3;
  else if (value >= -8388608n && value <= 8388607n) length = 4;
  else if (value >= -2147483648n && value <= 2147483647n) length = 5;
  else length = 9;
  return encodedSize(length);
}

/** integerElementSize for a safe integer, without BigInt. */
function smallIntegerElementSize(value: number): number {
  if (value >= 0 && value <= 127) return 2;
  if (value >= -4096 && value <= 4095) return 3;
  if (value >= -32768 && value <= 32767) return 4;
  if (value >= -8388608 && value <= 8388607) return 5;
  if (value >= -2147483648 && value <= 2147483647) return 6;
  return 10;
}

const STRICT_INTEGER = /^(?:0|-?[1-9][0-9]{0,19})$/;

/** The size of a byte string as a listpack element: strings that are int64 in canonical form are stored as integers. */
export function listpackElementSize(text: Bytes): number {
  const first = text.charCodeAt(0);
  // Most values are not numbers: anything not starting with a digit or '-' is a string.
  if (!(first >= 48 && first <= 57) && first !== 45) return stringElementSize(text.length);
  if (text.length <= 15 && STRICT_INTEGER.test(text)) return smallIntegerElementSize(Number(text));
  if (text.length <= 20 && STRICT_INTEGER.test(text)) {
    const value = BigInt(text);
    if (value >= INT64_MIN && value <= INT64_MAX) return integerElementSize(value);
  }
  return stringElementSize(text.length);
}

function stringElementSize(length: number): number {
  return encodedSize(length < 64 ? 1 + length : length < 4096 ? 2 + length : 5 + length);
}

/** A C `int64_t` difference of two uint64 values, as Redis appends the ID deltas. */
function int64Delta(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, a - b);
}

/** Bytes of a LEB128 varint. */
function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    size++;
  }
  return size;
}

/**
 * One macro node. IDs are a BigUint64Array (ms, seq pairs); entries live in one byte buffer, each as
 * [flags][num-fields if not SAMEFIELDS][length-prefixed field/value bytes...], like a listpack without the integer
 * encodings. A cursor caches the last decoded slot offset, so that walking a node in order is linear.
 */
export class StreamNode {
  ids: BigUint64Array;
  data: Buffer;
  /** Bytes of `data` in use. */
  used = 0;
  slots = 0;
  live = 0;
  /** Listpack bytes except the count and deleted elements (which change size as they change). */
  bytesBase: number;
  readonly masterFields: Bytes[];
  private cursorSlot = 0;
  private cursorOffset = 0;

  constructor(masterFields: Bytes[], capacity: number, dataCapacity = 64) {
    this.masterFields = masterFields;
    this.ids = new BigUint64Array(capacity * 2);
    this.data = Buffer.allocUnsafeSlow(dataCapacity);
    // Header (6) + terminator (1) + num-fields + fields + the master entry's zero terminator.
    let bytes = 7 + integerElementSize(BigInt(masterFields.length)) + integerElementSize(0n);
    for (const field of masterFields) bytes += listpackElementSize(field);
    this.bytesBase = bytes;
  }

  get lpBytes(): number {
    return this.bytesBase + smallIntegerElementSize(this.live) + smallIntegerElementSize(this.slots - this.live);
  }

  idAt(slot: number): StreamID {
    return { ms: this.ids[slot * 2]!, seq: this.ids[slot * 2 + 1]! };
  }

  compareAt(slot: number, id: StreamID): number {
    const ms = this.ids[slot * 2]!;
    if (ms !== id.ms) return ms < id.ms ? -1 : 1;
    const seq = this.ids[slot * 2 + 1]!;
    return seq === id.seq ? 0 : seq < id.seq ? -1 : 1;
  }

  /** First slot with ID >= id. */
  lowerBound(id: StreamID): number {
    let low = 0;
    let high = this.slots;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.compareAt(mid, id) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private readVarint(offset: number): [number, number] {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.data[offset++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return [value, offset];
      scale *= 0x80;
    }
  }

  /** Offset of the slot's first byte after the one at `offset` (slot's start). */
  private skip(offset: number): number {
    const flags = this.data[offset++]!;
    let items: number;
    if ((flags & FLAG_SAMEFIELDS) !== 0) items = this.masterFields.length;
    else [items, offset] = this.readVarint(offset);
    if ((flags & FLAG_SAMEFIELDS) === 0) items *= 2;
    for (let index = 0; index < items; index++) {
      const [length, next] = this.readVarint(offset);
      offset = next + length;
    }
    return offset;
  }

  private offsetOf(slot: number): number {
    let current = 0;
    let offset = 0;
    if (slot >= this.cursorSlot) {
      current = this.cursorSlot;
      offset = this.cursorOffset;
    }
    while (current < slot) {
      offset = this.skip(offset);
      current++;
    }
    this.cursorSlot = slot;
    this.cursorOffset = offset;
    return offset;
  }

  fieldsAt(slot: number): Bytes[] {
    let offset = this.offsetOf(slot);
    const flags = this.data[offset++]!;
    const fields: Bytes[] = [];
    if ((flags & FLAG_SAMEFIELDS) !== 0) {
      for (const field of this.masterFields) {
        const [length, next] = this.readVarint(offset);
        fields.push(field, this.data.toString('latin1', next, next + length));
        offset = next + length;
      }
    } else {
      let count: number;
      [count, offset] = this.readVarint(offset);
      for (let index = 0; index < count * 2; index++) {
        const [length, next] = this.readVarint(offset);
        fields.push(this.data.toString('latin1', next, next + length));
        offset = next + length;
      }
    }
    return fields;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.used + bytes) size *= 2;
    const data = Buffer.allocUnsafeSlow(size);
    this.data.copy(data, 0, 0, this.used);
    this.data = data;
  }

  private writeVarint(value: number): void {
    while (value >= 0x80) {
      this.data[this.used++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.data[this.used++] = value;
  }

  private writeItem(item: Bytes): void {
    this.writeVarint(item.length);
    this.used += this.data.write(item, this.used, 'latin1');
  }

  append(id: StreamID, fields: Bytes[]): void {
    if (this.slots * 2 === this.ids.length) {
      const ids = new BigUint64Array(Math.max(8, this.ids.length * 2));
      ids.set(this.ids);
      this.ids = ids;
    }
    const slot = this.slots++;
    this.live++;
    this.ids[slot * 2] = id.ms;
    this.ids[slot * 2 + 1] = id.seq;
    const master = this.masterFields;
    let same = fields.length === master.length * 2;
    for (let index = 0; same && index < master.length; index++) same = fields[index * 2] === master[index];
    let bytes =
      2 + integerElementSize(int64Delta(id.ms, this.ids[0]!)) + integerElementSize(int64Delta(id.seq, this.ids[1]!));
    const numFields = fields.length / 2;
    let encoded = 1 + varintSize(numFields);
    for (const item of fields) encoded += item.length + varintSize(item.length);
    this.reserve(encoded);
    if (same) {
      this.data[this.used++] = FLAG_SAMEFIELDS;
      for (let index = 1; index < fields.length; index += 2) {
        this.writeItem(fields[index]!);
        bytes += listpackElementSize(fields[index]!);
      }
      bytes += smallIntegerElementSize(numFields + 3);
    } else {
      this.data[this.used++] = 0;
      this.writeVarint(numFields);
      bytes += smallIntegerElementSize(numFields);
      for (const item of fields) {
        this.writeItem(item);
        bytes += listpackElementSize(item);
      }
      bytes += smallIntegerElementSize(numFields * 2 + 4);
    }
    this.bytesBase += bytes;
  }

  /** Releases the spare capacity (the node will get no more entries), as Redis's lpShrinkToFit. */
  shrinkToFit(): void {
    if (this.ids.length > this.slots * 2) this.ids = this.ids.slice(0, this.slots * 2);
    if (this.data.length > this.used) {
      const data = Buffer.allocUnsafeSlow(Math.max(1, this.used));
      this.data.copy(data, 0, 0, this.used);
      this.data = data;
    }
  }

  /** Marks a live slot deleted (flags 0 -> 1 and 2 -> 3 keep their encoded size). */
  markDeleted(slot: number): void {
    this.data[this.offsetOf(slot)]! |= FLAG_DELETED;
    this.live--;
  }

  isDeleted(slot: number): boolean {
    return (this.data[this.offsetOf(slot)]! & FLAG_DELETED) !== 0;
  }

  clone(): StreamNode {
    const copy = new StreamNode(this.masterFields, 0);
    copy.ids = this.ids.slice();
    copy.data = Buffer.allocUnsafeSlow(Math.max(1, this.data.length));
    this.data.copy(copy.data);
    copy.used = this.used;
    copy.slots = this.slots;
    copy.live = this.live;
    copy.bytesBase = this.bytesBase;
    return copy;
  }
}
