import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsRegistry } from '@event-hub/observability';

/** The produce path's Prometheus series, on the service registry behind /metrics. */
@Injectable()
export class ProduceMetrics {
  readonly requests: Counter<'outcome'>;
  readonly records: Counter;
  readonly bytes: Counter;
  /** From handing the records to the transaction until its commit was acknowledged (or failed). */
  readonly ackSeconds: Histogram<'outcome'>;
  readonly transactionWrites: Histogram;
  readonly transactions: Counter<'outcome'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.requests = new Counter({
      name: 'gateway_produce_requests_total',
      help: 'Produce requests by outcome: produced, replayed (Idempotency-Key) or the problem code',
      labelNames: ['outcome'],
      registers,
    });
    this.records = new Counter({
      name: 'gateway_produce_records_total',
      help: 'Records produced to tenant topics (committed)',
      registers,
    });
    this.bytes = new Counter({
      name: 'gateway_produce_bytes_total',
      help: 'Bytes of keys, values and headers produced to tenant topics (committed)',
      registers,
    });
    this.ackSeconds = new Histogram({
      name: 'gateway_produce_records_ack_seconds',
      help: 'Time from handing a request’s records to the transaction until Kafka committed it',
      labelNames: ['outcome'],
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.transactionWrites = new Histogram({
      name: 'gateway_produce_transaction_requests',
      help: 'Produce requests coalesced into one Kafka transaction',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers,
    });
    this.transactions = new Counter({
      name: 'gateway_produce_transactions_total',
      help: 'Kafka transactions of the produce path by outcome (committed, aborted, unknown)',
      labelNames: ['outcome'],
      registers,
    });
  }
}
