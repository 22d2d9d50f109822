import { Inject, Injectable } from '@nestjs/common';
import { MONITOR_SETTINGS, type MonitorSettings } from '../config/monitor-settings';
import { FallbackReplayer } from '../fallback/fallback-replayer';
import { FallbackStore } from '../fallback/fallback-store';
import { ElasticsearchLink } from '../elasticsearch/elasticsearch-link';
import { IngestPipeline } from './ingest-pipeline';
import { KafkaBacklog } from './kafka-backlog';
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
  /**
   * Age of the oldest record not yet in Elasticsearch (0 when none): still in Kafka beyond the
   * group's committed offset, read and on its way, or in a fallback file.
   */
  oldestUnindexedAgeMs: number;
  /** Records accepted and not yet stored anywhere. */
  inFlight: number;
  /** Topics the monitor should be reading (from the broker's topic list). */
  topics: number;
  /** Records in those topics beyond the group's committed offsets (broker end offsets − commits). */
  consumerLag: number;
  /** When `consumerLag` was measured (ISO 8601; absent before the first measurement). */
  lagMeasuredAt?: string;
  /** Why the last measurement failed, when it did. */
  lagError?: string;
  /** A record has waited in Kafka longer than MONITOR_MAX_UNINDEXED_AGE_MS: ingestion is stuck or far behind. */
  stalled: boolean;
}

@Injectable()
export class MonitorStatus implements MonitorGaugeSource {
  constructor(
    @Inject(MONITOR_SETTINGS) private readonly settings: MonitorSettings,
    private readonly link: ElasticsearchLink,
    private readonly store: FallbackStore,
    private readonly pipeline: IngestPipeline,
    private readonly replayer: FallbackReplayer,
    private readonly backlog: KafkaBacklog,
  ) {}

  mode(): MonitorMode {
    if (!this.link.isUp) return 'spilling';
    return this.store.stats().files > 0 || this.replayer.replaying ? 'replaying' : 'direct';
  }

  fallback(): { bytes: number; files: number } {
    const { bytes, files } = this.store.stats();
    return { bytes, files };
  }

  oldestUnindexedAgeMs(now = Date.now()): number {
    const candidates = [this.store.stats().oldestCreatedAt, this.pipeline.oldestPendingAt].filter(
      (t): t is number => t !== undefined,
    );
    const local = candidates.length === 0 ? 0 : Math.max(0, now - Math.min(...candidates));
    return Math.max(local, this.backlog.report(now).oldestAgeMs);
  }

  paused(): boolean {
    return this.pipeline.paused;
  }

  lag(): { group: string; topic: string; partition: number; lag: number }[] {
    const group = this.settings.groupId;
    return this.backlog.report().partitions.map((p) => ({ group, ...p }));
  }

  snapshot(): MonitorSnapshot {
    const now = Date.now();
    const { bytes, files } = this.store.stats();
    const backlog = this.backlog.report(now);
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
      oldestUnindexedAgeMs: this.oldestUnindexedAgeMs(now),
      inFlight: this.pipeline.pending,
      topics: backlog.topics,
      consumerLag: backlog.lag,
      // Only the Kafka side counts: records in fallback files are safe and replay by themselves.
      stalled: backlog.oldestAgeMs > this.settings.maxUnindexedAgeMs,
    };
    if (backlog.measuredAt !== undefined) {
      snapshot.lagMeasuredAt = new Date(backlog.measuredAt).toISOString();
    }
    if (backlog.error !== undefined) snapshot.lagError = backlog.error;
    if (this.link.lastError !== undefined) snapshot.lastError = this.link.lastError;
    if (this.pipeline.pausedReason !== undefined)
      snapshot.pausedReason = this.pipeline.pausedReason;
    return snapshot;
  }
}
