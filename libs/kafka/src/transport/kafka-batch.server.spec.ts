import type { MessageHandler } from '@nestjs/microservices';
import type { Batch, EachBatchPayload, KafkaMessage, Offsets } from 'kafkajs';
import { throwError } from 'rxjs';
import { KAFKA_BATCH } from './kafka-batch';
import { KafkaBatchContext } from './kafka-batch.context';
import { KafkaBatchServer } from './kafka-batch.server';
import { fakeKafka } from './kafka-batch.test-double';
import type { KafkaBatchSubscription } from './kafka-batch-subscription';

function batchOf(topic: string, partition: number, offsets: number[], lastOffset = offsets.at(-1)) {
  const messages = offsets.map(
    (offset) => ({ offset: String(offset), value: Buffer.from(`v${offset}`) }) as KafkaMessage,
  );
  const commits: Offsets[] = [];
  const resolved: string[] = [];
  const payload = {
    batch: { topic, partition, messages, lastOffset: () => String(lastOffset) } as unknown as Batch,
    resolveOffset: (offset: string) => resolved.push(offset),
    heartbeat: jest.fn(async () => undefined),
    isRunning: () => true,
    isStale: () => false,
    commitOffsetsIfNecessary: async (offsets?: Offsets) => {
      if (offsets) commits.push(offsets);
    },
  } as unknown as EachBatchPayload;
  return { payload, commits, resolved };
}

function handlerOf(
  fn: (records: KafkaMessage[], context: KafkaBatchContext) => unknown,
): MessageHandler {
  return Object.assign(async (records: KafkaMessage[], context: KafkaBatchContext) =>
    fn(records, context),
  ) as unknown as MessageHandler;
}

async function listeningServer(
  handler: MessageHandler,
  extras: Record<string, unknown> = KAFKA_BATCH,
  settings: Partial<KafkaBatchSubscription> = {},
) {
  const fake = fakeKafka();
  const server = new KafkaBatchServer(fake.kafka);
  server.addHandler('orders', handler, true, extras);
  const control = server.subscribe({
    pattern: 'orders',
    groupId: 'orders-group',
    topics: ['orders.v1'],
    ...settings,
  });
  const error = await new Promise<unknown>((resolve) => void server.listen(resolve));
  return { server, fake, error, control };
}

function listenerOf(fake: ReturnType<typeof fakeKafka>, event: string) {
  const calls = fake.consumer.on.mock.calls as unknown as [string, (event: unknown) => void][];
  return calls.filter(([name]) => name === event).at(-1)?.[1] ?? (() => undefined);
}

/** The one commit of partitions 0 (offsets 1–2) and 1 (offset 3) of `orders.v1`. */
const BOTH_PARTITIONS_COMMITTED: Offsets = {
  topics: [
    {
      topic: 'orders.v1',
      partitions: [
        { partition: 0, offset: '3' },
        { partition: 1, offset: '4' },
      ],
    },
  ],
};

