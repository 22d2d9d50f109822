import { Injectable, Logger } from '@nestjs/common';
import type { KafkaMessage, Message } from 'kafkajs';
import { describeError, isConnectivityError } from '../consumption/database-errors';
import { deadLetterRecord } from '../command-intake/outgoing-records';
import { BillingRowsWriter } from './billing-rows.writer';
import {
  USAGE_POISON_CODES,
  parseUsageMessage,
  type ParsedUsageRecord,
  type UsageRecord,
} from './usage-message.parser';
import { UsageMetrics } from './usage.metrics';

/** Consecutive usage records of one partition. */
export interface UsageChunk {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  /** False once the consumer stops or loses the partition: the rest is left for the next owner. */
  keepGoing: () => boolean;
}

/** What storing a chunk produced; the dead letters are not sent yet, no offset is committed. */
export interface UsageChunkOutcome {
  deadLetters: Message[];
  /** Every record up to this offset is stored or in `deadLetters`. Undefined when none is. */
  lastDoneOffset?: string;
  /** Why storing stopped early: the database cannot take the rows now (retry, never skip). */
  haltedBy?: string;
  stored: number;
  duplicates: number;
}

/**
 * Stores a chunk of usage events with one INSERT. Should that statement fail for a reason other
 * than the database being out of reach, the chunk is re-run one row per statement to find the row
 * Postgres refuses (a value out of its range, a violated check) and dead-letter it alone. Anything
 * else halts the chunk without skipping a record: the consumer pauses and retries.
 */
@Injectable()
export class UsageChunkProcessor {
  private readonly logger = new Logger(UsageChunkProcessor.name);

  constructor(
    private readonly writer: BillingRowsWriter,
    private readonly metrics: UsageMetrics,
  ) {}

  async process(chunk: UsageChunk): Promise<UsageChunkOutcome> {
    const records = chunk.messages.map(parseUsageMessage);
    const usable = records.filter((r): r is UsageRecord => r.kind === 'usage');
    try {
      const inserted = await this.writer.insert(usable);
      const outcome = this.emptyOutcome();
      for (const record of records) this.settle(outcome, chunk, record, inserted);
      return outcome;
    } catch (error) {
      if (!isRowError(error)) return { ...this.emptyOutcome(), haltedBy: describeError(error) };
      this.logger.warn(
        `storing ${usable.length} usage events from ${chunk.topic}[${chunk.partition}] failed (${describeError(error)}); storing them one by one`,
      );
      return this.processOneByOne(chunk, records);
    }
  }

  private async processOneByOne(
    chunk: UsageChunk,
    records: ParsedUsageRecord[],
  ): Promise<UsageChunkOutcome> {
    const outcome = this.emptyOutcome();
    for (const record of records) {
      if (!chunk.keepGoing()) return outcome;
      if (record.kind === 'poison') {
        this.settle(outcome, chunk, record, new Set());
        continue;
      }
      try {
        this.settle(outcome, chunk, record, await this.writer.insert([record]));
      } catch (error) {
        if (!isRowError(error)) return { ...outcome, haltedBy: describeError(error) };
        this.settle(
          outcome,
          chunk,
          {
            kind: 'poison',
            message: record.message,
            error: {
              code: USAGE_POISON_CODES.rejectedByDatabase,
              message: `Postgres refused the row: ${describeError(error)}`,
            },
          },
          new Set(),
        );
      }
    }
    return outcome;
  }

  private settle(
    outcome: UsageChunkOutcome,
    chunk: UsageChunk,
    record: ParsedUsageRecord,
    inserted: Set<string>,
  ): void {
    if (record.kind === 'poison') {
      this.logger.warn(
        `dead-lettering ${chunk.topic}[${chunk.partition}]@${record.message.offset}: ${record.error.message}`,
      );
      outcome.deadLetters.push(
        deadLetterRecord({
          topic: chunk.topic,
          partition: chunk.partition,
          message: record.message,
          error: record.error,
          attempts: 1,
        }),
      );
      this.metrics.usageEvents.inc({ outcome: 'dead_lettered' });
    } else if (inserted.delete(record.usageEventId)) {
      // Deleted so that a second copy in the same chunk counts as the duplicate it is.
      outcome.stored += 1;
      this.metrics.usageEvents.inc({ outcome: 'stored' });
      const { tenant, action, messages, bytes } = record.usage;
      this.metrics.billedRecords.inc({ tenant, action }, messages);
      this.metrics.billedBytes.inc({ tenant, action }, bytes);
    } else {
      outcome.duplicates += 1;
      this.metrics.usageEvents.inc({ outcome: 'duplicate' });
    }
    outcome.lastDoneOffset = record.message.offset;
  }

  private emptyOutcome(): UsageChunkOutcome {
    return { deadLetters: [], stored: 0, duplicates: 0 };
  }
}

/**
 * Whether Postgres refused a row's values (SQLSTATE class 22 data exception, 23 integrity
 * violation): the same row would fail on every retry, so it is dead-lettered. Any other failure
 * (unreachable, missing table, out of connections…) is waited out instead.
 */
export function isRowError(error: unknown): boolean {
  if (isConnectivityError(error)) return false;
  const code = sqlState(error);
  return code !== undefined && (code.startsWith('22') || code.startsWith('23'));
}

function sqlState(error: unknown): string | undefined {
  for (const candidate of [error, (error as { driverError?: unknown } | null)?.driverError]) {
    const code = (candidate as { code?: unknown } | null | undefined)?.code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
