import { randomBytes } from 'node:crypto';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { waitFor } from '@event-hub/testing';
import { CoalescingProducer } from '../src/coalescing-producer';
import { createKafkaClient } from '../src/kafka-client.factory';
import { forgetTopics } from '../src/deleted-topics';
import { parseBrokerList } from '../src/kafka-settings';
import { IDEMPOTENT_PRODUCER } from '../src/producer-defaults';
import { createTopicsAndWaitForLeaders } from '../src/topic-leaders';
import { TransactionalProducer } from '../src/transactional-producer';
import { withTimeout } from '../src/with-timeout';

const uniqueName = (prefix: string): string =>
  `${prefix}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/** Every call a client makes here must answer well within kafkajs's retry budget. */
const CALL_MS = 15000;

describe('shared Kafka clients after a topic they used is deleted', () => {
  // Built the way every service builds its client.
  const kafka = createKafkaClient(
    { brokers: parseBrokerList(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092'), clientId: 'it' },
    'deleted-topics',
  );
  const run = uniqueName('it.deleted');
  const survivor = `${run}.survivor`;
  const created: string[] = [];
  let admin: Admin;

  const createTopics = async (names: string[]): Promise<void> => {
    await createTopicsAndWaitForLeaders(
      admin,
      names.map((topic) => ({ topic, numPartitions: 2, replicationFactor: 1 })),
    );
    created.push(...names);
  };
  const deleteTopics = async (names: string[]): Promise<void> => {
    await admin.deleteTopics({ topics: names, timeout: 10000 });
    for (const name of names) created.splice(created.indexOf(name), 1);
  };

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await createTopics([survivor]);
  });

  afterAll(async () => {
    if (created.length > 0) await admin.deleteTopics({ topics: created, timeout: 10000 });
    await admin.disconnect();
  });

  describe('an idempotent producer (CoalescingProducer, as commands and usage use it)', () => {
    let producer: Producer;
    let coalescing: CoalescingProducer;

    beforeAll(async () => {
      producer = kafka.producer(IDEMPOTENT_PRODUCER);
      await producer.connect();
      coalescing = new CoalescingProducer(producer, { ackTimeoutMs: 5000 });
    });
    afterAll(() => producer.disconnect());

    it('keeps producing to the other topics, one it never used before included', async () => {
      const doomed = `${run}.coalescing-doomed`;
      const fresh = `${run}.coalescing-fresh`;
      await createTopics([doomed]);
      await coalescing.send(survivor, { value: 'before' });
      await coalescing.send(doomed, { value: 'before' });

      await deleteTopics([doomed]);
      await createTopics([fresh]);

      // A topic new to the producer makes kafkajs refresh the metadata of every topic it knows.
      await expect(
        withTimeout(coalescing.send(fresh, { value: 'after' }), CALL_MS, 'send to a new topic'),
      ).resolves.toMatchObject({ topic: fresh });
      await expect(
        withTimeout(coalescing.send(survivor, { value: 'after' }), CALL_MS, 'send to a survivor'),
      ).resolves.toMatchObject({ topic: survivor });
    });

    it('still fails a send to the deleted topic itself', async () => {
      const doomed = `${run}.coalescing-gone`;
      await createTopics([doomed]);
      await coalescing.send(doomed, { value: 'before' });
      await deleteTopics([doomed]);
      forgetTopics(kafka, [doomed]);

      await expect(
        withTimeout(coalescing.send(doomed, { value: 'after' }), 60000, 'send to the gone topic'),
      ).rejects.toThrow();
      await expect(
        withTimeout(coalescing.send(survivor, { value: 'after' }), CALL_MS, 'send to a survivor'),
      ).resolves.toMatchObject({ topic: survivor });
    });
  });

  it('a transactional producer (TransactionalProducer, as produce uses it) keeps committing to the other topics', async () => {
    const transactionalId = uniqueName('it.deleted-tx');
    const producer = new TransactionalProducer({
      slots: 1,
      timeoutMs: CALL_MS,
      createProducer: (slot) =>
        kafka.producer({
          transactionalId: `${transactionalId}-${slot}`,
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          retry: { retries: 8, initialRetryTime: 10, maxRetryTime: 1000 },
        }),
    });
    await producer.connect();
    try {
      const doomed = `${run}.tx-doomed`;
      const fresh = `${run}.tx-fresh`;
      await createTopics([doomed]);
      await producer.write([
        { topic: survivor, message: { partition: 0, value: 'before' } },
        { topic: doomed, message: { partition: 1, value: 'before' } },
      ]);

      await deleteTopics([doomed]);
      await createTopics([fresh]);

      await expect(
        producer.write([
          { topic: fresh, message: { partition: 0, value: 'after' } },
          { topic: survivor, message: { partition: 1, value: 'after' } },
        ]),
      ).resolves.toHaveLength(2);
    } finally {
      await producer.close();
    }
  });

  it('an admin client keeps answering offsets of the other topics', async () => {
    const lookups = kafka.admin();
    await lookups.connect();
    try {
      const doomed = `${run}.admin-doomed`;
      const fresh = `${run}.admin-fresh`;
      await createTopics([doomed]);
      await offsetsOfNewTopic(lookups, survivor);
      await offsetsOfNewTopic(lookups, doomed);

      await deleteTopics([doomed]);
      await createTopics([fresh]);

      await expect(offsetsOfNewTopic(lookups, fresh)).resolves.toHaveLength(2);
      await expect(
        withTimeout(lookups.fetchTopicOffsets(survivor), CALL_MS, 'offsets of a survivor'),
      ).resolves.toHaveLength(2);
    } finally {
      await lookups.disconnect();
    }
  });

  it('a consumer subscribed to both keeps reading the topic that is left', async () => {
    const doomed = `${run}.consumer-doomed`;
    const kept = `${run}.consumer-kept`;
    await createTopics([doomed, kept]);
    const producer = kafka.producer(IDEMPOTENT_PRODUCER);
    await producer.connect();
    const consumer: Consumer = kafka.consumer({
      groupId: uniqueName('it.deleted-group'),
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
    const seen: string[] = [];
    let crashes = 0;
    consumer.on(consumer.events.CRASH, () => crashes++);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [doomed, kept], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => void seen.push(String(message.value)),
      });
      await producer.send({ topic: doomed, messages: [{ value: 'doomed-1' }] });
      await producer.send({ topic: kept, messages: [{ value: 'kept-1' }] });
      await waitFor(() => seen.includes('doomed-1') && seen.includes('kept-1'), {
        what: 'first records',
      });

      await deleteTopics([doomed]);
      for (let i = 2; i <= 4; i++) {
        await producer.send({ topic: kept, messages: [{ value: `kept-${i}` }] });
        await sleep(1000);
      }

      await waitFor(() => seen.includes('kept-4'), { what: 'the records after the deletion' });
      expect(crashes).toBe(0);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });

  it('topics of two tenants created and deleted in a loop: every write to the others succeeds', async () => {
    const producer = kafka.producer(IDEMPOTENT_PRODUCER);
    await producer.connect();
    const coalescing = new CoalescingProducer(producer, { ackTimeoutMs: 5000 });
    const lookups = kafka.admin();
    await lookups.connect();
    const failures: string[] = [];
    let sent = 0;
    let stop = false;
    // Traffic on the surviving topic all along, from the same clients.
    const traffic = (async () => {
      while (!stop) {
        try {
          await withTimeout(
            coalescing.send(survivor, { value: `steady-${sent}` }),
            CALL_MS,
            'send',
          );
          await withTimeout(lookups.fetchTopicOffsets(survivor), CALL_MS, 'offsets');
          sent++;
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
        await sleep(50);
      }
    })();
    try {
      for (let round = 0; round < 24; round++) {
        const topics = ['tenant-a', 'tenant-b'].map((tenant) => `${run}.${tenant}.t${round}`);
        await createTopics(topics);
        for (const topic of topics) {
          await withTimeout(coalescing.send(topic, { value: 'x' }), CALL_MS, 'send to a new topic');
          await offsetsOfNewTopic(lookups, topic);
        }
        await deleteTopics(topics);
      }
    } finally {
      stop = true;
      await traffic;
      await lookups.disconnect();
      await producer.disconnect();
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(0);
  });
});

/**
 * kafkajs gives up on NOT_LEADER_FOR_PARTITION in `fetchTopicOffsets`, which a broker may answer
 * for a topic created a moment ago (its metadata is ahead of the partition): ask again then.
 */
async function offsetsOfNewTopic(admin: Admin, topic: string): Promise<unknown[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTimeout(admin.fetchTopicOffsets(topic), CALL_MS, 'offsets of a new topic');
    } catch (error) {
      const notYet = (error as { type?: unknown }).type === 'NOT_LEADER_FOR_PARTITION';
      if (!notYet || attempt >= 10) throw error;
      await sleep(100);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
