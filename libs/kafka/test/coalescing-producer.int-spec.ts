import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { waitFor } from '@event-hub/testing';
import { CoalescingProducer, type BatchReport } from '../src/coalescing-producer';
import { parseBrokerList } from '../src/kafka-settings';
import { IDEMPOTENT_PRODUCER } from '../src/producer-defaults';

const kafka = new Kafka({
  clientId: 'event-hub-test',
  brokers: parseBrokerList(process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092'),
  logLevel: logLevel.NOTHING,
});
const uniqueName = (prefix: string): string =>
  `${prefix}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

describe('CoalescingProducer against the real broker', () => {
  const topic = uniqueName('it.coalescing');
  let producer: Producer;
  let consumer: Consumer;

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    });
    await admin.disconnect();
    producer = kafka.producer(IDEMPOTENT_PRODUCER);
    consumer = kafka.consumer({ groupId: uniqueName('it.coalescing.group') });
    await Promise.all([producer.connect(), consumer.connect()]);
  });

  afterAll(async () => {
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('acknowledges every concurrent send, in few batches, and keeps each key in send order', async () => {
    const reports: BatchReport[] = [];
    const coalescing = new CoalescingProducer(producer, { onBatch: (r) => reports.push(r) });
    const keys = Array.from({ length: 20 }, (_, i) => `user-${i}`);
    const perKey = 50;

    const sends = [];
    for (let seq = 0; seq < perKey; seq += 1) {
      for (const key of keys)
        sends.push(coalescing.send(topic, { key, value: JSON.stringify({ key, seq }) }));
    }
    const acks = await Promise.all(sends);

    expect(acks).toHaveLength(keys.length * perKey);
    for (const ack of acks) {
      expect(ack.partitions.length).toBeGreaterThan(0);
      for (const partition of ack.partitions) {
        expect(partition.errorCode).toBe(0);
        expect(Number(partition.baseOffset)).toBeGreaterThanOrEqual(0);
      }
    }
    expect(reports.every((r) => r.error === undefined)).toBe(true);
    expect(reports.reduce((sum, r) => sum + r.records, 0)).toBe(keys.length * perKey);
    expect(reports.length).toBeLessThan(keys.length * perKey);

    const received: KafkaMessage[] = [];
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });
    await waitFor(() => received.length >= keys.length * perKey, {
      what: 'every record to be consumed',
    });

    const seen = new Map<string, number[]>();
    for (const message of received) {
      const { key, seq } = JSON.parse(String(message.value)) as { key: string; seq: number };
      expect(message.key?.toString()).toBe(key);
      seen.set(key, [...(seen.get(key) ?? []), seq]);
    }
    for (const key of keys) {
      expect(seen.get(key)).toEqual(Array.from({ length: perKey }, (_, i) => i));
    }
    await coalescing.close();
  });
});
