/**
 * The sorted set value as a counted B+tree: leaves hold parallel arrays of scores and members (up to `nodeCapacity`
 * entries, linked to their neighbours for range walks); internal nodes hold their children with each child's entry
 * count and maximum (score, member) key, so rank, count-in-range and the start of a range cost O(log n) descents that
 * touch a handful of contiguous arrays instead of chasing one pointer per member as a skip list does. A
 * `Map<member, score>` beside the tree answers ZSCORE in O(1). The nodes and their rebalancing are in btree-nodes.ts,
 * the order (by score, then member bytes) in sorted-set-order.ts.
 */
import { growRoot, insertInto, Leaf, removeFrom, type TreeNode } from './btree-nodes.js';
import { belowLexMin, precedes, type Prefix, withinLexMax } from './sorted-set-order.js';
import type { Bytes, LexBound, ScoreBound, ScoredMember, SortedSetValue } from './types.js';

const DEFAULT_CAPACITY = 64;
const MIN_CAPACITY = 4;

/** Options for `BTreeSortedSet`. */
export interface BTreeSortedSetOptions {
  /** Maximum entries per leaf and children per internal node (default 64, at least 4); small values suit tests. */
  readonly nodeCapacity?: number;
}

/** A sorted set (see `SortedSetValue`) on a counted B+tree. */
export class BTreeSortedSet implements SortedSetValue {
  readonly kind = 'zset' as const;
  private readonly scores = new Map<Bytes, number>();
  private readonly capacity: number;
  /** The leftmost leaf: merges keep the left node, so it is the same leaf for the set's whole life. */
  private readonly head = new Leaf();
  private root: TreeNode = this.head;
  /** Where `locate` found a rank (scratch, to avoid allocating a pair per lookup). */
  private foundLeaf: Leaf = this.head;
  private foundIndex = 0;

  constructor(options: BTreeSortedSetOptions = {}) {
    this.capacity = Math.max(MIN_CAPACITY, Math.floor(options.nodeCapacity ?? DEFAULT_CAPACITY));
  }

  get size(): number {
    return this.scores.size;
  }

  score(member: Bytes): number | undefined {
    return this.scores.get(member);
  }

  add(member: Bytes, score: number): boolean {
    if (Number.isNaN(score)) throw new RangeError('sorted set scores cannot be NaN');
    const current = this.scores.get(member);
    if (current === undefined) {
      this.insert(score, member);
      this.scores.set(member, score);
      return true;
    }
    if (current !== score) {
      this.remove(current, member);
      this.insert(score, member);
      this.scores.set(member, score);
    }
    return false;
  }

  delete(member: Bytes): boolean {
    const current = this.scores.get(member);
    if (current === undefined) return false;
    this.remove(current, member);
    this.scores.delete(member);
    return true;
  }

  rank(member: Bytes, reverse = false): number | undefined {
    const score = this.scores.get(member);
    if (score === undefined) return undefined;
    const rank = this.countWhile((otherScore, otherMember) => precedes(otherScore, otherMember, score, member));
    return reverse ? this.scores.size - 1 - rank : rank;
  }

  rangeByRank(start: number, stop: number, reverse = false): ScoredMember[] {
    const from = Math.max(0, start);
    const to = Math.min(this.scores.size - 1, stop);
    if (from > to) return [];
    if (reverse) return this.collectBackward(this.scores.size - 1 - from, to - from + 1);
    return this.collectForward(from, to - from + 1);
  }

  rangeByScore(min: ScoreBound, max: ScoreBound, reverse = false, offset = 0, count = -1): ScoredMember[] {
    const { value: low, exclusive: lowExclusive } = min;
    const { value: high, exclusive: highExclusive } = max;
    return this.collectRange(
      lowExclusive ? (score) => score <= low : (score) => score < low,
      highExclusive ? (score) => score < high : (score) => score <= high,
      reverse,
      offset,
      count,
    );
  }

  rangeByLex(min: LexBound, max: LexBound, reverse = false, offset = 0, count = -1): ScoredMember[] {
    return this.collectRange(belowLexMin(min), withinLexMax(max), reverse, offset, count);
  }

