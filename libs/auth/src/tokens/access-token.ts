import { randomUUID } from 'node:crypto';
import type { Scope } from '../scopes/scopes';

/**
 * Claims of our access tokens (RFC 9068 profile): `sub` and `client_id` are the API client,
 * `tenant` its tenant, `scope` the granted scopes separated by spaces.
 */
export interface AccessTokenClaims {
  iss: string;
  aud: string;
  sub: string;
  client_id: string;
  tenant: string;
  scope: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}

export interface AccessTokenInput {
  issuer: string;
  audience: string;
  clientId: string;
  tenantId: string;
  scopes: readonly Scope[];
  ttlSeconds: number;
  /** Milliseconds since the epoch. */
  now: number;
}

export function accessTokenClaims(input: AccessTokenInput): AccessTokenClaims {
  const iat = Math.floor(input.now / 1000);
  return {
    iss: input.issuer,
    aud: input.audience,
    sub: input.clientId,
    client_id: input.clientId,
    tenant: input.tenantId,
    scope: input.scopes.join(' '),
    iat,
    nbf: iat,
    exp: iat + input.ttlSeconds,
    jti: randomUUID(),
  };
}

/** The `typ` of RFC 9068 access tokens, so they cannot be mistaken for ID tokens. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
