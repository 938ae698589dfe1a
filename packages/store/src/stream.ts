/**
 * The stream data structure, shaped like Redis's (t_stream.c): a sequence of macro nodes, each holding up to
 * `stream-node-max-entries` entries (live and deleted) and about `stream-node-max-bytes` of listpack, so that
 * approximate trimming (`MAXLEN ~`, `MINID ~`) removes whole nodes exactly where Redis does. The node sizes follow
 * the listpack encoding Redis would use (see `listpackElementSize`).
 *
 * Nodes are kept in an array ordered by ID, searched by binary search: range by ID O(log n + node size), append O(1)
 * amortised, trimming from the head O(removed) (plus an occasional compaction of the node array). Inside a node, IDs
 * are one BigUint64Array of (ms, seq) pairs and the entries one byte buffer; an entry whose field names equal the
 * node's master fields stores only its values (Redis's SAMEFIELDS compression).
 */
import { compareIds, type StreamID, IdMap, MIN_ID } from './stream-id.js';
import type { Bytes, StreamConsumer, StreamEntry, StreamGroup, StreamNack, StreamTrimOptions, StreamValue } from './types.js';

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
class StreamNode {
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

/** Node limits, from the config (stream-node-max-entries, stream-node-max-bytes). */
export interface StreamNodeLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

const LISTPACK_MAX_SIZE = 1 << 30;

export class Stream implements StreamValue {
  readonly kind = 'stream' as const;
  length = 0;
  lastId: StreamID = MIN_ID;
  firstId: StreamID = MIN_ID;
  maxDeletedId: StreamID = MIN_ID;
  entriesAdded = 0n;
  readonly groups = new Map<Bytes, StreamGroup>();
  private nodes: StreamNode[] = [];
  /** Nodes before this index were trimmed away (compacted lazily). */
  private head = 0;

  /** Number of macro nodes (XINFO's radix-tree-keys). */
  get nodeCount(): number {
    return this.nodes.length - this.head;
  }

  /** The master ID of every node, in order (the keys of Redis's rax). */
  nodeKeys(): StreamID[] {
    const keys: StreamID[] = [];
    for (let index = this.head; index < this.nodes.length; index++) keys.push(this.nodes[index]!.idAt(0));
    return keys;
  }

  /** Appends an entry (the caller checked id > lastId). `fields` is flat: field, value, field, value... */
  append(id: StreamID, fields: Bytes[], limits: StreamNodeLimits): void {
    let node = this.nodes.length > this.head ? this.nodes[this.nodes.length - 1] : undefined;
    if (node !== undefined) {
      let maxBytes = limits.maxBytes;
      if (maxBytes === 0 || maxBytes > LISTPACK_MAX_SIZE) maxBytes = LISTPACK_MAX_SIZE;
      let total = 0;
      for (const item of fields) total += item.length;
      if (node.lpBytes + total >= maxBytes || (limits.maxEntries > 0 && node.slots >= limits.maxEntries)) {
        node.shrinkToFit();
        node = undefined;
      }
    }
    if (node === undefined) {
      const master: Bytes[] = [];
      for (let index = 0; index < fields.length; index += 2) master.push(fields[index]!);
      // Sized for a full node up front (then shrunk to fit when the next node starts), so that a stream of
      // many nodes allocates each buffer about once and the freed buffers are reused.
      const capacity = limits.maxEntries > 0 && limits.maxEntries <= 1024 ? limits.maxEntries : 8;
      const dataCapacity = limits.maxBytes > 0 && limits.maxBytes <= 8192 ? Math.max(64, limits.maxBytes) : 256;
      node = new StreamNode(master, capacity, dataCapacity);
      this.nodes.push(node);
    }
    node.append(id, fields);
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  /** Index of the node that may hold id: the last node whose first ID <= id (or the first node). */
  private nodeFor(id: StreamID): number {
    let low = this.head;
    let high = this.nodes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.nodes[mid]!.compareAt(0, id) <= 0) low = mid + 1;
      else high = mid;
    }
    return Math.max(this.head, low - 1);
  }

  get(id: StreamID): Bytes[] | undefined {
    if (this.nodes.length === this.head) return undefined;
    const node = this.nodes[this.nodeFor(id)]!;
    const slot = node.lowerBound(id);
    if (slot >= node.slots || node.compareAt(slot, id) !== 0 || node.isDeleted(slot)) return undefined;
    return node.fieldsAt(slot);
  }

  /** Live entries with start <= id <= end, ascending (or descending with reverse), at most count (0 = all). */
  range(start: StreamID, end: StreamID, reverse = false, count = 0): StreamEntry[] {
    const out: StreamEntry[] = [];
    if (this.nodes.length === this.head || compareIds(start, end) > 0) return out;
    if (!reverse) {
      const first = this.nodeFor(start);
      for (let n = first; n < this.nodes.length; n++) {
        const node = this.nodes[n]!;
        for (let slot = n === first ? node.lowerBound(start) : 0; slot < node.slots; slot++) {
          if (node.compareAt(slot, end) > 0) return out;
          if (node.isDeleted(slot)) continue;
          out.push({ id: node.idAt(slot), fields: node.fieldsAt(slot) });
          if (count > 0 && out.length >= count) return out;
        }
      }
    } else {
      const first = this.nodeFor(end);
      for (let n = first; n >= this.head; n--) {
        const node = this.nodes[n]!;
        let slot = n === first ? node.lowerBound(end) : node.slots - 1;
        if (n === first && (slot >= node.slots || node.compareAt(slot, end) > 0)) slot--;
        for (; slot >= 0; slot--) {
          if (node.compareAt(slot, start) < 0) return out;
          if (node.isDeleted(slot)) continue;
          out.push({ id: node.idAt(slot), fields: node.fieldsAt(slot) });
          if (count > 0 && out.length >= count) return out;
        }
      }
    }
    return out;
  }

