// Node's undocumented but long-standing Buffer methods that skip the encoding dispatch of `write`/`toString`.

export interface FastBuffer extends Buffer {
  latin1Write(text: string, offset: number, length: number): number;
  utf8Write(text: string, offset: number, length: number): number;
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}
