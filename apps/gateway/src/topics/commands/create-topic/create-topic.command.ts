import { Command } from '@nestjs/cqrs';
import type { CleanupPolicy } from '@event-hub/contracts';
import type { TopicView } from '../../shared/topic.views';

export class CreateTopicCommand extends Command<TopicView> {
  constructor(
    readonly tenantId: string,
    readonly name: string,
    readonly partitions: number | undefined,
    readonly retentionMs: number | undefined,
    readonly cleanupPolicy: CleanupPolicy,
    readonly valueSubject: string | null,
  ) {
    super();
  }
}
