import type { Kafka, KafkaMessage } from 'kafkajs';
import type { Context } from '@opentelemetry/api';
import type { DataSource } from 'typeorm';
import { PIX_TOPICS, TOPICS } from '@event-hub/contracts';
import {
  ACKS_ALL,
  type KafkaBatchContext,
  type KafkaBatchServer,
  type KafkaProducer,
  type RecordSpan,
  startRecordSpan,
} from '@event-hub/kafka';
import { failSpan } from '@event-hub/observability';
import { deadLetterRecord } from '../../command-intake/outgoing-records';
import type { ProcessorSettings } from '../../config/processor.settings';
import { ConsumerStatus } from '../../consumption/consumer-status';
import { describeError, isConnectivityError } from '../../consumption/database-errors';
import {
  PostgresPacedConsumer,
  type ChunkProgress,
} from '../../consumption/postgres-paced-consumer';
import type { ProcessorMetrics } from '../../metrics/processor.metrics';
import { ChunkCombiner } from './chunk-combiner';
import { PoisonRecord } from './pix-stage-message';
import type { PixStage, PixStageMetrics } from './pix-stage.metrics';
import type { PixOutboxSignal } from '../relays/outbox-signal';

const CHUNK = 50;
/**
 * kafkajs workers per stage: at least the partitions one processor owns (6 per PIX topic in the
 * catalog and the bench), so every partition batch of a fetch is handed over at once and
 * {@link ChunkCombiner} can make them one transaction. They do not reach Postgres at once:
 * {@link TRANSACTIONS_AT_ONCE} caps that.
 */
const PARTITIONS_AT_ONCE = 12;
/** Chunk transactions of one stage running at once (what `partitionsConcurrency: 2` allowed). */
const TRANSACTIONS_AT_ONCE = 2;

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
  /** Told after each chunk's commit, so the relays publish its outbox rows without waiting to poll. */
  outboxSignal: PixOutboxSignal;
}

/** What each stage consumer is doing, for /health (controllers cannot be injected elsewhere). */
export class PixStageStatuses {
  readonly antifraud = new ConsumerStatus();
  readonly settlement = new ConsumerStatus();
}

/** One record of a chunk: parsed, with the trace (its consumer span) its stage continues. */
export interface StageItem<T> {
  message: KafkaMessage;
  value: T;
  trace: Context;
}

type Failure =
  | { kind: 'outage'; reason: string }
  | { kind: 'poison'; code: string; reason: string; attempts: number };

/**
 * One PIX stage as a consumer group on its topic. The records of a fetched chunk are handled in
 * one Postgres transaction (the subclass's {@link handleChunk}), keyed by each payment's state, so
 * a redelivered record changes nothing; a record that is poison on its own (not an envelope,
 * invalid fields, a payer that does not exist) is dead-lettered without failing the others. When
 * the chunk's transaction fails for another reason, its records are handled one by one (a chunk
 * of one each, with retries), so one record that keeps failing goes to the PIX dead-letter topic
 * with its reason, before its offset is resolved, and the others are stored. Postgres unreachable
 * pauses the topic instead (nothing is dead-lettered for an outage).
 */
