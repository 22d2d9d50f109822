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
import { KAFKA_CLIENT, TopicProvisioner, withTimeout } from '@event-hub/kafka';
import { PROCESSOR_SETTINGS, type ProcessorSettings } from '../config/processor.settings';
import { ProcessorMetrics } from '../metrics/processor.metrics';
import { BatchCoalescer } from './batch-coalescer';
import { ConsumerStatus } from './consumer-status';
import { describeError } from './database-errors';

/**
 * Consumes the command topic in a consumer group with `eachBatch` (autoCommit off, offsets resolved
 * by hand), several partitions at once; the partitions of one fetch are applied as one unit by the
 * {@link BatchCoalescer}. An offset is resolved and committed only once its record is applied and
 * answered; a crash anywhere before that means a redelivery, which the inbox answers without
 * applying twice.
 *
 * When Postgres is unreachable the topic is paused (nothing past the last applied record is
 * resolved, so the records are fetched again after `resume`) and a probe checks the database until
 * it answers.
 */
@Injectable()
export class CommandConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CommandConsumer.name);
  private consumer: Consumer | undefined;
  private pausedForPostgres = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(PROCESSOR_SETTINGS) private readonly settings: ProcessorSettings,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly coalescer: BatchCoalescer,
    private readonly status: ConsumerStatus,
    private readonly metrics: ProcessorMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.provisionConfiguredTopics();
    const { groupId, commandTopic, partitionsConcurrency, sessionTimeoutMs } = this.settings;
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: Math.floor(sessionTimeoutMs / 5),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const partitions = payload.memberAssignment[commandTopic] ?? [];
      this.status.assign(partitions);
      this.logger.log(
        `joined ${groupId}; owns ${commandTopic} partitions [${partitions.join(', ')}]`,
      );
      // A restarted consumer forgets pauses: keep waiting for Postgres if we were.
      if (this.pausedForPostgres) consumer.pause([{ topic: commandTopic }]);
      else this.status.set('running');
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      const reason = `consumer crashed: ${payload.error.message}`;
      this.logger.error(`${reason}${payload.restart ? '; kafkajs restarts it' : ''}`);
      if (!this.stopping) this.status.set(payload.restart ? 'restarting' : 'crashed', reason);
    });

    await consumer.connect();
    await consumer.subscribe({ topic: commandTopic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: partitionsConcurrency,
      eachBatch: (payload) => this.consume(payload),
    });
    if (this.status.state === 'starting') this.status.set('running');
  }

  /** SIGTERM: finish the unit in flight (its commit included), leave the group, then close. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.probeTimer);
    this.status.set('stopping');
    this.logger.log('stopping the command consumer');
    await this.consumer?.disconnect();
    this.status.set('stopped');
    this.logger.log('command consumer stopped');
  }

  private async consume(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } =
      payload;
    const keepGoing = () => isRunning() && !isStale() && !this.pausedForPostgres;

    for (const messages of chunks(batch.messages, this.settings.maxBatchSize)) {
      if (!keepGoing()) return;
      const chunk = {
        topic: batch.topic,
        partition: batch.partition,
        messages,
        keepGoing,
        heartbeat,
      };
      const result = await this.coalescer.submit(chunk, commitOffsetsIfNecessary);
      if (result.lastDoneOffset !== undefined) resolveOffset(result.lastDoneOffset);
      if (result.haltedBy !== undefined) {
        this.pauseForPostgres(result.haltedBy);
        return;
      }
      await heartbeat();
    }
  }

  private pauseForPostgres(reason: string): void {
    if (this.pausedForPostgres || this.stopping) return;
    this.pausedForPostgres = true;
    this.consumer?.pause([{ topic: this.settings.commandTopic }]);
    this.status.set('paused', `postgres unreachable: ${reason}`);
    this.metrics.consumerPaused.set(1);
    this.logger.warn(`paused ${this.settings.commandTopic}: Postgres is unreachable (${reason})`);
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.stopping) return;
    this.probeTimer = setTimeout(() => void this.probe(), this.settings.dbProbeIntervalMs);
  }

  private async probe(): Promise<void> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 2000, 'Postgres did not answer');
    } catch (error) {
      this.status.set('paused', `postgres unreachable: ${describeError(error)}`);
      this.scheduleProbe();
      return;
    }
    if (this.stopping) return;
    this.pausedForPostgres = false;
    this.consumer?.resume([{ topic: this.settings.commandTopic }]);
    this.status.set('running');
    this.metrics.consumerPaused.set(0);
    this.logger.log(`Postgres is back; resumed ${this.settings.commandTopic}`);
  }

  /**
   * The catalog topics are provisioned by KafkaModule; topics renamed through the environment get
   * the same spec as the catalog topic they stand in for.
   */
  private async provisionConfiguredTopics(): Promise<void> {
    const standIns: [string, string][] = [
      [this.settings.commandTopic, TOPICS.userEvents],
      [this.settings.replyTopic, TOPICS.responseEvents],
      [this.settings.dlqTopic, TOPICS.userEventsDlq],
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

function* chunks(messages: KafkaMessage[], size: number): Generator<KafkaMessage[]> {
  for (let start = 0; start < messages.length; start += size)
    yield messages.slice(start, start + size);
}
