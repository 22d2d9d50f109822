import { Query } from '@nestjs/cqrs';
import type { TopicListView } from '../../shared/topic.views';

export class ListTopicsQuery extends Query<TopicListView> {
  constructor(readonly tenantId: string) {
    super();
  }
}
