import { PREFERENCES_LIMITS } from './user-commands';

/**
 * Why a preferences value is refused, or undefined when it is a JSON object within
 * PREFERENCES_LIMITS: keys counted at every level, depth counting the object itself as 1 (an
 * array is a level too), and size as serialized UTF-8 JSON.
 */
export function preferencesProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'must be a JSON object';
  const { keys, depth } = measure(value, 1);
  if (depth > PREFERENCES_LIMITS.maxDepth) {
    return `must be nested at most ${PREFERENCES_LIMITS.maxDepth} levels deep (is ${depth})`;
  }
  if (keys > PREFERENCES_LIMITS.maxKeys) {
    return `must have at most ${PREFERENCES_LIMITS.maxKeys} keys in all (has ${keys})`;
  }
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes > PREFERENCES_LIMITS.maxBytes) {
    return `must be at most ${PREFERENCES_LIMITS.maxBytes} bytes as JSON (is ${bytes})`;
  }
  return undefined;
}

function measure(value: unknown, level: number): { keys: number; depth: number } {
  const children = Array.isArray(value)
    ? value
    : isPlainObject(value)
      ? Object.values(value)
      : undefined;
  if (!children) return { keys: 0, depth: level - 1 };
  let keys = Array.isArray(value) ? 0 : children.length;
  let depth = level;
  for (const child of children) {
    const inner = measure(child, level + 1);
    keys += inner.keys;
    depth = Math.max(depth, inner.depth);
    // Stop early: a hostile body must not make us walk all of it.
    if (depth > PREFERENCES_LIMITS.maxDepth || keys > PREFERENCES_LIMITS.maxKeys) break;
  }
  return { keys, depth };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
