import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { KAFKA_CLIENT } from '@event-hub/kafka';
import { MONITOR_SETTINGS, type MonitorSettings } from '../config/monitor-settings';
import { documentId } from '../elasticsearch/log-indices';
import { ElasticsearchLink } from '../elasticsearch/elasticsearch-link';
import { createIndexRequest } from '../elasticsearch/index-request';
import { IngestPipeline } from './ingest-pipeline';
import { MonitorMetrics } from './monitor-metrics';
import { OffsetWatermarks, type TopicPartitionOffset } from './offset-watermarks';
import { PersonalDataHasher } from '../privacy/personal-data-hasher';
import { documentTimeMs, toLogDocument } from './record-document';
import { sameTopics, selectTopics } from './topic-selection';

/** How long a waiting batch sleeps between capacity checks (and heartbeats). */
const CAPACITY_POLL_MS = 250;

/**
 * Reads every selected topic in the monitor's consumer group and hands each record to the
 * pipeline; commits, per partition, only what the pipeline reports stored.
 *
 * kafkajs resolves a topic subscription once, at `subscribe()`: topics created later are never
 * fetched. So a discovery loop lists the topics every MONITOR_TOPIC_DISCOVERY_INTERVAL_MS and,
 * when the set changed, restarts the consumer with the new set (flushing and committing first).
 * A new topic is therefore read within one interval plus a group join (a few seconds), and its
 * first records are not missed because the group starts topics it has no offset for from the
 * beginning. A deleted topic is left the same way: its offsets are forgotten (they can no longer be
 * committed) and the consumer restarts with the rest; until then the libs/kafka guard keeps the
 * deleted topic from failing the consumer's metadata refreshes.
 */
