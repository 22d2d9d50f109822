import { Query } from '@nestjs/cqrs';
import type { TopicView } from '../../shared/topic.views';

export class GetTopicQuery extends Query<TopicView> {
  constructor(
    readonly tenantId: string,
    readonly name: string,
  ) {
    super();
  }
}
