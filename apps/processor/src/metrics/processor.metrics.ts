import { Injectable, type Provider } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';

export type CommandOutcome = 'completed' | 'failed' | 'duplicate' | 'dead_lettered';

const COMMANDS = 'processor_commands_total';
const DEAD_LETTERS = 'processor_dead_letters_total';
const BATCH_DURATION = 'processor_batch_duration_seconds';
const BATCH_SIZE = 'processor_batch_size';
const BATCH_PHASE = 'processor_batch_phase_seconds';
const FALLBACKS = 'processor_batch_fallbacks_total';
const CONSUMER_PAUSED = 'processor_consumer_paused';
const CONSUMER_LAG = 'processor_consumer_lag';
const DOMAIN_EVENTS = 'processor_domain_events_total';
const COMMAND_DURATION = 'processor_command_duration_seconds';

/** The processor's own Prometheus series, by the names its command path and lag monitors use. */
@Injectable()
export class ProcessorMetrics {
  constructor(
    @InjectMetric(COMMANDS) readonly commands: Counter<'command' | 'outcome'>,
    @InjectMetric(DEAD_LETTERS) readonly deadLetters: Counter<'reason'>,
    @InjectMetric(BATCH_DURATION) readonly batchDuration: Histogram<'mode'>,
    @InjectMetric(BATCH_SIZE) readonly batchSize: Histogram,
    @InjectMetric(BATCH_PHASE) readonly batchPhase: Histogram<'phase'>,
    @InjectMetric(FALLBACKS) readonly fallbacks: Counter,
    @InjectMetric(CONSUMER_PAUSED) readonly consumerPaused: Gauge,
    @InjectMetric(CONSUMER_LAG) readonly consumerLag: Gauge<'topic' | 'partition' | 'group'>,
    @InjectMetric(DOMAIN_EVENTS) readonly domainEvents: Counter<'event'>,
    /** A command handler's own work inside its unit's transaction, by command type. */
    @InjectMetric(COMMAND_DURATION) readonly commandDuration: Histogram<'command'>,
  ) {}
}

/** The series on the default registry behind /metrics, and {@link ProcessorMetrics} over them. */
export const PROCESSOR_METRICS: Provider[] = [
  makeCounterProvider({
    name: COMMANDS,
    help: 'Commands processed, by command type and outcome (duplicate = redelivery answered from the inbox)',
    labelNames: ['command', 'outcome'],
  }),
  makeCounterProvider({
    name: DEAD_LETTERS,
    help: 'Records sent to the dead-letter topic, by reason code',
    labelNames: ['reason'],
  }),
  makeHistogramProvider({
    name: BATCH_DURATION,
    help: 'Time to process one unit (the partitions of one fetch): transactions, replies and offset commit',
    labelNames: ['mode'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  makeHistogramProvider({
    name: BATCH_PHASE,
    help: 'Where unit time goes: apply (transactions), send (replies and dead letters, acks=all), commit (offsets)',
    labelNames: ['phase'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }),
  makeHistogramProvider({
    name: BATCH_SIZE,
    help: 'Records per processed unit (the partitions of one fetch)',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
  }),
  makeCounterProvider({
    name: FALLBACKS,
    help: 'Chunks whose shared transaction failed and were re-run one command per transaction',
  }),
  makeGaugeProvider({
    name: CONSUMER_PAUSED,
    help: '1 while the command consumer is paused because Postgres is unreachable',
  }),
  makeGaugeProvider({
    name: CONSUMER_LAG,
    help: 'Records not yet committed by a consumer group (commands, usage), per partition: broker end offset − committed offset',
    labelNames: ['topic', 'partition', 'group'],
  }),
  makeCounterProvider({
    name: DOMAIN_EVENTS,
    help: 'Domain events published after their transaction committed',
    labelNames: ['event'],
  }),
  makeHistogramProvider({
    name: COMMAND_DURATION,
    help: 'Time a command handler took inside its unit’s transaction, by command type (replays and expired commands are not timed)',
    labelNames: ['command'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }),
  ProcessorMetrics,
];
