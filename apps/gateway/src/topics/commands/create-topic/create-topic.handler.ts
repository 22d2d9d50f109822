import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { physicalTenantTopic } from '@event-hub/contracts';
import { CachedTenantTopicDirectory } from '../../shared/cached-tenant-topic-directory';
import { TenantKafkaTopics } from '../../shared/tenant-kafka-topics';
import { TenantLimitsLookup } from '../../shared/tenant-limits.lookup';
import { TenantTopicStore } from '../../shared/tenant-topic-store';
import { assertTopicCountBelowLimit, assertWithinTopicLimits } from '../../shared/topic-limits';
import {
  TopicAdminUnavailableError,
  TopicAlreadyExistsError,
  TopicNotFoundError,
} from '../../shared/topic.errors';
import { TopicView } from '../../shared/topic.views';
import { CreateTopicCommand } from './create-topic.command';
import { DEFAULT_PARTITIONS } from './create-topic.dto';

/**
 * Row first (`CREATING`), then Kafka, then the row turns `READY`. A crash or Kafka failure in
 * between leaves a `CREATING` row that nobody is served and that the next POST of the name
 * completes (adopting or re-creating the Kafka topic); deletion removes the Kafka topic before
 * the row, so a Kafka topic without a row is only ever an empty leftover of a creation.
 */
@CommandHandler(CreateTopicCommand)
export class CreateTopicHandler implements ICommandHandler<CreateTopicCommand, TopicView> {
  constructor(
    private readonly store: TenantTopicStore,
    private readonly kafka: TenantKafkaTopics,
    private readonly limits: TenantLimitsLookup,
    private readonly directory: CachedTenantTopicDirectory,
  ) {}

  async execute(command: CreateTopicCommand): Promise<TopicView> {
    const { tenantId, name, cleanupPolicy, valueSubject } = command;
    const physicalName = physicalTenantTopic(tenantId, name);
    if (!physicalName) throw new TopicNotFoundError(name);
    const limits = await this.limits.of(tenantId);
    const partitions =
      command.partitions ?? Math.min(DEFAULT_PARTITIONS, limits.maxPartitionsPerTopic);
    const retentionMs = command.retentionMs ?? limits.maxRetentionMs;
    assertWithinTopicLimits({ partitions, retentionMs }, limits);

    return this.store.withTenantLock(tenantId, async (topics) => {
      const existing = await topics.findOneBy({ tenantId, name });
      if (existing?.status === 'READY') throw new TopicAlreadyExistsError(name);
      if (!existing) assertTopicCountBelowLimit(await topics.countBy({ tenantId }), limits);
      const now = new Date();
      const row = topics.create({
        tenantId,
        name,
        physicalName,
        partitions,
        retentionMs,
        cleanupPolicy,
        valueSubject,
        status: 'CREATING',
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      });
      await topics.save(row);
      try {
        await this.kafka.ensure({ physicalName, partitions, retentionMs, cleanupPolicy });
      } catch (error) {
        throw new TopicAdminUnavailableError('create the topic', error);
      }
      row.status = 'READY';
      row.createdAt = new Date();
      row.updatedAt = row.createdAt;
      await topics.save(row);
      this.directory.forget(tenantId, name);
      return TopicView.of(row);
    });
  }
}
