import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { USAGE_EVENT_TYPE, type UsageEventData } from '@event-hub/contracts';
import { KAFKA_CLIENT, TransactionalPartitioner } from '@event-hub/kafka';
import type { GatewayEnvironment } from '../../../config/gateway.environment';
import { UsageEvents } from '../../../usage/usage-events';
import type { ProducedRecordView } from '../shared/produce.views';

export interface ProduceAttempt {
  tenant: string;
  clientId: string;
  key: string;
  /** When the attempt claimed its key: its usage event is not older than this (less the skew). */
  claimedAt: Date;
}

export type SearchResult =
  | { kind: 'committed'; records: ProducedRecordView[] }
  | { kind: 'absent' }
  | { kind: 'undetermined' };

/** Clock difference tolerated between Postgres (claimed_at) and the gateways (record timestamps). */
const CLOCK_SKEW_MS = 60_000;
/** Searches at once; beyond, a retry is answered 503 and comes back later. */
const MAX_SEARCHES = 4;

/**
 * Finds out from the committed log whether a produce attempt with an Idempotency-Key was written:
 * its usage event travels in the records' transaction, carrying the key and the records'
 * positions, so it is visible to a read_committed reader exactly when the records are.
 *
 * Only call it for an attempt whose transaction has ended (fenced, or past the transaction
 * timeout): then, if written, its usage event lies below the partition's high watermark. The
 * search reads the tenant's usage partition (usage events are keyed by tenant) read_committed
 * from the attempt's claim time until a batch reaches the high watermark of that very fetch:
 * every transaction below it is then decided and was seen. An open transaction of someone else
 * holds read_committed back (last stable offset); the search then ends undetermined.
 */
@Injectable()
export class CommittedProduceSearch {
  private readonly logger = new Logger(CommittedProduceSearch.name);
  private readonly partitioner = new TransactionalPartitioner();
  private running = 0;
  /** A search that has not reached the end of the log by then is undetermined (answered 503). */
  private readonly timeoutMs: number;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly usage: UsageEvents,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.timeoutMs = 2 * config.get('GATEWAY_PRODUCE_TIMEOUT_MS');
  }

  async find(attempt: ProduceAttempt): Promise<SearchResult> {
    if (this.running >= MAX_SEARCHES) return { kind: 'undetermined' };
    this.running += 1;
    try {
      return await this.search(attempt);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not search the usage log for a produce attempt');
      return { kind: 'undetermined' };
    } finally {
      this.running -= 1;
    }
  }

  private async search(attempt: ProduceAttempt): Promise<SearchResult> {
    const topic = this.usage.topic;
    const partition = this.partitioner.partitionOf(topic, await this.usage.partitionCount(), {
      key: attempt.tenant,
      value: null,
    });
    const start = await this.startOffset(topic, partition, attempt.claimedAt);
    const consumer = this.kafka.consumer({
      groupId: `${topic}.produce-outcome.${randomUUID()}`,
      readUncommitted: false,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
      retry: { retries: 2 },
    });
    let settle: (result: SearchResult) => void = () => undefined;
    const settled = new Promise<SearchResult>((resolve) => (settle = resolve));
    const timer = setTimeout(() => settle({ kind: 'undetermined' }), this.timeoutMs);
    try {
      // Batches come in order from the seek (or, fetched before it, from the beginning): either
      // way a batch reaching its fetch's high watermark ends a run that covered [start, hw).
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.partition !== partition) return;
        if (BigInt(payload.lastOffset) + 1n >= BigInt(payload.highWatermark)) {
          settle({ kind: 'absent' });
        }
      });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        consumer.seek({ topic, partition, offset: start.toString() });
        const others = (payload.memberAssignment[topic] ?? []).filter((p) => p !== partition);
        if (others.length > 0) consumer.pause([{ topic, partitions: others }]);
      });
      consumer.on(consumer.events.CRASH, () => settle({ kind: 'undetermined' }));
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachBatch: async (payload) => {
          const found = matching(payload, partition, attempt);
          if (found) settle({ kind: 'committed', records: found });
        },
      });
      return await settled;
    } finally {
      clearTimeout(timer);
      await stop(consumer);
    }
  }

  /** The first offset that can hold the attempt's usage event, less one so a fetch is never empty. */
  private async startOffset(topic: string, partition: number, claimedAt: Date): Promise<bigint> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [byTime, bounds] = await Promise.all([
        admin.fetchTopicOffsetsByTimestamp(topic, claimedAt.getTime() - CLOCK_SKEW_MS),
        admin.fetchTopicOffsets(topic),
      ]);
      const from = BigInt(byTime.find((p) => p.partition === partition)?.offset ?? '0');
      const low = BigInt(bounds.find((p) => p.partition === partition)?.low ?? '0');
      return from - 1n > low ? from - 1n : low;
    } finally {
      await admin.disconnect();
    }
  }
}

function matching(
  { batch }: EachBatchPayload,
  partition: number,
  attempt: ProduceAttempt,
): ProducedRecordView[] | undefined {
  if (batch.partition !== partition) return undefined;
  const notBefore = attempt.claimedAt.getTime() - CLOCK_SKEW_MS;
  for (const message of batch.messages) {
    const usage = usageOf(message.value);
    const idempotency = usage?.idempotency;
    if (
      idempotency?.key === attempt.key &&
      usage?.clientId === attempt.clientId &&
      usage.action === 'produce' &&
      Date.parse(usage.eventTime) >= notBefore
    ) {
      return idempotency.records;
    }
  }
  return undefined;
}

function usageOf(value: Buffer | null): UsageEventData | undefined {
  if (!value) return undefined;
  try {
    const envelope = JSON.parse(value.toString('utf8')) as { eventType?: unknown; data?: unknown };
    if (envelope.eventType !== USAGE_EVENT_TYPE) return undefined;
    return envelope.data as UsageEventData;
  } catch {
    return undefined; // not ours to judge: the processor dead-letters it
  }
}

async function stop(consumer: Consumer): Promise<void> {
  try {
    await consumer.disconnect();
  } catch {
    // The search is over either way.
  }
}
