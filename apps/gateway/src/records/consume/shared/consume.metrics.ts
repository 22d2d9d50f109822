import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '@event-hub/observability';
import { TopicReaders } from './topic-readers';

/** The consume path's Prometheus series. */
@Injectable()
export class ConsumeMetrics {
  readonly requests: Counter<'outcome'>;
  readonly records: Counter;
  readonly bytes: Counter;
  readonly seconds: Histogram;

  constructor(metrics: MetricsRegistry, readers: TopicReaders) {
    const registers = [metrics.registry];
    this.requests = new Counter({
      name: 'gateway_consume_requests_total',
      help: 'Consume requests by outcome: records, empty or the problem code',
      labelNames: ['outcome'],
      registers,
    });
    this.records = new Counter({
      name: 'gateway_consume_records_total',
      help: 'Records delivered (and metered) by consume requests',
      registers,
    });
    this.bytes = new Counter({
      name: 'gateway_consume_bytes_total',
      help: 'Bytes of keys, values and headers delivered by consume requests',
      registers,
    });
    this.seconds = new Histogram({
      name: 'gateway_consume_request_seconds',
      help: 'Time to answer a consume request (includes long-poll waits)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    new Gauge({
      name: 'gateway_consume_readers',
      help: 'Open consume readers (kafkajs consumers) of this instance',
      registers,
      collect() {
        this.set(readers.size);
      },
    });
  }
}
