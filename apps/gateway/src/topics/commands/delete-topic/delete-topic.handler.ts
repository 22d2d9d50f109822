import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { isTenantTopicName } from '@event-hub/contracts';
import { CachedTenantTopicDirectory } from '../../shared/cached-tenant-topic-directory';
import { TenantKafkaTopics } from '../../shared/tenant-kafka-topics';
import { TenantTopicStore } from '../../shared/tenant-topic-store';
import { TopicAdminUnavailableError, TopicNotFoundError } from '../../shared/topic.errors';
import { TenantTopicDeletedEvent } from '../../tenant-topic-deleted.event';
import { DeleteTopicCommand } from './delete-topic.command';

/**
 * Kafka first, then the row: if Kafka refuses, the topic is still there and still listed; if the
 * row cannot be deleted afterwards, the next DELETE finds no Kafka topic and finishes. A Kafka
 * topic with records therefore never outlives its row (a later topic of the same name starts empty).
 * Also deletes a topic left `CREATING` by an interrupted creation. The instance's Kafka clients
 * forget the topic (TenantKafkaTopics.delete) and its readers close (TenantTopicDeletedEvent).
 */
@CommandHandler(DeleteTopicCommand)
export class DeleteTopicHandler implements ICommandHandler<DeleteTopicCommand, void> {
  constructor(
    private readonly store: TenantTopicStore,
    private readonly kafka: TenantKafkaTopics,
    private readonly directory: CachedTenantTopicDirectory,
    private readonly events: EventBus,
  ) {}

  async execute({ tenantId, name }: DeleteTopicCommand): Promise<void> {
    if (!isTenantTopicName(name)) throw new TopicNotFoundError(name);
    await this.store.withTenantLock(tenantId, async (topics) => {
      const row = await topics.findOneBy({ tenantId, name });
      if (!row) throw new TopicNotFoundError(name);
      // Stop serving it on this instance before the records go away.
      this.directory.forget(tenantId, name);
      try {
        await this.kafka.delete(row.physicalName);
      } catch (error) {
        throw new TopicAdminUnavailableError('delete the topic', error);
      }
      this.events.publish(new TenantTopicDeletedEvent(tenantId, name, row.physicalName));
      await topics.delete({ tenantId, name });
      this.directory.forget(tenantId, name);
    });
  }
}
