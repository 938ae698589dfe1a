/**
 * Glob matching exactly as Redis's stringmatchlen (util.c): `*`, `?`, `[...]` with ranges and `^` negation, `\`
 * escapes, optional case folding. Nested `*` cannot blow up: as in Redis, once a `*` fails to match the rest at
 * every position, longer matches are skipped, and recursion depth is bounded.
 */

const MAX_NESTING = 1000;

/** True when `text` matches the glob `pattern` (both latin1 strings). */
export function matchGlob(pattern: string, text: string, noCase = false): boolean {
  const skipLonger = { value: false };
  return match(pattern, 0, text, 0, noCase, skipLonger, 0);
}

function fold(code: number, noCase: boolean): number {
  return noCase && code >= 65 && code <= 90 ? code + 32 : code;
}

function match(
  pattern: string, p: number, text: string, t: number, noCase: boolean, skipLonger: { value: boolean }, nesting: number,
): boolean {
  if (nesting > MAX_NESTING) return false;
  const patternLength = pattern.length;
  const textLength = text.length;
  while (p < patternLength && t < textLength) {
    const code = pattern.charCodeAt(p);
    switch (code) {
      case 42: { // '*'
        while (p + 1 < patternLength && pattern.charCodeAt(p + 1) === 42) p++;
        if (p + 1 === patternLength) return true;
        while (t < textLength) {
          if (match(pattern, p + 1, text, t, noCase, skipLonger, nesting + 1)) return true;
          if (skipLonger.value) return false;
          t++;
        }
        skipLonger.value = true;
        return false;
      }
      case 63: // '?'
        t++;
        break;
      case 91: { // '['
        p++;
        const not = pattern.charCodeAt(p) === 94;
        if (not) p++;
        let matched = false;
        const c = fold(text.charCodeAt(t), noCase);
        for (;;) {
          if (p >= patternLength) {
            p--; // Redis treats an unterminated class as ending at the pattern's end
            break;
          }
          const pc = pattern.charCodeAt(p);
          if (pc === 92 && p + 1 < patternLength) { // '\'
            p++;
            if (pattern.charCodeAt(p) === text.charCodeAt(t)) matched = true;
          } else if (pc === 93) { // ']'
            break;
          } else if (p + 2 < patternLength && pattern.charCodeAt(p + 1) === 45) { // range a-z
            let start = pattern.charCodeAt(p);
            let end = pattern.charCodeAt(p + 2);
            if (start > end) [start, end] = [end, start];
            start = fold(start, noCase);
            end = fold(end, noCase);
            p += 2;
            if (c >= start && c <= end) matched = true;
          } else if (fold(pc, noCase) === c) {
            matched = true;
          }
          p++;
        }
        if (not) matched = !matched;
        if (!matched) return false;
        t++;
        break;
      }
      default:
        // '\' escapes the next char, which then matches literally.
        if (code === 92 && p + 1 < patternLength) p++;
        if (fold(pattern.charCodeAt(p), noCase) !== fold(text.charCodeAt(t), noCase)) return false;
        t++;
        break;
    }
    p++;
    if (t === textLength) {
      while (p < patternLength && pattern.charCodeAt(p) === 42) p++;
      break;
    }
  }
  return p === patternLength && t === textLength;
}
