import { SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { BillingTenantNotFoundError } from './billing.errors';

/**
 * Whose billing a caller may read. A tenant reads only its own; asking for another tenant is
 * answered 404, never 403, so a caller cannot learn which tenants exist. The platform admin (the
 * `admin` scope only counts for the platform tenant) reads any tenant's, or all of them.
 */
export function isPlatformAdmin(caller: AuthPrincipal): boolean {
  return caller.scopes.includes(SCOPES.admin);
}

/** The tenant to report on; `null`: every tenant (platform admin without a filter). */
export function reportScope(caller: AuthPrincipal, requested?: string): string | null {
  if (isPlatformAdmin(caller)) return requested ?? null;
  if (requested !== undefined && requested !== caller.tenantId)
    throw new BillingTenantNotFoundError(requested);
  return caller.tenantId;
}
