import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '@event-hub/observability';

@Injectable()
export class QuotaMetrics {
  readonly throttled: Counter<'direction'>;

  constructor(metrics: MetricsRegistry) {
    this.throttled = new Counter({
      name: 'gateway_quota_throttled_requests_total',
      help: 'Requests answered 429 because a tenant rate quota (per gateway instance) was used up',
      labelNames: ['direction'],
      registers: [metrics.registry],
    });
  }
}
