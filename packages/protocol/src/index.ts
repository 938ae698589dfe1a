// @mini-redis/protocol: a pure RESP2/RESP3 encoder and streaming decoder (no I/O, no dependencies).
export { BlobErrorReply, ErrorReply, ProtocolError } from './errors.js';
export {
  Attributed,
  BigNumber,
  NULL_ARRAY,
  NullArray,
  Push,
  RawReply,
  RespDouble,
  RespMap,
  RespSet,
  SimpleString,
  VerbatimString,
  type RespValue,
} from './values.js';
export { RESP_TYPES } from './resp-types.js';
export { formatDouble } from './format-double.js';
export { ReplyWriter, type EncodeOptions, type ReplyWriterOptions } from './reply-writer.js';
export { encode, encodeChunks, encodeCommand } from './encode.js';
export { RequestDecoder, type RequestDecoderOptions } from './request-decoder.js';
export { encodeInline, parseInline } from './inline.js';
export * from './shared.js';
export { Decoder, type DecoderOptions } from './decoder.js';
