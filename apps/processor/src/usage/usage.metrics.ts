import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from '@event-hub/observability';

export type UsageOutcome = 'stored' | 'duplicate' | 'dead_lettered';

/** The usage aggregator's Prometheus series, on the service registry behind /metrics. */
@Injectable()
export class UsageMetrics {
  readonly usageEvents: Counter<'outcome'>;
  readonly consumerPaused: Gauge;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.usageEvents = new Counter({
      name: 'processor_usage_events_total',
      help: 'Usage events aggregated into billing, by outcome (duplicate = redelivery that inserted nothing)',
      labelNames: ['outcome'],
      registers,
    });
    this.consumerPaused = new Gauge({
      name: 'processor_usage_consumer_paused',
      help: '1 while the usage consumer is paused because Postgres cannot take its rows',
      registers,
    });
    for (const outcome of ['stored', 'duplicate', 'dead_lettered'] satisfies UsageOutcome[])
      this.usageEvents.inc({ outcome }, 0);
  }
}
