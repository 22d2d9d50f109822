import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isTenantTopicName } from '@event-hub/contracts';
import { TenantTopicStore } from '../../shared/tenant-topic-store';
import { TopicNotFoundError } from '../../shared/topic.errors';
import { TopicView } from '../../shared/topic.views';
import { GetTopicQuery } from './get-topic.query';

@QueryHandler(GetTopicQuery)
export class GetTopicHandler implements IQueryHandler<GetTopicQuery, TopicView> {
  constructor(private readonly store: TenantTopicStore) {}

  async execute({ tenantId, name }: GetTopicQuery): Promise<TopicView> {
    const row = isTenantTopicName(name) ? await this.store.findReady(tenantId, name) : null;
    if (!row) throw new TopicNotFoundError(name);
    return TopicView.of(row);
  }
}
