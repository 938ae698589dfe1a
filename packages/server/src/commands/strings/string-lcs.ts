/**
 * LCS: the longest common subsequence of two string values, with Redis's dynamic-programming table, its walk back
 * from the end, and its reply shapes (the subsequence, LEN, or IDX ranges with MINMATCHLEN / WITHMATCHLEN).
 */
import { RespMap } from '@mini-redis/protocol';
import type { CommandContext, Reply } from '../../context.js';
import { fail, integerArg, SYNTAX_ERROR } from '../errors.js';
import { latin1, maxBulkLength } from './string-buffer.js';

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] */
export function lcs(ctx: CommandContext, args: string[]): Reply {
  const db = ctx.db;
  const valueA = db.get(args[1]!);
  const valueB = db.get(args[2]!);
  const isString = (value: unknown) => value === undefined || typeof value === 'string' || Buffer.isBuffer(value);
  if (!isString(valueA) || !isString(valueB)) fail('ERR The specified keys must contain string values');
  const a = valueA === undefined ? '' : latin1(valueA as string | Buffer);
  const b = valueB === undefined ? '' : latin1(valueB as string | Buffer);

  let getIdx = false;
  let getLen = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let index = 3; index < args.length; index++) {
    const option = args[index]!.toLowerCase();
    if (option === 'idx') getIdx = true;
    else if (option === 'len') getLen = true;
    else if (option === 'withmatchlen') withMatchLen = true;
    else if (option === 'minmatchlen' && index + 1 < args.length) {
      minMatchLen = Math.max(0, integerArg(args[++index]!));
    } else fail(SYNTAX_ERROR);
  }
  if (getIdx && getLen) fail('ERR If you want both the length and indexes, please just use IDX.');

  const aLength = a.length;
  const bLength = b.length;
  const width = bLength + 1;
  const cells = (aLength + 1) * width;
  if (cells * 4 > maxBulkLength(ctx)) {
    fail('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  }
  // table[i * width + j] = LCS length of a[0..i) and b[0..j).
  const table = new Uint32Array(cells);
  for (let i = 1; i <= aLength; i++) {
    const code = a.charCodeAt(i - 1);
    const row = i * width;
    const previousRow = row - width;
    for (let j = 1; j <= bLength; j++) {
      if (code === b.charCodeAt(j - 1)) table[row + j] = table[previousRow + j - 1]! + 1;
      else {
        const up = table[previousRow + j]!;
        const left = table[row + j - 1]!;
        table[row + j] = up > left ? up : left;
      }
    }
  }
  const length = table[cells - 1]!;
  if (getLen) return length;

  // Walk back from the end, collecting the subsequence and the contiguous ranges (last ones first).
  const chars: number[] = new Array<number>(length);
  const matches: Reply[] = [];
  let idx = length;
  let i = aLength;
  let j = bLength;
  let aStart = aLength; // aLength means "no range open"
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[idx - 1] = a.charCodeAt(i - 1);
      if (aStart === aLength) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (table[(i - 1) * width + j]! > table[i * width + j - 1]!) i--;
      else j--;
      if (aStart !== aLength) emit = true;
    }
    if (emit) {
      const matchLength = aEnd - aStart + 1;
      if (getIdx && (minMatchLen === 0 || matchLength >= minMatchLen)) {
        const match: Reply[] = [
          [aStart, aEnd],
          [bStart, bEnd],
        ];
        if (withMatchLen) match.push(matchLength);
        matches.push(match);
      }
      aStart = aLength;
    }
  }
  if (getIdx) return new RespMap(['matches', matches, 'len', length]);
  return Buffer.from(chars).toString('latin1');
}
