import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { KAFKA_CLIENT } from '@event-hub/kafka';

export interface Watermarks {
  partition: number;
  /** Earliest retained offset. */
  low: bigint;
  /** The offset the next record will get (end of the partition). */
  high: bigint;
}

/** The offset lookups consume needs, on one admin client of this instance. */
@Injectable()
export class KafkaOffsets implements OnModuleInit, OnApplicationShutdown {
  private readonly admin: Admin;
  private connected?: Promise<void>;
  private readonly commits = new Map<string, Promise<void>>();
  private readonly recent = new Map<string, { at: number; watermarks: Watermarks[] }>();

  constructor(@Inject(KAFKA_CLIENT) private readonly kafka: Kafka) {
    this.admin = kafka.admin({ retry: { retries: 3 } });
  }

  onModuleInit(): void {
    // Connected lazily too: a gateway that starts while Kafka is down still serves the rest.
    this.ready().catch(() => undefined);
  }

  /**
   * The topic's watermarks, at most `maxAgeMs` old (0: fresh). Callers that accept an older
   * answer must ask again fresh before acting on its high watermark being the end.
   */
  async watermarks(topic: string, maxAgeMs = 0): Promise<Watermarks[]> {
    const cached = this.recent.get(topic);
    if (maxAgeMs > 0 && cached && Date.now() - cached.at <= maxAgeMs) return cached.watermarks;
    const admin = await this.ready();
    const at = Date.now();
    const watermarks = (await admin.fetchTopicOffsets(topic)).map((p) => ({
      partition: p.partition,
      low: BigInt(p.low),
      high: BigInt(p.high),
    }));
    if (this.recent.size >= 10_000) this.recent.clear();
    this.recent.set(topic, { at, watermarks });
    return watermarks;
  }

  /** Kafka's offset-for-time lookup: per partition, the first offset at or after `at` (-1: none). */
  async offsetsAt(topic: string, at: Date): Promise<Map<number, bigint>> {
    const admin = await this.ready();
    const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, at.getTime());
    return new Map(offsets.map((p) => [p.partition, BigInt(p.offset)]));
  }

  /** A group's committed offsets (-1: none committed). */
  async groupOffsets(groupId: string, topic: string): Promise<Map<number, bigint>> {
    const admin = await this.ready();
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((entry?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  }

  /**
   * Commits a group's offsets by joining the group for a moment (tens of milliseconds) with a
   * consumer that never reads. Not `admin.setOffsets`: kafkajs implements it by joining too, but
   * pauses before its first fetch and so waits a whole `maxWaitTimeInMs` (5 s by default) per
   * commit. Commits to one group are serialized on this instance (two joins would rebalance each
   * other); nothing else ever joins a tenant group.
   */
  setGroupOffsets(
    groupId: string,
    topic: string,
    offsets: { partition: number; offset: string }[],
  ): Promise<void> {
    const previous = this.commits.get(groupId) ?? Promise.resolve();
    const commit = previous.catch(() => undefined).then(() => this.commit(groupId, topic, offsets));
    const tail = commit.catch(() => undefined);
    this.commits.set(groupId, tail);
    void tail.then(() => {
      if (this.commits.get(groupId) === tail) this.commits.delete(groupId);
    });
    return commit;
  }

  private async commit(
    groupId: string,
    topic: string,
    offsets: { partition: number; offset: string }[],
  ): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId,
      maxWaitTimeInMs: 10,
      allowAutoTopicCreation: false,
      retry: { retries: 3 },
    });
    const joined = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.GROUP_JOIN, () => resolve());
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ pause }) => void pause(),
      });
      await joined;
      consumer.pause([{ topic }]);
      await consumer.commitOffsets(offsets.map((o) => ({ topic, ...o })));
    } finally {
      await consumer.disconnect();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect();
  }

  private async ready(): Promise<Admin> {
    this.connected ??= this.admin.connect();
    try {
      await this.connected;
    } catch (error) {
      this.connected = undefined;
      throw error;
    }
    return this.admin;
  }
}
