import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { TOPIC_CATALOG, TOPICS, type TopicSpec } from '@event-hub/contracts';
import {
  ACKS_ALL,
  KAFKA_CLIENT,
  KafkaProducer,
  TopicProvisioner,
  withTimeout,
} from '@event-hub/kafka';
import { describeError } from '../command-intake/database-errors';
import { UsageChunkProcessor } from './usage-chunk.processor';
import { UsageConsumerStatus } from './usage-consumer-status';
import { USAGE_SETTINGS, type UsageSettings } from './usage-settings';
import { UsageMetrics } from './usage.metrics';

/**
 * Aggregates `usage_events` into `billing`: a consumer group reading committed records only (the
 * produce path writes usage events in the same Kafka transaction as the records, so an aborted
 * produce is never billed), `eachBatch` with autoCommit off. Per chunk: one INSERT … ON CONFLICT
 * DO NOTHING, then the chunk's dead letters (acks=all), then its offset is resolved and
 * committed. A crash before the commit means a redelivery, which inserts nothing.
 *
 * When Postgres cannot take the rows the topic is paused (nothing past the last stored record is
 * resolved, so the rest is fetched again after `resume`) and a probe retries until the billing
 * table answers; /health/usage reports the pause meanwhile.
 */
@Injectable()
export class UsageConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(UsageConsumer.name);
  private consumer: Consumer | undefined;
  private pausedForPostgres = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(USAGE_SETTINGS) private readonly settings: UsageSettings,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly processor: UsageChunkProcessor,
    private readonly producer: KafkaProducer,
    private readonly status: UsageConsumerStatus,
    private readonly metrics: UsageMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.provisionConfiguredTopics();
    const { groupId, topic, partitionsConcurrency, sessionTimeoutMs } = this.settings;
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
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
      this.logger.error(`${reason}${payload.restart ? '; kafkajs restarts it' : ''}`);
      if (!this.stopping) this.status.set(payload.restart ? 'restarting' : 'crashed', reason);
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

  /** SIGTERM: finish the chunk in flight (its commit included), leave the group, then close. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.probeTimer);
    this.status.set('stopping');
    await this.consumer?.disconnect();
    this.status.set('stopped');
    this.logger.log('usage consumer stopped');
  }

  private async consume(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } =
      payload;
    const keepGoing = () => isRunning() && !isStale() && !this.pausedForPostgres;

    for (const { messages, last } of chunks(batch.messages, this.settings.maxBatchSize)) {
      if (!keepGoing()) return;
      const outcome = await this.processor.process({
        topic: batch.topic,
        partition: batch.partition,
        messages,
        keepGoing,
      });
      if (outcome.deadLetters.length > 0) {
        await this.producer.producer.send({
          topic: this.settings.dlqTopic,
          messages: outcome.deadLetters,
          acks: ACKS_ALL,
        });
      }
      // Past the chunk's last record lie only transaction markers or aborted records when the
      // whole batch is done: committing past them keeps the measured lag at zero.
      const done =
        last && outcome.lastDoneOffset === messages.at(-1)?.offset
          ? batch.lastOffset()
          : outcome.lastDoneOffset;
      if (done !== undefined) {
        resolveOffset(done);
        await commitOffsetsIfNecessary({
          topics: [
            {
              topic: batch.topic,
              partitions: [{ partition: batch.partition, offset: (BigInt(done) + 1n).toString() }],
            },
          ],
        });
      }
      if (outcome.haltedBy !== undefined) {
        this.pauseForPostgres(outcome.haltedBy);
        return;
      }
      await heartbeat();
    }
  }

  private pauseForPostgres(reason: string): void {
    if (this.pausedForPostgres || this.stopping) return;
    this.pausedForPostgres = true;
    this.consumer?.pause([{ topic: this.settings.topic }]);
    this.status.set('paused', `postgres unreachable: ${reason}`);
    this.metrics.consumerPaused.set(1);
    this.logger.warn(`paused ${this.settings.topic}: Postgres cannot take usage rows (${reason})`);
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.stopping) return;
    this.probeTimer = setTimeout(() => void this.probe(), this.settings.dbProbeIntervalMs);
  }

  /** Asks the billing table itself: a reachable database without the table is still down for us. */
  private async probe(): Promise<void> {
    try {
      await withTimeout(
        this.dataSource.query('SELECT 1 FROM billing LIMIT 0'),
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
    this.consumer?.resume([{ topic: this.settings.topic }]);
    this.status.set('running');
    this.metrics.consumerPaused.set(0);
    this.logger.log(`Postgres is back; resumed ${this.settings.topic}`);
  }

  /** Topics renamed through the environment get the spec of the catalog topic they stand in for. */
  private async provisionConfiguredTopics(): Promise<void> {
    const standIns: [string, string][] = [
      [this.settings.topic, TOPICS.usageEvents],
      [this.settings.dlqTopic, TOPICS.usageEventsDlq],
    ];
    const specs: TopicSpec[] = standIns
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

function* chunks(
  messages: KafkaMessage[],
  size: number,
): Generator<{ messages: KafkaMessage[]; last: boolean }> {
  for (let start = 0; start < messages.length; start += size)
    yield { messages: messages.slice(start, start + size), last: start + size >= messages.length };
}
