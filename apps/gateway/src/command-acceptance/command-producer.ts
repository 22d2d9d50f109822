import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Kafka, Message } from 'kafkajs';
import {
  KAFKA_CLIENT,
  logProducerReplacements,
  TransactionalPartitioner,
  TransactionalProducer,
  transactionalProducerConfig,
  waitForLeaders,
} from '@event-hub/kafka';
import type { GatewayEnvironment } from '../config/gateway.environment';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import { defaultTransactionalIdPrefix } from '../records/produce/shared/produce-transactions';

/**
 * The gateway's way into Kafka for commands: each command is written in a Kafka transaction
 * (concurrent commands share one), and the processor reads committed records only. A transaction
 * is committed only once Kafka acknowledged its records within the produce timeout; one that is
 * not is aborted (by us, or by the coordinator once a restarted instance fences us or the
 * transaction times out), so a command answered "not accepted" can never reach the processor.
 */
@Injectable()
export class CommandProducer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly topic: string;
  private readonly transactions: TransactionalProducer;
  private readonly partitioner = new TransactionalPartitioner();
  private partitions: number | undefined;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    config: ConfigService<GatewayEnvironment, true>,
    metrics: GatewayMetrics,
  ) {
    this.topic = config.get('GATEWAY_COMMAND_TOPIC');
    const timeoutMs = config.get('GATEWAY_PRODUCE_TIMEOUT_MS');
    // Distinct from the produce path's ids (`<prefix>-<slot>`): the two pools never fence each
    // other. The default also names the port, so two instances on one host (and one database)
    // do not fence each other either.
    const prefix = `${
      config.get('GATEWAY_TRANSACTIONAL_ID_PREFIX') ||
      `${defaultTransactionalIdPrefix(config.get('KAFKA_CLIENT_ID'), config.get('DATABASE_URL'))}-${config.get('GATEWAY_PORT')}`
    }-commands`;
    this.transactions = new TransactionalProducer({
      slots: config.get('GATEWAY_TRANSACTIONAL_PRODUCERS'),
      lingerMs: config.get('GATEWAY_COMMAND_LINGER_MS'),
      maxBatchRecords: config.get('GATEWAY_MAX_BATCH_RECORDS'),
      maxBatchBytes: config.get('GATEWAY_MAX_BATCH_BYTES'),
      maxPendingRecords: config.get('GATEWAY_MAX_PENDING_COMMANDS'),
      timeoutMs,
      createProducer: (slot) =>
        kafka.producer(transactionalProducerConfig(`${prefix}-${slot}`, timeoutMs)),
      onTransaction: (report) => {
        metrics.batchRecords.observe(report.records);
        metrics.batchSeconds.observe({ outcome: report.outcome }, report.durationMs / 1000);
      },
      onProducerReplaced: logProducerReplacements(CommandProducer.name),
    });
  }

  /** Fences this instance's previous incarnation and learns where commands go. */
  async onApplicationBootstrap(): Promise<void> {
    await this.transactions.connect();
    await this.partitionCount();
  }

  /**
   * Resolves once the command's transaction committed. Rejects with TransactionAbortedError (never
   * written), TransactionOutcomeUnknownError (commit sent, not confirmed), or the queue-full and
   * closed errors of {@link TransactionalProducer}.
   */
  async send(message: Message): Promise<void> {
    const partition = this.partitioner.partitionOf(
      this.topic,
      await this.partitionCount(),
      message,
    );
    await this.transactions.write([{ topic: this.topic, message: { ...message, partition } }]);
  }

  /** Commands already taken get their transaction before the producers disconnect. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.transactions.close();
  }

  private async partitionCount(): Promise<number> {
    if (this.partitions !== undefined) return this.partitions;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await waitForLeaders(admin, [this.topic], 20000);
      const { topics } = await admin.fetchTopicMetadata({ topics: [this.topic] });
      this.partitions = topics[0]?.partitions.length ?? 0;
      return this.partitions;
    } finally {
      await admin.disconnect();
    }
  }
}
