import { Injectable, type Provider } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { WriteOutcome, WritePath } from '../elasticsearch/bulk-writer';

export type MonitorMode = 'direct' | 'spilling' | 'replaying';
export const MONITOR_MODES: readonly MonitorMode[] = ['direct', 'spilling', 'replaying'];

/** What the gauges read at scrape time. */
export interface MonitorGaugeSource {
  mode(): MonitorMode;
  fallback(): { bytes: number; files: number };
  oldestUnindexedAgeMs(): number;
  paused(): boolean;
  lag(): { group: string; topic: string; partition: number; lag: number }[];
}

const RECORDS_READ = 'monitor_records_read_total';
const DOCUMENTS = 'monitor_documents_total';
const SPILLED = 'monitor_fallback_documents_total';
const REJECTIONS = 'monitor_rejected_documents_total';
const BULK_SECONDS = 'monitor_bulk_request_duration_seconds';

/** The monitor's counters, and the source its gauges read once ingestion has bound it. */
@Injectable()
export class MonitorMetrics {
  private source: MonitorGaugeSource | undefined;

  constructor(
    @InjectMetric(RECORDS_READ) readonly recordsRead: Counter<'topic'>,
    @InjectMetric(DOCUMENTS) readonly documents: Counter<'path' | 'outcome'>,
    @InjectMetric(SPILLED) readonly spilled: Counter,
    @InjectMetric(REJECTIONS) readonly rejections: Counter<'type'>,
    @InjectMetric(BULK_SECONDS) readonly bulkSeconds: Histogram<'path'>,
  ) {}

  bindGauges(source: MonitorGaugeSource): void {
    this.source = source;
  }

  /** What the gauges read; none before ingestion started, and they then report nothing. */
  gaugeSource(): MonitorGaugeSource | undefined {
    return this.source;
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

/** A gauge set at scrape time from the monitor's state, once ingestion has bound it. */
function stateGauge(
  name: string,
  help: string,
  read: (gauge: Gauge, source: MonitorGaugeSource) => void,
  labelNames: string[] = [],
): Provider {
  return makeGaugeProvider({
    name,
    help,
    labelNames,
    inject: [MonitorMetrics],
    collect(this: Gauge, metrics: MonitorMetrics) {
      const source = metrics.gaugeSource();
      if (source) read(this, source);
    },
  });
}

/** The series on the default registry behind /metrics, and {@link MonitorMetrics} over them. */
export const MONITOR_METRICS: Provider[] = [
  makeCounterProvider({
    name: RECORDS_READ,
    help: 'Kafka records read by the monitor',
    labelNames: ['topic'],
  }),
  makeCounterProvider({
    name: DOCUMENTS,
    help: 'Documents written to Elasticsearch by path (direct|replay) and outcome (created, duplicate = already stored, dead-lettered, unindexable, failed = spilled or retried later)',
    labelNames: ['path', 'outcome'],
  }),
  makeCounterProvider({
    name: SPILLED,
    help: 'Documents appended (fsync) to the fallback directory',
  }),
  makeCounterProvider({
    name: REJECTIONS,
    help: 'Documents Elasticsearch rejected (mapping, size) by rejection type; they go to the dead-letter index (documents_total{outcome="dead-lettered"})',
    labelNames: ['type'],
  }),
  makeHistogramProvider({
    name: BULK_SECONDS,
    help: 'Latency of bulk requests to Elasticsearch',
    labelNames: ['path'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  stateGauge(
    'monitor_mode',
    'Current mode: 1 for the active one of direct, spilling, replaying',
    (gauge, source) => {
      const current = source.mode();
      for (const mode of MONITOR_MODES) gauge.set({ mode }, mode === current ? 1 : 0);
    },
    ['mode'],
  ),
  stateGauge(
    'monitor_fallback_bytes',
    'Bytes in the fallback directory not yet replayed',
    (gauge, source) => gauge.set(source.fallback().bytes),
  ),
  stateGauge(
    'monitor_fallback_files',
    'Files in the fallback directory not yet replayed',
    (gauge, source) => gauge.set(source.fallback().files),
  ),
  stateGauge(
    'monitor_oldest_unindexed_record_age_seconds',
    'Age of the oldest record read but not yet in Elasticsearch (0 when none)',
    (gauge, source) => gauge.set(source.oldestUnindexedAgeMs() / 1000),
  ),
  stateGauge(
    'monitor_consumption_paused',
    '1 while consumption is paused because the fallback directory is full and Elasticsearch is down',
    (gauge, source) => gauge.set(source.paused() ? 1 : 0),
  ),
  stateGauge(
    'monitor_consumer_lag_records',
    "Records in a partition beyond the offset the monitor's consumer group committed (broker end offset − committed offset)",
    (gauge, source) => {
      gauge.reset();
      for (const { group, topic, partition, lag } of source.lag())
        gauge.set({ group, topic, partition: String(partition) }, lag);
    },
    ['group', 'topic', 'partition'],
  ),
  MonitorMetrics,
];
