/**
 * The counted B+tree under `BTreeSortedSet`: its leaf and internal nodes and the structural edits on them (insert and
 * remove below a node, splits, merges with a neighbour, the per-child count and maximum key a parent keeps).
 *
 * Rebalancing: a node that falls below half its capacity after a delete is merged with a neighbour, and when the
 * merged node overflows it is split again evenly (a borrow). So every node but the root stays at least half full and
 * the height stays O(log n). Merges always fold the right node into the left one, so the leftmost leaf never changes.
 */
import { precedes } from './sorted-set-order.js';
import type { Bytes } from './types.js';

export class Leaf {
  readonly isLeaf = true as const;
  scores: number[] = [];
  members: Bytes[] = [];
  prev: Leaf | null = null;
  next: Leaf | null = null;
}

export class Internal {
  readonly isLeaf = false as const;
  children: TreeNode[] = [];
  /** Entries in each child's subtree. */
  counts: number[] = [];
  /** Each child's maximum key, split into score and member so the arrays stay monomorphic. */
  maxScores: number[] = [];
  maxMembers: Bytes[] = [];
}

export type TreeNode = Leaf | Internal;

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

/** A new root over the old root and the sibling it split off. */
export function growRoot(root: TreeNode, sibling: TreeNode): Internal {
  const grown = new Internal();
  grown.children.push(root, sibling);
  grown.counts.push(0, 0);
  grown.maxScores.push(0, 0);
  grown.maxMembers.push('', '');
  summarize(grown, 0);
  summarize(grown, 1);
  return grown;
}

/** Inserts below node; returns the new right sibling when node split (over `capacity`), else null. */
export function insertInto(node: TreeNode, score: number, member: Bytes, capacity: number): TreeNode | null {
  if (node.isLeaf) {
    const at = lowerBound(node, score, member);
    node.scores.splice(at, 0, score);
    node.members.splice(at, 0, member);
    return node.scores.length > capacity ? splitLeaf(node) : null;
  }
  const index = childIndex(node, score, member);
  const sibling = insertInto(node.children[index]!, score, member, capacity);
  if (sibling === null) {
    node.counts[index]!++;
    if (precedes(node.maxScores[index]!, node.maxMembers[index]!, score, member)) {
      node.maxScores[index] = score;
      node.maxMembers[index] = member;
    }
    return null;
  }
  insertChild(node, index + 1, sibling);
  summarize(node, index);
  return node.children.length > capacity ? splitInternal(node) : null;
}

/**
 * Removes below node; true when the key was found. Children that fall below half of `capacity` are merged with a
 * neighbour; node's own fill is left for its parent to fix.
 */
export function removeFrom(node: TreeNode, score: number, member: Bytes, capacity: number): boolean {
  if (node.isLeaf) {
    const at = lowerBound(node, score, member);
    if (at >= node.scores.length || node.scores[at] !== score || node.members[at] !== member) return false;
    node.scores.splice(at, 1);
    node.members.splice(at, 1);
    return true;
  }
  const index = childIndex(node, score, member);
  const child = node.children[index]!;
  if (!removeFrom(child, score, member, capacity)) return false;
  node.counts[index]!--;
  if (lengthOf(child) < capacity >> 1 && node.children.length > 1) rebalance(node, index, capacity);
  else refreshMax(node, index);
  return true;
}

/** Merges an underfull child with a neighbour, splitting the result evenly again when it overflows (a borrow). */
function rebalance(parent: Internal, index: number, capacity: number): void {
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
  if (lengthOf(left) > capacity)
    insertChild(parent, leftIndex + 1, left.isLeaf ? splitLeaf(left) : splitInternal(left));
  summarize(parent, leftIndex);
}

/** Puts a child into a parent at an index, with its count and maximum key. */
function insertChild(parent: Internal, index: number, child: TreeNode): void {
  parent.children.splice(index, 0, child);
  parent.counts.splice(index, 0, 0);
  parent.maxScores.splice(index, 0, 0);
  parent.maxMembers.splice(index, 0, '');
  summarize(parent, index);
}

/** Recomputes a child's count and maximum key. */
function summarize(parent: Internal, index: number): void {
  parent.counts[index] = sizeOf(parent.children[index]!);
  refreshMax(parent, index);
}

function refreshMax(parent: Internal, index: number): void {
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
