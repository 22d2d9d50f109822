import type { Span } from '@opentelemetry/api';
import type { Message, Producer, RecordMetadata, TopicMessages, Transaction } from 'kafkajs';
import { ACKS_ALL } from './producer-defaults';
import { errorMessage } from './error-message';
import { messageBytes } from './message-bytes';
import { isFatalToProducer } from './producer-fencing';
import { sendSpans, traceRecordsForSend } from './record-tracing';
import { stripUndefined } from './strip-undefined';

/** One record of a transactional write; the partition is chosen by the caller (see TransactionalPartitioner). */
export interface TransactionalRecord {
  topic: string;
  message: Message & { partition: number };
}

/**
 * A record built from where a write's other records landed, sent in the same transaction after
 * them (one more produce round trip for the transaction, only when one of its writes has a
 * trailer). Its position comes last in the write's answer.
 */
export type TrailerRecord = (positions: readonly RecordPosition[]) => TransactionalRecord;

/** Where one record landed. */
export interface RecordPosition {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit: kept as a decimal string. */
  offset: string;
}

/** The producer calls a slot needs (kafkajs's `Producer`; a fake in unit tests). */
export type TransactionalKafkaProducer = Pick<Producer, 'connect' | 'disconnect' | 'transaction'>;

export interface TransactionalProducerOptions {
  /**
   * Makes the producer of one slot. Each slot must always get the same `transactionalId`, so a
   * restarted instance fences its previous incarnation and aborts whatever it left open.
   */
  createProducer: (slot: number) => TransactionalKafkaProducer;
  /** Producers, hence transactions in flight at once (kafkajs allows one open transaction per producer). Default 2. */
  slots?: number;
  /** How long the first write of a transaction waits for company (default 2 ms). */
  lingerMs?: number;
  /** A transaction takes writes up to this many records (a larger single write still goes, alone). Default 1,000. */
  maxBatchRecords?: number;
  /** …or this many bytes of keys, values and headers. Default 4 MiB. */
  maxBatchBytes?: number;
  /** Records queued plus in flight; beyond it `write` rejects with {@link TransactionQueueFullError}. Default 20,000. */
  maxPendingRecords?: number;
  /** From `write` until the caller is answered, waiting for a slot included (default 10,000 ms). */
  timeoutMs?: number;
  /**
   * How long a slot waits for a Kafka call that does not settle before it replaces its producer
   * (default twice `timeoutMs`).
   */
  giveUpAfterMs?: number;
  /** Called once per transaction after it settled, e.g. for metrics. */
  onTransaction?: (report: TransactionReport) => void;
  /** Called when a slot is about to replace its producer, with why (e.g. to log it). */
  onProducerReplaced?: (replacement: ProducerReplacement) => void;
}

export interface ProducerReplacement {
  slot: number;
  /** What made the slot give up on its producer. */
  reason: string;
}

export interface TransactionReport {
  writes: number;
  records: number;
  bytes: number;
  durationMs: number;
  outcome: 'committed' | 'aborted' | 'unknown';
}

export class TransactionQueueFullError extends Error {
  readonly code = 'TRANSACTION_QUEUE_FULL';
  constructor(readonly limit: number) {
    super(`transactional producer queue is full (${limit} records waiting for Kafka)`);
    this.name = 'TransactionQueueFullError';
  }
}

export class TransactionalProducerClosedError extends Error {
  readonly code = 'TRANSACTIONAL_PRODUCER_CLOSED';
  constructor() {
    super('transactional producer is closing and takes no more writes');
    this.name = 'TransactionalProducerClosedError';
  }
}

/** The write's transaction was (or will certainly be) aborted: none of its records is visible to read_committed consumers. */
export class TransactionAbortedError extends Error {
  readonly code = 'TRANSACTION_ABORTED';
  constructor(
    readonly reason: 'timeout' | 'broker_error',
    cause?: unknown,
  ) {
    super(
      reason === 'timeout'
        ? 'Kafka did not take the transaction in time; it is aborted and nothing of it was written'
        : `Kafka refused the transaction; it is aborted and nothing of it was written: ${errorMessage(cause)}`,
      { cause },
    );
    this.name = 'TransactionAbortedError';
  }
}

/** The commit was sent but its answer never came: the records may or may not be visible. */
export class TransactionOutcomeUnknownError extends Error {
  readonly code = 'TRANSACTION_OUTCOME_UNKNOWN';
  constructor(cause?: unknown) {
    super(
      `the transaction's commit was sent but not confirmed; it may or may not have been written${
        cause === undefined ? '' : `: ${errorMessage(cause)}`
      }`,
      { cause },
    );
    this.name = 'TransactionOutcomeUnknownError';
  }
}

