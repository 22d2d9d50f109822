import { Injectable, type Provider } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';

export type UsageOutcome = 'stored' | 'duplicate' | 'dead_lettered';

const USAGE_EVENTS = 'processor_usage_events_total';
const CONSUMER_PAUSED = 'processor_usage_consumer_paused';
const BILLED_RECORDS = 'processor_billing_records_total';
const BILLED_BYTES = 'processor_billing_bytes_total';

type BillingLabel = 'tenant' | 'action';

/** The usage aggregator's Prometheus series. */
@Injectable()
export class UsageMetrics {
  constructor(
    @InjectMetric(USAGE_EVENTS) readonly usageEvents: Counter<'outcome'>,
    @InjectMetric(CONSUMER_PAUSED) readonly consumerPaused: Gauge,
    /** What billing rows stored meter: a redelivered usage event adds nothing. */
    @InjectMetric(BILLED_RECORDS) readonly billedRecords: Counter<BillingLabel>,
    @InjectMetric(BILLED_BYTES) readonly billedBytes: Counter<BillingLabel>,
  ) {
    // Every outcome is on /metrics from the start, at 0 until it happens.
    for (const outcome of ['stored', 'duplicate', 'dead_lettered'] satisfies UsageOutcome[])
      this.usageEvents.inc({ outcome }, 0);
  }
}

/** The series on the default registry behind /metrics, and {@link UsageMetrics} over them. */
export const USAGE_METRICS: Provider[] = [
  makeCounterProvider({
    name: USAGE_EVENTS,
    help: 'Usage events aggregated into billing, by outcome (duplicate = redelivery that inserted nothing)',
    labelNames: ['outcome'],
  }),
  makeGaugeProvider({
    name: CONSUMER_PAUSED,
    help: '1 while the usage consumer is paused because Postgres cannot take its rows',
  }),
  makeCounterProvider({
    name: BILLED_RECORDS,
    help: 'Records metered into billing rows, by tenant and action (produce, consume)',
    labelNames: ['tenant', 'action'],
  }),
  makeCounterProvider({
    name: BILLED_BYTES,
    help: 'Bytes metered into billing rows, by tenant and action (produce, consume)',
    labelNames: ['tenant', 'action'],
  }),
  UsageMetrics,
];
