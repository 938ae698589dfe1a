/**
 * The sorted set value as a counted B+tree: leaves hold parallel arrays of scores and members (up to `nodeCapacity`
 * entries, linked to their neighbours for range walks); internal nodes hold their children with each child's entry
 * count and maximum (score, member) key, so rank, count-in-range and the start of a range cost O(log n) descents that
 * touch a handful of contiguous arrays instead of chasing one pointer per member as a skip list does. A
 * `Map<member, score>` beside the tree answers ZSCORE in O(1). Order is by score, then by member bytes (latin1
 * strings compare by char code, which is memcmp order, so `<` on members is right).
 *
 * Rebalancing: a node that falls below half its capacity after a delete is merged with a neighbour, and when the
 * merged node overflows it is split again evenly (a borrow). So every node but the root stays at least half full and
 * the height stays O(log n). Merges always fold the right node into the left one, so the leftmost leaf never changes.
 */
import type { Bytes, LexBound, ScoreBound, ScoredMember, SortedSetValue } from './types.js';

const DEFAULT_CAPACITY = 64;
const MIN_CAPACITY = 4;

class Leaf {
  readonly isLeaf = true as const;
  scores: number[] = [];
  members: Bytes[] = [];
  prev: Leaf | null = null;
  next: Leaf | null = null;
}

class Internal {
  readonly isLeaf = false as const;
  children: TreeNode[] = [];
  /** Entries in each child's subtree. */
  counts: number[] = [];
  /** Each child's maximum key, split into score and member so the arrays stay monomorphic. */
  maxScores: number[] = [];
  maxMembers: Bytes[] = [];
}

type TreeNode = Leaf | Internal;

/** A prefix predicate over the order: true for every key up to some point, false after it. */
type Prefix = (score: number, member: Bytes) => boolean;

/** True when (score, member) sorts before (otherScore, otherMember). */
function precedes(score: number, member: Bytes, otherScore: number, otherMember: Bytes): boolean {
  return score < otherScore || (score === otherScore && member < otherMember);
}

function lengthOf(node: TreeNode): number {
  return node.isLeaf ? node.scores.length : node.children.length;
}

function sizeOf(node: TreeNode): number {
  if (node.isLeaf) return node.scores.length;
  let total = 0;
  for (const count of node.counts) total += count;
  return total;
}

