import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { TenantTopicDeletedEvent } from '../../../topics/tenant-topic-deleted.event';
import { TopicReaders } from './topic-readers';

/** A deleted topic's readers are closed at once rather than left failing until they idle out. */
@EventsHandler(TenantTopicDeletedEvent)
export class CloseReadersOfDeletedTopic implements IEventHandler<TenantTopicDeletedEvent> {
  constructor(private readonly readers: TopicReaders) {}

  handle(event: TenantTopicDeletedEvent): void {
    this.readers.closeTopic(event.physicalName);
  }
}
