import type { TenantLimits } from '@event-hub/auth';
import { TopicLimitExceededError } from './topic.errors';

export interface TopicSettings {
  partitions?: number;
  retentionMs?: number;
}

/** Throws the 422 naming the first field beyond the tenant's limits. */
export function assertWithinTopicLimits(settings: TopicSettings, limits: TenantLimits): void {
  if (settings.partitions !== undefined && settings.partitions > limits.maxPartitionsPerTopic) {
    throw new TopicLimitExceededError(
      'partitions',
      'maxPartitionsPerTopic',
      limits.maxPartitionsPerTopic,
      `partitions is ${settings.partitions}; this tenant may have at most ${limits.maxPartitionsPerTopic} per topic`,
    );
  }
  if (settings.retentionMs !== undefined && settings.retentionMs > limits.maxRetentionMs) {
    throw new TopicLimitExceededError(
      'retentionMs',
      'maxRetentionMs',
      limits.maxRetentionMs,
      `retentionMs is ${settings.retentionMs}; this tenant may keep records at most ${limits.maxRetentionMs} ms`,
    );
  }
}

/** Throws the 422 when the tenant already holds as many topics as it may. */
export function assertTopicCountBelowLimit(existing: number, limits: TenantLimits): void {
  if (existing >= limits.maxTopics) {
    throw new TopicLimitExceededError(
      'name',
      'maxTopics',
      limits.maxTopics,
      `this tenant already has ${existing} topics, the most it may have (maxTopics ${limits.maxTopics})`,
    );
  }
}
