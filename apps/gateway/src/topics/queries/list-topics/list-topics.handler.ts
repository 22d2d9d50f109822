import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTopicStore } from '../../shared/tenant-topic-store';
import { TopicView, type TopicListView } from '../../shared/topic.views';
import { ListTopicsQuery } from './list-topics.query';

@QueryHandler(ListTopicsQuery)
export class ListTopicsHandler implements IQueryHandler<ListTopicsQuery, TopicListView> {
  constructor(private readonly store: TenantTopicStore) {}

  async execute({ tenantId }: ListTopicsQuery): Promise<TopicListView> {
    const rows = await this.store.listReady(tenantId);
    return { topics: rows.map((row) => TopicView.of(row)) };
  }
}
