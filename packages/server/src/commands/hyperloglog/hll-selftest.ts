/**
 * PFSELFTEST: the register bit-field test of hyperloglog.c (random values written to every dense register, read
 * back) and a check of the 32-bit MurmurHash64A against the BigInt reference. Returns Redis's failure text, or
 * undefined when everything passes.
 */
import { denseGet, denseSetRaw, HLL_REGISTERS } from './hll-core.js';
import { hashResult, murmurHash64A, murmurHash64ABig } from './murmur.js';

export function selfTest(): string | undefined {
  const registers = new Uint8Array(((HLL_REGISTERS * 6 + 7) >> 3) + 1);
  const values = new Uint8Array(HLL_REGISTERS);
  for (let round = 0; round < 100; round++) {
    for (let j = 0; j < HLL_REGISTERS; j++) {
      const value = Math.floor(Math.random() * 64);
      values[j] = value;
      denseSetRaw(registers, 0, j, value);
    }
    for (let j = 0; j < HLL_REGISTERS; j++) {
      if (denseGet(registers, 0, j) !== values[j]) return `TESTFAILED Register error at ${j}`;
    }
  }
  for (let n = 0; n < 1000; n++) {
    const text = String(n).repeat(n % 7);
    murmurHash64A(text);
    const expected = murmurHash64ABig(text);
    if (BigInt(hashResult.hi) * 4294967296n + BigInt(hashResult.lo) !== expected) {
      return `TESTFAILED hash mismatch for element ${n}`;
    }
  }
  return undefined;
}
