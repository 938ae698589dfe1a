// Inline commands (`SET a "b c"`): Redis's sdssplitargs quoting, and an encoder whose output it always parses back.
import { ProtocolError } from './errors.js';

/** C `isspace` in the C locale: space, \t, \n, \v, \f, \r. */
function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d);
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

const unbalanced = (): ProtocolError => new ProtocolError('Protocol error: unbalanced quotes in request');

/**
 * Splits an inline command line into arguments exactly like Redis's `sdssplitargs`: blanks separate arguments, "double
 * quotes" understand \n \r \t \b \a \xHH and \<any char>, 'single quotes' only \', and a closing quote must be followed
 * by a blank or the end. A NUL character ends the line, as in C. Throws {@link ProtocolError} on unbalanced quotes.
 */
export function parseInline(line: string): string[] {
  const args: string[] = [];
  const nul = line.indexOf('\0');
  const end = nul === -1 ? line.length : nul;
  // code at an index, 0 past the end (C string semantics)
  const at = (index: number): number => (index < end ? line.charCodeAt(index) : 0);
  let position = 0;
  for (;;) {
    while (position < end && isSpace(line.charCodeAt(position))) position++;
    if (position >= end) return args;
    // fast path: a plain token without quotes
    const tokenStart = position;
    let code = at(position);
    while (code !== 0 && code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09 && code !== 0x22 && code !== 0x27) {
      code = at(++position);
    }
    if (code !== 0x22 && code !== 0x27) {
      args.push(line.slice(tokenStart, position));
      continue;
    }
    let current = line.slice(tokenStart, position);
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      code = at(position);
      if (inDouble) {
        if (code === 0x5c && at(position + 1) === 0x78 && hexValue(at(position + 2)) >= 0 && hexValue(at(position + 3)) >= 0) {
          current += String.fromCharCode(hexValue(at(position + 2)) * 16 + hexValue(at(position + 3)));
          position += 3;
        } else if (code === 0x5c && at(position + 1) !== 0) {
          position++;
          const escaped = at(position);
          switch (escaped) {
            case 0x6e: current += '\n'; break;
            case 0x72: current += '\r'; break;
            case 0x74: current += '\t'; break;
            case 0x62: current += '\b'; break;
            case 0x61: current += '\x07'; break;
            default: current += String.fromCharCode(escaped);
          }
        } else if (code === 0x22) {
          const next = at(position + 1);
          if (next !== 0 && !isSpace(next)) throw unbalanced();
          done = true;
        } else if (code === 0) {
          throw unbalanced();
        } else {
          current += String.fromCharCode(code);
        }
      } else if (inSingle) {
        if (code === 0x5c && at(position + 1) === 0x27) {
          position++;
          current += "'";
        } else if (code === 0x27) {
          const next = at(position + 1);
          if (next !== 0 && !isSpace(next)) throw unbalanced();
          done = true;
        } else if (code === 0) {
          throw unbalanced();
        } else {
          current += String.fromCharCode(code);
        }
      } else if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09 || code === 0) {
        done = true;
      } else if (code === 0x22) {
        inDouble = true;
      } else if (code === 0x27) {
        inSingle = true;
      } else {
        current += String.fromCharCode(code);
      }
      if (code !== 0) position++;
    }
    args.push(current);
  }
}

/** True when `arg` can be sent unquoted: non-empty, no blanks, quotes or control characters. */
function isPlain(arg: string): boolean {
  if (arg.length === 0) return false;
  for (let index = 0; index < arg.length; index++) {
    const code = arg.charCodeAt(index);
    if (code <= 0x20 || code === 0x22 || code === 0x27 || code === 0x5c || code === 0x7f) return false;
  }
  return true;
}

/**
 * Joins arguments into one inline command line (without the trailing CRLF) that {@link parseInline} splits back into the
 * same arguments, for any latin1 strings: plain arguments stay as they are, others are double-quoted with escapes.
 */
export function encodeInline(args: readonly string[]): string {
  let line = '';
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (index > 0) line += ' ';
    if (isPlain(arg)) {
      line += arg;
      continue;
    }
    line += '"';
    for (let position = 0; position < arg.length; position++) {
      const code = arg.charCodeAt(position);
      if (code === 0x22) line += '\\"';
      else if (code === 0x5c) line += '\\\\';
      else if (code < 0x20 || code === 0x7f) line += '\\x' + code.toString(16).padStart(2, '0');
      else line += arg[position];
    }
    line += '"';
  }
  return line;
}
