import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import {
  KAFKA_CLIENT,
  KafkaBatchContext,
  KafkaBatchServer,
  type GroupMemberEvent,
  type KafkaBatchSubscriptionControl,
} from '@event-hub/kafka';
import { MONITOR_SETTINGS, type MonitorSettings } from '../config/monitor-settings';
import { documentId } from '../elasticsearch/log-indices';
import { ElasticsearchLink } from '../elasticsearch/elasticsearch-link';
import { createIndexRequest } from '../elasticsearch/index-request';
import { IngestPipeline } from './ingest-pipeline';
import { LOG_BATCHES } from './log-batches';
import { MonitorMetrics } from './monitor-metrics';
import { OffsetWatermarks, type TopicPartitionOffset } from './offset-watermarks';
import { PersonalDataHasher } from '../privacy/personal-data-hasher';
import { recordTimeMs, toLogDocument } from './record-document';
import { sameTopics, selectTopics } from './topic-selection';

/** How long a waiting batch sleeps between capacity checks (and heartbeats). */
const CAPACITY_POLL_MS = 250;

/**
 * Reads every selected topic in the monitor's consumer group, as a deferred-commit subscription of
 * the KafkaBatchServer, and hands each record to the pipeline; commits, per partition, only what
 * the pipeline reports stored (a batch handler's success only means "in the pipeline").
 *
 * kafkajs resolves a topic subscription once, at `subscribe()`: topics created later are never
 * fetched. So a discovery loop lists the topics every MONITOR_TOPIC_DISCOVERY_INTERVAL_MS and,
 * when the set changed, re-subscribes with the new set (the transport drains the leaving consumer
 * into `beforeLeave`, which flushes and commits). A new topic is therefore read within one
 * interval plus a group join (a few seconds), and its first records are not missed because the
 * group starts topics it has no offset for from the beginning. A deleted topic is left the same
 * way: its offsets are forgotten (they can no longer be committed) and the consumer re-subscribes
 * with the rest; until then the libs/kafka guard keeps the deleted topic from failing the
 * consumer's metadata refreshes.
 */
