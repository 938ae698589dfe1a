/**
 * SSCAN / ZSCAN (and any container scan): Redis's scanGenericCommand. A container small enough (Redis's intset or
 * listpack encodings, or no bigger than COUNT) is returned whole with cursor 0, as Redis does. A larger one is walked
 * over a snapshot of its members taken when the scan starts: every member present for the whole scan is returned
 * (members removed meanwhile are skipped, members added meanwhile may be missed), COUNT members per call. A cursor
 * is a number naming a snapshot of that very container; an unknown or evicted cursor restarts the scan.
 */
import type { Reply } from '../../context.js';
import { matchGlob } from '../../glob.js';
import { cString, fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import { parseCursor } from '../keys/keys-generic.js';

/** What a container scan needs of its container. */
export interface Scannable {
  readonly size: number;
  /** Every member, in the container's order. */
  members(): string[];
  /** True when the member is still there. */
  has(member: string): boolean;
  /** Appends what the reply shows of a member (the member, or member and score). */
  emit(member: string, out: string[]): void;
}

/** Containers up to this size come back whole (the compact encodings' default limits are 512 and 128). */
const WHOLE = 128;
/** Snapshots kept per container (the oldest is dropped beyond). */
const MAX_SNAPSHOTS = 16;

interface Snapshot {
  readonly members: string[];
  offset: number;
}

const snapshots = new WeakMap<object, Map<number, Snapshot>>();
let nextCursor = 1;

export interface ScanOptions {
  readonly count: number;
  readonly pattern: string | undefined;
}

/** Parses [MATCH pattern] [COUNT count] from args[from..]: TYPE is a syntax error here, as for SSCAN in Redis 7.0. */
export function parseScanOptions(args: readonly string[], from: number): ScanOptions {
  let count = 10;
  let pattern: string | undefined;
  for (let index = from; index < args.length; index++) {
    const option = args[index]!.toLowerCase();
    const hasValue = index + 1 < args.length;
    if (option === 'count' && hasValue) {
      count = integerArg(args[++index]!);
      if (count < 1) fail(SYNTAX_ERROR);
    } else if (option === 'match' && hasValue) {
      pattern = args[++index]!;
      if (pattern === '*') pattern = undefined;
    } else {
      fail(SYNTAX_ERROR);
    }
  }
  return { count, pattern };
}

/** EMPTY scan reply for a missing key. */
export const EMPTY_SCAN: Reply = ['0', []];

/** One scan step over a container (`identity` names it for cursors: the stored value object). */
export function scanContainer(identity: object, container: Scannable, cursor: number, options: ScanOptions): Reply {
  const out: string[] = [];
  const { count, pattern } = options;
  let snapshot: Snapshot | undefined;
  let byCursor = snapshots.get(identity);
  if (cursor !== 0 && byCursor !== undefined) {
    snapshot = byCursor.get(cursor);
    byCursor.delete(cursor);
  }
  if (snapshot === undefined) {
    if (container.size <= WHOLE || container.size <= count) {
      for (const member of container.members()) if (pattern === undefined || matchGlob(pattern, member)) container.emit(member, out);
      return ['0', out];
    }
    snapshot = { members: container.members(), offset: 0 };
  }
  const members = snapshot.members;
  const end = Math.min(members.length, snapshot.offset + count);
  for (let index = snapshot.offset; index < end; index++) {
    const member = members[index]!;
    if (!container.has(member)) continue;
    if (pattern === undefined || matchGlob(pattern, member)) container.emit(member, out);
  }
  if (end >= members.length) return ['0', out];
  snapshot.offset = end;
  if (byCursor === undefined) {
    byCursor = new Map();
    snapshots.set(identity, byCursor);
  }
  if (byCursor.size >= MAX_SNAPSHOTS) byCursor.delete(byCursor.keys().next().value!);
  const next = nextCursor++;
  if (nextCursor > Number.MAX_SAFE_INTEGER) nextCursor = 1;
  byCursor.set(next, snapshot);
  return [String(next), out];
}

/** Parses SSCAN/ZSCAN's cursor (args[2]) first, as Redis does before looking the key up. */
export function scanCursor(args: readonly string[]): number {
  // strtoul reads the C string: a NUL ends the cursor ("\0" is cursor 0).
  return parseCursor(cString(args[2]!));
}
