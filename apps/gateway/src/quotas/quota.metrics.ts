import { Injectable, type Provider } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

const THROTTLED = 'gateway_quota_throttled_requests_total';
const LEASES = 'gateway_quota_leases_total';
const LEDGER_FALLBACKS = 'gateway_quota_ledger_fallbacks_total';

/** The rate quotas' Prometheus series. */
@Injectable()
export class QuotaMetrics {
  constructor(
    @InjectMetric(THROTTLED) readonly throttled: Counter<'direction'>,
    @InjectMetric(LEASES) readonly leases: Counter<'direction'>,
    @InjectMetric(LEDGER_FALLBACKS) readonly ledgerFallbacks: Counter,
  ) {}
}

/** The series on the default registry behind /metrics, and {@link QuotaMetrics} over them. */
export const QUOTA_METRICS: Provider[] = [
  makeCounterProvider({
    name: THROTTLED,
    help: 'Requests answered 429 because a tenant rate quota (shared by the instances) was used up',
    labelNames: ['direction'],
  }),
  makeCounterProvider({
    name: LEASES,
    help: 'Blocks of quota this instance leased from the shared quota windows (store round trips)',
    labelNames: ['direction'],
  }),
  makeCounterProvider({
    name: LEDGER_FALLBACKS,
    help: 'Times the shared quota windows were unreachable and this instance enforced quotas alone',
  }),
  QuotaMetrics,
];