/** A Kafka call of a transaction did not settle within `giveUpAfterMs`. */
class SlotStuckError extends Error {
  constructor() {
    super('Kafka did not answer in time; the producer is replaced');
    this.name = 'SlotStuckError';
  }
}

interface PendingWrite {
  records: readonly TransactionalRecord[];
  trailer: TrailerRecord | undefined;
  bytes: number;
  resolve: (positions: RecordPosition[]) => void;
  reject: (error: Error) => void;
  settled: boolean;
  /** Goes in a transaction of its own: a shared one it was in was refused by Kafka. */
  solo: boolean;
  /** When the caller is answered at the latest (`timeoutMs` after `write`, retries included). */
  deadline: number;
}

interface Slot {
  index: number;
  producer: TransactionalKafkaProducer;
  busy: boolean;
  /**
   * Set after a failure the transaction could not be cleanly aborted from, or one Kafka says the
   * producer cannot get past (fenced): replaced before reuse.
   */
  broken: boolean;
  /** Why it is broken, for the replacement's report. */
  brokenBy: string | undefined;
  /** When its last transaction ended (a sequence number, not a time): picks the longest idle slot. */
  freedAt: number;
}

const DEFAULTS = {
  slots: 2,
  lingerMs: 2,
  maxBatchRecords: 1000,
  maxBatchBytes: 4 * 1024 * 1024,
  maxPendingRecords: 20_000,
  timeoutMs: 10_000,
};

/**
 * Writes groups of records atomically: each `write` lands entirely or not at all, in one Kafka
 * transaction, answered with every record's offset only after the commit (acks=all).
 *
 * kafkajs allows one open transaction per producer, and a transaction per HTTP request would cost
 * a coordinator round trip each, so concurrent writes are coalesced into one transaction (short
 * linger, group commit: while every slot is busy the next transaction accumulates) over a small pool
 * of producers. A write is never split across transactions, so its atomicity holds; the price is
 * that an aborted transaction fails every write in it.
 */
export class TransactionalProducer {
  private readonly options: Required<
    Omit<TransactionalProducerOptions, 'onTransaction' | 'onProducerReplaced' | 'giveUpAfterMs'>
  > &
    Pick<TransactionalProducerOptions, 'onTransaction' | 'onProducerReplaced'> & {
      giveUpAfterMs: number;
    };
  private readonly slots: Slot[];
  private queue: PendingWrite[] = [];
  private queuedRecords = 0;
  private inFlightRecords = 0;
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private transactionsEnded = 0;

  constructor(options: TransactionalProducerOptions) {
    const merged = { ...DEFAULTS, ...stripUndefined(options) } as typeof this.options & {
      giveUpAfterMs?: number;
    };
    this.options = { ...merged, giveUpAfterMs: merged.giveUpAfterMs ?? 2 * merged.timeoutMs };
    const { slots, maxBatchRecords, maxPendingRecords } = this.options;
    if (slots < 1 || maxBatchRecords < 1 || maxPendingRecords < 1) {
      throw new Error(
        'TransactionalProducer needs slots, maxBatchRecords and maxPendingRecords of at least 1',
      );
    }
    this.slots = Array.from({ length: slots }, (_, index) => ({
      index,
      producer: options.createProducer(index),
      busy: false,
      broken: false,
      brokenBy: undefined,
      freedAt: 0,
    }));
  }

  /** Connects every slot and fences any previous holder of its transactional id. */
  async connect(): Promise<void> {
    await Promise.all(this.slots.map((slot) => takeOver(slot.producer)));
  }

  /** Records waiting for a transaction plus records in transactions in flight. */
  get pendingRecords(): number {
    return this.queuedRecords + this.inFlightRecords;
  }

