import type { Scope } from './scopes/scopes';

/** Who is calling: put on the request by the JWT guard, read with `@Principal()`. */
export interface AuthPrincipal {
  /** The API client the token was issued to (for external tokens: its client id claim or `sub`). */
  clientId: string;
  /** Everything the caller sees and does is scoped to this tenant. */
  tenantId: string;
  scopes: Scope[];
  /** The token's `sub`. */
  subject: string;
  /** `local` for tokens of our own token endpoint, `external` for the identity provider's. */
  source: 'local' | 'external';
  issuer: string;
  /** The token's `jti`, when it has one. */
  tokenId?: string;
}
