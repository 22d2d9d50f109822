import type { Producer, ProducerBatch, RecordMetadata } from 'kafkajs';
import {
  BatchSendError,
  CoalescingProducer,
  ProducerClosedError,
  ProducerQueueFullError,
  SendAbortedError,
  type BatchReport,
} from './coalescing-producer';

/** A stand-in for kafkajs's producer: each sendBatch waits until the test acks or fails it. */
class FakeProducer implements Pick<Producer, 'sendBatch'> {
  readonly batches: ProducerBatch[] = [];
  private readonly answers: {
    resolve: (m: RecordMetadata[]) => void;
    reject: (e: Error) => void;
  }[] = [];

  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    this.batches.push(batch);
    return new Promise((resolve, reject) => this.answers.push({ resolve, reject }));
  }

  get unanswered(): number {
    return this.answers.length;
  }

  ack(): void {
    const batch = this.batches[this.batches.length - this.answers.length] as ProducerBatch;
    const metadata = (batch.topicMessages ?? []).map((t, i) => ({
      topicName: t.topic,
      partition: i,
      errorCode: 0,
      baseOffset: '0',
    }));
    this.answers.shift()?.resolve(metadata);
  }

  fail(error: Error): void {
    this.answers.shift()?.reject(error);
  }

  values(index: number): string[] {
    return (this.batches[index]?.topicMessages ?? []).flatMap((t) =>
      t.messages.map((m) => `${t.topic}:${String(m.value)}`),
    );
  }
}

