import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EachBatchPayload, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { TOPICS } from '@event-hub/contracts';
import { ACKS_ALL, KAFKA_CLIENT, KafkaProducer } from '@event-hub/kafka';
import { chunksOf, PostgresPacedConsumer } from '../consumption/postgres-paced-consumer';
import { UsageChunkProcessor } from './usage-chunk.processor';
import { UsageConsumerStatus } from './usage-consumer-status';
import { USAGE_SETTINGS, type UsageSettings } from './usage-settings';
import { UsageMetrics } from './usage.metrics';

/**
 * Aggregates `usage_events` into `billing`: a consumer group reading committed records only (the
 * produce path writes usage events in the same Kafka transaction as the records, so an aborted
 * produce is never billed), `eachBatch` with autoCommit off. Per chunk: one INSERT … ON CONFLICT
 * DO NOTHING, then the chunk's dead letters (acks=all), then its offset is resolved and
 * committed. A crash before the commit means a redelivery, which inserts nothing.
 *
 * When Postgres cannot take the rows the topic is paused (nothing past the last stored record is
 * resolved, so the rest is fetched again after `resume`) and a probe retries until the billing
 * table answers; /health and /health/usage report the pause meanwhile.
 */
@Injectable()
export class UsageConsumer extends PostgresPacedConsumer {
  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(USAGE_SETTINGS) private readonly settings: UsageSettings,
    @InjectDataSource() dataSource: DataSource,
    private readonly processor: UsageChunkProcessor,
    private readonly producer: KafkaProducer,
    status: UsageConsumerStatus,
    metrics: UsageMetrics,
  ) {
    super(kafka, dataSource, status, metrics.consumerPaused, {
      name: 'usage',
      groupId: settings.groupId,
      topic: settings.topic,
      partitionsConcurrency: settings.partitionsConcurrency,
      sessionTimeoutMs: settings.sessionTimeoutMs,
      dbProbeIntervalMs: settings.dbProbeIntervalMs,
      // A reachable database without the billing table is still down for us.
      probeSql: 'SELECT 1 FROM billing LIMIT 0',
      standIns: [
        [settings.topic, TOPICS.usageEvents],
        [settings.dlqTopic, TOPICS.usageEventsDlq],
      ],
    });
  }

  protected async consume(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary } = payload;
    const keepGoing = this.keepGoingWith(payload);

    for (const { messages, last } of chunksOf(batch.messages, this.settings.maxBatchSize)) {
      if (!keepGoing()) return;
      const outcome = await this.processor.process({
        topic: batch.topic,
        partition: batch.partition,
        messages,
        keepGoing,
      });
      if (outcome.deadLetters.length > 0) {
        await this.producer.producer.send({
          topic: this.settings.dlqTopic,
          messages: outcome.deadLetters,
          acks: ACKS_ALL,
        });
      }
      // Past the chunk's last record lie only transaction markers or aborted records when the
      // whole batch is done: committing past them keeps the measured lag at zero.
      const done =
        last && outcome.lastDoneOffset === messages.at(-1)?.offset
          ? batch.lastOffset()
          : outcome.lastDoneOffset;
      if (done !== undefined) {
        resolveOffset(done);
        await commitOffsetsIfNecessary({
          topics: [
            {
              topic: batch.topic,
              partitions: [{ partition: batch.partition, offset: (BigInt(done) + 1n).toString() }],
            },
          ],
        });
      }
      if (outcome.haltedBy !== undefined) {
        this.pauseForPostgres(outcome.haltedBy);
        return;
      }
      await heartbeat();
    }
  }
}
