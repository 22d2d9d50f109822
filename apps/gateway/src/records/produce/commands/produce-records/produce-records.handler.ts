import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  TransactionAbortedError,
  TransactionOutcomeUnknownError,
  TransactionQueueFullError,
  TransactionalPartitioner,
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
import { ProduceIdempotencyStore } from '../../idempotency/produce-idempotency.store';
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
 * deduplicates usage events by id) counts every accepted request once, even across crashes.
 */
@CommandHandler(ProduceRecordsCommand)
export class ProduceRecordsHandler implements ICommandHandler<
  ProduceRecordsCommand,
  ProduceResult
> {
  private readonly logger = new Logger(ProduceRecordsHandler.name);
  private readonly limits: ProduceLimits;
  private readonly retryAfterSeconds: number;
  private readonly partitioner = new TransactionalPartitioner();

  constructor(
    private readonly topics: TenantTopicDirectory,
    private readonly transactions: ProduceTransactions,
    private readonly usage: UsageEvents,
    private readonly idempotency: ProduceIdempotencyStore,
    private readonly metrics: ProduceMetrics,
    private readonly validator: RecordValueValidator,
    private readonly quotas: RateQuotas,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.limits = {
      maxRecords: config.get('GATEWAY_PRODUCE_MAX_RECORDS'),
      maxRecordBytes: config.get('GATEWAY_PRODUCE_MAX_RECORD_BYTES'),
      maxRequestBytes: config.get('GATEWAY_PRODUCE_MAX_REQUEST_BYTES'),
    };
    this.retryAfterSeconds = config.get('GATEWAY_RETRY_AFTER_SECONDS');
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

    if (idempotency) {
      const claim = await this.idempotency.claim(
        clientId,
        idempotency.key,
        idempotency.requestHash,
      );
      if (claim.kind === 'replay') return { view: claim.response, replayed: true };
      if (claim.kind === 'reused') throw new IdempotencyKeyReusedError();
      if (claim.kind === 'in_progress') throw new IdempotencyKeyInProgressError();
    }

    let committed = false;
    try {
      await this.validate(topic, command);
      if (this.quotas) {
        await this.quotas.ready(tenantId);
        await this.quotas.take(tenantId, 'produce', encoded.length, bytes);
      }
      const records = await this.transactionRecords(topic, encoded, command, bytes, acceptedAt);
      const positions = await this.write(records, bytes);
      committed = true;
      const view: ProducedRecordsView = {
        records: positions
          .slice(0, encoded.length)
          .map(({ partition, offset }) => ({ partition, offset })),
      };
      if (idempotency) await this.remember(clientId, idempotency.key, view);
      return { view, replayed: false };
    } catch (error) {
      // Not written (or not known to be): the key is free for the retry, except when the outcome
      // is unknown, where the claim expires after a while instead.
      const unknown =
        error instanceof RecordsNotProducedError && error.extensions['written'] !== false;
      if (idempotency && !committed && !unknown) {
        await this.idempotency.release(clientId, idempotency.key).catch(() => undefined);
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

  private async transactionRecords(
    topic: TenantTopic,
    encoded: readonly EncodedRecord[],
    command: ProduceRecordsCommand,
    bytes: number,
    acceptedAt: Date,
  ): Promise<TransactionalRecord[]> {
    const records: TransactionalRecord[] = encoded.map(({ message }) => ({
      topic: topic.physicalName,
      message: {
        ...message,
        partition: this.partitioner.partitionOf(topic.physicalName, topic.partitions, message),
      },
    }));
    const usage = this.usage.message({
      tenant: command.tenantId,
      topic: topic.name,
      clientId: command.clientId,
      action: 'produce',
      messages: encoded.length,
      bytes,
      eventTime: acceptedAt.toISOString(),
    });
    records.push({
      topic: this.usage.topic,
      message: {
        ...usage,
        partition: this.partitioner.partitionOf(
          this.usage.topic,
          await this.usage.partitionCount(),
          usage,
        ),
      },
    });
    return records;
  }

  private async write(records: TransactionalRecord[], bytes: number) {
    const started = process.hrtime.bigint();
    const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const positions = await this.transactions.write(records);
      this.metrics.ackSeconds.observe({ outcome: 'committed' }, seconds());
      this.metrics.records.inc(records.length - 1);
      this.metrics.bytes.inc(bytes);
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
