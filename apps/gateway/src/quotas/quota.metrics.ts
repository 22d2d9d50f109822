import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '@event-hub/observability';

@Injectable()
export class QuotaMetrics {
  readonly throttled: Counter<'direction'>;
  readonly leases: Counter<'direction'>;
  readonly ledgerFallbacks: Counter;

  constructor(metrics: MetricsRegistry) {
    this.throttled = new Counter({
      name: 'gateway_quota_throttled_requests_total',
      help: 'Requests answered 429 because a tenant rate quota (shared by the instances) was used up',
      labelNames: ['direction'],
      registers: [metrics.registry],
    });
    this.leases = new Counter({
      name: 'gateway_quota_leases_total',
      help: 'Blocks of quota this instance leased from the shared quota windows (store round trips)',
      labelNames: ['direction'],
      registers: [metrics.registry],
    });
    this.ledgerFallbacks = new Counter({
      name: 'gateway_quota_ledger_fallbacks_total',
      help: 'Times the shared quota windows were unreachable and this instance enforced quotas alone',
      registers: [metrics.registry],
    });
  }
}
