/** A UTF-16 surrogate that is not half of a pair (with the `u` flag, a pair is one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * True when a parsed JSON value holds a string (or key) with an unpaired surrogate, which only a
 * `\ud800`-style escape can produce: it is no Unicode character, and would be stored as U+FFFD.
 * Walks with an explicit stack, so even an unbounded depth cannot overflow.
 */
export function containsLoneSurrogate(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (LONE_SURROGATE.test(item)) return true;
    } else if (Array.isArray(item)) {
      pending.push(...item);
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        if (LONE_SURROGATE.test(key)) return true;
        pending.push(child);
      }
    }
  }
  return false;
}