  /**
   * Resolves with each record's position, in the order given (the trailer's last), once the
   * transaction committed.
   */
  write(
    records: readonly TransactionalRecord[],
    trailer?: TrailerRecord,
  ): Promise<RecordPosition[]> {
    if (this.closed) return Promise.reject(new TransactionalProducerClosedError());
    if (records.length === 0) return Promise.resolve([]);
    if (this.pendingRecords + records.length > this.options.maxPendingRecords) {
      return Promise.reject(new TransactionQueueFullError(this.options.maxPendingRecords));
    }
    const spans: Span[] = [];
    const traced = traceRecordsForSend(records, spans);
    const sent = sendSpans(spans);
    return new Promise<RecordPosition[]>((resolve, reject) => {
      this.queue.push({
        records: traced,
        trailer,
        bytes: traced.reduce((sum, r) => sum + messageBytes(r.message), 0),
        resolve: (positions) => {
          sent.end();
          resolve(positions);
        },
        reject: (error) => {
          sent.end(error);
          reject(error);
        },
        settled: false,
        solo: false,
        deadline: Date.now() + this.options.timeoutMs,
      });
      this.queuedRecords += records.length;
      this.schedule();
    });
  }

  /** Refuses new writes, lets the taken ones finish, then disconnects every producer. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    for (;;) {
      this.dispatch();
      if (this.running.size === 0 && this.queue.length === 0) break;
      await Promise.race(this.running);
    }
    await Promise.all(this.slots.map((slot) => slot.producer.disconnect().catch(() => undefined)));
  }

  private schedule(): void {
    if (!this.slots.some((slot) => !slot.busy)) return; // a slot freeing up dispatches at once
    if (this.queuedRecords >= this.options.maxBatchRecords || this.options.lingerMs === 0) {
      this.clearTimer();
      this.dispatch();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.dispatch();
    }, this.options.lingerMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private dispatch(): void {
    for (;;) {
      if (this.queue.length === 0) return;
      const slot = this.idlestSlot();
      if (!slot) return;
      const batch = this.takeBatch();
      if (batch.length === 0) continue;
      slot.busy = true;
      const records = batch.reduce((sum, w) => sum + w.records.length, 0);
      this.inFlightRecords += records;
      const run = this.run(slot, batch).finally(() => {
        slot.busy = false;
        this.transactionsEnded += 1;
        slot.freedAt = this.transactionsEnded;
        this.inFlightRecords -= records;
        this.running.delete(run);
        // Whatever queued meanwhile has waited at least one transaction: send it right away.
        this.dispatch();
      });
      this.running.add(run);
    }
  }

  /**
   * The free slot whose last transaction ended longest ago. A commit is answered once the
   * coordinator logged it, before it wrote the markers to the partitions; a transaction begun on
   * the same producer meanwhile is refused (CONCURRENT_TRANSACTIONS) and the patched kafkajs sends
   * it again after 20 ms. An idle slot has had time to finish.
   */
  private idlestSlot(): Slot | undefined {
    let idlest: Slot | undefined;
    for (const slot of this.slots) {
      if (!slot.busy && (!idlest || slot.freedAt < idlest.freedAt)) idlest = slot;
    }
    return idlest;
  }

  private takeBatch(): PendingWrite[] {
    const batch: PendingWrite[] = [];
    let records = 0;
    let bytes = 0;
    const now = Date.now();
    while (this.queue.length > 0) {
      const next = this.queue[0] as PendingWrite;
      if (next.deadline <= now) {
        // Waited out its time in the queue: nothing was sent, so it is simply not written.
        this.queue.shift();
        this.queuedRecords -= next.records.length;
        next.settled = true;
        next.reject(new TransactionAbortedError('timeout'));
        continue;
      }
      const fits =
        records + next.records.length <= this.options.maxBatchRecords &&
        bytes + next.bytes <= this.options.maxBatchBytes &&
        !next.solo &&
        !batch[0]?.solo;
      if (batch.length > 0 && !fits) break;
      this.queue.shift();
      batch.push(next);
      records += next.records.length;
      bytes += next.bytes;
    }
    this.queuedRecords -= records;
    return batch;
  }