describe('KafkaBatchServer', () => {
  it('hands the handler the whole batch with its topic and partition', async () => {
    const seen: { offsets: string[]; topic: string; partition: number }[] = [];
    const { fake } = await listeningServer(
      handlerOf((records, context) => {
        seen.push({
          offsets: records.map((r) => r.offset),
          topic: context.topic,
          partition: context.partition,
        });
      }),
    );
    await fake.eachBatch(batchOf('orders.v1', 2, [5, 6, 7]).payload);
    expect(seen).toEqual([{ offsets: ['5', '6', '7'], topic: 'orders.v1', partition: 2 }]);
  });

  it('joins the group with the configured id, exactly', async () => {
    const { fake } = await listeningServer(handlerOf(() => undefined));
    expect(fake.kafka.consumer).toHaveBeenCalledWith(
      expect.objectContaining({ groupId: 'orders-group' }),
    );
  });

  it('commits what the handler resolved, once its promise succeeded', async () => {
    let finish: () => void = () => undefined;
    const { fake } = await listeningServer(
      handlerOf(async (_records, context) => {
        await new Promise<void>((resolve) => (finish = resolve));
        context.resolveOffset('6');
      }),
    );
    const { payload, commits, resolved } = batchOf('orders.v1', 0, [5, 6, 7]);
    const consuming = fake.eachBatch(payload);
    await new Promise((resolve) => setImmediate(resolve));
    expect(commits).toEqual([]);
    finish();
    await consuming;
    expect(resolved).toEqual(['6']);
    expect(commits).toEqual([
      { topics: [{ topic: 'orders.v1', partitions: [{ partition: 0, offset: '7' }] }] },
    ]);
  });

  it('commits up to the last offset of the batch when its last record is done (transaction markers)', async () => {
    const { fake } = await listeningServer(
      handlerOf((_records, context) => context.resolveOffset('7')),
    );
    const { payload, commits } = batchOf('orders.v1', 0, [5, 6, 7], 8);
    await fake.eachBatch(payload);
    expect(commits[0]?.topics[0]?.partitions).toEqual([{ partition: 0, offset: '9' }]);
  });

  it('commits nothing when the handler resolved nothing', async () => {
    const { fake } = await listeningServer(handlerOf(() => undefined));
    const { payload, commits, resolved } = batchOf('orders.v1', 0, [5]);
    await fake.eachBatch(payload);
    expect(commits).toEqual([]);
    expect(resolved).toEqual([]);
  });

  it('commits nothing and fails the batch when the handler throws, so kafkajs delivers it again', async () => {
    const { fake } = await listeningServer(
      handlerOf((_records, context) => {
        context.resolveOffset('5');
        throw new Error('database down');
      }),
    );
    const { payload, commits, resolved } = batchOf('orders.v1', 0, [5, 6]);
    await expect(fake.eachBatch(payload)).rejects.toThrow('database down');
    expect(commits).toEqual([]);
    expect(resolved).toEqual([]);
  });

  it('commits nothing when the handler returns an observable that errors', async () => {
    const { fake } = await listeningServer(
      handlerOf((_records, context) => {
        context.resolveOffset('5');
        return throwError(() => ({ status: 'error', message: 'Internal server error' }));
      }),
    );
    const { payload, commits } = batchOf('orders.v1', 0, [5]);
    await expect(fake.eachBatch(payload)).rejects.toThrow('Internal server error');
    expect(commits).toEqual([]);
  });

  it('commits the partitions that finish together in one request', async () => {
    const { fake } = await listeningServer(
      handlerOf((records, context) => context.resolveOffset(records.at(-1)?.offset ?? '')),
    );
    const first = batchOf('orders.v1', 0, [1, 2]);
    const second = batchOf('orders.v1', 1, [3]);
    await Promise.all([fake.eachBatch(first.payload), fake.eachBatch(second.payload)]);
    expect([...first.commits, ...second.commits]).toEqual([BOTH_PARTITIONS_COMMITTED]);
  });

  it('with commitPerFetch, commits batches handled at once in one request however far apart they end', async () => {
    const finish = new Map<number, () => void>();
    const { fake } = await listeningServer(
      handlerOf(async (records, context) => {
        await new Promise<void>((resolve) => finish.set(context.partition, resolve));
        context.resolveOffset(records.at(-1)?.offset ?? '');
      }),
      KAFKA_BATCH,
      { commitPerFetch: true },
    );
    const first = batchOf('orders.v1', 0, [1, 2]);
    const second = batchOf('orders.v1', 1, [3]);
    const handled = Promise.all([fake.eachBatch(first.payload), fake.eachBatch(second.payload)]);
    await new Promise((resolve) => setImmediate(resolve));
    finish.get(0)?.();
    // Two turns of the event loop: without the option, partition 0 would commit alone here.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.commits).toEqual([]);
    finish.get(1)?.();
    await handled;
    expect([...first.commits, ...second.commits]).toEqual([BOTH_PARTITIONS_COMMITTED]);
  });

  it('with commitPerFetch, a batch that fails lets the handled one beside it commit', async () => {
    const { fake } = await listeningServer(
      handlerOf(async (records, context) => {
        await new Promise((resolve) => setImmediate(resolve));
        if (context.partition === 1) throw new Error('store down');
        context.resolveOffset(records.at(-1)?.offset ?? '');
      }),
      KAFKA_BATCH,
      { commitPerFetch: true },
    );
    const first = batchOf('orders.v1', 0, [1, 2]);
    const second = batchOf('orders.v1', 1, [3]);
    const [handled, failed] = await Promise.allSettled([
      fake.eachBatch(first.payload),
      fake.eachBatch(second.payload),
    ]);
    expect(handled.status).toBe('fulfilled');
    expect(failed.status).toBe('rejected');
    expect(first.commits).toEqual([
      { topics: [{ topic: 'orders.v1', partitions: [{ partition: 0, offset: '3' }] }] },
    ]);
    expect(second.commits).toEqual([]);
  });

  it('returns a batch no earlier than minFetchIntervalMs after its hand-over, its offsets committed first', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const { fake } = await listeningServer(
        handlerOf((_records, context) => context.resolveOffset('5')),
        KAFKA_BATCH,
        { minFetchIntervalMs: 50 },
      );
      const { payload, commits } = batchOf('orders.v1', 0, [5]);
      let returned = false;
      const consuming = fake.eachBatch(payload).then(() => (returned = true));
      for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
      await jest.advanceTimersByTimeAsync(49);
      expect(commits).toHaveLength(1);
      expect(returned).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await consuming;
      expect(returned).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses to listen without a KAFKA_BATCH handler for a subscription', async () => {
    const { error } = await listeningServer(
      handlerOf(() => undefined),
      {},
    );
    expect(String(error)).toContain("@EventPattern('orders', KAFKA_BATCH)");
  });

  it('keeps a paused subscription paused when the consumer rejoins, until resumed', async () => {
    let resume: () => void = () => undefined;
    const { fake } = await listeningServer(
      handlerOf((_records, context) => {
        resume = context.pause();
      }),
    );
    await fake.eachBatch(batchOf('orders.v1', 0, [1]).payload);
    expect(fake.consumer.pause).toHaveBeenCalledWith([{ topic: 'orders.v1' }]);
    const onJoin = fake.consumer.on.mock.calls.find(([event]) => event === 'group.join')?.[1] as (
      event: unknown,
    ) => void;
    onJoin({ payload: { memberAssignment: { 'orders.v1': [0] }, duration: 1 } });
    expect(fake.consumer.pause).toHaveBeenCalledTimes(2);
    resume();
    expect(fake.consumer.resume).toHaveBeenCalledWith([{ topic: 'orders.v1' }]);
  });

  it('leaves the group on close, once however often it is called', async () => {
    const { server, fake } = await listeningServer(handlerOf(() => undefined));
    await Promise.all([server.close(), server.close()]);
    expect(fake.consumer.disconnect).toHaveBeenCalledTimes(1);
  });

  describe('deferred commits', () => {
    it('resolves what the handler accepted but commits nothing itself', async () => {
      const { fake } = await listeningServer(
        handlerOf((_records, context) => context.resolveOffset('6')),
        KAFKA_BATCH,
        { commits: 'deferred' },
      );
      const { payload, commits, resolved } = batchOf('orders.v1', 0, [5, 6]);
      await fake.eachBatch(payload);
      expect(resolved).toEqual(['6']);
      expect(commits).toEqual([]);
      expect(fake.consumer.commitOffsets).not.toHaveBeenCalled();
    });

    it('commits through the control when the feature says its records are stored', async () => {
      const { control, fake } = await listeningServer(
        handlerOf(() => undefined),
        KAFKA_BATCH,
        {
          commits: 'deferred',
        },
      );
      await control.commit([{ topic: 'orders.v1', partition: 0, offset: '7' }]);
      expect(fake.consumer.commitOffsets).toHaveBeenCalledWith([
        { topic: 'orders.v1', partition: 0, offset: '7' },
      ]);
    });

    it('runs commits one at a time, in call order, a failed one not blocking the next', async () => {
      const { control, fake } = await listeningServer(
        handlerOf(() => undefined),
        KAFKA_BATCH,
        {
          commits: 'deferred',
        },
      );
      const order: string[] = [];
      let release: () => void = () => undefined;
      fake.consumer.commitOffsets
        .mockImplementationOnce(async () => {
          await new Promise<void>((resolve) => (release = resolve));
          order.push('first');
          throw new Error('rebalance in progress');
        })
        .mockImplementationOnce(async () => {
          order.push('second');
        });
      const first = control.commit([{ topic: 'orders.v1', partition: 0, offset: '3' }]);
      const second = control.commit([{ topic: 'orders.v1', partition: 0, offset: '4' }]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(order).toEqual([]);
      release();
      await expect(first).rejects.toThrow('rebalance in progress');
      await second;
      expect(order).toEqual(['first', 'second']);
    });

    it('tells the feature about fetches that held only transaction markers', async () => {
      const events: unknown[] = [];
      const { fake } = await listeningServer(
        handlerOf(() => undefined),
        KAFKA_BATCH,
        {
          commits: 'deferred',
          onEvent: (event) => events.push(event),
        },
      );
      const endBatch = listenerOf(fake, 'end_batch_process');
      endBatch({ payload: { topic: 'orders.v1', partition: 1, batchSize: 0, lastOffset: '12' } });
      endBatch({ payload: { topic: 'orders.v1', partition: 1, batchSize: 3, lastOffset: '15' } });
      expect(events).toEqual([
        { type: 'passed-over', topic: 'orders.v1', partition: 1, lastOffset: '12' },
      ]);
    });
  });

  describe('topic changes', () => {
    it('leaves the group and joins again with the new topics', async () => {
      const { control, fake } = await listeningServer(handlerOf(() => undefined));
      await control.changeTopics(['orders.v1', 'orders.v2']);
      expect(fake.consumer.disconnect).toHaveBeenCalledTimes(1);
      expect(fake.consumer.subscribe).toHaveBeenLastCalledWith(
        expect.objectContaining({ topics: ['orders.v1', 'orders.v2'] }),
      );
      expect(control.topics).toEqual(['orders.v1', 'orders.v2']);
    });

    it('joins no group while there is no topic, and joins once topics are given', async () => {
      const { control, fake } = await listeningServer(
        handlerOf(() => undefined),
        KAFKA_BATCH,
        {
          topics: [],
        },
      );
      expect(fake.consumer.connect).not.toHaveBeenCalled();
      await control.changeTopics(['orders.v1']);
      expect(fake.consumer.subscribe).toHaveBeenCalledWith(
        expect.objectContaining({ topics: ['orders.v1'] }),
      );
    });

    it('lets the batches in flight end, then runs beforeLeave, before leaving the group', async () => {
      const steps: string[] = [];
      let finishBatch: () => void = () => undefined;
      const { control, fake } = await listeningServer(
        handlerOf(async (_records, context) => {
          await new Promise<void>((resolve) => (finishBatch = resolve));
          steps.push(`batch ended, stale: ${String(context.isStale())}`);
        }),
        KAFKA_BATCH,
        {
          commits: 'deferred',
          beforeLeave: async () => {
            steps.push('beforeLeave');
          },
        },
      );
      fake.consumer.disconnect.mockImplementation(async () => {
        steps.push('disconnect');
      });
      const batch = fake.eachBatch(batchOf('orders.v1', 0, [1]).payload);
      const changing = control.changeTopics(['orders.v2']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fake.consumer.pause).toHaveBeenCalledWith([{ topic: 'orders.v1' }]);
      expect(steps).toEqual([]);
      finishBatch();
      await Promise.all([batch, changing]);
      expect(steps).toEqual(['batch ended, stale: true', 'beforeLeave', 'disconnect']);
    });

    it('runs beforeLeave when the server closes', async () => {
      const beforeLeave = jest.fn(async () => undefined);
      const { server } = await listeningServer(
        handlerOf(() => undefined),
        KAFKA_BATCH,
        {
          beforeLeave,
        },
      );
      await server.close();
      expect(beforeLeave).toHaveBeenCalledTimes(1);
    });

    it('keeps a paused subscription paused on the new topics', async () => {
      let resume: () => void = () => undefined;
      const { control, fake } = await listeningServer(
        handlerOf((_records, context) => {
          resume = context.pause();
        }),
      );
      await fake.eachBatch(batchOf('orders.v1', 0, [1]).payload);
      await control.changeTopics(['orders.v2']);
      listenerOf(
        fake,
        'group.join',
      )({
        payload: { memberAssignment: { 'orders.v2': [0] }, duration: 1 },
      });
      expect(fake.consumer.pause).toHaveBeenLastCalledWith([{ topic: 'orders.v2' }]);
      resume();
      expect(fake.consumer.resume).toHaveBeenCalledWith([{ topic: 'orders.v2' }]);
    });

    it('reads no topic after a re-subscribe that failed, so the same list can be asked again', async () => {
      const { control, fake } = await listeningServer(handlerOf(() => undefined));
      fake.consumer.subscribe.mockRejectedValueOnce(new Error('topic deleted meanwhile'));
      await expect(control.changeTopics(['orders.v2'])).rejects.toThrow('topic deleted meanwhile');
      expect(control.topics).toEqual([]);
      await control.changeTopics(['orders.v2']);
      expect(control.topics).toEqual(['orders.v2']);
    });

    it('changes nothing once the server closed', async () => {
      const { server, control, fake } = await listeningServer(handlerOf(() => undefined));
      await server.close();
      await control.changeTopics(['orders.v2']);
      expect(fake.consumer.subscribe).toHaveBeenCalledTimes(1);
    });
  });
});
