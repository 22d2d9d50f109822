import { Inject, Injectable, Logger } from '@nestjs/common';
import { MONITOR_SETTINGS, type MonitorSettings } from '../config/monitor-settings';
import { BulkWriter } from '../elasticsearch/bulk-writer';
import { ElasticsearchLink } from '../elasticsearch/elasticsearch-link';
import type { IndexRequest } from '../elasticsearch/index-request';
import { readFallbackChunks } from './fallback-reader';
import { FallbackStore, type FallbackFile } from './fallback-store';

/**
 * Brings the fallback directory back into Elasticsearch. Every probe interval: while the link is
 * down, probe it; once up, close the file being written (new records go straight to
 * Elasticsearch again, in parallel with the replay: order does not matter in an index sorted by
 * record time) and send the closed files oldest first as bulk `create`s. A file is deleted only
 * after every document in it was acknowledged (created, 409 already there, or dead-lettered).
 *
 * A crash at any point re-sends at most the current file, whose ids answer 409: nothing is lost
 * and nothing is duplicated. If Elasticsearch fails again mid-file, the replay stops, the file
 * stays, and the link goes down (new records spill into a newer file).
 */
@Injectable()
export class FallbackReplayer {
  private readonly logger = new Logger(FallbackReplayer.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private replayingNow = false;

  constructor(
    @Inject(MONITOR_SETTINGS) private readonly settings: MonitorSettings,
    private readonly link: ElasticsearchLink,
    private readonly store: FallbackStore,
    private readonly writer: BulkWriter,
  ) {}

  get replaying(): boolean {
    return this.replayingNow;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One probe/replay round; exposed so tests and shutdown can drive it deterministically. */
  async tick(): Promise<void> {
    if (this.link.isUp) await this.link.verify();
    if (!this.link.isUp && !(await this.link.probe())) return;
    await this.store.rotate();
    if (this.store.closedFiles().length > 0) await this.replayAll();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => this.logger.error(`replay round failed: ${String(error)}`))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.settings.probeIntervalMs);
        });
    }, delayMs);
  }

  private async replayAll(): Promise<void> {
    this.replayingNow = true;
    try {
      const started = Date.now();
      let replayedFiles = 0;
      for (;;) {
        const [file] = this.store.closedFiles();
        if (!file || this.stopped || !this.link.isUp) break;
        if (!(await this.replayFile(file))) break;
        replayedFiles++;
      }
      if (replayedFiles > 0) {
        const left = this.store.stats();
        this.logger.log(
          `replayed ${replayedFiles} fallback file(s) in ${Date.now() - started} ms; ${left.files} file(s) left`,
        );
      }
    } finally {
      this.replayingNow = false;
    }
  }

  /** True when every document of the file is acknowledged and the file is deleted. */
  private async replayFile(file: FallbackFile): Promise<boolean> {
    const inFlight = new Set<Promise<void>>();
    let complete = true;
    let skipped = 0;
    for await (const chunk of readFallbackChunks(file.path, {
      maxDocs: this.settings.bulk.maxDocs,
      maxBytes: this.settings.bulk.maxBytes,
      deadLetterIndex: this.link.indices.deadLetter,
    })) {
      skipped += chunk.skippedLines;
      if (!complete || this.stopped || !this.link.isUp) {
        complete = false;
        break;
      }
      if (chunk.requests.length === 0) continue;
      const sending: Promise<void> = this.replayChunk(chunk.requests).then((ok) => {
        if (!ok) complete = false;
        inFlight.delete(sending);
      });
      inFlight.add(sending);
      if (inFlight.size >= this.settings.bulk.concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (!complete) return false;
    if (skipped > 0) {
      this.logger.warn(`${file.path}: skipped ${skipped} torn line(s) of an unacknowledged write`);
    }
    await this.store.remove(file);
    return true;
  }

  private async replayChunk(requests: IndexRequest[]): Promise<boolean> {
    const result = await this.writer.write(
      requests,
      this.settings.retryBudgetMs,
      'replay',
      () => !this.link.isUp || this.stopped,
    );
    if (result.items.some((item) => item.outcome === 'failed')) {
      this.link.markDown(result.lastError ?? 'replay bulk request failed');
      return false;
    }
    return true;
  }
}
