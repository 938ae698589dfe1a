// RESP type bytes, as in node-redis `lib/RESP/decoder.ts`.

export const RESP_TYPES = {
  SIMPLE_STRING: 0x2b, // +
  SIMPLE_ERROR: 0x2d, // -
  INTEGER: 0x3a, // :
  BLOB_STRING: 0x24, // $
  ARRAY: 0x2a, // *
  NULL: 0x5f, // _
  BOOLEAN: 0x23, // #
  DOUBLE: 0x2c, // ,
  BIG_NUMBER: 0x28, // (
  BLOB_ERROR: 0x21, // !
  VERBATIM_STRING: 0x3d, // =
  MAP: 0x25, // %
  SET: 0x7e, // ~
  ATTRIBUTE: 0x7c, // |
  PUSH: 0x3e, // >
  STREAMED_PART: 0x3b, // ;
  STREAMED_END: 0x2e, // .
} as const;

export const CR = 0x0d;
export const LF = 0x0a;
