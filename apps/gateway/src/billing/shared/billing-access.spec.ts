import { SCOPES, type AuthPrincipal, type Scope } from '@event-hub/auth';
import { reportScope } from './billing-access';
import { BillingTenantNotFoundError } from './billing.errors';

const caller = (tenantId: string, scopes: Scope[]): AuthPrincipal => ({
  clientId: 'ehc_test',
  tenantId,
  scopes,
  subject: 'ehc_test',
  source: 'local',
  issuer: 'event-hub',
});

describe('whose usage a caller reads', () => {
  const tenant = caller('acme', [SCOPES.billingRead]);
  const admin = caller('platform', [SCOPES.billingRead, SCOPES.admin]);

  it('a tenant reads its own, named or not', () => {
    expect(reportScope(tenant)).toBe('acme');
    expect(reportScope(tenant, 'acme')).toBe('acme');
  });

  it('naming another tenant is answered as if it did not exist', () => {
    expect(() => reportScope(tenant, 'globex')).toThrow(BillingTenantNotFoundError);
  });

  it('the platform admin reads every tenant, or the one it names', () => {
    expect(reportScope(admin)).toBeNull();
    expect(reportScope(admin, 'globex')).toBe('globex');
  });
});
