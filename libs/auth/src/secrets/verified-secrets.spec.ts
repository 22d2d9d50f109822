import { VerifiedSecrets } from './verified-secrets';

describe('recently verified secrets', () => {
  let now = 0;
  const cache = (): VerifiedSecrets =>
    new VerifiedSecrets({ ttlMs: 60_000, maxEntries: 2, clock: () => now });

  beforeEach(() => (now = 0));

  it('recognises the secret it was told about, for that client and stored hash only', () => {
    const secrets = cache();
    secrets.remember('ehc_a', '$scrypt$h1', 'ehs_right');
    expect(secrets.matches('ehc_a', '$scrypt$h1', 'ehs_right')).toBe(true);
    expect(secrets.matches('ehc_a', '$scrypt$h1', 'ehs_wrong')).toBe(false);
    expect(secrets.matches('ehc_b', '$scrypt$h1', 'ehs_right')).toBe(false);
  });

  it('stops matching once the stored hash changed (the secret was rotated)', () => {
    const secrets = cache();
    secrets.remember('ehc_a', '$scrypt$h1', 'ehs_old');
    expect(secrets.matches('ehc_a', '$scrypt$h2', 'ehs_old')).toBe(false);
    // Only a hint, to be confirmed against the stored hash.
    expect(secrets.mayMatch('ehc_a', 'ehs_old')).toBe(true);
    expect(secrets.mayMatch('ehc_a', 'ehs_guess')).toBe(false);
  });

  it('forgets after the TTL, and beyond maxEntries', () => {
    const secrets = cache();
    secrets.remember('ehc_a', 'h', 's');
    now = 60_000;
    expect(secrets.matches('ehc_a', 'h', 's')).toBe(false);
    secrets.remember('ehc_a', 'h', 's');
    secrets.remember('ehc_b', 'h', 's');
    secrets.remember('ehc_c', 'h', 's');
    expect(secrets.matches('ehc_a', 'h', 's')).toBe(false);
    expect(secrets.matches('ehc_c', 'h', 's')).toBe(true);
  });
});
