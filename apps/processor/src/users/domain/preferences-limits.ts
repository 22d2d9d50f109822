import { preferencesProblem } from '@event-hub/contracts';
import { PreferencesLimitsExceededError } from './domain-error';

/**
 * Preferences are a bounded JSON object (PREFERENCES_LIMITS, checked by the same function the
 * gateway validates with); the processor checks again because it owns the data.
 */
export function assertPreferencesWithinLimits(preferences: Record<string, unknown>): void {
  const problem = preferencesProblem(preferences);
  if (problem !== undefined) throw new PreferencesLimitsExceededError(`preferences ${problem}`);
}
