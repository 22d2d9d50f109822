import type { ExternalIssuerSettings } from '../config/auth-settings';
import type { AuthPrincipal } from '../principal';
import { isScope, normalizeScopes, SCOPES, type Scope } from '../scopes/scopes';
import { TENANT_ID_PATTERN } from '../tenants/tenants.service';
import { AuthRejection } from './auth-failure';

/** The principal of one of our own tokens (signature, issuer, audience and times already checked). */
export function localPrincipal(
  payload: Record<string, unknown>,
  platformTenantId: string,
): AuthPrincipal {
  const subject = payload['sub'];
  const tenantId = payload['tenant'];
  const scope = payload['scope'];
  const clientId = payload['client_id'] ?? subject;
  const jti = payload['jti'];
  if (
    typeof subject !== 'string' ||
    typeof tenantId !== 'string' ||
    typeof scope !== 'string' ||
    clientId !== subject ||
    typeof jti !== 'string' ||
    typeof payload['iat'] !== 'number' ||
    typeof payload['exp'] !== 'number'
  ) {
    throw new AuthRejection('invalid_claims');
  }
  return {
    clientId: subject,
    tenantId,
    scopes: grantedScopes(scope.split(' '), tenantId, platformTenantId),
    subject,
    source: 'local',
    issuer: String(payload['iss']),
    tokenId: jti,
  };
}

/**
 * The principal of an external identity provider's token. Its tenant and scopes come from the
 * configured claims; the scope claim may be a space-separated string or an array (`scp` style).
 * Scopes we do not know are ignored.
 */
export function externalPrincipal(
  payload: Record<string, unknown>,
  external: ExternalIssuerSettings,
  platformTenantId: string,
): AuthPrincipal {
  const subject = payload['sub'];
  const tenantId = payload[external.tenantClaim];
  const scopeClaim = payload[external.scopeClaim];
  const scopes =
    typeof scopeClaim === 'string'
      ? scopeClaim.split(' ')
      : Array.isArray(scopeClaim)
        ? scopeClaim.filter((s): s is string => typeof s === 'string')
        : undefined;
  const clientId = [payload[external.clientIdClaim], payload['azp'], subject].find(
    (value): value is string => typeof value === 'string' && value.length > 0,
  );
  if (
    typeof subject !== 'string' ||
    typeof tenantId !== 'string' ||
    !TENANT_ID_PATTERN.test(tenantId) ||
    scopes === undefined ||
    clientId === undefined
  ) {
    throw new AuthRejection('invalid_claims');
  }
  const jti = payload['jti'];
  return {
    clientId,
    tenantId,
    scopes: grantedScopes(scopes, tenantId, platformTenantId),
    subject,
    source: 'external',
    issuer: external.issuer,
    ...(typeof jti === 'string' ? { tokenId: jti } : {}),
  };
}

/** `admin` counts only for the platform tenant, whatever a token says. */
function grantedScopes(claimed: string[], tenantId: string, platformTenantId: string): Scope[] {
  return normalizeScopes(
    claimed.filter(isScope).filter((s) => s !== SCOPES.admin || tenantId === platformTenantId),
  );
}

/** True when the token's `aud` (a string or an array) names `audience`. */
export function hasAudience(payload: Record<string, unknown>, audience: string): boolean {
  const aud = payload['aud'];
  return aud === audience || (Array.isArray(aud) && aud.includes(audience));
}
