import { PREFERENCES_LIMITS } from './user-commands';
import { preferencesProblem } from './preferences-limits';

const nested = (levels: number): Record<string, unknown> =>
  levels <= 1 ? { leaf: true } : { next: nested(levels - 1) };

describe('preferences limits', () => {
  it('accepts a small settings object', () => {
    expect(
      preferencesProblem({
        theme: 'dark',
        notifications: { email: true, sms: false },
        tags: ['a'],
      }),
    ).toBeUndefined();
  });

  it('accepts an empty object', () => {
    expect(preferencesProblem({})).toBeUndefined();
  });

  it.each([[null], [[]], ['dark'], [42]])('rejects %j, which is not an object', (value) => {
    expect(preferencesProblem(value)).toBe('must be a JSON object');
  });

  it(`accepts ${PREFERENCES_LIMITS.maxDepth} levels and rejects one more`, () => {
    expect(preferencesProblem(nested(PREFERENCES_LIMITS.maxDepth))).toBeUndefined();
    expect(preferencesProblem(nested(PREFERENCES_LIMITS.maxDepth + 1))).toBe(
      `must be nested at most ${PREFERENCES_LIMITS.maxDepth} levels deep (is ${PREFERENCES_LIMITS.maxDepth + 1})`,
    );
  });

  it('counts an array as a level', () => {
    expect(preferencesProblem({ a: [[[1]]] })).toBeUndefined();
    expect(preferencesProblem({ a: [[[[1]]]] })).toMatch(/levels deep \(is 5\)/);
  });

  it('counts keys at every level', () => {
    const keys = (n: number, prefix: string) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i]));
    expect(preferencesProblem({ ...keys(40, 'a'), inner: keys(9, 'b') })).toBeUndefined();
    expect(preferencesProblem({ ...keys(40, 'a'), inner: keys(10, 'b') })).toBe(
      `must have at most ${PREFERENCES_LIMITS.maxKeys} keys in all (has 51)`,
    );
  });

  it('rejects a body larger than the byte limit', () => {
    expect(preferencesProblem({ bio: 'x'.repeat(PREFERENCES_LIMITS.maxBytes) })).toMatch(
      new RegExp(`must be at most ${PREFERENCES_LIMITS.maxBytes} bytes as JSON`),
    );
  });
});
