import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '@event-hub/observability';
import type { WriteOutcome, WritePath } from '../elasticsearch/bulk-writer';

export type MonitorMode = 'direct' | 'spilling' | 'replaying';
export const MONITOR_MODES: readonly MonitorMode[] = ['direct', 'spilling', 'replaying'];

/** What the gauges read at scrape time. */
export interface MonitorGaugeSource {
  mode(): MonitorMode;
  fallback(): { bytes: number; files: number };
  oldestUnindexedAgeMs(): number;
  paused(): boolean;
  lag(): { topic: string; partition: number; lag: number }[];
}

/** The monitor's Prometheus metrics, on the service's registry (`/metrics`). */
@Injectable()
export class MonitorMetrics {
  readonly recordsRead: Counter<'topic'>;
  readonly documents: Counter<'path' | 'outcome'>;
  readonly spilled: Counter;
  readonly rejections: Counter<'type'>;
  readonly bulkSeconds: Histogram<'path'>;
  private source: MonitorGaugeSource | undefined;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.recordsRead = new Counter({
      name: 'monitor_records_read_total',
      help: 'Kafka records read by the monitor',
      labelNames: ['topic'],
      registers,
    });
    this.documents = new Counter({
      name: 'monitor_documents_total',
      help: 'Documents written to Elasticsearch by path (direct|replay) and outcome (created, duplicate = already stored, dead-lettered, unindexable, failed = spilled or retried later)',
      labelNames: ['path', 'outcome'],
      registers,
    });
    this.spilled = new Counter({
      name: 'monitor_fallback_documents_total',
      help: 'Documents appended (fsync) to the fallback directory',
      registers,
    });
    this.rejections = new Counter({
      name: 'monitor_rejected_documents_total',
      help: 'Documents Elasticsearch rejected (mapping, size) by rejection type; they go to the dead-letter index (documents_total{outcome="dead-lettered"})',
      labelNames: ['type'],
      registers,
    });
    this.bulkSeconds = new Histogram({
      name: 'monitor_bulk_request_duration_seconds',
      help: 'Latency of bulk requests to Elasticsearch',
      labelNames: ['path'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    const read = (): MonitorGaugeSource | undefined => this.source;
    new Gauge({
      name: 'monitor_mode',
      help: 'Current mode: 1 for the active one of direct, spilling, replaying',
      labelNames: ['mode'],
      registers,
      collect() {
        const source = read();
        if (!source) return;
        const current = source.mode();
        for (const mode of MONITOR_MODES) this.set({ mode }, mode === current ? 1 : 0);
      },
    });
    new Gauge({
      name: 'monitor_fallback_bytes',
      help: 'Bytes in the fallback directory not yet replayed',
      registers,
      collect() {
        const source = read();
        if (source) this.set(source.fallback().bytes);
      },
    });
    new Gauge({
      name: 'monitor_fallback_files',
      help: 'Files in the fallback directory not yet replayed',
      registers,
      collect() {
        const source = read();
        if (source) this.set(source.fallback().files);
      },
    });
    new Gauge({
      name: 'monitor_oldest_unindexed_record_age_seconds',
      help: 'Age of the oldest record read but not yet in Elasticsearch (0 when none)',
      registers,
      collect() {
        const source = read();
        if (source) this.set(source.oldestUnindexedAgeMs() / 1000);
      },
    });
    new Gauge({
      name: 'monitor_consumption_paused',
      help: '1 while consumption is paused because the fallback directory is full and Elasticsearch is down',
      registers,
      collect() {
        const source = read();
        if (source) this.set(source.paused() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'monitor_consumer_lag_records',
      help: 'Records in a partition beyond the offset the monitor committed',
      labelNames: ['topic', 'partition'],
      registers,
      collect() {
        const source = read();
        if (!source) return;
        this.reset();
        for (const { topic, partition, lag } of source.lag())
          this.set({ topic, partition: String(partition) }, lag);
      },
    });
  }

  bindGauges(source: MonitorGaugeSource): void {
    this.source = source;
  }

  writerHooks(): {
    onBulk: (path: WritePath, seconds: number) => void;
    onOutcome: (path: WritePath, outcome: WriteOutcome, count: number) => void;
    onDeadLetter: (rejection: { type: string }) => void;
  } {
    return {
      onBulk: (path, seconds) => this.bulkSeconds.observe({ path }, seconds),
      onOutcome: (path, outcome, count) => this.documents.inc({ path, outcome }, count),
      onDeadLetter: (rejection) => this.rejections.inc({ type: rejection.type }),
    };
  }
}
