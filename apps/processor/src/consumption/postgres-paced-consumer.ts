import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { TOPIC_CATALOG, type TopicSpec } from '@event-hub/contracts';
import { TopicProvisioner, withTimeout } from '@event-hub/kafka';
import type { ConsumerStatus } from '../consumption/consumer-status';
import { describeError } from '../consumption/database-errors';

/** How long after a crash kafkajs does not recover from a new consumer is started. */
const RESTART_AFTER_CRASH_MS = 1000;

export interface PacedConsumerOptions {
  /** For logs: "command", "usage". */
  name: string;
  groupId: string;
  topic: string;
  partitionsConcurrency: number;
  sessionTimeoutMs: number;
  dbProbeIntervalMs: number;
  /** What must answer before consumption resumes (a reachable database without our table is down). */
  probeSql: string;
  /** Topics renamed through the environment, each with the catalog topic whose spec it takes. */
  standIns: [name: string, catalogTopic: string][];
}

/**
 * A consumer group member that writes to Postgres: `eachBatch` with autoCommit off and offsets
 * resolved by the subclass only once stored. When Postgres cannot take writes the subclass calls
 * {@link pauseForPostgres}: the topic is paused (nothing past the last stored record is resolved,
 * so the rest is fetched again after `resume`) and a probe retries until the database answers;
 * the status (and so `/health`) says why meanwhile.
 */
export abstract class PostgresPacedConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly logger = new Logger(this.constructor.name);
  private consumer: Consumer | undefined;
  private pausedForPostgres = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  protected constructor(
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    protected readonly status: ConsumerStatus,
    private readonly pausedGauge: Gauge,
    private readonly options: PacedConsumerOptions,
  ) {}

  /** Applies one fetched batch; returns early when {@link keepGoing} turns false. */
  protected abstract consume(payload: EachBatchPayload): Promise<void>;

  async onApplicationBootstrap(): Promise<void> {
    await this.provisionStandIns();
    await this.start();
  }

  private async start(): Promise<void> {
    const { groupId, topic, partitionsConcurrency, sessionTimeoutMs } = this.options;
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      // Records of aborted transactions (the produce path's) must never be applied.
      readUncommitted: false,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: Math.floor(sessionTimeoutMs / 5),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const partitions = payload.memberAssignment[topic] ?? [];
      this.status.assign(partitions);
      this.logger.log(`joined ${groupId}; owns ${topic} partitions [${partitions.join(', ')}]`);
      // A restarted consumer forgets pauses: keep waiting for Postgres if we were.
      if (this.pausedForPostgres) consumer.pause([{ topic }]);
      else this.status.set('running');
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      const reason = `consumer crashed: ${payload.error.message}`;
      this.logger.error(
        `${reason}${payload.restart ? '; kafkajs restarts it' : '; restarting it'}`,
      );
      if (this.stopping) return;
      this.status.set(payload.restart ? 'restarting' : 'crashed', reason);
      // kafkajs gives up on errors it deems fatal, such as no coordinator right after the broker
      // came back: a consumer left dead would never read again, so start a new one.
      if (!payload.restart) this.scheduleRestart(consumer);
    });

    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: partitionsConcurrency,
      eachBatch: (payload) => this.consume(payload),
    });
    if (this.status.state === 'starting') this.status.set('running');
  }

  private scheduleRestart(crashed: Consumer): void {
    this.restartTimer = setTimeout(() => void this.restart(crashed), RESTART_AFTER_CRASH_MS);
  }

  private async restart(crashed: Consumer): Promise<void> {
    if (this.stopping || this.consumer !== crashed) return;
    await crashed.disconnect().catch(() => undefined);
    try {
      await this.start();
    } catch (error) {
      this.logger.error(
        `could not restart the ${this.options.name} consumer: ${describeError(error)}`,
      );
      if (this.consumer) this.scheduleRestart(this.consumer);
    }
  }

  /** SIGTERM: finish the unit in flight (its commit included), leave the group, then close. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.probeTimer);
    clearTimeout(this.restartTimer);
    this.status.set('stopping');
    this.logger.log(`stopping the ${this.options.name} consumer`);
    await this.consumer?.disconnect();
    this.status.set('stopped');
    this.logger.log(`${this.options.name} consumer stopped`);
  }

  /** False once the batch must stop: a rebalance, a shutdown or a pause for Postgres. */
  protected keepGoingWith(payload: EachBatchPayload): () => boolean {
    return () => payload.isRunning() && !payload.isStale() && !this.pausedForPostgres;
  }

  protected pauseForPostgres(reason: string): void {
    if (this.pausedForPostgres || this.stopping) return;
    this.pausedForPostgres = true;
    this.consumer?.pause([{ topic: this.options.topic }]);
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
    this.pausedForPostgres = false;
    this.consumer?.resume([{ topic: this.options.topic }]);
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

/** A batch's messages in chunks of at most `size`, flagging the last one. */
export function* chunksOf(
  messages: KafkaMessage[],
  size: number,
): Generator<{ messages: KafkaMessage[]; last: boolean }> {
  for (let start = 0; start < messages.length; start += size)
    yield { messages: messages.slice(start, start + size), last: start + size >= messages.length };
}
