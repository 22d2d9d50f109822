import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  const start = Date.UTC(2026, 11, 6, 12, 0, 0);
  let now = start;
  const clock = (): number => now;
  const expIn = (seconds: number): number => start / 1000 + seconds;

  beforeEach(() => {
    now = start;
  });

  it('gives back the claims of a token verified before', () => {
    const tokens = new VerifiedTokens(0, clock);
    const claims = { sub: 'client-1', exp: expIn(60) };
    tokens.remember('token-a', claims);
    expect(tokens.claimsOf('token-a')).toBe(claims);
    expect(tokens.claimsOf('token-b')).toBeUndefined();
  });

  it('forgets a token once it expires, with the clock tolerance jsonwebtoken allows', () => {
    const tokens = new VerifiedTokens(5, clock);
    tokens.remember('token-a', { exp: expIn(60) });
    now = start + 64_999;
    expect(tokens.claimsOf('token-a')).toBeDefined();
    now = start + 65_000;
    expect(tokens.claimsOf('token-a')).toBeUndefined();
  });

  it('trusts a long-lived token for at most five minutes, then it is verified again', () => {
    const tokens = new VerifiedTokens(0, clock);
    tokens.remember('token-a', { exp: expIn(3600) });
    now = start + 5 * 60 * 1000 - 1;
    expect(tokens.claimsOf('token-a')).toBeDefined();
    now = start + 5 * 60 * 1000;
    expect(tokens.claimsOf('token-a')).toBeUndefined();
  });

  it('does not remember a token without a numeric exp', () => {
    const tokens = new VerifiedTokens(0, clock);
    tokens.remember('token-a', { sub: 'client-1' });
    expect(tokens.claimsOf('token-a')).toBeUndefined();
  });
});
