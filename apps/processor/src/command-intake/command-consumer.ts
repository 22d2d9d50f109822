import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { TOPICS } from '@event-hub/contracts';
import { KAFKA_BATCH, KAFKA_CLIENT, KafkaBatchContext, KafkaBatchServer } from '@event-hub/kafka';
import { PROCESSOR_SETTINGS, type ProcessorSettings } from '../config/processor.settings';
import { ConsumerStatus } from '../consumption/consumer-status';
import { PostgresPacedConsumer } from '../consumption/postgres-paced-consumer';
import { ProcessorMetrics } from '../metrics/processor.metrics';
import { BatchCoalescer } from './batch-coalescer';

/** The batches of the command topic (PROCESSOR_COMMAND_TOPIC) in the processor's group. */
export const COMMAND_BATCHES = 'processor.commands';

/**
 * Consumes the command topic in a consumer group, batch by batch (KafkaBatchServer), several
 * partitions at once; the partitions of one fetch are applied as one unit by the
 * {@link BatchCoalescer}. An offset is resolved, and committed by the transport, only once its
 * record is applied and answered; a crash anywhere before that means a redelivery, which the inbox
 * answers without applying twice.
 *
 * When Postgres is unreachable the topic is paused (nothing past the last applied record is
 * resolved, so the records are fetched again after the resume) and a probe checks the database
 * until it answers.
 */
@Controller()
export class CommandConsumer extends PostgresPacedConsumer {
  constructor(
    server: KafkaBatchServer,
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(PROCESSOR_SETTINGS) private readonly settings: ProcessorSettings,
    @InjectDataSource() dataSource: DataSource,
    private readonly coalescer: BatchCoalescer,
    status: ConsumerStatus,
    metrics: ProcessorMetrics,
  ) {
    super(server, kafka, dataSource, status, metrics.consumerPaused, {
      name: 'command',
      pattern: COMMAND_BATCHES,
      groupId: settings.groupId,
      topic: settings.commandTopic,
      partitionsConcurrency: settings.partitionsConcurrency,
      sessionTimeoutMs: settings.sessionTimeoutMs,
      fetch: {
        maxWaitTimeInMs: settings.fetchMaxWaitMs,
        minBytes: settings.fetchMinBytes,
        minIntervalMs: settings.fetchMinIntervalMs,
      },
      dbProbeIntervalMs: settings.dbProbeIntervalMs,
      probeSql: 'SELECT 1',
      standIns: [
        [settings.commandTopic, TOPICS.userEvents],
        [settings.replyTopic, TOPICS.responseEvents],
        [settings.dlqTopic, TOPICS.userEventsDlq],
      ],
      onCommitted: (seconds) => metrics.batchPhase.observe({ phase: 'commit' }, seconds),
    });
  }

  @EventPattern(COMMAND_BATCHES, KAFKA_BATCH)
  async consume(
    @Payload() records: KafkaMessage[],
    @Ctx() context: KafkaBatchContext,
  ): Promise<void> {
    await this.applyInChunks(records, context, this.settings.maxBatchSize, (messages, keepGoing) =>
      this.coalescer.submit({
        topic: context.topic,
        partition: context.partition,
        messages,
        keepGoing,
        heartbeat: () => context.heartbeat(),
      }),
    );
  }
}
