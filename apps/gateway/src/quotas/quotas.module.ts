import { Module } from '@nestjs/common';
import { QuotaMetrics } from './quota.metrics';
import { RateQuotas } from './rate-quotas';
import { TenantRateLimits } from './tenant-rate-limits';
import { TokenBucketRateQuotas } from './token-bucket-rate-quotas';

/** Per-tenant produce and consume rate quotas (token buckets, state per gateway instance). */
@Module({
  providers: [
    QuotaMetrics,
    TenantRateLimits,
    TokenBucketRateQuotas,
    { provide: RateQuotas, useExisting: TokenBucketRateQuotas },
  ],
  exports: [RateQuotas],
})
export class QuotasModule {}
