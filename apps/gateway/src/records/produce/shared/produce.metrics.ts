import { Injectable, type Provider } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';

const REQUESTS = 'gateway_produce_requests_total';
const RECORDS = 'gateway_produce_records_total';
const BYTES = 'gateway_produce_bytes_total';
const ACK_SECONDS = 'gateway_produce_records_ack_seconds';
const TRANSACTION_WRITES = 'gateway_produce_transaction_requests';
const TRANSACTIONS = 'gateway_produce_transactions_total';

/** The produce path's Prometheus series. */
@Injectable()
export class ProduceMetrics {
  constructor(
    @InjectMetric(REQUESTS) readonly requests: Counter<'outcome'>,
    @InjectMetric(RECORDS) readonly records: Counter<'tenant'>,
    @InjectMetric(BYTES) readonly bytes: Counter<'tenant'>,
    /** From handing the records to the transaction until its commit was acknowledged (or failed). */
    @InjectMetric(ACK_SECONDS) readonly ackSeconds: Histogram<'outcome'>,
    @InjectMetric(TRANSACTION_WRITES) readonly transactionWrites: Histogram,
    @InjectMetric(TRANSACTIONS) readonly transactions: Counter<'outcome'>,
  ) {}
}

/** The series on the default registry behind /metrics, and {@link ProduceMetrics} over them. */
export const PRODUCE_METRICS: Provider[] = [
  makeCounterProvider({
    name: REQUESTS,
    help: 'Produce requests by outcome: produced, replayed (Idempotency-Key) or the problem code',
    labelNames: ['outcome'],
  }),
  makeCounterProvider({
    name: RECORDS,
    help: 'Records produced to tenant topics (committed), by tenant',
    labelNames: ['tenant'],
  }),
  makeCounterProvider({
    name: BYTES,
    help: 'Bytes of keys, values and headers produced to tenant topics (committed), by tenant',
    labelNames: ['tenant'],
  }),
  makeHistogramProvider({
    name: ACK_SECONDS,
    help: 'Time from handing a request’s records to the transaction until Kafka committed it',
    labelNames: ['outcome'],
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  makeHistogramProvider({
    name: TRANSACTION_WRITES,
    help: 'Produce requests coalesced into one Kafka transaction',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
  }),
  makeCounterProvider({
    name: TRANSACTIONS,
    help: 'Kafka transactions of the produce path by outcome (committed, aborted, unknown)',
    labelNames: ['outcome'],
  }),
  ProduceMetrics,
];
