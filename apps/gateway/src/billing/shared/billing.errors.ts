import { GatewayError } from '../../shared/http-errors';

/** Another tenant's billing, or an unknown tenant: answered as if it did not exist. */
export class BillingTenantNotFoundError extends GatewayError {
  readonly code = 'BILLING.TENANT_NOT_FOUND';
  readonly status = 404;
  readonly title = 'Tenant not found';
  constructor(tenant: string) {
    super(`No billing for tenant "${tenant}"`);
  }
}
