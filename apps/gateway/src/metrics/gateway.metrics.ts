import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsRegistry } from '@event-hub/observability';

/** The gateway's own Prometheus series, registered on the service registry behind /metrics. */
@Injectable()
export class GatewayMetrics {
  readonly commandsAccepted: Counter<'command' | 'replayed'>;
  readonly commandsRejected: Counter<'command' | 'code'>;
  /** From handing a command to the producer until Kafka acknowledged it (or gave up). */
  readonly produceAckSeconds: Histogram<'outcome'>;
  readonly batchRecords: Histogram;
  readonly batchSeconds: Histogram<'outcome'>;
  readonly repliesRecorded: Counter<'status'>;
  readonly repliesSkipped: Counter;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.commandsAccepted = new Counter({
      name: 'gateway_commands_accepted_total',
      help: 'Commands answered 202, by command type; replayed="true" for Idempotency-Key replays',
      labelNames: ['command', 'replayed'],
      registers,
    });
    this.commandsRejected = new Counter({
      name: 'gateway_commands_rejected_total',
      help: 'Commands not accepted, by command type and problem code (VALIDATION_FAILED, COMMAND.NOT_ACCEPTED, …)',
      labelNames: ['command', 'code'],
      registers,
    });
    this.produceAckSeconds = new Histogram({
      name: 'gateway_produce_ack_seconds',
      help: 'Time from handing a command to the producer until Kafka acknowledged it',
      labelNames: ['outcome'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.batchRecords = new Histogram({
      name: 'gateway_producer_batch_records',
      help: 'Commands per Kafka transaction (concurrent commands share one)',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'gateway_producer_batch_seconds',
      help: 'Duration of one command transaction, by outcome (committed, aborted, unknown)',
      labelNames: ['outcome'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.repliesRecorded = new Counter({
      name: 'gateway_replies_recorded_total',
      help: 'Command replies consumed from the reply topic and written to the status store',
      labelNames: ['status'],
      registers,
    });
    this.repliesSkipped = new Counter({
      name: 'gateway_replies_skipped_total',
      help: 'Records on the reply topic that were not a readable reply',
      registers,
    });
  }
}
