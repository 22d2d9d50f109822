import { Kafka, type Consumer, type KafkaMessage } from 'kafkajs';

/** When a watched record arrived (ms since the epoch) and what it says. */
export interface Observed {
  at: number;
  status: string;
}

/** The id and status a record reports, or undefined for a record the watcher ignores. */
export type RecordReading = (message: KafkaMessage) => { id: string; status: string } | undefined;

/**
 * Watches one topic from its current end, recording when the first record for each id arrived:
 * how the benches time a pipeline's end without polling the API under test.
 */
export class TopicWatcher {
  readonly seen = new Map<string, Observed>();
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly groupId: string,
    private readonly read: RecordReading,
  ) {}

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(this.topic);
    await admin.disconnect();

    // A record ends a fetch's wait at once (minBytes 1): the wait only sets how often the watcher
    // polls the broker between records, whose CPU the bench counts as Kafka's.
    this.consumer = this.kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 250 });
    const consumer = this.consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic });
    const joined = new Promise<void>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
    );
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const at = Date.now();
        for (const message of batch.messages) {
          const reading = this.read(message);
          if (reading && !this.seen.has(reading.id)) {
            this.seen.set(reading.id, { at, status: reading.status });
          }
        }
      },
    });
    await joined;
    for (const { partition, offset } of ends) {
      consumer.seek({ topic: this.topic, partition, offset });
    }
  }

  /** Resolves when every id was seen, or after `timeoutMs`. */
  async waitFor(ids: Iterable<string>, timeoutMs: number): Promise<void> {
    const wanted = [...ids];
    const deadline = Date.now() + timeoutMs;
    while (wanted.some((id) => !this.seen.has(id))) {
      if (Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
