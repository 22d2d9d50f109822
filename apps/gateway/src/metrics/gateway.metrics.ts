import { Injectable, type Provider } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';

const COMMANDS_ACCEPTED = 'gateway_commands_accepted_total';
const COMMANDS_REJECTED = 'gateway_commands_rejected_total';
const PRODUCE_ACK_SECONDS = 'gateway_produce_ack_seconds';
const BATCH_RECORDS = 'gateway_producer_batch_records';
const BATCH_SECONDS = 'gateway_producer_batch_seconds';
const REPLIES_RECORDED = 'gateway_replies_recorded_total';
const REPLIES_SKIPPED = 'gateway_replies_skipped_total';

/** The command path's Prometheus series, by the names its acceptor, producer and reply consumer use. */
@Injectable()
export class GatewayMetrics {
  constructor(
    @InjectMetric(COMMANDS_ACCEPTED) readonly commandsAccepted: Counter<'command' | 'replayed'>,
    @InjectMetric(COMMANDS_REJECTED) readonly commandsRejected: Counter<'command' | 'code'>,
    /** From handing a command to the producer until Kafka acknowledged it (or gave up). */
    @InjectMetric(PRODUCE_ACK_SECONDS) readonly produceAckSeconds: Histogram<'outcome'>,
    @InjectMetric(BATCH_RECORDS) readonly batchRecords: Histogram,
    @InjectMetric(BATCH_SECONDS) readonly batchSeconds: Histogram<'outcome'>,
    @InjectMetric(REPLIES_RECORDED) readonly repliesRecorded: Counter<'status'>,
    @InjectMetric(REPLIES_SKIPPED) readonly repliesSkipped: Counter,
  ) {}
}

/** The series on the default registry behind /metrics, and {@link GatewayMetrics} over them. */
export const GATEWAY_METRICS: Provider[] = [
  makeCounterProvider({
    name: COMMANDS_ACCEPTED,
    help: 'Commands answered 202, by command type; replayed="true" for Idempotency-Key replays',
    labelNames: ['command', 'replayed'],
  }),
  makeCounterProvider({
    name: COMMANDS_REJECTED,
    help: 'Commands not accepted, by command type and problem code (VALIDATION_FAILED, COMMAND.NOT_ACCEPTED, …)',
    labelNames: ['command', 'code'],
  }),
  makeHistogramProvider({
    name: PRODUCE_ACK_SECONDS,
    help: 'Time from handing a command to the producer until Kafka acknowledged it',
    labelNames: ['outcome'],
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  makeHistogramProvider({
    name: BATCH_RECORDS,
    help: 'Commands per Kafka transaction (concurrent commands share one)',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
  }),
  makeHistogramProvider({
    name: BATCH_SECONDS,
    help: 'Duration of one command transaction, by outcome (committed, aborted, unknown)',
    labelNames: ['outcome'],
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  makeCounterProvider({
    name: REPLIES_RECORDED,
    help: 'Command replies consumed from the reply topic and written to the status store',
    labelNames: ['status'],
  }),
  makeCounterProvider({
    name: REPLIES_SKIPPED,
    help: 'Records on the reply topic that were not a readable reply',
  }),
  GatewayMetrics,
];