  /** The first (or last) live entry's ID, or undefined when empty. */
  edgeId(last: boolean): StreamID | undefined {
    if (last) {
      for (let n = this.nodes.length - 1; n >= this.head; n--) {
        const node = this.nodes[n]!;
        for (let slot = node.slots - 1; slot >= 0; slot--) if (!node.isDeleted(slot)) return node.idAt(slot);
      }
    } else {
      for (let n = this.head; n < this.nodes.length; n++) {
        const node = this.nodes[n]!;
        for (let slot = 0; slot < node.slots; slot++) if (!node.isDeleted(slot)) return node.idAt(slot);
      }
    }
    return undefined;
  }

  /** XDEL of one ID: true when it was a live entry. Does not touch maxDeletedId/firstId (the command does). */
  delete(id: StreamID): boolean {
    if (this.nodes.length === this.head) return false;
    const index = this.nodeFor(id);
    const node = this.nodes[index]!;
    const slot = node.lowerBound(id);
    if (slot >= node.slots || node.compareAt(slot, id) !== 0 || node.isDeleted(slot)) return false;
    if (node.live === 1) this.removeNode(index);
    else node.markDeleted(slot);
    this.length--;
    return true;
  }

  private removeNode(index: number): void {
    if (index === this.head) {
      this.nodes[this.head++] = undefined as unknown as StreamNode;
      if (this.head > 32 && this.head * 2 > this.nodes.length) {
        this.nodes = this.nodes.slice(this.head);
        this.head = 0;
      }
    } else {
      this.nodes.splice(index, 1);
    }
  }

  /** streamTrim: returns how many entries were removed. */
  trim(options: StreamTrimOptions): number {
    const { strategy, approx, limit } = options;
    let deleted = 0;
    while (this.nodes.length > this.head) {
      if (strategy === 'maxlen' && this.length <= options.maxlen) break;
      const node = this.nodes[this.head]!;
      const entries = node.live;
      if (limit > 0 && deleted + entries > limit) break;
      const removeNode =
        strategy === 'maxlen'
          ? this.length - entries >= options.maxlen
          : compareIds(node.idAt(node.slots - 1), options.minid) < 0;
      if (removeNode) {
        this.removeNode(this.head);
        this.length -= entries;
        deleted += entries;
        continue;
      }
      if (approx) break;
      for (let slot = 0; slot < node.slots; slot++) {
        const stop =
          strategy === 'maxlen' ? this.length <= options.maxlen : node.compareAt(slot, options.minid) >= 0;
        if (stop) break;
        if (!node.isDeleted(slot)) {
          node.markDeleted(slot);
          this.length--;
          deleted++;
        }
      }
      break;
    }
    this.firstId = this.length > 0 ? this.edgeId(false)! : MIN_ID;
    return deleted;
  }

  /** A deep copy (COPY): entries, groups, PELs and consumers. */
  clone(): Stream {
    const copy = new Stream();
    copy.nodes = this.nodes.slice(this.head).map((node) => node.clone());
    copy.length = this.length;
    copy.lastId = this.lastId;
    copy.firstId = this.firstId;
    copy.maxDeletedId = this.maxDeletedId;
    copy.entriesAdded = this.entriesAdded;
    for (const [name, group] of this.groups) {
      const groupCopy = createStreamGroup(name, group.lastId, group.entriesRead);
      for (const [consumerName, consumer] of group.consumers) {
        groupCopy.consumers.set(consumerName, { name: consumerName, seenTime: consumer.seenTime, pel: new IdMap() });
      }
      for (const [id, nack] of group.pel) {
        const owner = groupCopy.consumers.get(nack.consumer.name)!;
        const nackCopy: StreamNack = {
          consumer: owner,
          deliveryTime: nack.deliveryTime,
          deliveryCount: nack.deliveryCount,
        };
        groupCopy.pel.set(id, nackCopy);
        owner.pel.set(id, nackCopy);
      }
      copy.groups.set(name, groupCopy);
    }
    return copy;
  }
}

/** A new consumer group. entriesRead -1n means unknown (SCG_INVALID_ENTRIES_READ). */
export function createStreamGroup(name: Bytes, lastId: StreamID, entriesRead: bigint): StreamGroup {
  return { name, lastId, entriesRead, pel: new IdMap<StreamNack>(), consumers: new Map<Bytes, StreamConsumer>() };
}

/** A new, empty stream. */
export function createStream(): Stream {
  return new Stream();
}
