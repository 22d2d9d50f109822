import { PREFERENCES_LIMITS } from '@event-hub/contracts';
import { PreferencesLimitsExceededError } from './domain-error';

/**
 * Preferences are a bounded JSON object (PREFERENCES_LIMITS): at most `maxKeys` top-level keys,
 * `maxBytes` bytes once serialized, and `maxDepth` levels of nesting (the object itself is level 1).
 * The gateway checks the same limits; the processor checks again because it owns the data.
 */
export function assertPreferencesWithinLimits(preferences: Record<string, unknown>): void {
  const keys = Object.keys(preferences).length;
  if (keys > PREFERENCES_LIMITS.maxKeys) {
    throw new PreferencesLimitsExceededError(
      `preferences have ${keys} keys, at most ${PREFERENCES_LIMITS.maxKeys} are allowed`,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(preferences), 'utf8');
  if (bytes > PREFERENCES_LIMITS.maxBytes) {
    throw new PreferencesLimitsExceededError(
      `preferences take ${bytes} bytes, at most ${PREFERENCES_LIMITS.maxBytes} are allowed`,
    );
  }
  const depth = depthOf(preferences);
  if (depth > PREFERENCES_LIMITS.maxDepth) {
    throw new PreferencesLimitsExceededError(
      `preferences nest ${depth} levels deep, at most ${PREFERENCES_LIMITS.maxDepth} are allowed`,
    );
  }
}

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((deepest, child) => Math.max(deepest, depthOf(child)), 0);
}