/** Index of the first key in the leaf not before (score, member). */
function lowerBound(leaf: Leaf, score: number, member: Bytes): number {
  const { scores, members } = leaf;
  let low = 0;
  let high = scores.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (precedes(scores[middle]!, members[middle]!, score, member)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The child whose key range holds (score, member): the first whose maximum is not before it, else the last. */
function childIndex(node: Internal, score: number, member: Bytes): number {
  const { maxScores, maxMembers } = node;
  let low = 0;
  let high = maxScores.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (precedes(maxScores[middle]!, maxMembers[middle]!, score, member)) low = middle + 1;
    else high = middle;
  }
  return low;
}

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
  private readonly minFill: number;
  /** The leftmost leaf: merges keep the left node, so it is the same leaf for the set's whole life. */
  private readonly head = new Leaf();
  private root: TreeNode = this.head;
  /** Where `locate` found a rank (scratch, to avoid allocating a pair per lookup). */
  private foundLeaf: Leaf = this.head;
  private foundIndex = 0;

  constructor(options: BTreeSortedSetOptions = {}) {
    this.capacity = Math.max(MIN_CAPACITY, Math.floor(options.nodeCapacity ?? DEFAULT_CAPACITY));
    this.minFill = this.capacity >> 1;
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
    const sibling = this.insertInto(this.root, score, member);
    if (sibling === null) return;
    const root = new Internal();
    root.children.push(this.root, sibling);
    root.counts.push(0, 0);
    root.maxScores.push(0, 0);
    root.maxMembers.push('', '');
    this.summarize(root, 0);
    this.summarize(root, 1);
    this.root = root;
  }

  /** Inserts below node; returns the new right sibling when node split, else null. */
  private insertInto(node: TreeNode, score: number, member: Bytes): TreeNode | null {
    if (node.isLeaf) {
      const at = lowerBound(node, score, member);
      node.scores.splice(at, 0, score);
      node.members.splice(at, 0, member);
      return node.scores.length > this.capacity ? splitLeaf(node) : null;
    }
    const index = childIndex(node, score, member);
    const sibling = this.insertInto(node.children[index]!, score, member);
    if (sibling === null) {
      node.counts[index]!++;
      if (precedes(node.maxScores[index]!, node.maxMembers[index]!, score, member)) {
        node.maxScores[index] = score;
        node.maxMembers[index] = member;
      }
      return null;
    }
    node.children.splice(index + 1, 0, sibling);
    node.counts.splice(index + 1, 0, 0);
    node.maxScores.splice(index + 1, 0, 0);
    node.maxMembers.splice(index + 1, 0, '');
    this.summarize(node, index);
    this.summarize(node, index + 1);
    return node.children.length > this.capacity ? splitInternal(node) : null;
  }

  private remove(score: number, member: Bytes): void {
    this.removeFrom(this.root, score, member);
    while (!this.root.isLeaf && this.root.children.length === 1) this.root = this.root.children[0]!;
  }

  /** Removes below node; true when the key was found. Leaves node's own fill for its parent to fix. */
  private removeFrom(node: TreeNode, score: number, member: Bytes): boolean {
    if (node.isLeaf) {
      const at = lowerBound(node, score, member);
      if (at >= node.scores.length || node.scores[at] !== score || node.members[at] !== member) return false;
      node.scores.splice(at, 1);
      node.members.splice(at, 1);
      return true;
    }
    const index = childIndex(node, score, member);
    const child = node.children[index]!;
    if (!this.removeFrom(child, score, member)) return false;
    node.counts[index]!--;
    if (lengthOf(child) < this.minFill && node.children.length > 1) this.rebalance(node, index);
    else this.refreshMax(node, index);
    return true;
  }

  /** Merges an underfull child with a neighbour, splitting the result evenly again when it overflows (a borrow). */
  private rebalance(parent: Internal, index: number): void {
    const leftIndex = index > 0 ? index - 1 : index;
    const left = parent.children[leftIndex]!;
    const right = parent.children[leftIndex + 1]!;
    if (left.isLeaf && right.isLeaf) {
      left.scores.push(...right.scores);
      left.members.push(...right.members);
      left.next = right.next;
      if (left.next !== null) left.next.prev = left;
    } else if (!left.isLeaf && !right.isLeaf) {
      left.children.push(...right.children);
      left.counts.push(...right.counts);
      left.maxScores.push(...right.maxScores);
      left.maxMembers.push(...right.maxMembers);
    }
    parent.children.splice(leftIndex + 1, 1);
    parent.counts.splice(leftIndex + 1, 1);
    parent.maxScores.splice(leftIndex + 1, 1);
    parent.maxMembers.splice(leftIndex + 1, 1);
    if (lengthOf(left) > this.capacity) {
      const sibling = left.isLeaf ? splitLeaf(left) : splitInternal(left);
      parent.children.splice(leftIndex + 1, 0, sibling);
      parent.counts.splice(leftIndex + 1, 0, 0);
      parent.maxScores.splice(leftIndex + 1, 0, 0);
      parent.maxMembers.splice(leftIndex + 1, 0, '');
      this.summarize(parent, leftIndex + 1);
    }
    this.summarize(parent, leftIndex);
  }

  /** Recomputes a child's count and maximum key. */
  private summarize(parent: Internal, index: number): void {
    parent.counts[index] = sizeOf(parent.children[index]!);
    this.refreshMax(parent, index);
  }

  private refreshMax(parent: Internal, index: number): void {
    const child = parent.children[index]!;
    if (child.isLeaf) {
      const last = child.scores.length - 1;
      if (last < 0) return;
      parent.maxScores[index] = child.scores[last]!;
      parent.maxMembers[index] = child.members[last]!;
    } else {
      const last = child.maxScores.length - 1;
      parent.maxScores[index] = child.maxScores[last]!;
      parent.maxMembers[index] = child.maxMembers[last]!;
    }
  }
}

/** Moves the upper half of a leaf into a new right neighbour, which it returns. */
function splitLeaf(leaf: Leaf): Leaf {
  const half = leaf.scores.length >> 1;
  const right = new Leaf();
  right.scores = leaf.scores.splice(half);
  right.members = leaf.members.splice(half);
  right.next = leaf.next;
  if (right.next !== null) right.next.prev = right;
  right.prev = leaf;
  leaf.next = right;
  return right;
}

/** Moves the upper half of an internal node into a new right sibling, which it returns. */
function splitInternal(node: Internal): Internal {
  const half = node.children.length >> 1;
  const right = new Internal();
  right.children = node.children.splice(half);
  right.counts = node.counts.splice(half);
  right.maxScores = node.maxScores.splice(half);
  right.maxMembers = node.maxMembers.splice(half);
  return right;
}

/** The prefix of members strictly below a lex range's lower bound. */
function belowLexMin(min: LexBound): Prefix {
  if (min === '-') return () => false;
  if (min === '+') return () => true;
  const { value, exclusive } = min;
  return exclusive ? (_score, member) => member <= value : (_score, member) => member < value;
}

/** The prefix of members up to a lex range's upper bound. */
function withinLexMax(max: LexBound): Prefix {
  if (max === '+') return () => true;
  if (max === '-') return () => false;
  const { value, exclusive } = max;
  return exclusive ? (_score, member) => member < value : (_score, member) => member <= value;
}

/** A new empty sorted set (the B+tree; `SkipListSortedSet` stays available). */
export function createSortedSet(): BTreeSortedSet {
  return new BTreeSortedSet();
}
