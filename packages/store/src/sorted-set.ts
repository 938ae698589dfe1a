/**
 * The sorted set value: Redis's skip list (random level with p = 0.25, at most 32 levels, a span per link so ranks
 * cost O(log n)) beside a `Map<member, score>` for O(1) score lookup; the nodes are in skip-list-node.ts, the order
 * (by score, then member bytes) in sorted-set-order.ts.
 */
import {
  MAX_LEVEL,
  SkipNode,
  forwardOf,
  randomLevel,
  scratchRank,
  scratchUpdate,
  setForward,
  setSpan,
  spanOf,
} from './skip-list-node.js';
import { aboveMin, belowMax, lexAboveMin, lexBelowMax, precedes } from './sorted-set-order.js';
import type { Bytes, LexBound, ScoreBound, ScoredMember, SortedSetValue } from './types.js';

/** A sorted set (see `SortedSetValue`). */
export class SkipListSortedSet implements SortedSetValue {
  readonly kind = 'zset' as const;
  private readonly scores = new Map<Bytes, number>();
  private readonly header = new SkipNode('', -Infinity, MAX_LEVEL);
  private level = 1;
  /** Nodes in the skip list (differs from scores.size for a moment while an update re-inserts). */
  private nodes = 0;
  /** The last node `countWhile` stopped at (the header when none matched): saves a second descent. */
  private lastVisited: SkipNode = this.header;

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
      this.insertNode(member, score);
      this.scores.set(member, score);
      return true;
    }
    if (current !== score) {
      this.updateNode(member, current, score);
      this.scores.set(member, score);
    }
    return false;
  }

  delete(member: Bytes): boolean {
    const current = this.scores.get(member);
    if (current === undefined) return false;
    this.deleteNode(member, current);
    this.scores.delete(member);
    return true;
  }

  rank(member: Bytes, reverse = false): number | undefined {
    const score = this.scores.get(member);
    if (score === undefined) return undefined;
    // Count the nodes strictly before (score, member): that is the zero-based rank.
    let node = this.header;
    let rank = 0;
    for (let level = this.level - 1; level >= 0; level--) {
      let next = forwardOf(node, level);
      while (next !== null && next !== undefined && precedes(next.score, next.member, score, member)) {
        rank += spanOf(node, level);
        node = next;
        next = forwardOf(node, level);
      }
    }
    return reverse ? this.scores.size - 1 - rank : rank;
  }

  rangeByRank(start: number, stop: number, reverse = false): ScoredMember[] {
    const from = Math.max(0, start);
    const to = Math.min(this.scores.size - 1, stop);
    if (from > to) return [];
    if (reverse) return this.walkBackward(this.scores.size - from, to - from + 1);
    return this.walkForward(from + 1, to - from + 1);
  }

  rangeByScore(min: ScoreBound, max: ScoreBound, reverse = false, offset = 0, count = -1): ScoredMember[] {
    return this.collectRange(
      (node) => aboveMin(node.score, min),
      (node) => belowMax(node.score, max),
      reverse,
      offset,
      count,
    );
  }

  rangeByLex(min: LexBound, max: LexBound, reverse = false, offset = 0, count = -1): ScoredMember[] {
    return this.collectRange(
      (node) => lexAboveMin(node.member, min),
      (node) => lexBelowMax(node.member, max),
      reverse,
      offset,
      count,
    );
  }

  countByScore(min: ScoreBound, max: ScoreBound): number {
    const first = this.countWhile((node) => !aboveMin(node.score, min)) + 1;
    const last = this.countWhile((node) => belowMax(node.score, max));
    return Math.max(0, last - first + 1);
  }

  countByLex(min: LexBound, max: LexBound): number {
    const first = this.countWhile((node) => !lexAboveMin(node.member, min)) + 1;
    const last = this.countWhile((node) => lexBelowMax(node.member, max));
    return Math.max(0, last - first + 1);
  }

  *[Symbol.iterator](): IterableIterator<ScoredMember> {
    for (let node = forwardOf(this.header, 0); node !== null && node !== undefined; node = forwardOf(node, 0)) {
      yield { member: node.member, score: node.score };
    }
  }

  /**
   * The members between the bounds (`aboveMin` holds from the range start on, `belowMax` up to its end), LIMIT
   * offset/count applied (negative count: no limit): one descent to the range's first node (its last when reversed),
   * one more by rank only to skip an offset, then a walk of `count` nodes. O(log n + count).
   */
  private collectRange(
    aboveMin: (node: SkipNode) => boolean,
    belowMax: (node: SkipNode) => boolean,
    reverse: boolean,
    offset: number,
    count: number,
  ): ScoredMember[] {
    const result: ScoredMember[] = [];
    if (offset < 0 || count === 0) return result;
    const limit = count < 0 ? Infinity : count;
    if (!reverse) {
      const before = this.countWhile((node) => !aboveMin(node));
      let node = offset === 0 ? forwardOf(this.lastVisited, 0) : this.nodeAt(before + 1 + offset);
      for (; node !== null && result.length < limit && belowMax(node); node = forwardOf(node, 0)) {
        result.push({ member: node.member, score: node.score });
      }
    } else {
      const last = this.countWhile(belowMax);
      if (last - offset < 1) return result;
      let node = offset === 0 ? this.lastVisited : this.nodeAt(last - offset);
      for (; node !== null && result.length < limit && aboveMin(node); node = node.backward) {
        result.push({ member: node.member, score: node.score });
      }
    }
    return result;
  }

  /**
   * How many leading nodes satisfy `inside` (which must hold for a prefix of the order), in O(log n): the one-based
   * rank of the last such node, 0 when none.
   */
  private countWhile(inside: (node: SkipNode) => boolean): number {
    let node = this.header;
    let rank = 0;
    for (let level = this.level - 1; level >= 0; level--) {
      let next = forwardOf(node, level);
      while (next !== null && next !== undefined && inside(next)) {
        rank += spanOf(node, level);
        node = next;
        next = forwardOf(node, level);
      }
    }
    this.lastVisited = node;
    return rank;
  }

  /** The node at a one-based rank, O(log n). */
  private nodeAt(rank: number): SkipNode | null {
    let node = this.header;
    let traversed = 0;
    for (let level = this.level - 1; level >= 0; level--) {
      while (forwardOf(node, level) && traversed + spanOf(node, level) <= rank) {
        traversed += spanOf(node, level);
        node = forwardOf(node, level)!;
      }
      if (traversed === rank) return node;
    }
    return null;
  }

  private walkForward(rank: number, count: number): ScoredMember[] {
    const result: ScoredMember[] = [];
    for (let node = this.nodeAt(rank); node !== null && result.length < count; node = forwardOf(node, 0)) {
      result.push({ member: node.member, score: node.score });
    }
    return result;
  }

  private walkBackward(rank: number, count: number): ScoredMember[] {
    const result: ScoredMember[] = [];
    for (let node = this.nodeAt(rank); node !== null && result.length < count; node = node.backward) {
      result.push({ member: node.member, score: node.score });
    }
    return result;
  }

  private insertNode(member: Bytes, score: number): void {
    const update = scratchUpdate;
    const rank = scratchRank;
    let node = this.header;
    for (let level = this.level - 1; level >= 0; level--) {
      rank[level] = level === this.level - 1 ? 0 : rank[level + 1]!;
      let next = forwardOf(node, level);
      while (next !== null && next !== undefined && precedes(next.score, next.member, score, member)) {
        rank[level]! += spanOf(node, level);
        node = next;
        next = forwardOf(node, level);
      }
      update[level] = node;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let index = this.level; index < level; index++) {
        rank[index] = 0;
        update[index] = this.header;
        setSpan(this.header, index, this.nodes);
      }
      this.level = level;
    }
    const created = new SkipNode(member, score, level);
    for (let index = 0; index < level; index++) {
      const previous = update[index]!;
      setForward(created, index, forwardOf(previous, index));
      setForward(previous, index, created);
      setSpan(created, index, spanOf(previous, index) - (rank[0]! - rank[index]!));
      setSpan(previous, index, rank[0]! - rank[index]! + 1);
    }
    for (let index = level; index < this.level; index++)
      setSpan(update[index]!, index, spanOf(update[index]!, index) + 1);
    created.backward = update[0] === this.header ? null : update[0]!;
    const after = forwardOf(created, 0);
    if (after) after.backward = created;
    this.nodes++;
  }

  /** Changes a score: in place when the neighbours keep the member in order (Redis's zslUpdateScore), else moves it. */
  private updateNode(member: Bytes, current: number, score: number): void {
    const target = this.findNode(member, current);
    if (target === null) return;
    const before = target.backward;
    const after = forwardOf(target, 0);
    const staysAfter = before === null || precedes(before.score, before.member, score, member);
    const staysBefore = after === null || precedes(score, member, after.score, after.member);
    if (staysAfter && staysBefore) {
      target.score = score;
      return;
    }
    this.unlinkNode(target);
    this.insertNode(member, score);
  }

  private deleteNode(member: Bytes, score: number): void {
    const target = this.findNode(member, score);
    if (target !== null) this.unlinkNode(target);
  }

  /** The node of (score, member), leaving the rightmost node before it at each level in `scratchUpdate`. */
  private findNode(member: Bytes, score: number): SkipNode | null {
    const update = scratchUpdate;
    let node = this.header;
    for (let level = this.level - 1; level >= 0; level--) {
      let next = forwardOf(node, level);
      while (next !== null && next !== undefined && precedes(next.score, next.member, score, member)) {
        node = next;
        next = forwardOf(node, level);
      }
      update[level] = node;
    }
    const target = forwardOf(node, 0);
    if (!target || target.score !== score || target.member !== member) return null;
    return target;
  }

  /** Unlinks a node found by `findNode` (which left its predecessors in `scratchUpdate`). */
  private unlinkNode(target: SkipNode): void {
    const update = scratchUpdate;
    for (let level = 0; level < this.level; level++) {
      const previous = update[level]!;
      if (forwardOf(previous, level) === target) {
        setSpan(previous, level, spanOf(previous, level) + spanOf(target, level) - 1);
        setForward(previous, level, forwardOf(target, level));
      } else {
        setSpan(previous, level, spanOf(previous, level) - 1);
      }
    }
    const after = forwardOf(target, 0);
    if (after) after.backward = target.backward;
    this.nodes--;
    while (this.level > 1 && !forwardOf(this.header, this.level - 1)) this.level--;
  }
}
