import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  TransactionAbortedError,
  TransactionOutcomeUnknownError,
  TransactionQueueFullError,
  TransactionalPartitioner,
  type RecordPosition,
  type TrailerRecord,
  type TransactionalRecord,
} from '@event-hub/kafka';
import type { GatewayEnvironment } from '../../../../config/gateway.environment';
import { RateQuotas } from '../../../../quotas/rate-quotas';
import { RecordValueValidator } from '../../../../schemas/record-value-validator';
import {
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
} from '../../../../shared/http-errors';
import { TopicNotFoundError } from '../../../../topics/shared/topic.errors';
import { TenantTopicDirectory, type TenantTopic } from '../../../../topics/tenant-topic-directory';
import { UsageEvents } from '../../../../usage/usage-events';
import { PendingProduceSettler } from '../../idempotency/pending-produce-settler';
import { ProduceIdempotencyStore } from '../../idempotency/produce-idempotency.store';
import { ProduceCrashPoints } from '../../shared/produce-crash-points';
import { ProduceTransactions } from '../../shared/produce-transactions';
import {
  KeyRequiredError,
  PartitionOutOfRangeError,
  RecordValuesInvalidError,
  RecordsNotProducedError,
} from '../../shared/produce.errors';
import { ProduceMetrics } from '../../shared/produce.metrics';
import type { ProducedRecordsView } from '../../shared/produce.views';
import {
  assertWithinProduceLimits,
  encodeRecord,
  type EncodedRecord,
  type ProduceLimits,
} from '../../shared/record-encoding';
import { ProduceRecordsCommand, type ProduceResult } from './produce-records.command';

/**
 * Checks everything that can refuse the request before anything is written (topic, size limits,
 * Idempotency-Key, schema, quota), then writes the records and their one usage event in one Kafka
 * transaction: Kafka holds the records exactly when it holds the usage event, so billing (which
 * deduplicates usage events by id) counts every accepted request once, even across crashes. With
 * an Idempotency-Key the usage event also carries the key and the records' positions, so a retry
 * after a crash learns from the committed log whether (and where) the first attempt was written.
 */
@CommandHandler(ProduceRecordsCommand)
export class ProduceRecordsHandler implements ICommandHandler<
  ProduceRecordsCommand,
  ProduceResult