  private async run(slot: Slot, batch: PendingWrite[]): Promise<void> {
    const started = Date.now();
    const records = batch.reduce((sum, w) => sum + w.records.length, 0);
    const bytes = batch.reduce((sum, w) => sum + w.bytes, 0);
    let phase: 'sending' | 'committing' = 'sending';
    let timedOut = false;
    const settleAll = (settle: (write: PendingWrite) => void): void => {
      for (const write of batch) {
        if (write.settled) continue;
        write.settled = true;
        settle(write);
      }
    };
    // The callers are answered at the deadline; the transaction itself finishes (or is aborted)
    // in the background, and the slot stays busy until then.
    const timer = setTimeout(
      () => {
        timedOut = true;
        const error =
          phase === 'committing'
            ? new TransactionOutcomeUnknownError()
            : new TransactionAbortedError('timeout');
        settleAll((write) => write.reject(error));
      },
      Math.max(0, Math.min(...batch.map((write) => write.deadline)) - Date.now()),
    );

    // kafkajs may keep retrying (an idempotent producer retries almost forever): past this, the
    // slot gives up on its producer instead of staying busy, and the next use replaces it.
    let hardTimer: NodeJS.Timeout | undefined;
    const hardDeadline = new Promise<never>((_, reject) => {
      hardTimer = setTimeout(() => reject(new SlotStuckError()), this.options.giveUpAfterMs);
    });
    hardDeadline.catch(() => undefined);
    const bounded = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, hardDeadline]);

    let outcome: TransactionReport['outcome'];
    let transaction: Transaction | undefined;
    try {
      if (slot.broken) await bounded(this.replaceProducer(slot));
      const open = await bounded(slot.producer.transaction());
      transaction = open;
      const send = async (records: (readonly TransactionalRecord[])[]) => {
        const { topicMessages, positions } = layOut(records);
        const acks = await bounded(
          open.sendBatch({ topicMessages, acks: ACKS_ALL, timeout: this.options.timeoutMs }),
        );
        // Too late: the callers were told nothing was written, so it must not be committed.
        if (timedOut) throw new TransactionAbortedError('timeout');
        return resolvePositions(positions, acks);
      };
      const offsets = await send(batch.map((write) => write.records));
      const withTrailers = await this.sendTrailers(batch, offsets, send);
      phase = 'committing';
      await bounded(transaction.commit());
      outcome = 'committed';
      for (const [index, write] of batch.entries()) {
        const own = withTrailers[index] as RecordPosition[];
        // After a deadline during the commit, the callers already heard "outcome unknown".
        if (write.settled) continue;
        write.settled = true;
        write.resolve(own);
      }
    } catch (error) {
      const fenced = isFatalToProducer(error);
      if (fenced) this.markBroken(slot, error);
      outcome = await this.abandon(
        slot,
        error instanceof SlotStuckError ? undefined : transaction,
        phase,
        bounded,
        error,
      );
      if (outcome === 'aborted' && !timedOut && (fenced || batch.length > 1)) {
        // Kafka refused the transaction and nothing of it was written. When it refused the
        // producer, the writes go again as they were, on a new producer (the slot replaces it
        // before its next transaction). Otherwise one write may be the cause (a topic deleted
        // meanwhile, say), so each gets a transaction of its own rather than failing the others.
        this.requeue(batch, !fenced);
        clearTimeout(timer);
        clearTimeout(hardTimer);
        this.report({
          writes: batch.length,
          records,
          bytes,
          durationMs: Date.now() - started,
          outcome,
        });
        return;
      }
      const failure =
        outcome === 'unknown'
          ? new TransactionOutcomeUnknownError(error)
          : error instanceof TransactionAbortedError
            ? error
            : new TransactionAbortedError('broker_error', error);
      settleAll((write) => write.reject(failure));
    } finally {
      clearTimeout(timer);
      clearTimeout(hardTimer);
    }
    this.report({
      writes: batch.length,
      records,
      bytes,
      durationMs: Date.now() - started,
      outcome,
    });
  }

  /** Each write's positions, with its trailer's (sent after the others) appended. */
  private async sendTrailers(
    batch: PendingWrite[],
    offsets: RecordPosition[],
    send: (records: (readonly TransactionalRecord[])[]) => Promise<RecordPosition[]>,
  ): Promise<RecordPosition[][]> {
    let next = 0;
    const own = batch.map((write) => {
      next += write.records.length;
      return offsets.slice(next - write.records.length, next);
    });
    const trailers = batch.flatMap((write, index) =>
      write.trailer ? [{ index, record: write.trailer(own[index] as RecordPosition[]) }] : [],
    );
    if (trailers.length === 0) return own;
    const trailerOffsets = await send(trailers.map(({ record }) => [record]));
    trailers.forEach(({ index }, i) => own[index]?.push(trailerOffsets[i] as RecordPosition));
    return own;
  }

  /** Puts a batch's unanswered writes back at the head of the queue; their deadlines still hold. */
  private requeue(batch: PendingWrite[], alone: boolean): void {
    const again = batch.filter((write) => !write.settled);
    if (alone) for (const write of again) write.solo = true;
    this.queue.unshift(...again);
    this.queuedRecords += again.reduce((sum, write) => sum + write.records.length, 0);
  }

  /**
   * Aborts a failed transaction. Before the commit was sent, the transaction can only end aborted:
   * nobody else will commit it, and if the abort itself fails the slot's next producer fences this
   * one, which aborts it. After a failed commit, only a successful abort proves nothing was written.
   */
  private async abandon(
    slot: Slot,
    transaction: Transaction | undefined,
    phase: 'sending' | 'committing',
    bounded: <T>(promise: Promise<T>) => Promise<T>,
    failure: unknown,
  ): Promise<TransactionReport['outcome']> {
    if (!transaction) {
      this.markBroken(slot, failure);
      return phase === 'committing' ? 'unknown' : 'aborted';
    }
    try {
      await bounded(transaction.abort());
      return 'aborted';
    } catch (abortFailure) {
      this.markBroken(slot, abortFailure);
      return phase === 'committing' ? 'unknown' : 'aborted';
    }
  }

  private markBroken(slot: Slot, cause: unknown): void {
    slot.broken = true;
    slot.brokenBy = errorMessage(cause);
  }

  /**
   * A replacement given up on (SlotStuckError) may still finish its InitProducerId later and fence
   * the producer that replaced it; that one then fails with INVALID_PRODUCER_EPOCH, which marks it
   * broken in turn, so the slot converges on a producer nobody fences.
   */
  private async replaceProducer(slot: Slot): Promise<void> {
    this.reportReplacement({ slot: slot.index, reason: slot.brokenBy ?? 'unknown' });
    // Not awaited: a stuck producer may never finish disconnecting. The new one fences it anyway.
    void slot.producer.disconnect().catch(() => undefined);
    slot.producer = this.options.createProducer(slot.index);
    await takeOver(slot.producer);
    slot.broken = false;
    slot.brokenBy = undefined;
  }

  private reportReplacement(replacement: ProducerReplacement): void {
    try {
      this.options.onProducerReplaced?.(replacement);
    } catch {
      // A logging hook must never decide the fate of a transaction.
    }
  }

  private report(report: TransactionReport): void {
    try {
      this.options.onTransaction?.(report);
    } catch {
      // A metrics hook must never decide the fate of a transaction.
    }
  }
}

