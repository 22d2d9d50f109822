import { Controller, Injectable, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Batch, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { KAFKA_CLIENT } from '../kafka.tokens';
import { KAFKA_BATCH } from './kafka-batch';
import { KafkaBatchServer } from './kafka-batch.server';
import { fakeKafka } from './kafka-batch.test-double';
import { startKafkaBatchServer } from './start-kafka-batch-server';

class OrderRejected extends Error {}

@Controller()
class OrdersController {
  @EventPattern('orders', KAFKA_BATCH)
  handle(): never {
    throw new OrderRejected('order 5 rejected');
  }
}

@Injectable()
class OrdersSubscription implements OnModuleInit {
  initialised = 0;

  constructor(private readonly server: KafkaBatchServer) {}

  onModuleInit(): void {
    this.initialised += 1;
    this.server.subscribe({ pattern: 'orders', groupId: 'orders-group', topics: ['orders.v1'] });
  }
}

const oneRecordBatch = {
  batch: {
    topic: 'orders.v1',
    partition: 0,
    messages: [{ offset: '5', value: Buffer.from('{}') } as KafkaMessage],
    lastOffset: () => '5',
  } as unknown as Batch,
  resolveOffset: jest.fn(),
  heartbeat: jest.fn(async () => undefined),
  isRunning: () => true,
  isStale: () => false,
  commitOffsetsIfNecessary: jest.fn(async () => undefined),
} as unknown as EachBatchPayload;

async function startedApp() {
  const fake = fakeKafka();
  @Module({
    controllers: [OrdersController],
    providers: [
      KafkaBatchServer,
      OrdersSubscription,
      { provide: KAFKA_CLIENT, useValue: fake.kafka },
    ],
  })
  class OrdersModule {}
  const moduleRef = await Test.createTestingModule({ imports: [OrdersModule] }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
  await app.init();
  await startKafkaBatchServer(app);
  return { app, fake, subscription: app.get(OrdersSubscription) };
}

describe('startKafkaBatchServer', () => {
  it("hands kafkajs a batch handler's error as it was thrown, not Nest's generic answer", async () => {
    const { app, fake } = await startedApp();
    try {
      const failure = await fake.eachBatch(oneRecordBatch).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(OrderRejected);
      expect((failure as Error).message).toBe('order 5 rejected');
    } finally {
      await app.close();
    }
  });

  it('runs the init hooks once, in app.init(), and warns of no filter left unapplied', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const { app, subscription } = await startedApp();
    try {
      expect(subscription.initialised).toBe(1);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      await app.close();
      warn.mockRestore();
    }
  });
});