export abstract class PixStageConsumer<T> extends PostgresPacedConsumer {
  private readonly dlqTopic: string;
  /** The partitions' chunks handed over together, in one transaction. */
  private readonly together: ChunkCombiner<StageItem<T>, PoisonRecord | undefined>;

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
      partitionsConcurrency: PARTITIONS_AT_ONCE,
      sessionTimeoutMs: deps.processor.sessionTimeoutMs,
      // Fetches wait for a few records, as the command consumer's do: a chunk's transaction costs
      // about the same for one payment as for fifty, so a fetch answered at the first record
      // would spend it on one or two.
      fetch: {
        maxWaitTimeInMs: deps.processor.fetchMaxWaitMs,
        minBytes: deps.processor.fetchMinBytes,
        minIntervalMs: deps.processor.fetchMinIntervalMs,
      },
      dbProbeIntervalMs: deps.processor.dbProbeIntervalMs,
      probeSql: 'SELECT 1 FROM pix_payments LIMIT 1',
      // Every topic a PIX stage or relay writes, when renamed, gets its catalog spec.
      standIns: PIX_TOPICS.map((name) => [prefixed(name), name]),
    });
    this.dlqTopic = prefixed(TOPICS.pixPaymentsDlq);
    this.together = new ChunkCombiner((items) => this.timedChunk(items), {
      inFlight: TRANSACTIONS_AT_ONCE,
      maxItems: CHUNK,
    });
  }

  /** The record's content; throws PoisonRecord for a record no retry can handle. */
  protected abstract parse(message: KafkaMessage): T;

  /**
   * Runs the stage for the items, in one transaction; answers, per item in order, the
   * PoisonRecord of one that can never be handled (its effects, if any, rolled back with nothing
   * else) or undefined. Throws when the transaction failed as a whole.
   */
  protected abstract handleChunk(items: StageItem<T>[]): Promise<(PoisonRecord | undefined)[]>;

  protected consumeBatch(records: KafkaMessage[], context: KafkaBatchContext): Promise<void> {
    return this.applyInChunks(records, context, CHUNK, async (messages, keepGoing) => {
      // Each record in a consumer span of the trace its headers carry, so the outbox records it
      // causes (next stage, notification) carry that trace on: one trace follows a payment
      // through every stage, to the RabbitMQ message.
      const spans = messages.map((m) => startRecordSpan(context.topic, m, context.partition));
      try {
        // A chunk of one too: it is mostly what a partition holds at a moderate rate, and goes
        // with the other partitions' (a lone record that fails is then tried once more, alone).
        const failures =
          (await this.attemptTogether(messages, spans)) ??
          (await this.attemptOneByOne(messages, spans, keepGoing));
        return await this.conclude(messages, failures, spans, context);
      } finally {
        for (const { span } of spans) span.end();
      }
    });
  }

  /**
   * The chunk in one transaction (with the chunks other partitions hand over at the same time): a
   * failure per message, or undefined when the transaction failed for a reason that may be one
   * record's (the caller then goes one by one, alone).
   */
  private async attemptTogether(
    messages: KafkaMessage[],
    spans: RecordSpan[],
  ): Promise<(Failure | undefined)[] | undefined> {
    const failures: (Failure | undefined)[] = messages.map(() => undefined);
    const items: StageItem<T>[] = [];
    const at: number[] = [];
    for (const [i, message] of messages.entries()) {
      try {
        items.push({
          message,
          value: this.parse(message),
          trace: (spans[i] as RecordSpan).context,
        });
        at.push(i);
      } catch (error) {
        // Anything but a known poison record: one by one, where attempt() sorts it out.
        if (!(error instanceof PoisonRecord)) return undefined;
        failures[i] = poison(error, 1);
      }
    }
    if (items.length === 0) return failures;
    try {
      const poisoned = await this.together.run(items);
      poisoned.forEach((error, k) => {
        if (error) failures[at[k] as number] = poison(error, 1);
      });
    } catch (error) {
      if (isConnectivityError(error)) {
        // Nothing of the chunk is stored: the first record halts it.
        return messages.map(() => ({ kind: 'outage', reason: describeError(error) }));
      }
      this.logger.warn(`a chunk of ${items.length} failed (${describeError(error)}); one by one`);
      return undefined;
    }
    return failures;
  }

  /** {@link handleChunk}, observed as the stage's time per payment (the transaction's, shared). */
  private async timedChunk(items: StageItem<T>[]): Promise<(PoisonRecord | undefined)[]> {
    const started = process.hrtime.bigint();
    const poisoned = await this.handleChunk(items);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9 / items.length;
    for (let k = 0; k < items.length; k++)
      this.deps.metrics.duration.observe({ stage: this.stage }, seconds);
    return poisoned;
  }

  private async attemptOneByOne(
    messages: KafkaMessage[],
    spans: RecordSpan[],
    keepGoing: () => boolean,
  ): Promise<(Failure | undefined | 'skipped')[]> {
    const failures: (Failure | undefined | 'skipped')[] = messages.map(() => 'skipped');
    for (let i = 0; i < messages.length; i++) {
      if (!keepGoing()) break;
      const failure = await this.attempt(messages[i] as KafkaMessage, spans[i] as RecordSpan);
      failures[i] = failure;
      if (failure?.kind === 'outage') break;
    }
    return failures;
  }

  /** Dead-letters the poison, resolves up to the last record done, halts at an outage. */
  private async conclude(
    messages: KafkaMessage[],
    failures: (Failure | undefined | 'skipped')[],
    spans: RecordSpan[],
    context: KafkaBatchContext,
  ): Promise<ChunkProgress> {
    const letters: ReturnType<typeof deadLetterRecord>[] = [];
    let lastDoneOffset: string | undefined;
    let haltedBy: string | undefined;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i] as KafkaMessage;
      const failure = failures[i];
      if (failure === 'skipped') break;
      if (failure?.kind === 'outage') {
        haltedBy = failure.reason;
        break;
      }
      if (failure?.kind === 'poison') {
        failSpan((spans[i] as RecordSpan).span, new Error(failure.reason));
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
  }

  /** One record as a chunk of one, again after a failure up to `maxAttempts`. */
  private async attempt(message: KafkaMessage, record: RecordSpan): Promise<Failure | undefined> {
    const { maxAttempts, retryBackoffMs } = this.deps.processor;
    for (let attempt = 1; ; attempt += 1) {
      const end = this.deps.metrics.duration.startTimer({ stage: this.stage });
      try {
        const item = { message, value: this.parse(message), trace: record.context };
        const [poisoned] = await this.handleChunk([item]);
        if (poisoned) throw poisoned;
        end();
        return undefined;
      } catch (error) {
        if (error instanceof PoisonRecord) return poison(error, attempt);
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

function poison(error: PoisonRecord, attempts: number): Failure {
  return { kind: 'poison', code: error.code, reason: error.message, attempts };
}
