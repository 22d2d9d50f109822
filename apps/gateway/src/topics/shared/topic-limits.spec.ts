import { DEFAULT_TENANT_LIMITS, withDefaultLimits } from '@event-hub/auth';
import { assertTopicCountBelowLimit, assertWithinTopicLimits } from './topic-limits';
import { TopicLimitExceededError } from './topic.errors';

const limits = withDefaultLimits({ maxTopics: 2, maxPartitionsPerTopic: 4, maxRetentionMs: 60000 });

function problemOf(action: () => void): TopicLimitExceededError {
  try {
    action();
  } catch (error) {
    if (error instanceof TopicLimitExceededError) return error;
    throw error;
  }
  throw new Error('no limit was exceeded');
}

describe('tenant topic limits', () => {
  it('accepts settings at the limits', () => {
    expect(() =>
      assertWithinTopicLimits({ partitions: 4, retentionMs: 60000 }, limits),
    ).not.toThrow();
    expect(() => assertTopicCountBelowLimit(1, limits)).not.toThrow();
  });

  it('names partitions and maxPartitionsPerTopic when there are too many partitions', () => {
    const error = problemOf(() => assertWithinTopicLimits({ partitions: 5 }, limits));
    expect(error.status).toBe(422);
    expect(error.extensions).toEqual({
      field: 'partitions',
      limit: 'maxPartitionsPerTopic',
      max: 4,
    });
  });

  it('names retentionMs and maxRetentionMs when records would be kept too long', () => {
    const error = problemOf(() => assertWithinTopicLimits({ retentionMs: 60001 }, limits));
    expect(error.extensions).toEqual({ field: 'retentionMs', limit: 'maxRetentionMs', max: 60000 });
  });

  it('names maxTopics once the tenant holds as many topics as it may', () => {
    const error = problemOf(() => assertTopicCountBelowLimit(2, limits));
    expect(error.extensions).toMatchObject({ limit: 'maxTopics', max: 2 });
    expect(error.message).toMatch(/maxTopics 2/);
  });

  it('uses the defaults for a tenant without limits of its own', () => {
    expect(() =>
      assertWithinTopicLimits(
        { partitions: DEFAULT_TENANT_LIMITS.maxPartitionsPerTopic + 1 },
        withDefaultLimits(undefined),
      ),
    ).toThrow(TopicLimitExceededError);
  });
});
