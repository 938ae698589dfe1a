/**
 * The skip list's node (its links and spans in one array) and the helpers the list's operations use to walk and
 * relink it: link accessors, the random level, and per-operation scratch space.
 */
import type { Bytes } from './types.js';

export const MAX_LEVEL = 32;
const LEVEL_PROBABILITY = 0.25;

/**
 * A skip-list node. Its links live in one array, `[next0, span0, next1, span1, ...]`, so a step of a descent reads
 * the next node and the span from the same cache line (two separate arrays cost about twice the cache misses on a
 * 1M-member set).
 */
export class SkipNode {
  readonly links: (SkipNode | number | null)[];
  backward: SkipNode | null = null;

  constructor(
    readonly member: Bytes,
    public score: number,
    level: number,
  ) {
    // Built by push so V8 keeps it packed (no hole checks on the hot traversal).
    this.links = [];
    for (let index = 0; index < level; index++) this.links.push(null, 0);
  }
}

export function forwardOf(node: SkipNode, level: number): SkipNode | null {
  return (node.links[2 * level] as SkipNode | null | undefined) ?? null;
}

export function spanOf(node: SkipNode, level: number): number {
  return node.links[2 * level + 1] as number;
}

export function setForward(node: SkipNode, level: number, next: SkipNode | null): void {
  node.links[2 * level] = next;
}

export function setSpan(node: SkipNode, level: number, span: number): void {
  node.links[2 * level + 1] = span;
}

/** Per-operation scratch space, shared: operations are synchronous and never nest. */
export const scratchUpdate = new Array<SkipNode>(MAX_LEVEL);
export const scratchRank = new Array<number>(MAX_LEVEL).fill(0);

export function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < LEVEL_PROBABILITY) level++;
  return level;
}
