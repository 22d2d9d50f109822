import { PREFERENCES_LIMITS } from '@event-hub/contracts';
import { PreferencesLimitsExceededError } from './domain-error';
import { assertPreferencesWithinLimits } from './preferences-limits';

describe('preferences limits', () => {
  const keys = (count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));

  it('accepts a flat object at the key limit', () => {
    expect(() => assertPreferencesWithinLimits(keys(PREFERENCES_LIMITS.maxKeys))).not.toThrow();
  });

  it('rejects one key too many', () => {
    expect(() => assertPreferencesWithinLimits(keys(PREFERENCES_LIMITS.maxKeys + 1))).toThrow(
      PreferencesLimitsExceededError,
    );
  });

  it('rejects an object larger than the byte limit', () => {
    const big = { note: 'x'.repeat(PREFERENCES_LIMITS.maxBytes) };
    expect(() => assertPreferencesWithinLimits(big)).toThrow(/bytes/);
  });

  it('counts multi-byte characters as bytes, not characters', () => {
    const accents = { note: 'é'.repeat(PREFERENCES_LIMITS.maxBytes / 2) };
    expect(() => assertPreferencesWithinLimits(accents)).toThrow(/bytes/);
  });

  it('accepts nesting up to the depth limit and rejects one level more', () => {
    const nested = { a: { b: { c: { d: 1 } } } };
    expect(() => assertPreferencesWithinLimits(nested)).not.toThrow();
    expect(() => assertPreferencesWithinLimits({ a: { b: { c: { d: { e: 1 } } } } })).toThrow(
      /levels deep/,
    );
  });

  it('counts arrays as a nesting level', () => {
    expect(() => assertPreferencesWithinLimits({ a: [[[1]]] })).not.toThrow();
    expect(() => assertPreferencesWithinLimits({ a: [[[[1]]]] })).toThrow(/levels deep/);
  });
});
