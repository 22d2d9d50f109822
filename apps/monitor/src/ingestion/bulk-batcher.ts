import { Logger } from '@nestjs/common';

export interface BulkBatcherOptions {
  maxItems: number;
  maxBytes: number;
  lingerMs: number;
  /** Batches delivered at once; asked again at every dispatch, so it may change with conditions. */
  concurrency: () => number;
}

interface Batch<T> {
  items: T[];
  bytes: number;
  openedAt: number;
  /** The linger is over: sent as soon as a delivery slot is free. */
  due: boolean;
}

/**
 * Groups items into batches closed by count, bytes or linger, and delivers up to `concurrency`
 * batches at once. Accepting is bounded: `hasCapacity` turns false once about one batch per
 * delivery slot plus two more are pending, and the caller (the Kafka consumer) waits, so memory
 * stays bounded and the backlog stays in Kafka.
 *
 * The linger only bounds how long a batch waits for a free slot: a batch whose linger is over
 * while every slot is busy (and full batches wait) keeps filling and goes out when a slot frees.
 * Closing it at the linger anyway would queue a row of small batches behind the busy slots, each
 * costing a bulk request and Elasticsearch's per-request work for a few documents.
 */
export class BulkBatcher<T> {
  private readonly logger = new Logger(BulkBatcher.name);
  private current: Batch<T> | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private readonly ready: Batch<T>[] = [];
  private readonly active = new Set<Batch<T>>();
  private pendingItems = 0;
  private pendingBytes = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly options: BulkBatcherOptions,
    private readonly sizeOf: (item: T) => number,
    private readonly deliver: (items: T[]) => Promise<void>,
  ) {}

  add(item: T): void {
    const size = this.sizeOf(item);
    if (this.current && this.current.bytes + size > this.options.maxBytes) this.close();
    if (!this.current) {
      this.current = { items: [], bytes: 0, openedAt: Date.now(), due: false };
      this.lingerTimer = setTimeout(() => this.lingered(), this.options.lingerMs);
    }
    this.current.items.push(item);
    this.current.bytes += size;
    this.pendingItems++;
    this.pendingBytes += size;
    if (
      this.current.items.length >= this.options.maxItems ||
      this.current.bytes >= this.options.maxBytes
    ) {
      this.close();
    }
  }

  get hasCapacity(): boolean {
    // Two batches waiting beyond those in delivery keep the cluster busy across a Kafka fetch.
    const slots = this.options.concurrency() + 2;
    return (
      this.pendingItems < this.options.maxItems * slots &&
      this.pendingBytes < this.options.maxBytes * slots
    );
  }

  /** Resolves when there is capacity again, or after `timeoutMs` (so the caller can heartbeat). */
  waitForCapacity(timeoutMs: number): Promise<void> {
    if (this.hasCapacity) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.waiters;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      waiters.push(done);
    });
  }

  /** Items accepted and not yet delivered (waiting, batched or in delivery). */
  get pending(): number {
    return this.pendingItems;
  }

  /** When the oldest undelivered batch was opened, or undefined when nothing is pending. */
  get oldestPendingAt(): number | undefined {
    let oldest: number | undefined;
    for (const batch of [...this.active, ...this.ready, ...(this.current ? [this.current] : [])]) {
      if (oldest === undefined || batch.openedAt < oldest) oldest = batch.openedAt;
    }
    return oldest;
  }

  /** Sends what is batched now and resolves once everything accepted so far was delivered. */
  async flush(): Promise<void> {
    this.close();
    while (this.pendingItems > 0) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private lingered(): void {
    this.lingerTimer = undefined;
    if (!this.current) return;
    this.current.due = true;
    if (this.hasFreeSlot) this.close();
  }

  /** A slot no batch waits for: a due batch can go out now. */
  private get hasFreeSlot(): boolean {
    return this.ready.length === 0 && this.active.size < this.options.concurrency();
  }

  private close(): void {
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    const batch = this.current;
    this.current = undefined;
    if (!batch || batch.items.length === 0) return;
    this.ready.push(batch);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.active.size < this.options.concurrency() && this.ready.length > 0) {
      const batch = this.ready.shift() as Batch<T>;
      this.active.add(batch);
      this.deliver(batch.items)
        .catch((error: unknown) =>
          // deliver() owns its failures (it retries or spills); reaching here is a bug.
          this.logger.error(`batch delivery failed unexpectedly: ${String(error)}`),
        )
        .finally(() => {
          this.active.delete(batch);
          this.pendingItems -= batch.items.length;
          this.pendingBytes -= batch.bytes;
          if (this.current?.due && this.hasFreeSlot) this.close();
          this.dispatch();
          this.wake();
        });
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
