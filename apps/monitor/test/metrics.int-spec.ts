import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  NODE_DEFAULT_METRICS,
  PROMETHEUS_TEXT,
  seriesValue,
  summarizeScrape,
  waitFor,
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
  http_request_duration_seconds: 'histogram',
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

describe('monitor: /metrics after records were indexed', () => {
  const bed = new MonitorTestbed();
  let app: NestFastifyApplication;
  let topic: string;

  beforeAll(async () => {
    await bed.setUp();
    [topic = ''] = await bed.createTopics(['metered'], 1);
    app = await bed.startInProcess();
  });

  afterAll(() => bed.cleanup());

  it('counts records read per topic and documents indexed, times the bulks and reads the lag against the end offsets', async () => {
    await bed.produce(
      topic,
      [1, 2, 3, 4, 5].map((n) => ({ key: `k${n}`, value: JSON.stringify({ n }) })),
    );
    await bed.waitForCount(5, 'the five records indexed');

    // The lag gauge reads what the monitor committed, which follows indexing.
    const body = await waitFor(
      async () => {
        const scraped = (await app.inject({ method: 'GET', url: '/metrics' })).body;
        return seriesValue(scraped, 'monitor_consumer_lag_records', {
          group: bed.groupId,
          topic,
          partition: '0',
        }) === 0
          ? scraped
          : undefined;
      },
      { what: 'the monitor to report no lag on the topic', timeoutMs: 30000 },
    );
    expect({
      read: seriesValue(body, 'monitor_records_read_total', { topic }),
      created: seriesValue(body, 'monitor_documents_total', { path: 'direct', outcome: 'created' }),
      bulks:
        (seriesValue(body, 'monitor_bulk_request_duration_seconds_count', { path: 'direct' }) ??
          0) > 0,
      direct: seriesValue(body, 'monitor_mode', { mode: 'direct' }),
      fallbackBytes: seriesValue(body, 'monitor_fallback_bytes'),
    }).toEqual({ read: 5, created: 5, bulks: true, direct: 1, fallbackBytes: 0 });
  });

  it('times its HTTP answers by route and status', async () => {
    await app.inject({ method: 'GET', url: '/health/live' });
    const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(
      seriesValue(body, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/health/live',
        status_code: '200',
      }),
    ).toBe(1);
  });
});
