// The RESP value model shared by the encoder, the decoders, the server and the client.
import type { BlobErrorReply, ErrorReply } from './errors.js';

/** A simple string reply (`+OK`). */
export class SimpleString {
  constructor(readonly value: string) {}
}

/** A RESP3 map (`%`), stored FLAT as alternating key, value (length 2n). RESP2 encodes it as an array of 2n. */
export class RespMap {
  constructor(readonly items: RespValue[]) {}
}

/** A RESP3 set (`~`). RESP2 encodes it as an array. */
export class RespSet {
  constructor(readonly items: RespValue[]) {}
}

/** A RESP3 double (`,`). `text`, when given, is the exact representation to send. RESP2 encodes it as a bulk string. */
export class RespDouble {
  constructor(
    readonly value: number,
    readonly text?: string,
  ) {}
}

/** A RESP3 big number (`(`). RESP2 encodes it as a bulk string of its digits. */
export class BigNumber {
  constructor(readonly value: bigint) {}
}

/** A RESP3 verbatim string (`=`), `format` being 3 characters such as `txt` or `mkd`. RESP2 encodes the value as a bulk string. */
export class VerbatimString {
  constructor(
    readonly format: string,
    readonly value: Buffer | string,
  ) {}
}

/** A RESP3 push (`>`). RESP2 encodes it as an array. */
export class Push {
  constructor(readonly items: RespValue[]) {}
}

/** The null array: RESP2 `*-1`, RESP3 `_`. Use the {@link NULL_ARRAY} singleton. */
export class NullArray {}

/** The null array singleton. */
export const NULL_ARRAY: NullArray = new NullArray();

/** A value with RESP3 attributes (`|`) in front of it. RESP2 drops the attributes. */
export class Attributed {
  constructor(
    readonly attributes: RespMap,
    readonly value: RespValue,
  ) {}
}

/** Pre-encoded reply bytes, copied verbatim for the active protocol (shared constant replies such as `+OK\r\n`). */
export class RawReply {
  constructor(
    readonly resp2: Buffer,
    readonly resp3: Buffer = resp2,
  ) {}
}

/** Any RESP value. A `number` is an integer; a `bigint` an integer outside the safe range; `null` the null bulk string. */
export type RespValue =
  | Buffer
  | string
  | number
  | bigint
  | boolean
  | null
  | RespValue[]
  | SimpleString
  | ErrorReply
  | BlobErrorReply
  | RespMap
  | RespSet
  | RespDouble
  | BigNumber
  | VerbatimString
  | Push
  | NullArray
  | Attributed
  | RawReply;
