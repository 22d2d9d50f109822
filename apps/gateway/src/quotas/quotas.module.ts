import { Module } from '@nestjs/common';
import { LeasedRateQuotas } from './leased-rate-quotas';
import { PostgresQuotaLedger } from './postgres-quota-ledger';
import { QuotaLedger } from './quota-ledger';
import { QUOTA_METRICS } from './quota.metrics';
import { RateQuotas } from './rate-quotas';
import { TenantRateLimits } from './tenant-rate-limits';

/**
 * Per-tenant produce and consume rate quotas, shared by every gateway instance through quota
 * windows in Postgres and leased by each instance in blocks.
 */
@Module({
  providers: [
    ...QUOTA_METRICS,
    TenantRateLimits,
    { provide: QuotaLedger, useClass: PostgresQuotaLedger },
    LeasedRateQuotas,
    { provide: RateQuotas, useExisting: LeasedRateQuotas },
  ],
  exports: [RateQuotas],
})
export class QuotasModule {}