@Injectable()
export class LogConsumer implements OnModuleInit {
  private readonly logger = new Logger(LogConsumer.name);
  private subscription: KafkaBatchSubscriptionControl | undefined;
  private readonly watermarks = new OffsetWatermarks();
  private admin: Admin | undefined;
  private leaving = false;
  /** Topics the last discovery found deleted. */
  private gone: readonly string[] = [];
  private closed = false;
  private discoveryTimer: NodeJS.Timeout | undefined;
  /** Discovery and shutdown run one at a time. */
  private lifecycle: Promise<void> = Promise.resolve();
  private commitTimer: NodeJS.Timeout | undefined;
  private committing: Promise<void> | undefined;
  private lastCommitAt = 0;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(MONITOR_SETTINGS) private readonly settings: MonitorSettings,
    private readonly server: KafkaBatchServer,
    private readonly pipeline: IngestPipeline,
    private readonly link: ElasticsearchLink,
    private readonly metrics: MonitorMetrics,
    private readonly hasher: PersonalDataHasher,
  ) {}

  onModuleInit(): void {
    this.subscription = this.server.subscribe({
      pattern: LOG_BATCHES,
      groupId: this.settings.groupId,
      // Found by discovery: the group is joined once there is a topic to read.
      topics: [],
      // A topic without a committed offset (new topic, new group) is read from its beginning.
      fromBeginning: true,
      commits: 'deferred',
      consumer: {
        sessionTimeout: this.settings.sessionTimeoutMs,
        heartbeatInterval: Math.max(500, Math.floor(this.settings.sessionTimeoutMs / 10)),
        // A fetch waits up to maxWaitTimeInMs for minBytes. At a moderate rate the broker would
        // otherwise answer each fetch with a few records per partition, and what every fetch costs
        // (a request, one handler call per partition, a bulk, a commit) would dominate the cost per
        // record; the wait also sets the idle monitor's empty fetches per second.
        maxWaitTimeInMs: this.settings.fetch.maxWaitMs,
        minBytes: this.settings.fetch.minBytes,
        maxBytesPerPartition: 2 * 1024 * 1024,
        maxBytes: 20 * 1024 * 1024,
      },
      beforeLeave: () => this.storeAndCommit(),
      onEvent: (event) => this.onGroupEvent(event),
    });
  }

  start(): void {
    this.closed = false;
    this.pipeline.onStored(() => this.requestCommit());
    this.scheduleDiscovery(0);
  }

  /** Stops discovery; the server's stop leaves the group (storing and committing first). */
  async stop(): Promise<void> {
    this.closed = true;
    clearTimeout(this.discoveryTimer);
    await this.serialized(async () => {
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
    });
  }

  /** Hands a partition's batch to the pipeline; resolves once every record is in it (or stale). */
  async readBatch(records: KafkaMessage[], context: KafkaBatchContext): Promise<void> {
    if (context.isStale()) return;
    const { topic, partition } = context;
    let read = 0;
    try {
      const tracker = this.watermarks.tracker(topic, partition);
      for (const message of records) {
        if (!this.pipeline.hasCapacity) {
          while (!this.pipeline.hasCapacity) {
            if (context.isStale()) return;
            await this.pipeline.waitForCapacity(CAPACITY_POLL_MS);
            await context.heartbeat();
          }
          // Staleness (stop, rebalance) only changes while the loop waits: between waits the
          // records are taken in one synchronous run, so asking kafkajs per record (a seek-offset
          // lookup under a built key each time) would only ever repeat the answer above.
          if (context.isStale()) return;
        }
        const { offset: at, timestamp, key, value, headers } = message;
        const readAtMs = Date.now();
        const doc = toLogDocument(
          { topic, partition, offset: at, timestamp, key, value, headers },
          readAtMs,
          this.hasher,
        );
        const request = createIndexRequest(
          this.link.indices.daily(recordTimeMs(timestamp, readAtMs)),
          documentId(topic, partition, at),
          'log',
          doc,
        );
        const offset = Number(at);
        tracker.track(offset);
        this.pipeline.accept({ tracker, offset, request });
        // Accepted, not committed: a batch abandoned on stop or rebalance is fetched again from here.
        context.resolveOffset(at);
        read++;
      }
      // A trailing transaction marker is part of the batch but not of its messages.
      tracker.passOver(Number(context.lastOffset));
    } finally {
      this.metrics.recordsRead.inc({ topic }, read);
    }
  }

  private onGroupEvent(event: GroupMemberEvent): void {
    if (event.type === 'joined') {
      // Partitions another member owns now must not be committed from here.
      this.watermarks.retain(event.assignment);
      this.leaving = false;
      // The commit interval runs from the join, so a consumer never commits sooner than that.
      this.lastCommitAt = Date.now();
    } else if (event.type === 'passed-over') {
      // A fetch that held only transaction markers or aborted records: step over them, so the
      // committed offset reaches the partition's end.
      this.watermarks.tracker(event.topic, event.partition).passOver(Number(event.lastOffset));
      this.requestCommit();
    }
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
    const subscription = this.subscription;
    if (this.closed || !subscription) return;
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const selected = selectTopics(await this.admin.listTopics(), this.settings.topicPattern);
    const subscribed = subscription.topics;
    if (sameTopics(selected, subscribed)) return;
    const added = selected.filter((t) => !subscribed.includes(t));
    const removed = subscribed.filter((t) => !selected.includes(t));
    this.logger.log(
      `subscribing to ${selected.length} topic(s)` +
        (added.length > 0 ? `, new: ${added.join(', ')}` : '') +
        (removed.length > 0 ? `, gone: ${removed.join(', ')}` : ''),
    );
    // A deleted topic's offsets can no longer be committed (and would fail the others' commit);
    // forgotten again once the leaving consumer's last batches ended.
    this.gone = removed;
    this.watermarks.forget(removed);
    if (!this.closed) await subscription.changeTopics(selected);
  }

  /** The leaving consumer's last duty: store what was read (bounded wait), then commit it. */
  private async storeAndCommit(): Promise<void> {
    this.leaving = true;
    this.watermarks.forget(this.gone);
    if (!(await this.pipeline.flush(this.settings.shutdownFlushMs))) {
      this.logger.warn(
        `${this.pipeline.pending} record(s) not stored within ${this.settings.shutdownFlushMs} ms stay uncommitted and will be read again`,
      );
    }
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    await this.committing;
    await this.commit();
  }

  private requestCommit(): void {
    if (this.commitTimer || this.leaving) return;
    const wait = Math.max(0, this.lastCommitAt + this.settings.commitIntervalMs - Date.now());
    this.commitTimer = setTimeout(() => {
      this.commitTimer = undefined;
      if (this.committing) {
        void this.committing.then(() => this.requestCommit());
        return;
      }
      this.committing = this.commit().finally(() => {
        this.committing = undefined;
      });
    }, wait);
  }

  private async commit(): Promise<void> {
    const offsets: TopicPartitionOffset[] = this.watermarks.committable();
    if (offsets.length === 0 || !this.subscription) return;
    try {
      await this.subscription.commit(offsets);
      this.watermarks.markCommitted(offsets);
      this.lastCommitAt = Date.now();
    } catch (error) {
      // Typically a rebalance in progress or no consumer yet; the next attempt commits what is stored.
      this.logger.debug(`commit deferred: ${describe(error)}`);
      if (!this.leaving) setTimeout(() => this.requestCommit(), this.settings.commitIntervalMs);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
