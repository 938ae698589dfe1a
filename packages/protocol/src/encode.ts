// One-shot encoders built on ReplyWriter: a whole value to one Buffer or to chunks (client commands: encode-command.ts).
import { ReplyWriter, type EncodeOptions } from './reply-writer.js';
import type { RespValue } from './values.js';

let scratch: ReplyWriter | undefined;
let scratchBusy = false;

/** Runs `write` on a reusable writer and copies the result out, so the scratch slab can be reused. */
function encodeWith(options: EncodeOptions | undefined, write: (writer: ReplyWriter) => void): Buffer {
  if (scratchBusy) {
    // re-entered from a formatDouble callback: use a private writer
    const writer = new ReplyWriter({ ...options, copyThreshold: Infinity });
    write(writer);
    const chunks = writer.take();
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }
  scratchBusy = true;
  try {
    const writer = (scratch ??= new ReplyWriter({ chunkSize: 64 * 1024, copyThreshold: Infinity }));
    writer.protocol = options?.protocol ?? 2;
    writer.stringEncoding = options?.stringEncoding ?? 'utf8';
    if (options?.formatDouble !== undefined) writer.formatDouble = options.formatDouble;
    else writer.formatDouble = defaultWriter.formatDouble;
    writer.rewind();
    write(writer);
    const chunks = writer.take();
    const length = chunks.length === 1 ? chunks[0]!.length : chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const result = Buffer.allocUnsafe(length);
    let offset = 0;
    for (const chunk of chunks) {
      result.set(chunk, offset);
      offset += chunk.length;
    }
    writer.rewind();
    return result;
  } finally {
    scratchBusy = false;
  }
}

const defaultWriter = new ReplyWriter({ chunkSize: 64 });

/** Encodes a value into one Buffer. */
export function encode(value: RespValue, options?: EncodeOptions): Buffer {
  return encodeWith(options, (writer) => writer.value(value));
}

/** Encodes a value into chunks; Buffers and strings above 16 KiB are referenced (strings encoded once), not copied. */
export function encodeChunks(value: RespValue, options?: EncodeOptions): Buffer[] {
  const writer = new ReplyWriter({ ...options, chunkSize: 4096 });
  writer.value(value);
  return writer.take();
}

export { encodeCommand } from './encode-command.js';
