import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Transaction } from 'kafkajs';
import { parseBrokerList } from '../src/kafka-settings';
import { createTopicsAndWaitForLeaders } from '../src/topic-leaders';
import {
  TransactionAbortedError,
  TransactionalProducer,
  type TransactionalKafkaProducer,
  type TransactionalRecord,
} from '../src/transactional-producer';
import { transactionalProducerConfig } from '../src/transactional-producer-config';

// Local helpers rather than @event-hub/testing, which itself depends on this library.
const kafka = new Kafka({
  clientId: 'event-hub-test',
  brokers: parseBrokerList(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092'),
  logLevel: logLevel.NOTHING,
});
const uniqueName = (prefix: string): string =>
  `${prefix}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

interface Seen {
  topic: string;
  partition: number;
  offset: string;
  value: string;
}

/**
 * Reads both topics from the beginning until `until` holds. `committedOnly` false reads like a
 * consumer that sees aborted records too (read_uncommitted).
 */
async function readUntil(
  topics: string[],
  until: (seen: Seen[]) => boolean,
  committedOnly = true,
): Promise<Seen[]> {
  const consumer = kafka.consumer({
    groupId: uniqueName('it.tx-reader'),
    readUncommitted: !committedOnly,
  });
  const seen: Seen[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    let done!: () => void;
    const complete = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        seen.push({ topic, partition, offset: message.offset, value: String(message.value) });
        if (until(seen)) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      complete,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`read only ${seen.length} records`)), 30000);
      }),
    ]).finally(() => clearTimeout(timer));
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

describe('TransactionalProducer against the real broker', () => {
  const records = uniqueName('it.tx-records');
  const usage = uniqueName('it.tx-usage');
  const transactionalId = uniqueName('it.tx');
  /** When set, the next commit fails after the records were sent (Kafka holds them, uncommitted). */
  let failNextCommit = false;
  let producer: TransactionalProducer;

  const wrap = (real: TransactionalKafkaProducer): TransactionalKafkaProducer => ({
    connect: () => real.connect(),
    disconnect: () => real.disconnect(),
    transaction: async () => {
      const transaction = await real.transaction();
      return new Proxy(transaction, {
        get(target, property: keyof Transaction) {
          if (property === 'commit' && failNextCommit) {
            failNextCommit = false;
            return () => Promise.reject(new Error('commit lost on the way'));
          }
          const value = target[property];
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  });

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWaitForLeaders(admin, [
      { topic: records, numPartitions: 3, replicationFactor: 1 },
      { topic: usage, numPartitions: 2, replicationFactor: 1 },
    ]);
    await admin.disconnect();
    producer = new TransactionalProducer({
      slots: 2,
      createProducer: (slot) =>
        wrap(
          kafka.producer({
            transactionalId: `${transactionalId}-${slot}`,
            idempotent: true,
            maxInFlightRequests: 1,
          }),
        ),
    });
    await producer.connect();
  });

  afterAll(async () => {
    await producer.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [records, usage] }).catch(() => undefined);
    await admin.disconnect();
  });

  const write = (tag: string, partitions: number[]): TransactionalRecord[] => [
    ...partitions.map((partition, i) => ({
      topic: records,
      message: { partition, value: `${tag}-${i}` },
    })),
    { topic: usage, message: { partition: 0, value: `${tag}-usage` } },
  ];

  it('commits concurrent writes and answers the offsets a consumer finds the records at', async () => {
    const answers = await Promise.all([
      producer.write(write('a', [0, 1, 1])),
      producer.write(write('b', [1, 2])),
      producer.write(write('c', [0])),
    ]);

    const seen = await readUntil([records, usage], (s) => s.length >= 9);
    const at = new Map(seen.map((s) => [`${s.topic}/${s.partition}/${s.offset}`, s.value]));
    const sizes = [4, 3, 2];
    for (const [w, tag] of ['a', 'b', 'c'].entries()) {
      const positions = answers[w] ?? [];
      expect(positions).toHaveLength(sizes[w] ?? 0);
      positions.forEach((p, i) => {
        const value = at.get(`${p.topic}/${p.partition}/${p.offset}`);
        expect(value).toBe(i === positions.length - 1 ? `${tag}-usage` : `${tag}-${i}`);
      });
    }
  });

  it('leaves neither the records nor the usage event visible to read_committed consumers when the transaction is aborted', async () => {
    failNextCommit = true;
    await expect(producer.write(write('aborted', [0, 1, 2]))).rejects.toBeInstanceOf(
      TransactionAbortedError,
    );
    await producer.write(write('after', [0, 1, 2]));

    const committed = await readUntil(
      [records, usage],
      (s) => s.filter((r) => r.value.startsWith('after')).length === 4,
    );
    expect(committed.filter((r) => r.value.startsWith('aborted'))).toEqual([]);

    // They did reach the log: a read_uncommitted consumer sees them, so the abort is what hid them.
    const uncommitted = await readUntil(
      [records, usage],
      (s) => s.filter((r) => r.value.startsWith('after')).length === 4,
      false,
    );
    expect(uncommitted.filter((r) => r.value.startsWith('aborted'))).toHaveLength(4);
  });

  it('fences a crashed incarnation on connect: what it left open is aborted, not committed', async () => {
    const id = uniqueName('it.tx-fence');
    const zombie = kafka.producer({
      transactionalId: `${id}-0`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await zombie.connect();
    const open = await zombie.transaction();
    await open.send({ topic: records, messages: [{ partition: 0, value: 'zombie' }] });

    const successor = new TransactionalProducer({
      slots: 1,
      createProducer: (slot) =>
        kafka.producer({
          transactionalId: `${id}-${slot}`,
          idempotent: true,
          maxInFlightRequests: 1,
        }),
    });
    await successor.connect();
    try {
      await expect(open.commit()).rejects.toThrow();
      await successor.write([{ topic: records, message: { partition: 0, value: 'successor' } }]);
      const seen = await readUntil([records], (s) => s.some((r) => r.value === 'successor'));
      expect(seen.map((r) => r.value)).not.toContain('zombie');
    } finally {
      await Promise.all([zombie.disconnect(), successor.close()]);
    }
  });

  /**
   * The patched kafkajs transaction manager (patches/kafkajs+2.2.4.patch): one producer begins each
   * transaction the moment the previous commit is answered, so the coordinator is often still
   * writing that commit's markers (CONCURRENT_TRANSACTIONS). Every transaction still commits once,
   * with no FindCoordinator per transaction (unpatched: two) and no Metadata request per refusal.
   */
  it('commits back-to-back transactions of one producer once each, asking for the coordinator once', async () => {
    const transactions = 40;
    const producer = kafka.producer(
      transactionalProducerConfig(uniqueName('it.tx-coordinator'), 10000),
    );
    const requests = new Map<string, number>();
    producer.on(producer.events.REQUEST, ({ payload }) =>
      requests.set(payload.apiName, (requests.get(payload.apiName) ?? 0) + 1),
    );
    const tag = uniqueName('back-to-back');
    await producer.connect();
    try {
      for (let i = 0; i < transactions; i++) {
        const transaction = await producer.transaction();
        await transaction.send({
          topic: records,
          messages: [{ partition: i % 3, value: `${tag}-${i}` }],
        });
        await transaction.commit();
      }
    } finally {
      await producer.disconnect();
    }

    // REQUEST counts answered requests, refusals included; kafkajs names FindCoordinator
    // GroupCoordinator.
    expect(requests.get('EndTxn')).toBe(transactions);
    expect(requests.get('GroupCoordinator')).toBe(1);
    expect(requests.get('Metadata') ?? 0).toBeLessThanOrEqual(2);
    const seen = await readUntil(
      [records],
      (s) => s.filter((r) => r.value.startsWith(tag)).length >= transactions,
    );
    expect(
      seen
        .map((r) => r.value)
        .filter((value) => value.startsWith(tag))
        .sort(),
    ).toEqual(Array.from({ length: transactions }, (_, i) => `${tag}-${i}`).sort());
  });
});
