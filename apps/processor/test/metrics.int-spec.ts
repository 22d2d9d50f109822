import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  createTestDatabase,
  NODE_DEFAULT_METRICS,
  PROMETHEUS_TEXT,
  summarizeScrape,
  type MetricFamilies,
  type TestDatabase,
} from '@event-hub/testing';
import {
  deleteProcessorTopics,
  startProcessor,
  uniqueProcessorTopics,
  type ProcessorTopics,
} from './support/processor-harness';

/** Every series the processor exposes, by name and type: dashboards and alert rules rely on them. */
const PROCESSOR_METRICS: MetricFamilies = {
  processor_commands_total: 'counter',
  processor_dead_letters_total: 'counter',
  processor_batch_duration_seconds: 'histogram',
  processor_batch_phase_seconds: 'histogram',
  processor_batch_size: 'histogram',
  processor_batch_fallbacks_total: 'counter',
  processor_consumer_paused: 'gauge',
  processor_consumer_lag: 'gauge',
  processor_domain_events_total: 'counter',
  processor_usage_events_total: 'counter',
  processor_usage_consumer_paused: 'gauge',
};

describe('processor: /metrics', () => {
  let db: TestDatabase;
  let topics: ProcessorTopics;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    db = await createTestDatabase('processor_metrics');
    topics = uniqueProcessorTopics('processor-metrics');
    app = await startProcessor(db.url, topics);
  });

  afterAll(async () => {
    await app?.close();
    await deleteProcessorTopics(topics);
    await db?.drop();
  });

  it('serves every processor series and Node’s default metrics', async () => {
    const scrape = await app.inject({ method: 'GET', url: '/metrics' });

    expect(summarizeScrape(scrape)).toEqual({
      status: 200,
      contentType: PROMETHEUS_TEXT,
      families: expect.objectContaining({ ...PROCESSOR_METRICS, ...NODE_DEFAULT_METRICS }),
      service: 'processor',
    });
  });
});
