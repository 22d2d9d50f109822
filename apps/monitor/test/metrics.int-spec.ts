import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  NODE_DEFAULT_METRICS,
  PROMETHEUS_TEXT,
  summarizeScrape,
  type MetricFamilies,
} from '@event-hub/testing';
import { MonitorTestbed } from './support/monitor-harness';

/** Every series the monitor exposes, by name and type: dashboards and alert rules rely on them. */
const MONITOR_METRICS: MetricFamilies = {
  monitor_records_read_total: 'counter',
  monitor_documents_total: 'counter',
  monitor_rejected_documents_total: 'counter',
  monitor_fallback_documents_total: 'counter',
  monitor_bulk_request_duration_seconds: 'histogram',
  monitor_mode: 'gauge',
  monitor_fallback_bytes: 'gauge',
  monitor_fallback_files: 'gauge',
  monitor_oldest_unindexed_record_age_seconds: 'gauge',
  monitor_consumption_paused: 'gauge',
  monitor_consumer_lag_records: 'gauge',
  auth_failures_total: 'counter',
};

/** The metric names the monitor's README lists in its Metrics section. */
function documentedMetrics(): string[] {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const section = /^## Metrics \(`\/metrics`\)\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/`(monitor_\w+)/g)].map(([, name]) => name as string);
}

describe('monitor: /metrics', () => {
  const bed = new MonitorTestbed();
  let app: NestFastifyApplication;

  beforeAll(async () => {
    await bed.setUp();
    app = await bed.startInProcess();
  });

  afterAll(() => bed.cleanup());

  it('documents exactly the monitor series it serves in the README', () => {
    expect(documentedMetrics().sort()).toEqual(
      Object.keys(MONITOR_METRICS)
        .filter((name) => name.startsWith('monitor_'))
        .sort(),
    );
  });

  it('serves every monitor series and Node’s default metrics to a scrape without a token', async () => {
    const scrape = await app.inject({ method: 'GET', url: '/metrics' });

    expect(summarizeScrape(scrape)).toEqual({
      status: 200,
      contentType: PROMETHEUS_TEXT,
      families: expect.objectContaining({ ...MONITOR_METRICS, ...NODE_DEFAULT_METRICS }),
      service: 'monitor',
    });
    // Ingestion has started: the mode gauge reads the running monitor.
    expect(scrape.body).toMatch(/^monitor_mode\{mode="direct",service="monitor"\} 1$/m);
  });
});