> {
  private readonly logger = new Logger(ProduceRecordsHandler.name);
  private readonly limits: ProduceLimits;
  private readonly retryAfterSeconds: number;
  /** Also the longest a claim may wait before its write starts (see ProduceTransactions.settledAfterMs). */
  private readonly timeoutMs: number;
  private readonly partitioner = new TransactionalPartitioner();

  constructor(
    private readonly topics: TenantTopicDirectory,
    private readonly transactions: ProduceTransactions,
    private readonly usage: UsageEvents,
    private readonly idempotency: ProduceIdempotencyStore,
    private readonly metrics: ProduceMetrics,
    private readonly validator: RecordValueValidator,
    private readonly quotas: RateQuotas,
    private readonly settler: PendingProduceSettler,
    private readonly crashPoints: ProduceCrashPoints,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.limits = {
      maxRecords: config.get('GATEWAY_PRODUCE_MAX_RECORDS'),
      maxRecordBytes: config.get('GATEWAY_PRODUCE_MAX_RECORD_BYTES'),
      maxRequestBytes: config.get('GATEWAY_PRODUCE_MAX_REQUEST_BYTES'),
    };
    this.retryAfterSeconds = config.get('GATEWAY_RETRY_AFTER_SECONDS');
    this.timeoutMs = config.get('GATEWAY_PRODUCE_TIMEOUT_MS');
  }

  async execute(command: ProduceRecordsCommand): Promise<ProduceResult> {
    try {
      const result = await this.produce(command);
      this.metrics.requests.inc({ outcome: result.replayed ? 'replayed' : 'produced' });
      return result;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      this.metrics.requests.inc({ outcome: typeof code === 'string' ? code : 'INTERNAL_ERROR' });
      throw error;
    }
  }

  private async produce(command: ProduceRecordsCommand): Promise<ProduceResult> {
    const { tenantId, clientId, idempotency } = command;
    const acceptedAt = new Date();
    const topic = await this.topics.find(tenantId, command.topic);
    if (!topic) throw new TopicNotFoundError(command.topic);
    const encoded = command.records.map((record) => encodeRecord(record, { tenantId, clientId }));
    const bytes = assertWithinProduceLimits(encoded, this.limits);
    const compacted = topic.cleanupPolicy.includes('compact');
    encoded.forEach(({ partition, message }, index) => {
      if (partition !== undefined && partition >= topic.partitions) {
        throw new PartitionOutOfRangeError(index, partition, topic.partitions);
      }
      if (compacted && message.key === undefined) throw new KeyRequiredError(index);
    });

    let claimId: string | undefined;
    const claimedAt = Date.now();
    if (idempotency) {
      let claim = await this.idempotency.claim(
        clientId,
        idempotency.key,
        idempotency.requestHash,
        this.transactions.claimant,
      );
      if (claim.kind === 'pending') {
        claim = await this.settler.settle({
          tenantId,
          clientId,
          key: idempotency.key,
          claim: claim.claim,
        });
      }
      if (claim.kind === 'replay') return { view: claim.response, replayed: true };
      if (claim.kind === 'reused') throw new IdempotencyKeyReusedError();
      if (claim.kind === 'in_progress') throw new IdempotencyKeyInProgressError();
      claimId = claim.claimId;
      this.crashPoints.reached('claimed');
    }

    let committed = false;
    try {
      await this.validate(topic, command);
      if (this.quotas) {
        await this.quotas.ready(tenantId);
        await this.quotas.take(tenantId, 'produce', encoded.length, bytes);
      }
      const { records, usage } = await this.transactionRecords(
        topic,
        encoded,
        command,
        bytes,
        acceptedAt,
      );
      if (Date.now() - claimedAt > this.timeoutMs) {
        // A claim's write starts within the timeout, or never: what settles a claim left by a
        // dead gateway relies on it.
        throw new RecordsNotProducedError(
          'timeout',
          this.retryAfterSeconds,
          'The request waited too long before Kafka; nothing of it was written',
        );
      }
      const positions = idempotency
        ? await this.write(tenantId, records, bytes, (own) => {
            this.crashPoints.reached('sent');
            return usage(idempotency.key, own);
          })
        : await this.write(tenantId, [...records, usage()], bytes);
      committed = true;
      const view: ProducedRecordsView = {
        records: positions
          .slice(0, encoded.length)
          .map(({ partition, offset }) => ({ partition, offset })),
      };
      if (idempotency) {
        this.crashPoints.reached('committed');
        await this.remember(clientId, idempotency.key, view);
        this.crashPoints.reached('stored');
      }
      return { view, replayed: false };
    } catch (error) {
      // Not written (or not known to be): the key is free for the retry, except when the outcome
      // is unknown, where the retry settles it from the committed log instead.
      const unknown =
        error instanceof RecordsNotProducedError && error.extensions['written'] !== false;
      if (idempotency && claimId && !committed && !unknown) {
        await this.idempotency.release(clientId, idempotency.key, claimId).catch(() => undefined);
      }
      throw error;
    }
  }

  private async validate(topic: TenantTopic, command: ProduceRecordsCommand): Promise<void> {
    if (!topic.valueSubject) return;
    const problems = await this.validator.validate(
      command.tenantId,
      topic.valueSubject,
      command.records.map((record) => record.value),
    );
    if (problems.length > 0) throw new RecordValuesInvalidError(topic.valueSubject, problems);
  }

  /**
   * The records, and their usage event: sent with them, or (with an Idempotency-Key) right after
   * them in the same transaction, carrying the key and where they landed.
   */
  private async transactionRecords(
    topic: TenantTopic,
    encoded: readonly EncodedRecord[],
    command: ProduceRecordsCommand,
    bytes: number,
    acceptedAt: Date,
  ): Promise<{
    records: TransactionalRecord[];
    usage: (key?: string, positions?: readonly RecordPosition[]) => TransactionalRecord;
  }> {
    // The messages are this request's own (made by encodeRecord): each gets its partition in place.
    // A record naming its partition goes there (checked against the topic above); the others by key.
    const records: TransactionalRecord[] = encoded.map(({ message, partition }) => {
      message.partition =
        partition ?? this.partitioner.partitionOf(topic.physicalName, topic.partitions, message);
      return { topic: topic.physicalName, message: message as TransactionalRecord['message'] };
    });
    // Usage events are keyed by tenant: the partition does not depend on the rest of the event.
    const partition = this.partitioner.partitionOf(
      this.usage.topic,
      await this.usage.partitionCount(),
      { key: command.tenantId, value: null },
    );
    const usage = (key?: string, positions?: readonly RecordPosition[]): TransactionalRecord => ({
      topic: this.usage.topic,
      message: {
        ...this.usage.message({
          tenant: command.tenantId,
          topic: topic.name,
          clientId: command.clientId,
          action: 'produce',
          messages: encoded.length,
          bytes,
          eventTime: acceptedAt.toISOString(),
          ...(key && positions
            ? {
                idempotency: {
                  key,
                  records: positions.map(({ partition: p, offset }) => ({ partition: p, offset })),
                },
              }
            : {}),
        }),
        partition,
      },
    });
    return { records, usage };
  }

  private async write(
    tenant: string,
    records: TransactionalRecord[],
    bytes: number,
    trailer?: TrailerRecord,
  ) {
    const started = process.hrtime.bigint();
    const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const positions = await this.transactions.write(records, trailer);
      this.metrics.ackSeconds.observe({ outcome: 'committed' }, seconds());
      this.metrics.records.inc({ tenant }, positions.length - 1);
      this.metrics.bytes.inc({ tenant }, bytes);
      return positions;
    } catch (error) {
      this.metrics.ackSeconds.observe({ outcome: 'failed' }, seconds());
      throw this.notProduced(error);
    }
  }

  private notProduced(error: unknown): Error {
    const retry = this.retryAfterSeconds;
    if (error instanceof TransactionQueueFullError) {
      return new RecordsNotProducedError(
        'queue_full',
        retry,
        'Too many records are waiting for Kafka; nothing of this request was written',
      );
    }
    if (error instanceof TransactionOutcomeUnknownError) {
      return new RecordsNotProducedError(
        'outcome_unknown',
        retry,
        'Kafka did not confirm the commit in time; the records may or may not have been written',
      );
    }
    if (error instanceof TransactionAbortedError) {
      return new RecordsNotProducedError(
        error.reason === 'timeout' ? 'timeout' : 'aborted',
        retry,
        `${error.message}`,
      );
    }
    if ((error as { code?: unknown }).code === 'TRANSACTIONAL_PRODUCER_CLOSED') {
      return new RecordsNotProducedError(
        'closing',
        retry,
        'The gateway is shutting down; nothing of this request was written',
      );
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  /** The records are committed: failing to remember the answer must not turn it into an error. */
  private async remember(clientId: string, key: string, view: ProducedRecordsView): Promise<void> {
    try {
      await this.idempotency.complete(clientId, key, view);
    } catch (error) {
      this.logger.warn(
        { err: error, clientId },
        'records produced but their Idempotency-Key answer could not be stored',
      );
    }
  }
}
