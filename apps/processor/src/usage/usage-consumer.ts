import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { TOPICS } from '@event-hub/contracts';
import {
  ACKS_ALL,
  KAFKA_BATCH,
  KAFKA_CLIENT,
  KafkaBatchContext,
  KafkaBatchServer,
  KafkaProducer,
} from '@event-hub/kafka';
import { PostgresPacedConsumer } from '../consumption/postgres-paced-consumer';
import { UsageChunkProcessor } from './usage-chunk.processor';
import { UsageConsumerStatus } from './usage-consumer-status';
import { USAGE_SETTINGS, type UsageSettings } from './usage-settings';
import { UsageMetrics } from './usage.metrics';

/** The batches of the usage topic (USAGE_TOPIC) in the usage aggregator's group. */
export const USAGE_BATCHES = 'processor.usage';

/**
 * Aggregates `usage_events` into `billing`: a consumer group reading committed records only (the
 * produce path writes usage events in the same Kafka transaction as the records, so an aborted
 * produce is never billed), batch by batch on the KafkaBatchServer. Per chunk: one INSERT … ON
 * CONFLICT DO NOTHING, then the chunk's dead letters (acks=all), then its offset is resolved; the
 * transport commits once the batch's handler returned. A crash before the commit means a
 * redelivery, which inserts nothing.
 *
 * When Postgres cannot take the rows the topic is paused (nothing past the last stored record is
 * resolved, so the rest is fetched again after the resume) and a probe retries until the billing
 * table answers; /health and /health/usage report the pause meanwhile.
 */
@Controller()
export class UsageConsumer extends PostgresPacedConsumer {
  constructor(
    server: KafkaBatchServer,
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(USAGE_SETTINGS) private readonly settings: UsageSettings,
    @InjectDataSource() dataSource: DataSource,
    private readonly processor: UsageChunkProcessor,
    private readonly producer: KafkaProducer,
    status: UsageConsumerStatus,
    metrics: UsageMetrics,
  ) {
    super(server, kafka, dataSource, status, metrics.consumerPaused, {
      name: 'usage',
      pattern: USAGE_BATCHES,
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

  @EventPattern(USAGE_BATCHES, KAFKA_BATCH)
  async consume(
    @Payload() records: KafkaMessage[],
    @Ctx() context: KafkaBatchContext,
  ): Promise<void> {
    await this.applyInChunks(
      records,
      context,
      this.settings.maxBatchSize,
      async (messages, keepGoing) => {
        const outcome = await this.processor.process({
          topic: context.topic,
          partition: context.partition,
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
        // The transport commits past trailing transaction markers once the last record is done.
        return outcome;
      },
    );
  }
}
