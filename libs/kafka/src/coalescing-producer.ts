import type { Span } from '@opentelemetry/api';
import type { CompressionTypes, Message, Producer, RecordMetadata, TopicMessages } from 'kafkajs';
import { ACKS_ALL } from './producer-defaults';
import { errorMessage } from './error-message';
import { messageBytes } from './message-bytes';
import { sendSpans, traceForSend } from './record-tracing';
import { stripUndefined } from './strip-undefined';

export interface CoalescingProducerOptions {
  /** How long the first record of a batch waits for company before the batch goes out (default 2). */
  lingerMs?: number;
  /** A batch goes out at once when it reaches this many records (default 500). */
  maxBatchRecords?: number;
  /** …or this many bytes of keys, values and headers (default 1 MiB). */
  maxBatchBytes?: number;
  /** Records queued plus in flight; beyond it `send` rejects with {@link ProducerQueueFullError} (default 10,000). */
  maxPendingRecords?: number;
  /** Default acks=all. */
  acks?: number;
  /** How long the broker may wait for in-sync replicas per request (kafkajs `timeout`, default 30,000). */
  ackTimeoutMs?: number;
  compression?: CompressionTypes;
  /** Called once per batch after it settled, e.g. to record batch sizes in metrics. */
  onBatch?: (report: BatchReport) => void;
}

export interface BatchReport {
  records: number;
  bytes: number;
  durationMs: number;
  error?: Error;
}

export interface CoalescedSendOptions {
  /**
   * Aborting withdraws a record that is still waiting in the queue (it is then never produced and
   * the send rejects with {@link SendAbortedError}). Once its batch went out, the record's outcome is
   * the batch's: a produce request cannot be taken back.
   */
  signal?: AbortSignal;
}

/** What a caller learns once its record's batch was acknowledged. */
export interface CoalescedAck {
  topic: string;
  /** Records in the batch this record travelled in. */
  batchRecords: number;
  /** The broker's acknowledgement for each partition of `topic` the batch wrote to. */
  partitions: RecordMetadata[];
}

export class ProducerQueueFullError extends Error {
  readonly code = 'PRODUCER_QUEUE_FULL';
  constructor(readonly limit: number) {
    super(`producer queue is full (${limit} records waiting for Kafka)`);
    this.name = 'ProducerQueueFullError';
  }
}

export class ProducerClosedError extends Error {
  readonly code = 'PRODUCER_CLOSED';
  constructor() {
    super('producer is closing and takes no more records');
    this.name = 'ProducerClosedError';
  }
}

export class SendAbortedError extends Error {
  readonly code = 'SEND_ABORTED';
  constructor() {
    super('send was aborted before its batch went out; the record was not produced');
    this.name = 'SendAbortedError';
  }
}

/** The batch a record travelled in was not acknowledged; `cause` is kafkajs's error. */
export class BatchSendError extends Error {
  readonly code = 'BATCH_SEND_FAILED';
  constructor(
    cause: unknown,
    readonly batchRecords: number,
  ) {
    super(`Kafka did not acknowledge a batch of ${batchRecords} records: ${errorMessage(cause)}`, {
      cause,
    });
    this.name = 'BatchSendError';
  }
}

interface Pending {
  topic: string;
  message: Message;
  bytes: number;
  resolve: (ack: CoalescedAck) => void;
  reject: (error: Error) => void;
  cancelled: boolean;
  dispatched: boolean;
  detach?: () => void;
}

const DEFAULTS = {
  lingerMs: 2,
  maxBatchRecords: 500,
  maxBatchBytes: 1024 * 1024,
  maxPendingRecords: 10_000,
  ackTimeoutMs: 30_000,
};

/**
 * Coalesces concurrent `send` calls into one `producer.sendBatch`.
 *
 * kafkajs sends one produce request per `send()` and does not batch across calls (kafkajs #772),
 * and an idempotent producer keeps one request in flight per broker, so a service that awaits one
 * send per HTTP request is capped at about one request per broker round trip. Here records wait at
 * most `lingerMs` for company, go out together, and each caller is answered only when its batch
 * was acknowledged. While a batch is in flight the next one accumulates and leaves the moment the
 * first is answered (group commit), so batches grow with load instead of queueing requests behind
 * the broker lock; one batch in flight also keeps records of one key in the order they were sent.
 */
export class CoalescingProducer {
  private readonly options: Required<Omit<CoalescingProducerOptions, 'compression' | 'onBatch'>> &
    Pick<CoalescingProducerOptions, 'compression' | 'onBatch'>;
  private queue: Pending[] = [];
  /** Live (not cancelled) records in `queue`, and their bytes. */
  private queuedRecords = 0;
  private queuedBytes = 0;
  private inFlightRecords = 0;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private closed = false;

  constructor(
    private readonly producer: Pick<Producer, 'sendBatch'>,
    options: CoalescingProducerOptions = {},
  ) {
    this.options = {
      ...DEFAULTS,
      acks: ACKS_ALL,
      ...stripUndefined(options),
    };
    if (this.options.maxBatchRecords < 1 || this.options.maxPendingRecords < 1) {
      throw new Error(
        'CoalescingProducer needs maxBatchRecords and maxPendingRecords of at least 1',
      );
    }
  }