/**
 * kafkajs registers a transactional id with the coordinator only when the first transaction
 * begins. Beginning (and dropping) one right away fences the previous holder of the id at once, so
 * the coordinator aborts what a crashed incarnation left open instead of letting it block
 * read_committed consumers until the transaction timeout.
 */
async function takeOver(producer: TransactionalKafkaProducer): Promise<void> {
  await producer.connect();
  const transaction = await producer.transaction();
  await transaction.abort();
}

interface Placement {
  topic: string;
  partition: number;
  /** Position of the record among the batch's records for its topic and partition. */
  index: number;
}

/** The batch as one `sendBatch`, and where each record sits in its partition's record batch. */
function layOut(batch: (readonly TransactionalRecord[])[]): {
  topicMessages: TopicMessages[];
  positions: Placement[];
} {
  // Per topic: its messages, and how many of them each partition has so far (by partition).
  const byTopic = new Map<string, { messages: Message[]; counts: number[] }>();
  const positions: Placement[] = [];
  for (const records of batch) {
    for (const { topic, message } of records) {
      let entry = byTopic.get(topic);
      if (!entry) {
        entry = { messages: [], counts: [] };
        byTopic.set(topic, entry);
      }
      entry.messages.push(message);
      const { partition } = message;
      const index = entry.counts[partition] ?? 0;
      entry.counts[partition] = index + 1;
      positions.push({ topic, partition, index });
    }
  }
  return {
    topicMessages: [...byTopic].map(([topic, { messages }]) => ({ topic, messages })),
    positions,
  };
}

/**
 * kafkajs sends one record batch per partition, in the order of the messages given, and the
 * broker answers with that batch's base offset: a record's offset is base offset + its position.
 */
function resolvePositions(placements: Placement[], acks: RecordMetadata[]): RecordPosition[] {
  // Per topic, by partition.
  const bases = new Map<string, bigint[]>();
  for (const ack of acks) {
    if (ack.baseOffset !== undefined) {
      let topicBases = bases.get(ack.topicName);
      if (!topicBases) {
        topicBases = [];
        bases.set(ack.topicName, topicBases);
      }
      topicBases[ack.partition] = BigInt(ack.baseOffset);
    }
  }
  return placements.map(({ topic, partition, index }) => {
    const base = bases.get(topic)?.[partition];
    if (base === undefined) {
      throw new Error(`Kafka did not acknowledge partition ${partition} of ${topic}`);
    }
    return { topic, partition, offset: (base + BigInt(index)).toString() };
  });
}