@Injectable()
export class LogConsumer {
  private readonly logger = new Logger(LogConsumer.name);
  private consumer: Consumer | undefined;
  private subscribed: string[] = [];
  private watermarks = new OffsetWatermarks();
  private admin: Admin | undefined;
  private crashed = false;
  private stoppingConsumer = false;
  private closed = false;
  private activeBatches = 0;
  private discoveryTimer: NodeJS.Timeout | undefined;
  /** Discovery, restarts and shutdown run one at a time. */
  private lifecycle: Promise<void> = Promise.resolve();
  private commitTimer: NodeJS.Timeout | undefined;
  private committing: Promise<void> | undefined;
  private lastCommitAt = 0;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(MONITOR_SETTINGS) private readonly settings: MonitorSettings,
    private readonly pipeline: IngestPipeline,
    private readonly link: ElasticsearchLink,
    private readonly metrics: MonitorMetrics,
    private readonly hasher: PersonalDataHasher,
  ) {}

  start(): void {
    this.closed = false;
    this.pipeline.onStored(() => this.requestCommit());
    this.scheduleDiscovery(0);
  }

  /** Graceful stop: stop reading, store what was read (bounded wait), commit, leave the group. */
  async stop(): Promise<void> {
    this.closed = true;
    clearTimeout(this.discoveryTimer);
    await this.serialized(async () => {
      await this.stopConsumer();
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
    });
  }

  private scheduleDiscovery(delayMs: number): void {
    if (this.closed) return;
    this.discoveryTimer = setTimeout(() => {
      void this.serialized(() => this.discover()).finally(() =>
        this.scheduleDiscovery(this.settings.discoveryIntervalMs),
      );
    }, delayMs);
  }

  private serialized(step: () => Promise<void>): Promise<void> {
    const next = this.lifecycle.then(step).catch((error: unknown) => {
      this.logger.warn(`topic discovery failed, retrying next round: ${describe(error)}`);
    });
    this.lifecycle = next;
    return next;
  }

  private async discover(): Promise<void> {
    if (this.closed) return;
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const selected = selectTopics(await this.admin.listTopics(), this.settings.topicPattern);
    if (sameTopics(selected, this.subscribed) && !this.crashed) return;
    const added = selected.filter((t) => !this.subscribed.includes(t));
    const removed = this.subscribed.filter((t) => !selected.includes(t));
    this.logger.log(
      `subscribing to ${selected.length} topic(s)` +
        (added.length > 0 ? `, new: ${added.join(', ')}` : '') +
        (removed.length > 0 ? `, gone: ${removed.join(', ')}` : ''),
    );
    // A deleted topic's offsets can no longer be committed (and would fail the others' commit).
    this.watermarks.forget(removed);
    await this.stopConsumer();
    if (selected.length > 0 && !this.closed) await this.startConsumer(selected);
  }

  private async startConsumer(topics: string[]): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.settings.groupId,
      sessionTimeout: this.settings.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(this.settings.sessionTimeoutMs / 10)),
      allowAutoTopicCreation: false,
      // Return quickly when idle so discovery restarts and shutdown are not held up.
      maxWaitTimeInMs: 250,
      maxBytesPerPartition: 2 * 1024 * 1024,
      maxBytes: 20 * 1024 * 1024,
    });
    const watermarks = new OffsetWatermarks();
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
      watermarks.retain(payload.memberAssignment),
    );
    // A fetch that held only transaction markers or aborted records never reaches eachBatch:
    // step over them, so the committed offset reaches the partition's end.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize > 0 || this.stoppingConsumer) return;
      watermarks.tracker(payload.topic, payload.partition).passOver(Number(payload.lastOffset));
      this.requestCommit();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) {
        this.crashed = true;
        this.logger.error(
          `consumer stopped after an error, restarting it: ${payload.error.message}`,
        );
      }
    });
    this.watermarks = watermarks;
    // The commit interval also runs from the start, so a consumer never commits sooner than that.
    this.lastCommitAt = Date.now();
    this.crashed = false;
    this.stoppingConsumer = false;
    // Set before run(): records can be stored (and want a commit) before run() resolves.
    this.consumer = consumer;
    this.subscribed = topics;
    try {
      await consumer.connect();
      // A topic without a committed offset (new topic, new group) is read from its beginning.
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        // Offsets are resolved one by one as records enter the pipeline, so a batch abandoned on
        // stop or rebalance is fetched again rather than skipped.
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.onBatch(payload, watermarks),
      });
    } catch (error) {
      this.consumer = undefined;
      this.subscribed = [];
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private async onBatch(payload: EachBatchPayload, watermarks: OffsetWatermarks): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const proceed = (): boolean => !this.stoppingConsumer && isRunning() && !isStale();
    if (!proceed()) return;
    this.activeBatches++;
    const { topic, partition } = batch;
    let read = 0;
    try {
      const tracker = watermarks.tracker(topic, partition);
      for (const message of batch.messages) {
        while (!this.pipeline.hasCapacity) {
          if (!proceed()) return;
          await this.pipeline.waitForCapacity(CAPACITY_POLL_MS);
          await heartbeat();
        }
        if (!proceed()) return;
        const { offset: at, timestamp, key, value, headers } = message;
        const doc = toLogDocument(
          { topic, partition, offset: at, timestamp, key, value, headers },
          Date.now(),
          this.hasher,
        );
        const request = createIndexRequest(
          this.link.indices.daily(documentTimeMs(doc)),
          documentId(topic, partition, message.offset),
          'log',
          doc,
        );
        const offset = Number(message.offset);
        tracker.track(offset);
        this.pipeline.accept({ tracker, offset, request });
        resolveOffset(message.offset);
        read++;
      }
      // A trailing transaction marker is part of the batch but not of its messages.
      tracker.passOver(Number(batch.lastOffset()));
    } finally {
      this.metrics.recordsRead.inc({ topic }, read);
      this.activeBatches--;
    }
  }

  private async stopConsumer(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    const watermarks = this.watermarks;
    this.stoppingConsumer = true;
    try {
      consumer.pause(this.subscribed.map((topic) => ({ topic })));
    } catch (error) {
      // kafkajs is between a crash and its restart ("Consumer group was not initialized"):
      // nothing is being fetched, and the consumer is replaced anyway.
      this.logger.debug(`pause before stop: ${describe(error)}`);
    }
    const deadline = Date.now() + 5000;
    while (this.activeBatches > 0 && Date.now() < deadline) await sleep(20);
    if (!(await this.pipeline.flush(this.settings.shutdownFlushMs))) {
      this.logger.warn(
        `${this.pipeline.pending} record(s) not stored within ${this.settings.shutdownFlushMs} ms stay uncommitted and will be read again`,
      );
    }
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    await this.committing;
    await this.commit(consumer, watermarks);
    await consumer
      .disconnect()
      .catch((error: unknown) => this.logger.warn(`disconnect: ${describe(error)}`));
    this.consumer = undefined;
    this.subscribed = [];
  }

  private requestCommit(): void {
    if (this.commitTimer || this.stoppingConsumer) return;
    const wait = Math.max(0, this.lastCommitAt + this.settings.commitIntervalMs - Date.now());
    this.commitTimer = setTimeout(() => {
      this.commitTimer = undefined;
      const consumer = this.consumer;
      if (!consumer || this.committing) {
        if (this.committing) void this.committing.then(() => this.requestCommit());
        return;
      }
      this.committing = this.commit(consumer, this.watermarks).finally(() => {
        this.committing = undefined;
      });
    }, wait);
  }

  private async commit(consumer: Consumer, watermarks: OffsetWatermarks): Promise<void> {
    const offsets: TopicPartitionOffset[] = watermarks.committable();
    if (offsets.length === 0) return;
    try {
      await consumer.commitOffsets(offsets);
      watermarks.markCommitted(offsets);
      this.lastCommitAt = Date.now();
    } catch (error) {
      // Typically a rebalance in progress; what is stored is committed by the next attempt.
      this.logger.debug(`commit deferred: ${describe(error)}`);
      if (!this.stoppingConsumer)
        setTimeout(() => this.requestCommit(), this.settings.commitIntervalMs);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
