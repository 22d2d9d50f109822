import { TOPICS } from '@event-hub/contracts';
import { IDEMPOTENT_PRODUCER, decodeHeaders } from '@event-hub/kafka';
import {
  createTestTopics,
  deleteTestTopics,
  testKafka,
  uniqueName,
  waitFor,
} from '@event-hub/testing';
import type { Consumer, Producer } from 'kafkajs';
import { KafkaOutboxRelay } from '../../src/pix/outbox/kafka-outbox-relay';
import { PixFixtures } from './support/pix-fixtures';

interface Seen {
  topic: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

const RELAYED_TOPICS = [
  TOPICS.pixPaymentValidated,
  TOPICS.pixPaymentSettled,
  TOPICS.pixAuditLog,
  TOPICS.accountBalances,
];

describe('Kafka outbox relay against the real Postgres and Kafka', () => {
  const prefix = `${uniqueName('it.pixrelay')}.`;
  const topics = RELAYED_TOPICS.map((t) => `${prefix}${t}`);
  let fx: PixFixtures;
  let producer: Producer;
  let consumer: Consumer;
  const seen: Seen[] = [];

  beforeAll(async () => {
    fx = await PixFixtures.create('pixrelay');
    await createTestTopics(topics, 1);
    producer = testKafka('pix-relay-test').producer(IDEMPOTENT_PRODUCER);
    await producer.connect();
    consumer = testKafka('pix-relay-test').consumer({ groupId: uniqueName('it.pixrelay.reader') });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        seen.push({
          topic: topic.slice(prefix.length),
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? '',
          headers: decodeHeaders(message.headers),
        });
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await deleteTestTopics(topics);
    await fx?.close();
  });

  const pending = async (): Promise<{ destination: string; count: number }[]> =>
    fx.source.query(
      `SELECT destination, count(*)::int AS count FROM pix_outbox_records WHERE sent_at IS NULL
       GROUP BY destination ORDER BY destination`,
    );

  it('publishes every committed record, several to a row, once it is acknowledged, keeps RabbitMQ records for their own relay, and leaves a failed publish pending', async () => {
    const payer = await fx.openAccount('100.00');
    const receiver = await fx.openAccount();
    const payment = await fx.validatedPayment(payer, receiver, '12.34');
    await fx.settle(payment);
    const [{ count: kafkaRecords }] = await fx.source.query(
      `SELECT count(*)::int AS count FROM pix_outbox_records WHERE destination = 'kafka'`,
    );

    // The Kafka records of one transaction share a row: the settlement's four take one.
    const [{ rows: kafkaRows }] = await fx.source.query(
      `SELECT count(*)::int AS rows FROM pix_outbox WHERE destination = 'kafka'`,
    );
    expect(kafkaRows).toBeLessThan(kafkaRecords);

    // Topics that do not exist: Kafka refuses the batch, and nothing is marked sent.
    const broken = new KafkaOutboxRelay(fx.source, producer, {
      batchSize: 500,
      topicPrefix: `${uniqueName('it.pixrelay.missing')}.`,
    });
    await expect(broken.publishPending()).rejects.toThrow();
    expect(await pending()).toEqual([
      { destination: 'kafka', count: kafkaRecords },
      { destination: 'rabbitmq', count: 1 },
    ]);

    const relay = new KafkaOutboxRelay(fx.source, producer, { batchSize: 4, topicPrefix: prefix });
    let published = 0;
    for (
      let round = await relay.publishPending();
      round.rows > 0;
      round = await relay.publishPending()
    ) {
      published += round.records;
    }

    expect(published).toBe(kafkaRecords);
    expect(await pending()).toEqual([{ destination: 'rabbitmq', count: 1 }]);
    await waitFor(() => seen.length >= kafkaRecords, { what: `${kafkaRecords} records` });
    expect(seen).toHaveLength(kafkaRecords);
    const settled = seen.filter((r) => r.topic === TOPICS.pixPaymentSettled);
    expect(settled).toHaveLength(1);
    expect(settled[0]).toMatchObject({
      key: payment,
      headers: { 'correlation-id': payment, 'event-type': TOPICS.pixPaymentSettled },
    });
    const balances = seen
      .filter((r) => r.topic === TOPICS.accountBalances && r.key === payer)
      .map((r) => JSON.parse(r.value));
    expect(balances.map((b) => [b.balance, b.version])).toEqual([
      ['0.00', 0],
      ['100.00', 1],
      ['87.66', 2],
    ]);
  });
});
