import type { EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { TopicReader } from './topic-reader';

/** A kafkajs consumer reduced to what TopicReader drives: the test hands it batches. */
class FakeConsumer {
  readonly events = { GROUP_JOIN: 'join', CRASH: 'crash' };
  readonly resumed: number[][] = [];
  readonly paused: number[][] = [];
  readonly seeks: { partition: number; offset: string }[] = [];
  private readonly listeners = new Map<string, (event: unknown) => void>();
  private eachBatch?: (payload: EachBatchPayload) => Promise<void>;

  on(event: string, listener: (event: unknown) => void): void {
    this.listeners.set(event, listener);
  }
  connect(): Promise<void> {
    return Promise.resolve();
  }
  subscribe(): Promise<void> {
    return Promise.resolve();
  }
  async run(options: { eachBatch: (payload: EachBatchPayload) => Promise<void> }): Promise<void> {
    this.eachBatch = options.eachBatch;
    this.listeners.get('join')?.({ payload: { memberAssignment: { t: [0] } } });
  }
  pause(topics: { partitions?: number[] }[]): void {
    this.paused.push(topics[0]?.partitions ?? [0]);
  }
  resume(topics: { partitions: number[] }[]): void {
    this.resumed.push(topics[0]?.partitions ?? []);
  }
  seek(position: { partition: number; offset: string }): void {
    this.seeks.push(position);
  }
  disconnect(): Promise<void> {
    return Promise.resolve();
  }

  /** One fetched batch of partition 0: offsets from..to-1, the partition ending at highWatermark. */
  async deliver(from: number, to: number, highWatermark: number): Promise<void> {
    const messages: KafkaMessage[] = [];
    for (let offset = from; offset < to; offset++) {
      messages.push({
        offset: String(offset),
        timestamp: '0',
        key: null,
        value: Buffer.from('{}'),
        headers: {},
        attributes: 0,
      } as unknown as KafkaMessage);
    }
    await this.eachBatch?.({
      batch: {
        partition: 0,
        messages,
        lastOffset: () => String(to - 1),
        highWatermark: String(highWatermark),
      },
      resolveOffset: () => undefined,
      isStale: () => false,
    } as unknown as EachBatchPayload);
  }
}

async function startedReader(
  lingerMs: number,
): Promise<{ reader: TopicReader; consumer: FakeConsumer }> {
  const consumer = new FakeConsumer();
  const kafka = { consumer: () => consumer } as unknown as Kafka;
  const reader = new TopicReader(kafka, 't', 'g', {
    fetchWaitMs: 50,
    maxBytesPerPartition: 1024 * 1024,
    lingerMs,
  });
  await reader.start();
  return { reader, consumer };
}

const request = (offset: number, limit: number) => ({
  positions: new Map([[0, String(offset)]]),
  limit,
  maxBytes: 1024 * 1024,
  waitMs: 10_000,
});

describe('a reader continuing from records it fetched ahead', () => {
  it('answers at once from memory when that is half an answer or more, and keeps prefetching', async () => {
    const { reader, consumer } = await startedReader(5_000);
    const first = reader.read(request(0, 10));
    await consumer.deliver(0, 16, 100); // 10 taken, 6 held
    expect((await first).records).toHaveLength(10);

    const started = Date.now();
    const second = await reader.read(request(10, 10));
    expect(Date.now() - started).toBeLessThan(1_000); // not the 5 s linger
    expect(second.records.map((r) => r.offset)).toEqual(['10', '11', '12', '13', '14', '15']);
    expect(second.next.get(0)).toBe('16');
    expect(consumer.seeks).toHaveLength(1); // the first read's only
    // Resumed for the next request, and not paused again when the read ended.
    expect(consumer.resumed.at(-1)).toEqual([0]);
    expect(consumer.paused.at(-1)).not.toContain(0);
    await reader.close();
  });

  it('still lingers for the next fetch when memory holds less than half an answer', async () => {
    const { reader, consumer } = await startedReader(150);
    const first = reader.read(request(0, 10));
    await consumer.deliver(0, 13, 100); // 10 taken, 3 held
    await first;

    const started = Date.now();
    const second = reader.read(request(10, 10));
    setTimeout(() => void consumer.deliver(13, 15, 100), 20);
    const answer = await second;
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(answer.records.map((r) => r.offset)).toEqual(['10', '11', '12', '13', '14']);
    await reader.close();
  });

  it('hands what it fetched ahead to another reader taking the request that continues there', async () => {
    const busy = await startedReader(5_000);
    const first = busy.reader.read(request(0, 10));
    await busy.consumer.deliver(0, 16, 100); // 10 taken, 6 held at 10
    await first;

    const other = await startedReader(5_000);
    expect(busy.reader.handOver(0, 11n)).toBeUndefined(); // not where it stands
    const handed = busy.reader.handOver(0, 10n);
    expect(handed?.messages.map((m) => m.offset)).toEqual(['10', '11', '12', '13', '14', '15']);
    // The first reader gives the partition up: no second hand-over, no more prefetching there.
    expect(busy.reader.handOver(0, 10n)).toBeUndefined();
    expect(busy.consumer.paused.at(-1)).toEqual([0]);

    const started = Date.now();
    if (!handed) throw new Error('nothing handed over');
    const answer = await other.reader.read(request(10, 10), new Map([[0, handed]]));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(answer.records.map((r) => r.offset)).toEqual(['10', '11', '12', '13', '14', '15']);
    expect(answer.next.get(0)).toBe('16');
    // Its consumer goes on after the adopted records, not from the requested offset.
    expect(other.consumer.seeks).toEqual([{ topic: 't', partition: 0, offset: '16' }]);
    await busy.reader.close();
    await other.reader.close();
  });
});
