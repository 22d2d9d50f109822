import {
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { TOPIC_CATALOG, type TopicSpec } from '@event-hub/contracts';
import {
  TopicProvisioner,
  withTimeout,
  type GroupMemberEvent,
  type KafkaBatchContext,
  type KafkaBatchServer,
} from '@event-hub/kafka';
import type { ConsumerStatus } from './consumer-status';
import { describeError } from './database-errors';

export interface PacedConsumerOptions {
  /** For logs: "command", "usage". */
  name: string;
  /** The `@EventPattern(pattern, KAFKA_BATCH)` of the subclass's handler. */
  pattern: string;
  groupId: string;
  topic: string;
  partitionsConcurrency: number;
  sessionTimeoutMs: number;
  /**
   * How fetches batch records (kafkajs defaults: the broker answers at the first byte, else after
   * 5 s; the next fetch goes out at once): the broker waits up to `maxWaitTimeInMs` for `minBytes`,
   * and the next fetch goes out no earlier than `minIntervalMs` after a batch was handed over.
   */
  fetch?: { maxWaitTimeInMs: number; minBytes: number; minIntervalMs?: number };
  dbProbeIntervalMs: number;
  /** What must answer before consumption resumes (a reachable database without our table is down). */
  probeSql: string;
  /** Topics renamed through the environment, each with the catalog topic whose spec it takes. */
  standIns: [name: string, catalogTopic: string][];
  /** Seconds of each offset commit request. */
  onCommitted?: (seconds: number) => void;
}

/**
 * A consumer group member that writes to Postgres, as a batch handler on the {@link KafkaBatchServer}
 * (autoCommit off; what the subclass resolves is committed once its handler returned). When
 * Postgres cannot take writes the subclass calls {@link pauseForPostgres}: the topic is paused
 * (nothing past the last stored record is resolved, so the rest is fetched again after the resume)
 * and a probe retries until the database answers; the status (and so `/health`) says why meanwhile.
 */
export abstract class PostgresPacedConsumer
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy
{
  protected readonly logger = new Logger(this.constructor.name);
  private resumeAfterPostgres: (() => void) | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  protected constructor(
    private readonly server: KafkaBatchServer,
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    protected readonly status: ConsumerStatus,
    private readonly pausedGauge: Gauge,
    private readonly options: PacedConsumerOptions,
  ) {}

  onModuleInit(): void {
    const { pattern, groupId, topic, partitionsConcurrency, sessionTimeoutMs, fetch } =
      this.options;
    this.server.subscribe({
      pattern,
      groupId,
      topics: [topic],
      partitionsConsumedConcurrently: partitionsConcurrency,
      minFetchIntervalMs: fetch?.minIntervalMs,
      consumer: {
        // Records of aborted transactions (the produce path's) must never be applied.
        readUncommitted: false,
        sessionTimeout: sessionTimeoutMs,
        heartbeatInterval: Math.floor(sessionTimeoutMs / 5),
        ...(fetch && { maxWaitTimeInMs: fetch.maxWaitTimeInMs, minBytes: fetch.minBytes }),
      },
      onEvent: (event) => this.onGroupEvent(event),
    });
  }

  /** Before the server listens (`startAllMicroservices` runs after `init`). */
  async onApplicationBootstrap(): Promise<void> {
    await this.provisionStandIns();
  }

  onModuleDestroy(): void {
    this.stopping = true;
    clearTimeout(this.probeTimer);
  }

  private onGroupEvent(event: GroupMemberEvent): void {
    const { groupId, topic, name } = this.options;
    switch (event.type) {
      case 'joined': {
        const partitions = event.assignment[topic] ?? [];
        this.status.assign(partitions);
        this.logger.log(`joined ${groupId}; owns ${topic} partitions [${partitions.join(', ')}]`);
        // The transport keeps a restarted consumer paused while we wait for Postgres.
        if (!this.resumeAfterPostgres) this.status.set('running');
        return;
      }
      case 'crashed':
        this.status.set(event.kafkajsRestarts ? 'restarting' : 'crashed', event.reason);
        return;
      case 'committed':
        this.options.onCommitted?.(event.seconds);
        return;
      case 'stopping':
        this.stopping = true;
        this.status.set('stopping');
        this.logger.log(`stopping the ${name} consumer`);
        return;
      case 'stopped':
        this.status.set('stopped');
        this.logger.log(`${name} consumer stopped`);
    }
  }

  /** False once the batch must stop: a rebalance, a shutdown or a pause for Postgres. */
  private keepGoingWith(context: KafkaBatchContext): () => boolean {
    return () => !context.isStale() && !this.resumeAfterPostgres;
  }

  /**
   * Applies a batch chunk by chunk: resolves what each chunk finished, pauses for Postgres when a
   * chunk halted, and stops at a rebalance, a shutdown or a pause. Heartbeats between chunks only:
   * a rebalance error after the last one would fail a batch that is done.
   */
  protected async applyInChunks(
    records: KafkaMessage[],
    context: KafkaBatchContext,
    chunkSize: number,
    apply: (messages: KafkaMessage[], keepGoing: () => boolean) => Promise<ChunkProgress>,
  ): Promise<void> {
    const keepGoing = this.keepGoingWith(context);
    let first = true;
    for (const messages of chunksOf(records, chunkSize)) {
      if (!first) await context.heartbeat();
      first = false;
      if (!keepGoing()) return;
      const { lastDoneOffset, haltedBy } = await apply(messages, keepGoing);
      if (lastDoneOffset !== undefined) context.resolveOffset(lastDoneOffset);
      if (haltedBy !== undefined) {
        this.pauseForPostgres(context, haltedBy);
        return;
      }
    }
  }

  private pauseForPostgres(context: KafkaBatchContext, reason: string): void {
    if (this.resumeAfterPostgres || this.stopping) return;
    this.resumeAfterPostgres = context.pause();
    this.status.set('paused', `postgres unreachable: ${reason}`);
    this.pausedGauge.set(1);
    this.logger.warn(`paused ${this.options.topic}: Postgres cannot take writes (${reason})`);
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.stopping) return;
    this.probeTimer = setTimeout(() => void this.probe(), this.options.dbProbeIntervalMs);
  }

  private async probe(): Promise<void> {
    try {
      await withTimeout(
        this.dataSource.query(this.options.probeSql),
        2000,
        'Postgres did not answer',
      );
    } catch (error) {
      this.status.set('paused', `postgres unreachable: ${describeError(error)}`);
      this.scheduleProbe();
      return;
    }
    if (this.stopping) return;
    const resume = this.resumeAfterPostgres;
    this.resumeAfterPostgres = undefined;
    resume?.();
    this.status.set('running');
    this.pausedGauge.set(0);
    this.logger.log(`Postgres is back; resumed ${this.options.topic}`);
  }

  /**
   * The catalog topics are provisioned by KafkaModule; topics renamed through the environment get
   * the same spec as the catalog topic they stand in for.
   */
  private async provisionStandIns(): Promise<void> {
    const specs: TopicSpec[] = this.options.standIns
      .filter(([name]) => !TOPIC_CATALOG.some((spec) => spec.name === name))
      .flatMap(([name, model]) => {
        const spec = TOPIC_CATALOG.find((s) => s.name === model);
        return spec ? [{ ...spec, name }] : [];
      });
    if (specs.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await new TopicProvisioner(admin).ensure(specs);
    } finally {
      await admin.disconnect();
    }
  }
}

/** What applying a chunk finished. */
export interface ChunkProgress {
  /** Last offset of the chunk that is stored (and answered). */
  lastDoneOffset?: string;
  /** Set when Postgres cannot take writes: the rest of the chunk is untouched. */
  haltedBy?: string;
}

/** A batch's messages in chunks of at most `size`. */
function* chunksOf(messages: KafkaMessage[], size: number): Generator<KafkaMessage[]> {
  for (let start = 0; start < messages.length; start += size)
    yield messages.slice(start, start + size);
}
