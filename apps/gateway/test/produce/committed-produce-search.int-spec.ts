import type { ConfigService } from '@nestjs/config';
import type { Producer } from 'kafkajs';
import { TransactionalPartitioner } from '@event-hub/kafka';
import { createTestTopics, deleteTestTopics, testKafka, uniqueName } from '@event-hub/testing';
import type { GatewayEnvironment } from '../../src/config/gateway.environment';
import { CommittedProduceSearch } from '../../src/records/produce/idempotency/committed-produce-search';
import { UsageEvents } from '../../src/usage/usage-events';

const TENANT = 'acme';

/**
 * The committed usage log as the evidence of a produce attempt, against the real Kafka: a usage
 * event with the key in a committed transaction is found with its positions, one in an aborted
 * transaction is not, and a transaction of someone else left open ahead of it (which holds
 * read_committed readers back) makes the answer "undetermined", never "absent".
 */
describe('CommittedProduceSearch (real Kafka)', () => {
  const topic = uniqueName('it.produce-outcome.usage');
  const kafka = testKafka();
  const env: Partial<GatewayEnvironment> = {
    GATEWAY_USAGE_TOPIC: topic,
    GATEWAY_PRODUCE_TIMEOUT_MS: 1500,
  };
  const config = { get: (key: keyof GatewayEnvironment) => env[key] } as unknown as ConfigService<
    GatewayEnvironment,
    true
  >;
  const usage = new UsageEvents(kafka, config);
  const search = new CommittedProduceSearch(kafka, usage, config);
  const producers: Producer[] = [];
  let partition: number;

  beforeAll(async () => {
    await createTestTopics([topic], 3);
    partition = new TransactionalPartitioner().partitionOf(topic, await usage.partitionCount(), {
      key: TENANT,
      value: null,
    });
  });

  afterAll(async () => {
    await Promise.all(producers.map((p) => p.disconnect().catch(() => undefined)));
    await deleteTestTopics([topic]);
  });

  async function transactionalProducer(): Promise<Producer> {
    const producer = kafka.producer({
      transactionalId: uniqueName('it.produce-outcome.tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    producers.push(producer);
    await producer.connect();
    return producer;
  }

  const usageOf = (key: string, offsets: string[]) => ({
    partition,
    ...usage.message({
      tenant: TENANT,
      topic: 'orders',
      clientId: 'ehc_1',
      action: 'produce',
      messages: offsets.length,
      bytes: 10,
      eventTime: new Date().toISOString(),
      idempotency: { key, records: offsets.map((offset) => ({ partition: 1, offset })) },
    }),
  });

  async function writeUsage(key: string, outcome: 'commit' | 'abort'): Promise<void> {
    const producer = await transactionalProducer();
    const transaction = await producer.transaction();
    await transaction.send({ topic, messages: [usageOf(key, ['7', '8'])] });
    await (outcome === 'commit' ? transaction.commit() : transaction.abort());
  }

  const attempt = (key: string, claimedAt = new Date(Date.now() - 5000)) => ({
    tenant: TENANT,
    clientId: 'ehc_1',
    key,
    claimedAt,
  });

  it('finds a committed attempt and answers with the positions its usage event carries', async () => {
    await writeUsage('k-committed', 'commit');
    await expect(search.find(attempt('k-committed'))).resolves.toEqual({
      kind: 'committed',
      records: [
        { partition: 1, offset: '7' },
        { partition: 1, offset: '8' },
      ],
    });
  });

  it('proves an aborted attempt absent, and an attempt of another client with the same key too', async () => {
    await writeUsage('k-aborted', 'abort');
    await expect(search.find(attempt('k-aborted'))).resolves.toEqual({ kind: 'absent' });
    await expect(
      search.find({ ...attempt('k-committed'), clientId: 'ehc_other' }),
    ).resolves.toEqual({ kind: 'absent' });
  });

  it('does not take an older use of the key (before the claim, less the clock skew) for this attempt', async () => {
    await expect(
      search.find(attempt('k-committed', new Date(Date.now() + 10 * 60_000))),
    ).resolves.toEqual({ kind: 'absent' });
  });

  it('proves absent on a usage partition that holds nothing at all, and not while an open transaction is all it holds', async () => {
    const empty = uniqueName('it.produce-outcome.empty');
    await createTestTopics([empty], 3);
    try {
      const emptyConfig = {
        get: (key: keyof GatewayEnvironment) => (key === 'GATEWAY_USAGE_TOPIC' ? empty : env[key]),
      } as unknown as ConfigService<GatewayEnvironment, true>;
      const emptyUsage = new UsageEvents(kafka, emptyConfig);
      const onEmpty = new CommittedProduceSearch(kafka, emptyUsage, emptyConfig);
      await expect(onEmpty.find(attempt('k-nothing'))).resolves.toEqual({ kind: 'absent' });

      const blocker = await transactionalProducer();
      const open = await blocker.transaction();
      await open.send({ topic: empty, messages: [usageOf('k-someone-else', ['1'])] });
      await expect(onEmpty.find(attempt('k-nothing'))).resolves.toEqual({ kind: 'undetermined' });
      await open.abort();
      await expect(onEmpty.find(attempt('k-nothing'))).resolves.toEqual({ kind: 'absent' });
    } finally {
      await deleteTestTopics([empty]);
    }
  });

  it('answers undetermined, not absent, while an open transaction ahead hides a committed attempt', async () => {
    const blocker = await transactionalProducer();
    const open = await blocker.transaction();
    await open.send({ topic, messages: [usageOf('k-someone-else', ['1'])] });
    await writeUsage('k-behind', 'commit');

    await expect(search.find(attempt('k-behind'))).resolves.toEqual({ kind: 'undetermined' });
    await expect(search.find(attempt('k-never'))).resolves.toEqual({ kind: 'undetermined' });

    await open.abort();
    await expect(search.find(attempt('k-behind'))).resolves.toMatchObject({ kind: 'committed' });
    await expect(search.find(attempt('k-never'))).resolves.toEqual({ kind: 'absent' });
  });
});
