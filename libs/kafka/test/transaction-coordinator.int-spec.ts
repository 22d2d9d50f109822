import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { parseBrokerList } from '../src/kafka-settings';
import { createTopicsAndWaitForLeaders } from '../src/topic-leaders';
import { transactionalProducerConfig } from '../src/transactional-producer-config';

// Local helpers rather than @event-hub/testing, which itself depends on this library.
const kafka = new Kafka({
  clientId: 'event-hub-test',
  brokers: parseBrokerList(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092'),
  logLevel: logLevel.NOTHING,
});
const uniqueName = (prefix: string): string =>
  `${prefix}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/**
 * The patched kafkajs transaction manager (patches/kafkajs+2.2.4.patch) against the real broker:
 * one producer commits transactions back to back, each begun the moment the previous commit is
 * answered, so the coordinator is often still writing that commit's markers
 * (CONCURRENT_TRANSACTIONS). Every transaction must still commit once and be read once, with no
 * FindCoordinator per transaction and no Metadata request per refusal.
 */
describe('kafkajs transactions back to back on one producer (patched coordinator handling)', () => {
  const topic = uniqueName('it.txn-coordinator');
  const TRANSACTIONS = 40;

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWaitForLeaders(admin, [{ topic, numPartitions: 3, replicationFactor: 1 }]);
    await admin.disconnect();
  });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('commits every transaction exactly once, asking the coordinator once', async () => {
    const producer = kafka.producer(
      transactionalProducerConfig(uniqueName('it.txn-coordinator'), 10000),
    );
    const requests = new Map<string, number>();
    producer.on(producer.events.REQUEST, ({ payload }) =>
      requests.set(payload.apiName, (requests.get(payload.apiName) ?? 0) + 1),
    );
    await producer.connect();
    try {
      for (let i = 0; i < TRANSACTIONS; i++) {
        const transaction = await producer.transaction();
        await transaction.send({ topic, messages: [{ partition: i % 3, value: `t${i}` }] });
        await transaction.commit();
      }
    } finally {
      await producer.disconnect();
    }

    // kafkajs emits REQUEST for answered requests, refusals included; it names FindCoordinator
    // GroupCoordinator.
    expect(requests.get('EndTxn')).toBe(TRANSACTIONS);
    expect(requests.get('GroupCoordinator')).toBe(1);
    expect(requests.get('Metadata') ?? 0).toBeLessThanOrEqual(2);
    expect(requests.get('AddPartitionsToTxn')).toBeGreaterThanOrEqual(TRANSACTIONS);

    const consumer = kafka.consumer({ groupId: uniqueName('it.txn-coordinator-reader') });
    const seen: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      let done!: () => void;
      const complete = new Promise<void>((resolve) => (done = resolve));
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(String(message.value));
          if (seen.length >= TRANSACTIONS) done();
        },
      });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        complete,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`read only ${seen.length} records`)), 30000);
        }),
      ]).finally(() => clearTimeout(timer));
      // Nothing more arrives after the last one (no transaction was committed twice).
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await consumer.disconnect();
    }
    expect(seen.sort()).toEqual(Array.from({ length: TRANSACTIONS }, (_, i) => `t${i}`).sort());
  });
});
