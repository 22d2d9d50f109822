import { Module } from '@nestjs/common';
import { QuotasModule } from '../../quotas/quotas.module';
import { TopicsModule } from '../../topics/topics.module';
import { UsageModule } from '../../usage/usage.module';
import { CommitOffsetsController } from './commands/commit-offsets/commit-offsets.controller';
import { CommitOffsetsHandler } from './commands/commit-offsets/commit-offsets.handler';
import { ReadRecordsController } from './queries/read-records/read-records.controller';
import { ReadRecordsHandler } from './queries/read-records/read-records.handler';
import { CloseReadersOfDeletedTopic } from './shared/close-readers-of-deleted-topic';
import { CONSUME_METRICS } from './shared/consume.metrics';
import { KafkaOffsets } from './shared/kafka-offsets';
import { TopicReaders } from './shared/topic-readers';

/**
 * `GET /topics/:name/records` and `POST /topics/:name/offsets` (events:consume): reads through a
 * bounded pool of reusable readers, metered before the answer, within the tenant's consume quota.
 */
@Module({
  imports: [TopicsModule, UsageModule, QuotasModule],
  controllers: [ReadRecordsController, CommitOffsetsController],
  providers: [
    TopicReaders,
    KafkaOffsets,
    ...CONSUME_METRICS,
    ReadRecordsHandler,
    CommitOffsetsHandler,
    CloseReadersOfDeletedTopic,
  ],
})
export class ConsumeModule {}
