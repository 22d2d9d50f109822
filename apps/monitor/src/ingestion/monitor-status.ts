import { Inject, Injectable } from '@nestjs/common';
import { MONITOR_SETTINGS, type MonitorSettings } from '../config/monitor-settings';
import { FallbackReplayer } from '../fallback/fallback-replayer';
import { FallbackStore } from '../fallback/fallback-store';
import { ElasticsearchLink } from './elasticsearch-link';
import { IngestPipeline } from './ingest-pipeline';
import { LogConsumer } from './log-consumer';
import type { MonitorGaugeSource, MonitorMode } from './monitor-metrics';

/** What `/health` shows about the monitor itself. */
export interface MonitorSnapshot {
  /** direct: writing to Elasticsearch; spilling: Elasticsearch down, writing the fallback files; replaying: Elasticsearch back, fallback files being sent. */
  mode: MonitorMode;
  elasticsearchWritable: boolean;
  lastError?: string;
  /** Consumption waits because the fallback directory is full (lag grows in Kafka). */
  paused: boolean;
  pausedReason?: string;
  fallback: { dir: string; bytes: number; files: number; maxBytes: number };
  /** Age of the oldest record read but not yet in Elasticsearch (0 when none). */
  oldestUnindexedAgeMs: number;
  /** Records accepted and not yet stored anywhere. */
  inFlight: number;
  topics: number;
  consumerLag: number;
}

@Injectable()
export class MonitorStatus implements MonitorGaugeSource {
  constructor(
    @Inject(MONITOR_SETTINGS) private readonly settings: MonitorSettings,
    private readonly link: ElasticsearchLink,
    private readonly store: FallbackStore,
    private readonly pipeline: IngestPipeline,
    private readonly replayer: FallbackReplayer,
    private readonly consumer: LogConsumer,
  ) {}

  mode(): MonitorMode {
    if (!this.link.isUp) return 'spilling';
    return this.store.stats().files > 0 || this.replayer.replaying ? 'replaying' : 'direct';
  }

  fallback(): { bytes: number; files: number } {
    const { bytes, files } = this.store.stats();
    return { bytes, files };
  }

  oldestUnindexedAgeMs(): number {
    const candidates = [this.store.stats().oldestCreatedAt, this.pipeline.oldestPendingAt].filter(
      (t): t is number => t !== undefined,
    );
    return candidates.length === 0 ? 0 : Math.max(0, Date.now() - Math.min(...candidates));
  }

  paused(): boolean {
    return this.pipeline.paused;
  }

  lag(): { topic: string; partition: number; lag: number }[] {
    return this.consumer.partitions();
  }

  snapshot(): MonitorSnapshot {
    const { bytes, files } = this.store.stats();
    const snapshot: MonitorSnapshot = {
      mode: this.mode(),
      elasticsearchWritable: this.link.isUp,
      paused: this.pipeline.paused,
      fallback: {
        dir: this.settings.fallback.dir,
        bytes,
        files,
        maxBytes: this.settings.fallback.maxBytes,
      },
      oldestUnindexedAgeMs: this.oldestUnindexedAgeMs(),
      inFlight: this.pipeline.pending,
      topics: this.consumer.topics.length,
      consumerLag: this.consumer.partitions().reduce((sum, p) => sum + p.lag, 0),
    };
    if (this.link.lastError !== undefined) snapshot.lastError = this.link.lastError;
    if (this.pipeline.pausedReason !== undefined)
      snapshot.pausedReason = this.pipeline.pausedReason;
    return snapshot;
  }
}
