import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { KAFKA_CLIENT, isUnknownTopicError } from '@event-hub/kafka';
import { MONITOR_SETTINGS, type MonitorSettings } from '../config/monitor-settings';
import { selectTopics } from './topic-selection';

/** One partition the monitor should read, as the broker sees it. */
export interface PartitionBacklog {
  topic: string;
  partition: number;
  /** The broker's end offset (the offset the next record gets). */
  end: number;
  /** What the monitor's group committed (everything below is stored), or the log start. */
  committed: number;
  lag: number;
}

export interface BacklogReport {
  /** When the last measurement succeeded (undefined before the first). */
  measuredAt: number | undefined;
  /** Topics the monitor should be reading (every topic but `__*`, narrowed by MONITOR_TOPIC_PATTERN). */
  topics: number;
  /** Records in those topics beyond what the group committed. */
  lag: number;
  /** How long the oldest of those records has been waiting, at least (0 without lag). */
  oldestAgeMs: number;
  partitions: PartitionBacklog[];
  /** Why the last measurement failed, when it did. */
  error?: string;
}

/** When a partition's end offset was first seen at or beyond a value. */
interface EndSample {
  end: number;
  at: number;
}

/**
 * What the monitor still has to store, measured from the broker rather than from what its
 * consumer believes it read: every `MONITOR_LAG_PROBE_INTERVAL_MS` it lists the topics the monitor
 * should be reading, their end offsets and the group's committed offsets. A consumer that crashed,
 * never subscribed to a topic or stopped fetching therefore shows as lag that does not go away.
 *
 * The age of the oldest record not yet stored comes from when each end offset was first seen: the
 * record at the committed offset exists since the first measurement whose end offset was beyond
 * it (so the age is a lower bound, at most one interval short).
 */
@Injectable()
export class KafkaBacklog {
  private readonly logger = new Logger(KafkaBacklog.name);
  private admin: Admin | undefined;
  private timer: NodeJS.Timeout | undefined;
  private measuring: Promise<void> | undefined;
  private closed = true;
  private measuredAt: number | undefined;
  private error: string | undefined;
  private partitions: PartitionBacklog[] = [];
  private topics = 0;
  private readonly samples = new Map<string, EndSample[]>();

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(MONITOR_SETTINGS) private readonly settings: MonitorSettings,
  ) {}

  start(): void {
    this.closed = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.measuring;
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }

  report(now = Date.now()): BacklogReport {
    let oldest: number | undefined;
    for (const p of this.partitions) {
      if (p.lag === 0) continue;
      const since = this.samples.get(key(p.topic, p.partition))?.find((s) => s.end > p.committed);
      if (since && (oldest === undefined || since.at < oldest)) oldest = since.at;
    }
    const report: BacklogReport = {
      measuredAt: this.measuredAt,
      topics: this.topics,
      lag: this.partitions.reduce((sum, p) => sum + p.lag, 0),
      oldestAgeMs: oldest === undefined ? 0 : Math.max(0, now - oldest),
      partitions: this.partitions,
    };
    if (this.error !== undefined) report.error = this.error;
    return report;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.measuring = this.measure().finally(() => {
        this.measuring = undefined;
        this.schedule(this.settings.lagProbeIntervalMs);
      });
    }, delayMs);
  }

  private async measure(): Promise<void> {
    try {
      const admin = await this.connected();
      const topics = selectTopics(await admin.listTopics(), this.settings.topicPattern);
      const [ends, committed] = await Promise.all([
        Promise.all(topics.map((topic) => this.endOffsets(admin, topic))),
        this.committedOffsets(admin),
      ]);
      const at = Date.now();
      const partitions: PartitionBacklog[] = [];
      for (const [index, topic] of topics.entries()) {
        for (const { partition, low, high } of ends[index] ?? []) {
          const done = Math.max(committed.get(key(topic, partition)) ?? -1, low);
          partitions.push({
            topic,
            partition,
            end: high,
            committed: done,
            lag: Math.max(0, high - done),
          });
        }
      }
      this.remember(partitions, at);
      this.partitions = partitions;
      this.topics = topics.length;
      this.measuredAt = at;
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      this.logger.warn(`could not measure the backlog from Kafka: ${this.error}`);
    }
  }

  /** Keeps, per partition, the end offsets not yet committed and when each was first seen. */
  private remember(partitions: PartitionBacklog[], at: number): void {
    const live = new Set<string>();
    for (const p of partitions) {
      const id = key(p.topic, p.partition);
      live.add(id);
      const kept = (this.samples.get(id) ?? []).filter((s) => s.end > p.committed);
      const last = kept[kept.length - 1];
      if (p.end > p.committed && (!last || p.end > last.end)) kept.push({ end: p.end, at });
      this.samples.set(id, kept);
    }
    // Deleted topics (and partitions) are not waited for.
    for (const id of this.samples.keys()) if (!live.has(id)) this.samples.delete(id);
  }

  /** A topic deleted since it was listed has nothing left to read. */
  private async endOffsets(
    admin: Admin,
    topic: string,
  ): Promise<{ partition: number; low: number; high: number }[]> {
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.map((o) => ({
        partition: o.partition,
        low: Number(o.low),
        high: Number(o.high),
      }));
    } catch (error) {
      if (isUnknownTopicError(error)) return [];
      throw error;
    }
  }

  private async committedOffsets(admin: Admin): Promise<Map<string, number>> {
    // Without topics: every topic the group committed, in one request.
    const groups = await admin.fetchOffsets({ groupId: this.settings.groupId });
    const committed = new Map<string, number>();
    for (const { topic, partitions } of groups) {
      for (const { partition, offset } of partitions)
        committed.set(key(topic, partition), Number(offset));
    }
    return committed;
  }

  private async connected(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
