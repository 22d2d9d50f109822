import type { Kafka, KafkaMessage } from 'kafkajs';
import { context as traceContext } from '@opentelemetry/api';
import type { DataSource } from 'typeorm';
import { PIX_TOPICS, TOPICS } from '@event-hub/contracts';
import {
  ACKS_ALL,
  type KafkaBatchContext,
  type KafkaBatchServer,
  type KafkaProducer,
  startRecordSpan,
} from '@event-hub/kafka';
import { failSpan } from '@event-hub/observability';
import { deadLetterRecord } from '../../command-intake/outgoing-records';
import type { ProcessorSettings } from '../../config/processor.settings';
import { ConsumerStatus } from '../../consumption/consumer-status';
import { describeError, isConnectivityError } from '../../consumption/database-errors';
import { PostgresPacedConsumer } from '../../consumption/postgres-paced-consumer';
import type { ProcessorMetrics } from '../../metrics/processor.metrics';
import { PoisonRecord } from './pix-stage-message';
import type { PixStage, PixStageMetrics } from './pix-stage.metrics';

const CHUNK = 50;

export interface PixStageDependencies {
  server: KafkaBatchServer;
  kafka: Kafka;
  dataSource: DataSource;
  producer: KafkaProducer;
  processor: ProcessorSettings;
  topicPrefix: string;
  processorMetrics: ProcessorMetrics;
  metrics: PixStageMetrics;
  statuses: PixStageStatuses;
}

/** What each stage consumer is doing, for /health (controllers cannot be injected elsewhere). */
export class PixStageStatuses {
  readonly antifraud = new ConsumerStatus();
  readonly settlement = new ConsumerStatus();
}

/**
 * One PIX stage as a consumer group on its topic. Records are handled one by one, each stage
 * being its own Postgres transaction keyed by the payment's state, so a redelivered record changes
 * nothing. A record that can never be handled (not an envelope, invalid fields, a statement that
 * keeps failing) goes to the PIX dead-letter topic with its reason before its offset is resolved;
 * Postgres unreachable pauses the topic instead (nothing is dead-lettered for an outage).
 */
export abstract class PixStageConsumer extends PostgresPacedConsumer {
  private readonly dlqTopic: string;

  protected constructor(
    protected readonly deps: PixStageDependencies,
    private readonly stage: PixStage,
    pattern: string,
    catalogTopic: (typeof PIX_TOPICS)[number],
  ) {
    const status = deps.statuses[stage];
    const prefixed = (name: string) => `${deps.topicPrefix}${name}`;
    super(deps.server, deps.kafka, deps.dataSource, status, deps.processorMetrics.consumerPaused, {
      name: `pix ${stage}`,
      pattern,
      groupId: `${deps.processor.groupId}-pix-${stage}`,
      topic: prefixed(catalogTopic),
      partitionsConcurrency: 2,
      sessionTimeoutMs: deps.processor.sessionTimeoutMs,
      dbProbeIntervalMs: deps.processor.dbProbeIntervalMs,
      probeSql: 'SELECT 1 FROM pix_payments LIMIT 1',
      // Every topic a PIX stage or relay writes, when renamed, gets its catalog spec.
      standIns: PIX_TOPICS.map((name) => [prefixed(name), name]),
    });
    this.dlqTopic = prefixed(TOPICS.pixPaymentsDlq);
  }

  /** Runs the stage for one record; throws PoisonRecord for a record no retry can handle. */
  protected abstract handle(message: KafkaMessage): Promise<void>;

  protected consumeBatch(records: KafkaMessage[], context: KafkaBatchContext): Promise<void> {
    return this.applyInChunks(records, context, CHUNK, async (messages, keepGoing) => {
      const letters: ReturnType<typeof deadLetterRecord>[] = [];
      let lastDoneOffset: string | undefined;
      let haltedBy: string | undefined;
      for (const message of messages) {
        if (!keepGoing()) break;
        const failure = await this.attemptTraced(message, context);
        if (failure?.kind === 'outage') {
          haltedBy = failure.reason;
          break;
        }
        if (failure?.kind === 'poison') {
          letters.push(
            deadLetterRecord({
              topic: context.topic,
              partition: context.partition,
              message,
              error: { code: failure.code, message: failure.reason },
              attempts: failure.attempts,
            }),
          );
          this.deps.metrics.deadLetters.inc({ stage: this.stage, reason: failure.code });
          this.logger.warn(`dead-lettered ${context.topic}@${message.offset}: ${failure.reason}`);
        }
        lastDoneOffset = message.offset;
      }
      if (letters.length > 0) {
        // Before the offsets move past them: a crash here redelivers, never loses, the records.
        await this.deps.producer.producer.send({
          topic: this.dlqTopic,
          messages: letters,
          acks: ACKS_ALL,
        });
      }
      return { lastDoneOffset, haltedBy };
    });
  }

  /**
   * Handles one record in a consumer span of the trace its headers carry, so the outbox records it
   * writes (next stage, notification) carry that trace on: one trace follows a payment through
   * every stage, to the RabbitMQ message.
   */
  private async attemptTraced(
    message: KafkaMessage,
    batch: KafkaBatchContext,
  ): ReturnType<PixStageConsumer['attempt']> {
    const record = startRecordSpan(batch.topic, message, batch.partition);
    try {
      const failure = await traceContext.with(record.context, () => this.attempt(message));
      if (failure) failSpan(record.span, new Error(failure.reason));
      return failure;
    } finally {
      record.span.end();
    }
  }

  private async attempt(
    message: KafkaMessage,
  ): Promise<
    | undefined
    | { kind: 'outage'; reason: string }
    | { kind: 'poison'; code: string; reason: string; attempts: number }
  > {
    const { maxAttempts, retryBackoffMs } = this.deps.processor;
    for (let attempt = 1; ; attempt += 1) {
      const end = this.deps.metrics.duration.startTimer({ stage: this.stage });
      try {
        await this.handle(message);
        end();
        return undefined;
      } catch (error) {
        if (error instanceof PoisonRecord) {
          return { kind: 'poison', code: error.code, reason: error.message, attempts: attempt };
        }
        if (isConnectivityError(error)) return { kind: 'outage', reason: describeError(error) };
        if (attempt >= maxAttempts) {
          return {
            kind: 'poison',
            code: 'UNPROCESSABLE',
            reason: describeError(error),
            attempts: attempt,
          };
        }
        await new Promise((resolve) => setTimeout(resolve, retryBackoffMs * 2 ** (attempt - 1)));
      }
    }
  }
}
