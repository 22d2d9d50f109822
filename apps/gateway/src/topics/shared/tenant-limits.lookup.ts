import { Injectable } from '@nestjs/common';
import { TenantsService, withDefaultLimits, type TenantLimits } from '@event-hub/auth';

/** A tenant's limits; the defaults for a tenant known only to an external identity provider. */
@Injectable()
export class TenantLimitsLookup {
  constructor(private readonly tenants: TenantsService) {}

  async of(tenantId: string): Promise<TenantLimits> {
    return (await this.tenants.find(tenantId))?.limits ?? withDefaultLimits(undefined);
  }
}
