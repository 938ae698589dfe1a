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
import { StreamNode } from './stream-node.js';

export { listpackElementSize } from './stream-node.js';

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
