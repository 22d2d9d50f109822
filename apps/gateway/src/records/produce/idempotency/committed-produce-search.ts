import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
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
    let settle: (result: SearchResult) => void = () => undefined;
    const settled = new Promise<SearchResult>((resolve) => (settle = resolve));
    const timer = setTimeout(() => settle({ kind: 'undetermined' }), this.timeoutMs);
    const readers: Consumer[] = [];
    const read = (options: Omit<PartitionRead, 'topic' | 'partition' | 'start'>) =>
      readPartition(this.kafka, { topic, partition, start, ...options }, readers);
    try {
      let probing = false;
      await read({
        readUncommitted: false,
        // Batches come in order from the seek: a batch reaching its fetch's high watermark ends
        // a run that covered [start, hw), every transaction in it decided.
        onBatch: (batch) => {
          const found = matching(batch.messages, attempt);
          if (found) settle({ kind: 'committed', records: found });
          else if (BigInt(batch.lastOffset) + 1n >= BigInt(batch.highWatermark)) {
            settle({ kind: 'absent' });
          }
        },
        // Nothing committed at or after start: either nothing at all (absent), or someone's
        // open transaction starts there (the high watermark is unknown, so look uncommitted).
        onQuiet: () => {
          if (probing) return;
          probing = true;
          void read({
            readUncommitted: true,
            onBatch: () => undefined,
            onQuiet: () => settle({ kind: 'absent' }),
          }).catch(() => undefined);
        },
      });
      return await settled;
    } finally {
      clearTimeout(timer);
      await Promise.all(readers.map(stop));
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
  messages: readonly KafkaMessage[],
  attempt: ProduceAttempt,
): ProducedRecordView[] | undefined {
  const notBefore = attempt.claimedAt.getTime() - CLOCK_SKEW_MS;
  for (const message of messages) {
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

/** A fetched batch of the partition: its records (none when all were filtered) and how far it went. */
interface ReadBatch {
  messages: readonly KafkaMessage[];
  /** The last offset the batch covered, transaction markers and aborted records included. */
  lastOffset: string;
  highWatermark: string;
}

interface PartitionRead {
  topic: string;
  partition: number;
  start: bigint;
  readUncommitted: boolean;
  /** Every batch of the partition from `start` on, control records and aborted ones included. */
  onBatch: (batch: ReadBatch) => void;
  /** Fetches after the seek brought nothing of the partition (it holds nothing readable past `start`). */
  onQuiet: () => void;
}

/** Fetches that bring nothing of the partition before it counts as holding nothing from `start`. */
const QUIET_FETCHES = 3;

/**
 * A consumer of its own private group reading one partition from `start` (kafkajs has no manual
 * assignment; the group is never committed to). Batches emptied by filtering (aborted records,
 * transaction markers) are reported too, through kafkajs's batch events.
 */
async function readPartition(
  kafka: Kafka,
  { topic, partition, start, readUncommitted, onBatch, onQuiet }: PartitionRead,
  readers: Consumer[],
): Promise<void> {
  const consumer = kafka.consumer({
    groupId: `${topic}.produce-outcome.${randomUUID()}`,
    readUncommitted,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 250,
    retry: { retries: 2 },
  });
  readers.push(consumer);
  let seeked = false;
  let seen = false;
  let quietFetches = 0;
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    // Before the first fetch: every batch of the partition comes from the seek.
    consumer.seek({ topic, partition, offset: start.toString() });
    seeked = true;
    const others = (payload.memberAssignment[topic] ?? []).filter((p) => p !== partition);
    if (others.length > 0) consumer.pause([{ topic, partitions: others }]);
  });
  consumer.on(consumer.events.FETCH, () => {
    if (!seeked || seen) return;
    quietFetches += 1;
    if (quietFetches > QUIET_FETCHES) onQuiet();
  });
  // Batches left empty by filtering skip eachBatch; kafkajs still reports them as processed.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.partition !== partition || payload.batchSize > 0) return;
    seen = true;
    onBatch({ messages: [], lastOffset: payload.lastOffset, highWatermark: payload.highWatermark });
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      if (batch.partition !== partition) return;
      seen = true;
      const { messages, highWatermark } = batch;
      onBatch({ messages, lastOffset: batch.lastOffset(), highWatermark });
    },
  });
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
