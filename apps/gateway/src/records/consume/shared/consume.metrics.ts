import { Injectable, type Provider } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { TopicReaders } from './topic-readers';

const REQUESTS = 'gateway_consume_requests_total';
const RECORDS = 'gateway_consume_records_total';
const BYTES = 'gateway_consume_bytes_total';
const SECONDS = 'gateway_consume_request_seconds';

/** The consume path's Prometheus series. */
@Injectable()
export class ConsumeMetrics {
  constructor(
    @InjectMetric(REQUESTS) readonly requests: Counter<'outcome'>,
    @InjectMetric(RECORDS) readonly records: Counter<'tenant'>,
    @InjectMetric(BYTES) readonly bytes: Counter<'tenant'>,
    @InjectMetric(SECONDS) readonly seconds: Histogram,
  ) {}
}

/** The series on the default registry behind /metrics, and {@link ConsumeMetrics} over them. */
export const CONSUME_METRICS: Provider[] = [
  makeCounterProvider({
    name: REQUESTS,
    help: 'Consume requests by outcome: records, empty or the problem code',
    labelNames: ['outcome'],
  }),
  makeCounterProvider({
    name: RECORDS,
    help: 'Records delivered (and metered) by consume requests, by tenant',
    labelNames: ['tenant'],
  }),
  makeCounterProvider({
    name: BYTES,
    help: 'Bytes of keys, values and headers delivered by consume requests, by tenant',
    labelNames: ['tenant'],
  }),
  makeHistogramProvider({
    name: SECONDS,
    help: 'Time to answer a consume request (includes long-poll waits)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  makeGaugeProvider({
    name: 'gateway_consume_readers',
    help: 'Open consume readers (kafkajs consumers) of this instance',
    inject: [TopicReaders],
    collect(this: Gauge, readers: TopicReaders) {
      this.set(readers.size);
    },
  }),
  ConsumeMetrics,
];
