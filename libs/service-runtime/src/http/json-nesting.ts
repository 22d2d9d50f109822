/** {@link scanJsonText}: the text opens more than the allowed nested objects or arrays. */
export const JSON_TOO_DEEP = 1;
/** {@link scanJsonText}: a string escapes a UTF-16 surrogate (`\ud800`–`\udfff`), paired or not. */
export const JSON_SURROGATE_ESCAPE = 2;
/**
 * {@link scanJsonText}: a string could be a `__proto__` or `constructor` key: it is one of them as
 * written, or it holds a `\u` escape (which could spell either).
 */
export const JSON_SUSPECT_KEY = 4;

/**
 * One linear pass over a JSON text before it is parsed, keeping only counters: how deep it nests
 * (stopping at the first level beyond `maxDepth`, so a hostile body is refused before anything
 * recursive walks it), and whether it could hold what the checks after parsing look for (a lone
 * surrogate, a prototype-poisoning key), so those run only when it could. Brackets inside strings
 * do not count; malformed JSON is left for the parser to reject.
 */
export function scanJsonText(text: string, maxDepth: number): number {
  let flags = 0;
  let depth = 0;
  // Inside strings (most of a body's bytes: values, keys) the scan jumps from one quote or
  // backslash to the next with indexOf, which runs in native code, instead of a character at a
  // time in JavaScript. Each is the first at or after where it was last looked for, so it is
  // looked for again only once the scan has passed it: the whole text is searched once for each.
  let nextQuote = -1;
  let nextBackslash = -1;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const char = text.charCodeAt(i);
    if (char === QUOTE) {
      const start = i + 1;
      let from = start;
      let escaped = false;
      for (;;) {
        if (nextQuote < from) {
          nextQuote = text.indexOf('"', from);
          // Unterminated (the parser rejects it): its escapes still count, up to the end.
          if (nextQuote < 0) nextQuote = length;
        }
        if (nextBackslash < from) {
          nextBackslash = text.indexOf('\\', from);
          if (nextBackslash < 0) nextBackslash = length + 1;
        }
        if (nextQuote < nextBackslash) break;
        escaped = true;
        if (text.charCodeAt(nextBackslash + 1) === LOWER_U) {
          flags |= JSON_SUSPECT_KEY;
          if (isSurrogateEscape(text, nextBackslash + 2)) flags |= JSON_SURROGATE_ESCAPE;
        }
        // The escaped character (a quote or backslash among them) is no string syntax.
        from = nextBackslash + 2;
      }
      if (nextQuote === length) return flags;
      if (!escaped && isPoisoningKey(text, start, nextQuote)) flags |= JSON_SUSPECT_KEY;
      i = nextQuote;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      if (++depth > maxDepth) return flags | JSON_TOO_DEEP;
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      depth--;
    }
  }
  return flags;
}

/** The first two of four hex digits of a UTF-16 surrogate (D800–DFFF), matched at lastIndex. */
const SURROGATE_HIGH_DIGITS = /[dD][89a-fA-F]/y;

/** `\u` followed by D8–DF: the four hex digits at `at` are a UTF-16 surrogate. */
function isSurrogateEscape(text: string, at: number): boolean {
  SURROGATE_HIGH_DIGITS.lastIndex = at;
  return SURROGATE_HIGH_DIGITS.test(text);
}

function isPoisoningKey(text: string, start: number, end: number): boolean {
  const length = end - start;
  return (
    (length === 9 && text.startsWith('__proto__', start)) ||
    (length === 11 && text.startsWith('constructor', start))
  );
}

const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LOWER_U = 0x75;
