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
  let stringStart = -1;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (stringStart >= 0) {
      if (char === BACKSLASH) {
        escaped = true;
        if (text.charCodeAt(i + 1) === LOWER_U) {
          flags |= JSON_SUSPECT_KEY;
          if (isSurrogateEscape(text, i + 2)) flags |= JSON_SURROGATE_ESCAPE;
        }
        i++;
      } else if (char === QUOTE) {
        if (!escaped && isPoisoningKey(text, stringStart, i)) flags |= JSON_SUSPECT_KEY;
        stringStart = -1;
      }
    } else if (char === QUOTE) {
      stringStart = i + 1;
      escaped = false;
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
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LOWER_U = 0x75;
