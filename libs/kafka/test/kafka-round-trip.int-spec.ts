import type { TopicSpec } from '@event-hub/contracts';
import { deleteTestTopics, testKafka, uniqueName, waitFor, withAdmin } from '@event-hub/testing';
import type { KafkaMessage } from 'kafkajs';
import { ACKS_ALL, IDEMPOTENT_PRODUCER } from '../src/producer-defaults';
import { decodeHeaders, encodeHeaders } from '../src/record-headers';
import { TopicProvisioner } from '../src/topic-provisioner';

describe('Kafka wiring against the real broker', () => {
  const spec: TopicSpec = {
    name: uniqueName('it.kafka-lib'),
    description: 'round-trip test topic',
    partitions: 3,
    replicationFactor: 3,
    retentionMs: 60 * 60 * 1000,
    cleanupPolicy: 'delete',
    compression: 'producer',
  };

  afterAll(() => deleteTestTopics([spec.name]));

  it('provisions a catalog topic once, capping replication at the cluster size', async () => {
    const first = await withAdmin((admin) => new TopicProvisioner(admin).ensure([spec]));
    const second = await withAdmin((admin) => new TopicProvisioner(admin).ensure([spec]));

    expect(first.created).toEqual([spec.name]);
    expect(second).toEqual({ created: [], existing: [spec.name], drift: [] });
    const metadata = await withAdmin((admin) => admin.fetchTopicMetadata({ topics: [spec.name] }));
    expect(metadata.topics[0]?.partitions).toHaveLength(3);
  });

  it('reports config drift without changing the topic', async () => {
    const drifted = { ...spec, partitions: 6, retentionMs: 2 * 60 * 60 * 1000 };
    const report = await withAdmin((admin) => new TopicProvisioner(admin).ensure([drifted]));

    expect(report.drift).toEqual([
      `${spec.name} has 3 partitions, catalog says 6`,
      `${spec.name} retention.ms=3600000, catalog says 7200000`,
    ]);
    const metadata = await withAdmin((admin) => admin.fetchTopicMetadata({ topics: [spec.name] }));
    expect(metadata.topics[0]?.partitions).toHaveLength(3);
  });

  it('produces a keyed record with headers and consumes it back intact', async () => {
    const kafka = testKafka();
    const producer = kafka.producer(IDEMPOTENT_PRODUCER);
    const consumer = kafka.consumer({ groupId: uniqueName('it.kafka-lib.group') });
    const received: KafkaMessage[] = [];
    await Promise.all([producer.connect(), consumer.connect()]);
    try {
      await consumer.subscribe({ topic: spec.name, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });

      const headers = {
        'correlation-id': 'c0ffee00-0000-4000-8000-000000000001',
        'event-type': 'users.create_user',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      };
      const [ack] = await producer.send({
        topic: spec.name,
        acks: ACKS_ALL,
        messages: [
          {
            key: 'user-42',
            value: JSON.stringify({ hello: 'world' }),
            headers: encodeHeaders(headers),
          },
        ],
      });
      expect(ack?.errorCode).toBe(0);

      const message = await waitFor(() => received[0], { what: 'the record to come back' });
      expect(message.key?.toString()).toBe('user-42');
      expect(JSON.parse(message.value?.toString() ?? 'null')).toEqual({ hello: 'world' });
      expect(decodeHeaders(message.headers)).toEqual(headers);
    } finally {
      await Promise.all([producer.disconnect(), consumer.disconnect()]);
    }
  });
});