  countByScore(min: ScoreBound, max: ScoreBound): number {
    const { value: low, exclusive: lowExclusive } = min;
    const { value: high, exclusive: highExclusive } = max;
    const before = this.countWhile(lowExclusive ? (score) => score <= low : (score) => score < low);
    const end = this.countWhile(highExclusive ? (score) => score < high : (score) => score <= high);
    return Math.max(0, end - before);
  }

  countByLex(min: LexBound, max: LexBound): number {
    return Math.max(0, this.countWhile(withinLexMax(max)) - this.countWhile(belowLexMin(min)));
  }

  *[Symbol.iterator](): IterableIterator<ScoredMember> {
    for (let leaf: Leaf | null = this.head; leaf !== null; leaf = leaf.next) {
      const { scores, members } = leaf;
      for (let index = 0; index < scores.length; index++) yield { member: members[index]!, score: scores[index]! };
    }
  }

  /**
   * The entries after the `before` prefix and inside the `within` prefix, LIMIT offset/count applied (negative count:
   * no limit): two counting descents fix the range's ranks, one more finds its first entry (its last when reversed),
   * then a walk along the leaves. O(log n + count).
   */
  private collectRange(
    before: Prefix,
    within: Prefix,
    reverse: boolean,
    offset: number,
    count: number,
  ): ScoredMember[] {
    if (offset < 0 || count === 0) return [];
    const first = this.countWhile(before);
    const end = this.countWhile(within);
    const available = end - first - offset;
    if (available <= 0) return [];
    const take = count < 0 ? available : Math.min(count, available);
    return reverse ? this.collectBackward(end - 1 - offset, take) : this.collectForward(first + offset, take);
  }

  /** How many leading entries satisfy the prefix predicate, in one O(log n) descent. */
  private countWhile(inside: Prefix): number {
    let node = this.root;
    let rank = 0;
    while (!node.isLeaf) {
      const { maxScores, maxMembers, counts } = node;
      let low = 0;
      let high = maxScores.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (inside(maxScores[middle]!, maxMembers[middle]!)) low = middle + 1;
        else high = middle;
      }
      for (let index = 0; index < low; index++) rank += counts[index]!;
      if (low === maxScores.length) return rank;
      node = node.children[low]!;
    }
    const { scores, members } = node;
    let low = 0;
    let high = scores.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (inside(scores[middle]!, members[middle]!)) low = middle + 1;
      else high = middle;
    }
    return rank + low;
  }

  /** Finds the entry at a zero-based rank (0 <= rank < size) into `foundLeaf` / `foundIndex`. */
  private locate(rank: number): void {
    let node = this.root;
    while (!node.isLeaf) {
      const { counts } = node;
      let index = 0;
      while (index < counts.length - 1 && rank >= counts[index]!) rank -= counts[index++]!;
      node = node.children[index]!;
    }
    this.foundLeaf = node;
    this.foundIndex = rank;
  }

  private collectForward(rank: number, count: number): ScoredMember[] {
    const result: ScoredMember[] = [];
    this.locate(rank);
    let leaf: Leaf | null = this.foundLeaf;
    let index = this.foundIndex;
    while (leaf !== null && result.length < count) {
      if (index >= leaf.scores.length) {
        leaf = leaf.next;
        index = 0;
        continue;
      }
      result.push({ member: leaf.members[index]!, score: leaf.scores[index]! });
      index++;
    }
    return result;
  }

  private collectBackward(rank: number, count: number): ScoredMember[] {
    const result: ScoredMember[] = [];
    this.locate(rank);
    let leaf: Leaf | null = this.foundLeaf;
    let index = this.foundIndex;
    while (leaf !== null && result.length < count) {
      if (index < 0) {
        leaf = leaf.prev;
        index = leaf === null ? 0 : leaf.scores.length - 1;
        continue;
      }
      result.push({ member: leaf.members[index]!, score: leaf.scores[index]! });
      index--;
    }
    return result;
  }

  private insert(score: number, member: Bytes): void {
    const sibling = insertInto(this.root, score, member, this.capacity);
    if (sibling !== null) this.root = growRoot(this.root, sibling);
  }

  private remove(score: number, member: Bytes): void {
    removeFrom(this.root, score, member, this.capacity);
    while (!this.root.isLeaf && this.root.children.length === 1) this.root = this.root.children[0]!;
  }
}

/** A new empty sorted set (the B+tree; `SkipListSortedSet` stays available). */
export function createSortedSet(): BTreeSortedSet {
  return new BTreeSortedSet();
}
