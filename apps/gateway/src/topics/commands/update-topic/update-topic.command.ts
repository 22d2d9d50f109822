import { Command } from '@nestjs/cqrs';
import type { TopicView } from '../../shared/topic.views';

export interface TopicChanges {
  retentionMs?: number;
  /** `null` unbinds the subject. */
  valueSubject?: string | null;
}

export class UpdateTopicCommand extends Command<TopicView> {
  constructor(
    readonly tenantId: string,
    readonly name: string,
    readonly changes: TopicChanges,
  ) {
    super();
  }
}