/** Lets promise callbacks run (resolutions, dispatch of the next batch). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

type Outcome =
  | { state: 'pending' }
  | { state: 'resolved'; value: unknown }
  | { state: 'rejected'; error: unknown };

function track(promise: Promise<unknown>): { readonly outcome: Outcome } {
  const box: { outcome: Outcome } = { outcome: { state: 'pending' } };
  promise.then(
    (value) => (box.outcome = { state: 'resolved', value }),
    (error: unknown) => (box.outcome = { state: 'rejected', error }),
  );
  return box;
}

describe('CoalescingProducer', () => {
  let fake: FakeProducer;

  beforeEach(() => {
    jest.useFakeTimers();
    fake = new FakeProducer();
  });

  afterEach(() => jest.useRealTimers());

  it('sends the records of concurrent callers as one batch after the linger, grouped by topic in call order', async () => {
    const producer = new CoalescingProducer(fake, { lingerMs: 2 });
    void producer.send('a', { key: 'k1', value: '1' });
    void producer.send('b', { key: 'k2', value: '2' });
    void producer.send('a', { key: 'k1', value: '3' });

    expect(fake.batches).toHaveLength(0);
    jest.advanceTimersByTime(2);

    expect(fake.batches).toHaveLength(1);
    expect(fake.batches[0]?.topicMessages?.map((t) => t.topic)).toEqual(['a', 'b']);
    expect(fake.values(0)).toEqual(['a:1', 'a:3', 'b:2']);
  });

  it('asks for acks from all in-sync replicas unless told otherwise', () => {
    const producer = new CoalescingProducer(fake);
    void producer.send('a', { value: '1' });
    jest.advanceTimersByTime(2);
    expect(fake.batches[0]?.acks).toBe(-1);
  });

  it('answers a caller only once its batch was acknowledged, with that batch acknowledgement', async () => {
    const producer = new CoalescingProducer(fake);
    const first = track(producer.send('a', { value: '1' }));
    const second = track(producer.send('b', { value: '2' }));
    jest.advanceTimersByTime(2);
    await settle();
    expect(first.outcome.state).toBe('pending');

    fake.ack();
    await settle();

    expect(first.outcome).toEqual({
      state: 'resolved',
      value: {
        topic: 'a',
        batchRecords: 2,
        partitions: [expect.objectContaining({ topicName: 'a' })],
      },
    });
    expect(second.outcome).toEqual({
      state: 'resolved',
      value: {
        topic: 'b',
        batchRecords: 2,
        partitions: [expect.objectContaining({ topicName: 'b' })],
      },
    });
  });

  it('rejects every caller of a failed batch and keeps serving later ones', async () => {
    const producer = new CoalescingProducer(fake);
    const first = track(producer.send('a', { value: '1' }));
    const second = track(producer.send('a', { value: '2' }));
    jest.advanceTimersByTime(2);
    fake.fail(new Error('broker unreachable'));
    await settle();

    for (const caller of [first, second]) {
      expect(caller.outcome.state).toBe('rejected');
      const error = (caller.outcome as { error: BatchSendError }).error;
      expect(error).toBeInstanceOf(BatchSendError);
      expect(error.message).toContain('broker unreachable');
      expect(error.batchRecords).toBe(2);
    }

    const third = producer.send('a', { value: '3' });
    jest.advanceTimersByTime(2);
    fake.ack();
    await expect(third).resolves.toMatchObject({ topic: 'a', batchRecords: 1 });
  });

  it('sends a batch at once when it reaches the record limit, without waiting for the linger', () => {
    const producer = new CoalescingProducer(fake, { lingerMs: 1000, maxBatchRecords: 3 });
    for (const value of ['1', '2', '3', '4']) void producer.send('a', { value });

    expect(fake.batches).toHaveLength(1);
    expect(fake.values(0)).toEqual(['a:1', 'a:2', 'a:3']);
  });

  it('sends a batch at once when it reaches the byte limit, and an oversized record alone', async () => {
    const producer = new CoalescingProducer(fake, { lingerMs: 1000, maxBatchBytes: 10 });
    void producer.send('a', { value: '12345' });
    expect(fake.batches).toHaveLength(0);
    void producer.send('a', { value: '67890' });
    expect(fake.values(0)).toEqual(['a:12345', 'a:67890']);

    void producer.send('a', { value: 'x'.repeat(50) });
    fake.ack();
    await settle();
    expect(fake.values(1)).toEqual([`a:${'x'.repeat(50)}`]);
  });

  it('keeps one batch in flight and sends what queued meanwhile as soon as it is answered', async () => {
    const producer = new CoalescingProducer(fake, { lingerMs: 2 });
    void producer.send('a', { key: 'k', value: '1' });
    jest.advanceTimersByTime(2);
    void producer.send('a', { key: 'k', value: '2' });
    void producer.send('a', { key: 'k', value: '3' });
    jest.advanceTimersByTime(100);
    expect(fake.batches).toHaveLength(1);

    fake.ack();
    await settle();

    expect(fake.batches).toHaveLength(2);
    expect(fake.values(1)).toEqual(['a:2', 'a:3']);
  });

  it('refuses records beyond the pending limit with a queue-full error, and takes them again once acked', async () => {
    const producer = new CoalescingProducer(fake, { maxPendingRecords: 2 });
    void producer.send('a', { value: '1' });
    jest.advanceTimersByTime(2);
    void producer.send('a', { value: '2' });

    await expect(producer.send('a', { value: '3' })).rejects.toBeInstanceOf(ProducerQueueFullError);
    expect(producer.pendingRecords).toBe(2);

    fake.ack();
    await settle();
    expect(producer.pendingRecords).toBe(1);
    void producer.send('a', { value: '4' });
    expect(producer.pendingRecords).toBe(2);
  });

  it('withdraws an aborted record that is still queued, so it is never produced', async () => {
    const producer = new CoalescingProducer(fake);
    const controller = new AbortController();
    const withdrawn = producer.send('a', { value: 'withdrawn' }, { signal: controller.signal });
    void producer.send('a', { value: 'kept' });

    controller.abort();
    await expect(withdrawn).rejects.toBeInstanceOf(SendAbortedError);
    expect(producer.pendingRecords).toBe(1);
    jest.advanceTimersByTime(2);

    expect(fake.values(0)).toEqual(['a:kept']);
  });

  it('lets an aborted record that already went out follow its batch', async () => {
    const producer = new CoalescingProducer(fake);
    const controller = new AbortController();
    const sent = track(producer.send('a', { value: '1' }, { signal: controller.signal }));
    jest.advanceTimersByTime(2);

    controller.abort();
    fake.ack();
    await settle();

    expect(sent.outcome.state).toBe('resolved');
  });

  it('on close, sends what it holds and refuses new records', async () => {
    const producer = new CoalescingProducer(fake, { lingerMs: 1000 });
    const queued = producer.send('a', { value: '1' });
    const closing = producer.close();

    await expect(producer.send('a', { value: '2' })).rejects.toBeInstanceOf(ProducerClosedError);
    expect(fake.batches).toHaveLength(1);
    fake.ack();
    await closing;
    await expect(queued).resolves.toMatchObject({ batchRecords: 1 });
  });

  it('reports each batch size, bytes and outcome', async () => {
    const reports: BatchReport[] = [];
    const producer = new CoalescingProducer(fake, { onBatch: (r) => reports.push(r) });
    void producer.send('a', { key: 'k', value: 'abc', headers: { h: 'v' } });
    void producer.send('a', { value: 'de' });
    jest.advanceTimersByTime(2);
    fake.ack();
    await settle();
    const failed = producer.send('a', { value: 'x' });
    jest.advanceTimersByTime(2);
    fake.fail(new Error('down'));
    await expect(failed).rejects.toBeInstanceOf(BatchSendError);

    expect(reports).toEqual([
      { records: 2, bytes: 1 + 3 + 1 + 1 + 2, durationMs: expect.any(Number) },
      { records: 1, bytes: 1, durationMs: expect.any(Number), error: expect.any(BatchSendError) },
    ]);
  });
});
