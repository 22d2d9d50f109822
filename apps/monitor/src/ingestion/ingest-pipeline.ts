import { Inject, Injectable, Logger } from '@nestjs/common';
import { MONITOR_SETTINGS, type MonitorSettings } from '../config/monitor-settings';
import { FallbackFullError, FallbackStore } from '../fallback/fallback-store';
import { BulkBatcher } from './bulk-batcher';
import { BulkWriter } from '../elasticsearch/bulk-writer';
import { ElasticsearchLink } from '../elasticsearch/elasticsearch-link';
import { requestSize, type IndexRequest } from '../elasticsearch/index-request';
import { MonitorMetrics } from './monitor-metrics';
import type { PartitionTracker } from './offset-watermarks';

/** Batches in flight while spilling: all of them wait for the same fsync. */
const SPILL_CONCURRENCY = 8;

/** A record read from Kafka on its way to being stored. */
export interface PendingRecord {
  tracker: PartitionTracker;
  offset: number;
  request: IndexRequest;
}

/**
 * From consumed records to stored documents. Records are batched (count, bytes, linger) across
 * partitions and several batches are delivered at once. A batch goes to Elasticsearch while the
 * link is up; whatever is not stored within the retry budget (and every batch while the link is
 * down) is appended to the fallback directory and fsync'd. A record counts as stored (and its
 * offset becomes committable) only then.
 *
 * At the fallback bound the delivery waits (and so, through the batcher's capacity, does the
 * consumer: lag grows in Kafka, nothing is dropped) until either the replayer made room or
 * Elasticsearch takes the documents directly.
 */
@Injectable()
export class IngestPipeline {
  private readonly logger = new Logger(IngestPipeline.name);
  private readonly batcher: BulkBatcher<PendingRecord>;
  private readonly stopController = new AbortController();
  private blockedDeliveries = 0;
  private lastSpillError: string | undefined;
  private storedListener: (() => void) | undefined;

  constructor(
    @Inject(MONITOR_SETTINGS) private readonly settings: MonitorSettings,
    private readonly link: ElasticsearchLink,
    private readonly writer: BulkWriter,
    private readonly store: FallbackStore,
    private readonly metrics: MonitorMetrics,
  ) {
    this.batcher = new BulkBatcher<PendingRecord>(
      {
        maxItems: settings.bulk.maxDocs,
        maxBytes: settings.bulk.maxBytes,
        lingerMs: settings.bulk.lingerMs,
        // Appends to the fallback file are group-committed (one fsync for all waiting), so while
        // spilling more batches in flight share each fsync instead of waiting for it in turn.
        concurrency: () => (this.link.isUp ? settings.bulk.concurrency : SPILL_CONCURRENCY),
      },
      (record) => requestSize(record.request),
      (batch) => this.deliver(batch),
    );
  }

  /** Called after records were stored (so their offsets may be committed). */
  onStored(listener: () => void): void {
    this.storedListener = listener;
  }

  accept(record: PendingRecord): void {
    this.batcher.add(record);
  }

  get hasCapacity(): boolean {
    return this.batcher.hasCapacity;
  }

  waitForCapacity(timeoutMs: number): Promise<void> {
    return this.batcher.waitForCapacity(timeoutMs);
  }

  /** True while deliveries wait for room in a full fallback directory (consumption is paused). */
  get paused(): boolean {
    return this.blockedDeliveries > 0;
  }

  get pausedReason(): string | undefined {
    return this.paused ? this.lastSpillError : undefined;
  }

  get pending(): number {
    return this.batcher.pending;
  }

  get oldestPendingAt(): number | undefined {
    return this.batcher.oldestPendingAt;
  }

  /** Delivers everything accepted so far; false when that did not finish within `timeoutMs`. */
  async flush(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>(
      (resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)),
    );
    try {
      return await Promise.race([this.batcher.flush().then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends waiting deliveries: their records stay unstored and uncommitted (read again later). */
  stop(): void {
    this.stopController.abort();
  }

  private async deliver(batch: PendingRecord[]): Promise<void> {
    let remaining = batch;
    if (this.link.isUp) remaining = await this.writeToElasticsearch(remaining);
    if (remaining.length > 0) await this.spill(remaining);
  }

  /** Returns the records that were not stored within the retry budget. */
  private async writeToElasticsearch(records: PendingRecord[]): Promise<PendingRecord[]> {
    const result = await this.writer.write(
      records.map((r) => r.request),
      this.settings.retryBudgetMs,
      'direct',
      () => !this.link.isUp,
    );
    const stored: PendingRecord[] = [];
    const failed: PendingRecord[] = [];
    result.items.forEach((item, position) => {
      const record = records[position] as PendingRecord;
      if (item.outcome === 'failed') {
        // Keep the latest escalation: a dead-letter document spills as a dead-letter document.
        record.request = item.request;
        failed.push(record);
      } else {
        stored.push(record);
      }
    });
    this.acknowledge(stored);
    if (failed.length > 0) this.link.markDown(result.lastError ?? 'bulk request failed');
    return failed;
  }

  private async spill(records: PendingRecord[]): Promise<void> {
    let remaining = records;
    while (!this.stopController.signal.aborted) {
      try {
        await this.store.append(remaining.map((r) => r.request));
        this.metrics.spilled.inc(remaining.length);
        this.acknowledge(remaining);
        return;
      } catch (error) {
        this.lastSpillError = error instanceof Error ? error.message : String(error);
        if (!(error instanceof FallbackFullError)) {
          this.logger.error(`could not write the fallback file, retrying: ${this.lastSpillError}`);
        } else if (this.blockedDeliveries === 0) {
          this.logger.warn(
            `${this.lastSpillError}: consumption paused until Elasticsearch is back`,
          );
        }
      }
      this.blockedDeliveries++;
      try {
        await sleep(this.settings.probeIntervalMs, this.stopController.signal);
      } finally {
        this.blockedDeliveries--;
      }
      if (this.link.isUp && !this.stopController.signal.aborted) {
        remaining = await this.writeToElasticsearch(remaining);
        if (remaining.length === 0) return;
      }
    }
  }

  private acknowledge(records: PendingRecord[]): void {
    if (records.length === 0) return;
    for (const record of records) record.tracker.markStored(record.offset);
    this.storedListener?.();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
