/** How long a verified token is trusted without checking its signature again. */
const MAX_TRUST_MS = 5 * 60 * 1000;
const MAX_ENTRIES = 10_000;

/**
 * Tokens whose signature, issuer, audience and dates were verified, with their claims: a client
 * sends the same bearer token on thousands of requests, and an RS256 check each time was the
 * gateway's largest single cost per request. An entry lasts until the token expires (with the
 * verifier's clock tolerance, as jsonwebtoken applies it) and at most {@link MAX_TRUST_MS}, so a
 * verification key withdrawn from a JWKS stops being honoured within that time. Only the
 * signature check is skipped: the strategy still checks revocation, client and tenant on every
 * request. Bounded: the oldest entry goes first.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { claims: Record<string, unknown>; until: number }>();

  constructor(
    private readonly clockToleranceSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The claims of a token verified before and still within its trust window. */
  claimsOf(token: string): Record<string, unknown> | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.now() < entry.until) return entry.claims;
    this.entries.delete(token);
    return undefined;
  }

  /** Remembers a token just verified; one without a numeric `exp` is not remembered. */
  remember(token: string, claims: Record<string, unknown>): void {
    const exp = claims['exp'];
    if (typeof exp !== 'number') return;
    const until = Math.min((exp + this.clockToleranceSeconds) * 1000, this.now() + MAX_TRUST_MS);
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { claims, until });
  }
}
