import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EachBatchPayload, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { TOPICS } from '@event-hub/contracts';
import { KAFKA_CLIENT } from '@event-hub/kafka';
import { PROCESSOR_SETTINGS, type ProcessorSettings } from '../config/processor.settings';
import { chunksOf, PostgresPacedConsumer } from '../consumption/postgres-paced-consumer';
import { ProcessorMetrics } from '../metrics/processor.metrics';
import { BatchCoalescer } from './batch-coalescer';
import { ConsumerStatus } from '../consumption/consumer-status';

/**
 * Consumes the command topic in a consumer group with `eachBatch` (autoCommit off, offsets resolved
 * by hand), several partitions at once; the partitions of one fetch are applied as one unit by the
 * {@link BatchCoalescer}. An offset is resolved and committed only once its record is applied and
 * answered; a crash anywhere before that means a redelivery, which the inbox answers without
 * applying twice.
 *
 * When Postgres is unreachable the topic is paused (nothing past the last applied record is
 * resolved, so the records are fetched again after `resume`) and a probe checks the database until
 * it answers.
 */
@Injectable()
export class CommandConsumer extends PostgresPacedConsumer {
  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(PROCESSOR_SETTINGS) private readonly settings: ProcessorSettings,
    @InjectDataSource() dataSource: DataSource,
    private readonly coalescer: BatchCoalescer,
    status: ConsumerStatus,
    metrics: ProcessorMetrics,
  ) {
    super(kafka, dataSource, status, metrics.consumerPaused, {
      name: 'command',
      groupId: settings.groupId,
      topic: settings.commandTopic,
      partitionsConcurrency: settings.partitionsConcurrency,
      sessionTimeoutMs: settings.sessionTimeoutMs,
      dbProbeIntervalMs: settings.dbProbeIntervalMs,
      probeSql: 'SELECT 1',
      standIns: [
        [settings.commandTopic, TOPICS.userEvents],
        [settings.replyTopic, TOPICS.responseEvents],
        [settings.dlqTopic, TOPICS.userEventsDlq],
      ],
    });
  }

  protected async consume(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary } = payload;
    const keepGoing = this.keepGoingWith(payload);

    for (const { messages } of chunksOf(batch.messages, this.settings.maxBatchSize)) {
      if (!keepGoing()) return;
      const chunk = {
        topic: batch.topic,
        partition: batch.partition,
        messages,
        keepGoing,
        heartbeat,
      };
      const result = await this.coalescer.submit(chunk, commitOffsetsIfNecessary);
      if (result.lastDoneOffset !== undefined) resolveOffset(result.lastDoneOffset);
      if (result.haltedBy !== undefined) {
        this.pauseForPostgres(result.haltedBy);
        return;
      }
      await heartbeat();
    }
  }
}
