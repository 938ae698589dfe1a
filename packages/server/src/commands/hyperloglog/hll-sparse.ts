/**
 * Editing a sparse HLL in place as hyperloglog.c's hllSparseSet does: find the opcode covering the register, split a
 * ZERO/XZERO/VAL run into up to five opcodes, ask for promotion to dense past hll-sparse-max-bytes or a value over
 * 32, then merge adjacent VAL opcodes of the same value.
 */
import { HLL_HDR_SIZE } from './hll-core.js';

const HLL_SPARSE_VAL_MAX_VALUE = 32;
const HLL_SPARSE_VAL_MAX_LEN = 4;
const HLL_SPARSE_ZERO_MAX_LEN = 64;

/** A sparse HLL being edited: bytes with room to grow, and its length. */
export class SparseHll {
  bytes: Uint8Array;
  length: number;

  constructor(source: Uint8Array) {
    this.bytes = new Uint8Array(source.length + 64);
    this.bytes.set(source);
    this.length = source.length;
  }

  private room(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array((this.length + extra) * 2);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.bytes.subarray(0, this.length));
  }

  /**
   * hllSparseSet: 1 when updated, 0 when not, -1 when corrupt, 'promote' when the value must become dense first
   * (then the caller converts and sets the register there).
   */
  set(index: number, count: number, maxBytes: number): 0 | 1 | -1 | 'promote' {
    if (count > HLL_SPARSE_VAL_MAX_VALUE) return 'promote';
    this.room(3);
    const b = this.bytes;
    let end = this.length;
    const sparse = HLL_HDR_SIZE;
    let p = sparse;
    let first = 0;
    let prev = -1;
    let span = 0;
    while (p < end) {
      const op = b[p]!;
      let oplen = 1;
      if ((op & 0xc0) === 0) span = (op & 0x3f) + 1;
      else if ((op & 0x80) !== 0) span = (op & 3) + 1;
      else {
        span = (((op & 0x3f) << 8) | b[p + 1]!) + 1;
        oplen = 2;
      }
      if (index <= first + span - 1) break;
      prev = p;
      p += oplen;
      first += span;
    }
    if (span === 0 || p >= end) return -1;
    const op = b[p]!;
    const isXzero = (op & 0xc0) === 0x40;
    let next: number = isXzero ? p + 2 : p + 1;
    if (next >= end) next = -1;
    const isZero = (op & 0xc0) === 0;
    const isVal = (op & 0x80) !== 0;
    const runlen = isZero ? (op & 0x3f) + 1 : isXzero ? (((op & 0x3f) << 8) | b[p + 1]!) + 1 : (op & 3) + 1;
    let done = false;
    if (isVal) {
      const oldcount = ((op >> 2) & 0x1f) + 1;
      if (oldcount >= count) return 0;
      if (runlen === 1) {
        b[p] = valOp(count, 1);
        done = true;
      }
    }
    if (!done && isZero && runlen === 1) {
      b[p] = valOp(count, 1);
      done = true;
    }
    if (!done) {
      const seq: number[] = [];
      const last = first + span - 1;
      if (isZero || isXzero) {
        if (index !== first) pushZero(seq, index - first);
        seq.push(valOp(count, 1));
        if (index !== last) pushZero(seq, last - index);
      } else {
        const curval = ((op >> 2) & 0x1f) + 1;
        if (index !== first) seq.push(valOp(curval, index - first));
        seq.push(valOp(count, 1));
        if (index !== last) seq.push(valOp(curval, last - index));
      }
      const oldlen = isXzero ? 2 : 1;
      const deltalen = seq.length - oldlen;
      if (deltalen > 0 && this.length + deltalen > maxBytes) return 'promote';
      if (deltalen !== 0 && next !== -1) b.copyWithin(next + deltalen, next, end);
      this.length += deltalen;
      for (let i = 0; i < seq.length; i++) b[p + i] = seq[i]!;
      end += deltalen;
    }
    // Step 4: merge adjacent VAL opcodes of the same value, scanning up to 5 opcodes from prev.
    p = prev >= 0 ? prev : sparse;
    let scanlen = 5;
    while (p < end && scanlen-- > 0) {
      const o = b[p]!;
      if ((o & 0xc0) === 0x40) {
        p += 2;
        continue;
      } else if ((o & 0xc0) === 0) {
        p++;
        continue;
      }
      if (p + 1 < end && (b[p + 1]! & 0x80) !== 0) {
        const v1 = ((o >> 2) & 0x1f) + 1;
        const o2 = b[p + 1]!;
        const v2 = ((o2 >> 2) & 0x1f) + 1;
        if (v1 === v2) {
          const len = (o & 3) + 1 + (o2 & 3) + 1;
          if (len <= HLL_SPARSE_VAL_MAX_LEN) {
            b[p + 1] = valOp(v1, len);
            b.copyWithin(p, p + 1, end);
            this.length--;
            end--;
            continue;
          }
        }
      }
      p++;
    }
    b[15] = b[15]! | 0x80;
    return 1;
  }
}

function valOp(value: number, len: number): number {
  return 0x80 | ((value - 1) << 2) | (len - 1);
}

function pushZero(seq: number[], len: number): void {
  if (len > HLL_SPARSE_ZERO_MAX_LEN) {
    seq.push(0x40 | ((len - 1) >> 8), (len - 1) & 0xff);
  } else {
    seq.push(len - 1);
  }
}

