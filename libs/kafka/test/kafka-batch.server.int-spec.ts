import { Controller, Module, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { KafkaMessage } from 'kafkajs';
import {
  createTestTopics,
  deleteTestTopics,
  testKafka,
  uniqueName,
  waitFor,
  withAdmin,
} from '@event-hub/testing';
import { KAFKA_CLIENT } from '../src/kafka.tokens';
import { ACKS_ALL, IDEMPOTENT_PRODUCER } from '../src/producer-defaults';
import { KAFKA_BATCH } from '../src/transport/kafka-batch';
import { KafkaBatchContext } from '../src/transport/kafka-batch.context';
import { KafkaBatchServer } from '../src/transport/kafka-batch.server';
import { startKafkaBatchServer } from '../src/transport/start-kafka-batch-server';

const topic = uniqueName('it.kafka-batch');
const groupId = uniqueName('it.kafka-batch.group');

/** What the handler saw, and whether it fails the next batch (once). */
const seen: { partition: number; offsets: string[] }[] = [];
let failNext = false;

@Controller()
class OrdersHandler implements OnModuleInit {
  constructor(private readonly server: KafkaBatchServer) {}

  onModuleInit(): void {
    this.server.subscribe({
      pattern: 'orders',
      groupId,
      topics: [topic],
      partitionsConsumedConcurrently: 3,
      consumer: { maxWaitTimeInMs: 200, retry: { initialRetryTime: 100, retries: 2 } },
    });
  }

  @EventPattern('orders', KAFKA_BATCH)
  async handle(@Payload() records: KafkaMessage[], @Ctx() context: KafkaBatchContext) {
    seen.push({ partition: context.partition, offsets: records.map((r) => r.offset) });
    if (failNext) {
      failNext = false;
      throw new Error('the store is down');
    }
    const last = records.at(-1);
    if (last) context.resolveOffset(last.offset);
  }
}

async function startApp(): Promise<INestApplication> {
  @Module({
    controllers: [OrdersHandler],
    providers: [{ provide: KAFKA_CLIENT, useValue: testKafka('it-kafka-batch') }, KafkaBatchServer],
  })
  class OrdersModule {}
  const moduleRef = await Test.createTestingModule({ imports: [OrdersModule] }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  await app.init();
  await startKafkaBatchServer(app);
  return app;
}

async function produce(count: number, from: number): Promise<void> {
  const producer = testKafka('it-kafka-batch-producer').producer(IDEMPOTENT_PRODUCER);
  await producer.connect();
  await producer.send({
    topic,
    acks: ACKS_ALL,
    messages: Array.from({ length: count }, (_, i) => ({
      key: `k${from + i}`,
      value: `v${from + i}`,
    })),
  });
  await producer.disconnect();
}

async function committed(): Promise<number> {
  const [offsets] = await withAdmin((admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
  return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

describe('KafkaBatchServer against the real broker', () => {
  let app: INestApplication | undefined;

  beforeAll(() => createTestTopics([topic], 3));
  afterAll(async () => {
    await app?.close();
    await deleteTestTopics([topic]);
  });

  it('hands batches to the @EventPattern handler and commits them in its group', async () => {
    app = await startApp();
    await produce(30, 0);
    await waitFor(async () => (await committed()) === 30, { what: '30 records committed' });
    const delivered = seen.flatMap((batch) => batch.offsets);
    expect(delivered).toHaveLength(30);
  });

  it('commits nothing of a batch whose handler failed, and delivers it again', async () => {
    seen.length = 0;
    failNext = true;
    await produce(5, 30);
    await waitFor(async () => (await committed()) === 35, { what: '35 records committed' });
    const [failed, ...rest] = seen;
    expect(failed).toBeDefined();
    // The failed batch came again, from the same offset.
    expect(
      rest.some((b) => b.partition === failed?.partition && b.offsets[0] === failed?.offsets[0]),
    ).toBe(true);
  });

  it('resumes from the committed offsets after a restart, in the same group', async () => {
    await app?.close();
    seen.length = 0;
    await produce(4, 35);
    app = await startApp();
    await waitFor(async () => (await committed()) === 39, { what: '39 records committed' });
    expect(seen.flatMap((b) => b.offsets)).toHaveLength(4);
  });
});
