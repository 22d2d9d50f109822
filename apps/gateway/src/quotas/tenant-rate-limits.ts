import { Injectable } from '@nestjs/common';
import { TenantsService, withDefaultLimits } from '@event-hub/auth';
import type { QuotaDirection } from './rate-quotas';

export interface DirectionLimits {
  recordsPerSecond: number;
  bytesPerSecond: number;
}

export interface RateLimitsSource {
  /** The tenant's produce and consume rates (defaults for a tenant unknown to Postgres). */
  load(tenantId: string): Promise<Record<QuotaDirection, DirectionLimits>>;
}

/** Rates from the tenant's limits in Postgres. */
@Injectable()
export class TenantRateLimits implements RateLimitsSource {
  constructor(private readonly tenants: TenantsService) {}

  async load(tenantId: string): Promise<Record<QuotaDirection, DirectionLimits>> {
    const limits = withDefaultLimits((await this.tenants.find(tenantId))?.limits);
    return {
      produce: {
        recordsPerSecond: limits.produceRecordsPerSecond,
        bytesPerSecond: limits.produceBytesPerSecond,
      },
      consume: {
        recordsPerSecond: limits.consumeRecordsPerSecond,
        bytesPerSecond: limits.consumeBytesPerSecond,
      },
    };
  }
}
