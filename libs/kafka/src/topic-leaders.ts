import type { Admin, ITopicConfig } from 'kafkajs';

/**
 * Creates topics and waits until every partition has a leader that serves it. kafkajs's own `waitForLeaders`
 * retries only on LEADER_NOT_AVAILABLE, but a KRaft broker that has just started can first answer
 * UNKNOWN_TOPIC_OR_PARTITION for a topic it created a moment ago, which makes that call throw.
 */
export async function createTopicsAndWaitForLeaders(
  admin: Admin,
  topics: ITopicConfig[],
  timeoutMs = 30000,
): Promise<boolean> {
  const created = await admin.createTopics({ waitForLeaders: false, topics });
  await waitForLeaders(
    admin,
    topics.map((t) => t.topic),
    timeoutMs,
  );
  return created;
}

export async function waitForLeaders(
  admin: Admin,
  names: string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const ready = topics.every(
        (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
      );
      // The metadata can name a leader before that broker serves the partition: list offsets too,
      // which answers NOT_LEADER_FOR_PARTITION (retriable) until it does.
      if (topics.length === names.length && ready) {
        await Promise.all(names.map((topic) => admin.fetchTopicOffsets(topic)));
        return;
      }
    } catch (error) {
      if ((error as { retriable?: unknown }).retriable !== true) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`topics ${names.join(', ')} have no leader after ${timeoutMs} ms${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
