import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '@event-hub/observability';

export type CommandOutcome = 'completed' | 'failed' | 'duplicate' | 'dead_lettered';

/** The processor's own Prometheus series, on the service registry behind /metrics. */
@Injectable()
export class ProcessorMetrics {
  readonly commands: Counter<'command' | 'outcome'>;
  readonly deadLetters: Counter<'reason'>;
  readonly batchDuration: Histogram<'mode'>;
  readonly batchSize: Histogram;
  readonly batchPhase: Histogram<'phase'>;
  readonly fallbacks: Counter;
  readonly consumerPaused: Gauge;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly domainEvents: Counter<'event'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.commands = new Counter({
      name: 'processor_commands_total',
      help: 'Commands processed, by command type and outcome (duplicate = redelivery answered from the inbox)',
      labelNames: ['command', 'outcome'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'processor_dead_letters_total',
      help: 'Records sent to the dead-letter topic, by reason code',
      labelNames: ['reason'],
      registers,
    });
    this.batchDuration = new Histogram({
      name: 'processor_batch_duration_seconds',
      help: 'Time to process one unit (the partitions of one fetch): transactions, replies and offset commit',
      labelNames: ['mode'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.batchPhase = new Histogram({
      name: 'processor_batch_phase_seconds',
      help: 'Where unit time goes: apply (transactions), send (replies and dead letters, acks=all), commit (offsets)',
      labelNames: ['phase'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'processor_batch_size',
      help: 'Records per processed unit (the partitions of one fetch)',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
      registers,
    });
    this.fallbacks = new Counter({
      name: 'processor_batch_fallbacks_total',
      help: 'Chunks whose shared transaction failed and were re-run one command per transaction',
      registers,
    });
    this.consumerPaused = new Gauge({
      name: 'processor_consumer_paused',
      help: '1 while the command consumer is paused because Postgres is unreachable',
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'processor_consumer_lag',
      help: 'Records not yet committed by the consumer group, per partition',
      labelNames: ['topic', 'partition'],
      registers,
    });
    this.domainEvents = new Counter({
      name: 'processor_domain_events_total',
      help: 'Domain events published after their transaction committed',
      labelNames: ['event'],
      registers,
    });
  }
}
