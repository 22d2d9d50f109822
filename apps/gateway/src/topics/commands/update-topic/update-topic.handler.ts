import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isTenantTopicName } from '@event-hub/contracts';
import { CachedTenantTopicDirectory } from '../../shared/cached-tenant-topic-directory';
import { TenantKafkaTopics } from '../../shared/tenant-kafka-topics';
import { TenantLimitsLookup } from '../../shared/tenant-limits.lookup';
import { TenantTopicStore } from '../../shared/tenant-topic-store';
import { assertWithinTopicLimits } from '../../shared/topic-limits';
import { TopicAdminUnavailableError, TopicNotFoundError } from '../../shared/topic.errors';
import { TopicView } from '../../shared/topic.views';
import { UpdateTopicCommand } from './update-topic.command';

/** Kafka's retention first, then the row: a failure leaves the row describing what Kafka had. */
@CommandHandler(UpdateTopicCommand)
export class UpdateTopicHandler implements ICommandHandler<UpdateTopicCommand, TopicView> {
  constructor(
    private readonly store: TenantTopicStore,
    private readonly kafka: TenantKafkaTopics,
    private readonly limits: TenantLimitsLookup,
    private readonly directory: CachedTenantTopicDirectory,
  ) {}

  async execute({ tenantId, name, changes }: UpdateTopicCommand): Promise<TopicView> {
    if (!isTenantTopicName(name)) throw new TopicNotFoundError(name);
    assertWithinTopicLimits({ retentionMs: changes.retentionMs }, await this.limits.of(tenantId));
    return this.store.withTenantLock(tenantId, async (topics) => {
      const row = await topics.findOneBy({ tenantId, name, status: 'READY' });
      if (!row) throw new TopicNotFoundError(name);
      if (changes.retentionMs !== undefined && changes.retentionMs !== row.retentionMs) {
        try {
          await this.kafka.configure({ ...row, retentionMs: changes.retentionMs });
        } catch (error) {
          throw new TopicAdminUnavailableError('change the retention', error);
        }
        row.retentionMs = changes.retentionMs;
      }
      if (changes.valueSubject !== undefined) row.valueSubject = changes.valueSubject;
      row.updatedAt = new Date();
      await topics.save(row);
      this.directory.forget(tenantId, name);
      return TopicView.of(row);
    });
  }
}
