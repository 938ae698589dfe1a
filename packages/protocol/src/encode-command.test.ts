import { fc, it } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { encodeCommand } from './encode-command.js';
import { ReplyWriter } from './reply-writer.js';

/** The reference encoding: a ReplyWriter's multibulk of bulk strings (encodeCommand's previous implementation). */
function reference(args: ReadonlyArray<string | Buffer | number>, stringEncoding: 'utf8' | 'latin1'): Buffer {
  const writer = new ReplyWriter({ stringEncoding, copyThreshold: Infinity });
  writer.arrayHeader(args.length);
  for (const arg of args) writer.bulk(typeof arg === 'number' ? String(arg) : arg);
  return Buffer.concat(writer.take());
}

describe('encodeCommand', () => {
  test('strings, Buffers and numbers', () => {
    expect(encodeCommand(['SET', Buffer.from('k'), 10]).toString('latin1')).toBe(
      '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n10\r\n',
    );
    expect(encodeCommand([]).toString('latin1')).toBe('*0\r\n');
    expect(encodeCommand(['é']).toString('latin1')).toBe('*1\r\n$2\r\n\xc3\xa9\r\n');
    expect(encodeCommand(['é'], 'latin1').toString('latin1')).toBe('*1\r\n$1\r\n\xe9\r\n');
  });

  const arg = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }), // lone surrogates included
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 50 }).map((array) => Buffer.from(array)),
    fc.double(),
    fc.integer(),
  );
  it.prop([fc.array(arg, { maxLength: 12 }), fc.constantFrom('utf8' as const, 'latin1' as const)])(
    'gives the same bytes as a ReplyWriter',
    (args, stringEncoding) => {
      // act
      const encoded = encodeCommand(args, stringEncoding);
      // assert
      expect(encoded.equals(reference(args, stringEncoding))).toBe(true);
    },
  );
});
