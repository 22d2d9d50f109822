import { Injectable, type Provider } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';

/** Where an outbox row goes: the two relays, and the label values of their series. */
export type OutboxDestination = 'kafka' | 'rabbitmq';

const PENDING = 'processor_pix_outbox_pending';
const PUBLISHED = 'processor_pix_outbox_published_total';
const FAILURES = 'processor_pix_outbox_publish_failures_total';

/** The PIX outbox relays' series: what waits, what went out, what had to be retried. */
@Injectable()
export class PixRelayMetrics {
  constructor(
    @InjectMetric(PENDING) readonly pending: Gauge<'destination'>,
    @InjectMetric(PUBLISHED) readonly published: Counter<'destination'>,
    @InjectMetric(FAILURES) readonly failures: Counter<'destination'>,
  ) {}
}

export const PIX_RELAY_METRICS: Provider[] = [
  makeGaugeProvider({
    name: PENDING,
    help: 'PIX outbox rows not yet published, by destination (kafka: rows of up to 50 records; rabbitmq: one notification each)',
    labelNames: ['destination'],
  }),
  makeCounterProvider({
    name: PUBLISHED,
    help: 'PIX outbox records published and marked sent, by destination',
    labelNames: ['destination'],
  }),
  makeCounterProvider({
    name: FAILURES,
    help: 'PIX outbox rows whose publication failed and was put back for a retry, by destination',
    labelNames: ['destination'],
  }),
  PixRelayMetrics,
];
