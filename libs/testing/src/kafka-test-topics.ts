import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { waitFor } from './wait-for';

export function testBrokers(): string[] {
  // Parsed here rather than with @event-hub/kafka, whose own tests use this library.
  return (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
}

export function testKafka(clientId = 'event-hub-test'): Kafka {
  return new Kafka({ clientId, brokers: testBrokers(), logLevel: logLevel.NOTHING });
}

/** A topic name no other test run uses, so tests never see each other's records. */
export function uniqueName(prefix: string): string {
  return `${prefix}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export async function withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = testKafka('event-hub-test-admin').admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function createTestTopics(names: string[], partitions = 3): Promise<void> {
  await withAdmin(async (admin) => {
    // Not kafkajs's waitForLeaders: a freshly started KRaft broker may first answer "unknown topic"
    // for a topic it has just created (libs/kafka's topic-leaders.ts has the production twin).
    await admin.createTopics({
      topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
    });
    await waitFor(
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: names });
        return topics.every((t) => t.partitions.every((p) => p.leader >= 0));
      },
      { timeoutMs: 30000, what: `leaders for ${names.join(', ')}` },
    );
  });
}

export async function deleteTestTopics(names: string[]): Promise<void> {
  if (names.length === 0) return;
  await withAdmin((admin) => admin.deleteTopics({ topics: names, timeout: 10000 })).catch(
    () => undefined,
  );
}