  /** Records waiting for a batch plus records in the batch in flight. */
  get pendingRecords(): number {
    return this.queuedRecords + this.inFlightRecords;
  }

  send(topic: string, message: Message, options: CoalescedSendOptions = {}): Promise<CoalescedAck> {
    if (this.closed) return Promise.reject(new ProducerClosedError());
    if (options.signal?.aborted) return Promise.reject(new SendAbortedError());
    if (this.pendingRecords >= this.options.maxPendingRecords) {
      return Promise.reject(new ProducerQueueFullError(this.options.maxPendingRecords));
    }
    const spans: Span[] = [];
    const traced = traceForSend(topic, message, spans);
    const sent = sendSpans(spans);
    return new Promise<CoalescedAck>((resolve, reject) => {
      const pending: Pending = {
        topic,
        message: traced,
        bytes: messageBytes(traced),
        resolve: (ack) => {
          sent.end();
          resolve(ack);
        },
        reject: (error) => {
          sent.end(error);
          reject(error);
        },
        cancelled: false,
        dispatched: false,
      };
      const signal = options.signal;
      if (signal) {
        const onAbort = (): void => this.cancel(pending);
        signal.addEventListener('abort', onAbort, { once: true });
        pending.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(pending);
      this.queuedRecords += 1;
      this.queuedBytes += pending.bytes;
      this.schedule();
    });
  }

  /** Sends whatever is queued now and resolves once nothing is queued or in flight. */
  async flush(): Promise<void> {
    this.clearTimer();
    for (;;) {
      this.dispatch();
      const inFlight = this.inFlight;
      if (!inFlight) return;
      await inFlight;
    }
  }

  /** Refuses new records, then flushes the ones already taken. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private schedule(): void {
    // The next batch leaves as soon as the one in flight is answered; no timer needed meanwhile.
    if (this.inFlight) return;
    if (this.batchIsFull()) {
      this.clearTimer();
      this.dispatch();
      return;
    }
    if (this.timer) return;
    const fire = (): void => {
      this.timer = undefined;
      this.dispatch();
    };
    this.timer =
      this.options.lingerMs > 0 ? setTimeout(fire, this.options.lingerMs) : setImmediate(fire);
  }

  private batchIsFull(): boolean {
    return (
      this.queuedRecords >= this.options.maxBatchRecords ||
      this.queuedBytes >= this.options.maxBatchBytes
    );
  }

  private clearTimer(): void {
    if (!this.timer) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }

  private cancel(pending: Pending): void {
    if (pending.cancelled || pending.dispatched) return;
    pending.cancelled = true;
    this.queuedRecords -= 1;
    this.queuedBytes -= pending.bytes;
    pending.reject(new SendAbortedError());
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let bytes = 0;
    let index = 0;
    for (; index < this.queue.length; index += 1) {
      const pending = this.queue[index] as Pending;
      if (pending.cancelled) continue;
      // A single record larger than maxBatchBytes still goes, alone.
      if (batch.length >= this.options.maxBatchRecords) break;
      if (batch.length > 0 && bytes + pending.bytes > this.options.maxBatchBytes) break;
      pending.dispatched = true;
      batch.push(pending);
      bytes += pending.bytes;
    }
    this.queue = this.queue.slice(index);
    this.queuedRecords -= batch.length;
    this.queuedBytes -= bytes;
    return batch;
  }

  private dispatch(): void {
    if (this.inFlight) return;
    this.clearTimer();
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    for (const pending of batch) pending.detach?.();
    this.inFlightRecords = batch.length;
    this.inFlight = this.sendBatch(batch).finally(() => {
      this.inFlight = undefined;
      this.inFlightRecords = 0;
      // Whatever queued up meanwhile has waited at least one round trip: send it right away.
      if (this.queuedRecords > 0) this.dispatch();
      else this.queue = [];
    });
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    const started = Date.now();
    const bytes = batch.reduce((sum, p) => sum + p.bytes, 0);
    const byTopic = new Map<string, TopicMessages>();
    for (const pending of batch) {
      let entry = byTopic.get(pending.topic);
      if (!entry) {
        entry = { topic: pending.topic, messages: [] };
        byTopic.set(pending.topic, entry);
      }
      entry.messages.push(pending.message);
    }
    let acks: RecordMetadata[];
    try {
      acks = await this.producer.sendBatch({
        topicMessages: [...byTopic.values()],
        acks: this.options.acks,
        timeout: this.options.ackTimeoutMs,
        ...(this.options.compression === undefined
          ? {}
          : { compression: this.options.compression }),
      });
    } catch (cause) {
      const error = new BatchSendError(cause, batch.length);
      this.report({ records: batch.length, bytes, durationMs: Date.now() - started, error });
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.report({ records: batch.length, bytes, durationMs: Date.now() - started });
    for (const pending of batch) {
      pending.resolve({
        topic: pending.topic,
        batchRecords: batch.length,
        partitions: acks.filter((ack) => ack.topicName === pending.topic),
      });
    }
  }

  private report(report: BatchReport): void {
    try {
      this.options.onBatch?.(report);
    } catch {
      // A metrics hook must never decide the fate of a produced batch.
    }
  }
}
