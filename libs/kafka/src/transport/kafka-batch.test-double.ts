import type { Consumer, ConsumerRunConfig, EachBatchPayload, Kafka } from 'kafkajs';

/** For unit specs: kafkajs as far as KafkaBatchServer uses it, one consumer whose eachBatch the test drives. */
export function fakeKafka() {
  let runConfig: ConsumerRunConfig | undefined;
  const consumer = {
    events: { GROUP_JOIN: 'group.join', CRASH: 'crash', END_BATCH_PROCESS: 'end_batch_process' },
    on: jest.fn(),
    connect: jest.fn(async () => undefined),
    subscribe: jest.fn(async () => undefined),
    run: jest.fn(async (config: ConsumerRunConfig) => {
      runConfig = config;
    }),
    pause: jest.fn(),
    resume: jest.fn(),
    disconnect: jest.fn(async () => undefined),
    commitOffsets: jest.fn(async (_offsets: unknown) => undefined),
  };
  const kafka = { consumer: jest.fn(() => consumer) } as unknown as Kafka;
  const eachBatch = (payload: EachBatchPayload): Promise<void> => {
    if (!runConfig?.eachBatch) throw new Error('not running');
    return runConfig.eachBatch(payload);
  };
  return { kafka, consumer: consumer as typeof consumer & Partial<Consumer>, eachBatch };
}
