import { createRequire } from 'node:module';

/**
 * kafkajs's consumer group, as patched by patches/kafkajs+2.2.4.patch. With every partition
 * paused, its fetch loop sleeps `maxWaitTime` and only then asks again; unpatched, a consumer
 * resumed during that sleep (the gateway's topic readers, paused between HTTP reads and resumed
 * for the next) waited for the rest of it before its first fetch. `resume()` now ends the sleep.
 */
interface ConsumerGroupLike {
  fetch(nodeId: number): Promise<unknown[]>;
  resume(topicPartitions: { topic: string; partitions?: number[] }[]): void;
}

const load = createRequire(__filename);
const ConsumerGroup = load('kafkajs/src/consumer/consumerGroup') as {
  prototype: ConsumerGroupLike;
};
const SubscriptionState = load('kafkajs/src/consumer/subscriptionState') as new () => unknown;

/** A consumer group with no partition to fetch from: its fetch sleeps `maxWaitTime`. */
function pausedGroup(maxWaitTime: number): ConsumerGroupLike {
  const silent = () => undefined;
  return Object.assign(Object.create(ConsumerGroup.prototype) as ConsumerGroupLike, {
    maxWaitTime,
    logger: { info: silent, debug: silent, warn: silent, error: silent },
    cluster: { refreshMetadataIfNecessary: () => Promise.resolve() },
    checkForStaleAssignment: silent,
    subscriptionState: new SubscriptionState(),
    filterPartitionsByNode: (_nodeId: number, topicPartitions: unknown) => topicPartitions,
    seekOffsets: () => Promise.resolve(),
    offsetManager: { committedOffsets: () => ({}) },
    getActiveTopicPartitions: () => ({}),
  });
}

describe('kafkajs consumer group with every partition paused (patched)', () => {
  it('ends the fetch loop’s sleep when partitions are resumed', async () => {
    const group = pausedGroup(60_000);
    const started = Date.now();
    const fetched = group.fetch(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    group.resume([{ topic: 't', partitions: [0] }]);
    await expect(fetched).resolves.toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('still sleeps maxWaitTime when nothing is resumed', async () => {
    const group = pausedGroup(100);
    const started = Date.now();
    await expect(group.fetch(0)).resolves.toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});
