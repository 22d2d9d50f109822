import { Injectable } from '@nestjs/common';
import { TenantsService, withDefaultLimits, type TenantLimits } from '@event-hub/auth';
import type { QuotaDirection } from './rate-quotas';

export interface DirectionLimits {
  recordsPerSecond: number;
  bytesPerSecond: number;
}

export type DirectionRates = Record<QuotaDirection, DirectionLimits>;

export interface RateLimitsSource {
  /** The tenant's produce and consume rates (defaults for a tenant unknown to Postgres). */
  load(tenantId: string): Promise<DirectionRates>;
  /** Every tenant's rates. */
  loadAll(): Promise<Map<string, DirectionRates>>;
}

/** Rates from the tenant's limits in Postgres. */
@Injectable()
export class TenantRateLimits implements RateLimitsSource {
  constructor(private readonly tenants: TenantsService) {}

  async load(tenantId: string): Promise<DirectionRates> {
    return ratesOf(withDefaultLimits((await this.tenants.find(tenantId))?.limits));
  }

  async loadAll(): Promise<Map<string, DirectionRates>> {
    const tenants = await this.tenants.list();
    return new Map(tenants.map((tenant) => [tenant.id, ratesOf(tenant.limits)]));
  }
}

function ratesOf(limits: TenantLimits): DirectionRates {
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
