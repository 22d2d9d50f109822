import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Producer } from 'kafkajs';
import { USER_COMMANDS, type UsageEventData } from '@event-hub/contracts';
import { ACKS_ALL, IDEMPOTENT_PRODUCER } from '@event-hub/kafka';
import {
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  NODE_DEFAULT_METRICS,
  PROMETHEUS_TEXT,
  randomCpf,
  seriesValue,
  summarizeScrape,
  testKafka,
  uniqueName,
  waitFor,
  type MetricFamilies,
  type TestDatabase,
} from '@event-hub/testing';
import {
  CommandSender,
  TopicWatcher,
  deleteProcessorTopics,
  startProcessor,
  uniqueProcessorTopics,
  type ProcessorTopics,
} from './support/processor-harness';
import { usageEvent } from './support/usage-events';

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
  processor_command_duration_seconds: 'histogram',
  processor_billing_records_total: 'counter',
  processor_billing_bytes_total: 'counter',
  http_request_duration_seconds: 'histogram',
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

describe('processor: /metrics after commands and usage events', () => {
  const usageTopic = uniqueName('it.metrics.usage');
  const usageDlq = uniqueName('it.metrics.usage-dlq');
  const tenant = `t-${randomUUID().slice(0, 8)}`;
  let db: TestDatabase;
  let topics: ProcessorTopics;
  let app: NestFastifyApplication;
  let sender: CommandSender;
  let watcher: TopicWatcher;
  let producer: Producer;

  beforeAll(async () => {
    db = await createTestDatabase('processor_metrics_traffic');
    topics = uniqueProcessorTopics('processor-metrics-traffic');
    await Promise.all([createTestTopics([usageTopic], 2), createTestTopics([usageDlq], 1)]);
    app = await startProcessor(db.url, topics, {
      PROCESSOR_USAGE_TOPIC: usageTopic,
      PROCESSOR_USAGE_DLQ_TOPIC: usageDlq,
      PROCESSOR_USAGE_GROUP_ID: uniqueName('it.metrics.usage-group'),
    });
    sender = await new CommandSender(topics.commands).connect();
    watcher = await new TopicWatcher(topics).start();
    producer = testKafka('processor-metrics-usage').producer(IDEMPOTENT_PRODUCER);
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.allSettled([watcher?.stop(), sender?.disconnect(), producer?.disconnect()]);
    await app?.close();
    await Promise.all([deleteProcessorTopics(topics), deleteTestTopics([usageTopic, usageDlq])]);
    await db?.drop();
  });

  const scrape = async (): Promise<string> =>
    (await app.inject({ method: 'GET', url: '/metrics' })).body;

  it('times each command by type and counts its outcome', async () => {
    const command = sender.envelope(USER_COMMANDS.createUser, {
      userId: randomUUID(),
      name: 'Ana Souza',
      email: `ana.${randomUUID()}@example.com`,
      document: randomCpf(),
    });
    await sender.send(command);
    expect((await watcher.reply(command.metadata.correlationId)).data.status).toBe('COMPLETED');

    const body = await scrape();
    const type = { command: USER_COMMANDS.createUser };
    expect({
      timed: seriesValue(body, 'processor_command_duration_seconds_count', type),
      completed: seriesValue(body, 'processor_commands_total', { ...type, outcome: 'completed' }),
    }).toEqual({ timed: 1, completed: 1 });
    // The correlation id of a command never becomes a label.
    expect(body).not.toContain(command.metadata.correlationId);
  });

  it('meters the records and bytes of stored usage events per tenant and action', async () => {
    const usage = (data: Partial<UsageEventData>) => JSON.stringify(usageEvent(tenant, data));
    await producer.send({
      topic: usageTopic,
      acks: ACKS_ALL,
      messages: [
        { key: tenant, value: usage({ action: 'produce', messages: 3, bytes: 300 }) },
        { key: tenant, value: usage({ action: 'produce', messages: 2, bytes: 50 }) },
        { key: tenant, value: usage({ action: 'consume', messages: 4, bytes: 400 }) },
      ],
    });

    const metered = await waitFor(
      async () => {
        const body = await scrape();
        const produced = seriesValue(body, 'processor_billing_records_total', {
          tenant,
          action: 'produce',
        });
        const consumed = seriesValue(body, 'processor_billing_records_total', {
          tenant,
          action: 'consume',
        });
        return produced === 5 && consumed === 4 ? body : undefined;
      },
      { what: 'the usage events metered', timeoutMs: 60000 },
    );
    expect({
      producedBytes: seriesValue(metered, 'processor_billing_bytes_total', {
        tenant,
        action: 'produce',
      }),
      consumedBytes: seriesValue(metered, 'processor_billing_bytes_total', {
        tenant,
        action: 'consume',
      }),
    }).toEqual({ producedBytes: 350, consumedBytes: 400 });
  });

  it('times its HTTP answers by route and status', async () => {
    await app.inject({ method: 'GET', url: '/health/live' });
    const body = await scrape();
    expect(
      seriesValue(body, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/health/live',
        status_code: '200',
      }),
    ).toBe(1);
  });
});
