import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Consumer, Producer } from 'kafkajs';
import { Client } from 'pg';
import {
  DEAD_LETTER_HEADERS,
  createEnvelope,
  type EventEnvelope,
  type UsageEventData,
} from '@event-hub/contracts';
import { ACKS_ALL, IDEMPOTENT_PRODUCER, decodeHeaders } from '@event-hub/kafka';
import {
  TcpProxy,
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  testKafka,
  uniqueName,
  waitFor,
  withAdmin,
  type TestDatabase,
} from '@event-hub/testing';
import {
  deleteProcessorTopics,
  startProcessor,
  uniqueProcessorTopics,
  type ProcessorTopics,
} from '../support/processor-harness';
import { usageEvent as usageEventOf } from '../support/usage-events';

interface DeadLetter {
  value: string | null;
  headers: Record<string, string>;
}

describe('processor: usage events become billing rows exactly once', () => {
  const usageTopic = uniqueName('it.usage.events');
  const usageDlq = uniqueName('it.usage.dlq');
  const usageGroup = uniqueName('it.usage.processor');
  const tenant = `t-${randomUUID().slice(0, 8)}`;
  let db: TestDatabase;
  let proxy: TcpProxy;
  let viaProxy: string;
  let topics: ProcessorTopics;
  let app: NestFastifyApplication | undefined;
  let producer: Producer;
  let dlqWatcher: Consumer;
  let sql: Client;
  const deadLetters: DeadLetter[] = [];

  const start = async (maxBatchSize = 1000) => {
    app = await startProcessor(viaProxy, topics, {
      PROCESSOR_USAGE_TOPIC: usageTopic,
      PROCESSOR_USAGE_DLQ_TOPIC: usageDlq,
      PROCESSOR_USAGE_GROUP_ID: usageGroup,
      PROCESSOR_USAGE_MAX_BATCH_SIZE: String(maxBatchSize),
      PROCESSOR_DB_PROBE_INTERVAL_MS: '200',
      PROCESSOR_LAG_INTERVAL_MS: '500',
    });
  };
  const stop = async () => {
    await app?.close();
    app = undefined;
  };

  beforeAll(async () => {
    db = await createTestDatabase('processor_usage');
    const direct = new URL(db.url);
    proxy = await new TcpProxy(direct.hostname, Number(direct.port || 5432)).start();
    const url = new URL(db.url);
    url.port = String(proxy.port);
    viaProxy = url.toString();
    topics = uniqueProcessorTopics('usage');
    // Six partitions like the catalog's usage_events, so chunks of several partitions interleave.
    await Promise.all([createTestTopics([usageTopic], 6), createTestTopics([usageDlq], 1)]);
    producer = testKafka('usage-it-producer').producer(IDEMPOTENT_PRODUCER);
    await producer.connect();
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    dlqWatcher = testKafka('usage-it-dlq').consumer({ groupId: uniqueName('it.usage.dlqwatch') });
    await dlqWatcher.connect();
    await dlqWatcher.subscribe({ topic: usageDlq, fromBeginning: true });
    await dlqWatcher.run({
      eachMessage: async ({ message }) => {
        deadLetters.push({
          value: message.value?.toString() ?? null,
          headers: decodeHeaders(message.headers),
        });
      },
    });
  });

  afterAll(async () => {
    proxy?.restore();
    await Promise.allSettled([dlqWatcher?.disconnect(), producer?.disconnect(), sql?.end()]);
    await stop();
    await proxy?.stop();
    await Promise.all([deleteTestTopics([usageTopic, usageDlq]), deleteProcessorTopics(topics)]);
    await db?.drop();
  });

  const usageEvent = (overrides: Partial<UsageEventData> = {}): EventEnvelope<UsageEventData> =>
    usageEventOf(tenant, overrides);

  const send = async (values: string[]) => {
    // Keys spread the records over every partition.
    await producer.send({
      topic: usageTopic,
      acks: ACKS_ALL,
      messages: values.map((value, i) => ({ key: `k${i}`, value })),
    });
  };
  const sendEvents = (events: EventEnvelope<UsageEventData>[]) =>
    send(events.map((e) => JSON.stringify(e)));

  const billing = async (ids: string[]) => {
    const { rows } = await sql.query<{ rows: number; messages: number; bytes: string }>(
      `SELECT count(*)::int AS rows, coalesce(sum(messages), 0)::int AS messages,
              coalesce(sum(bytes), 0)::text AS bytes
         FROM billing WHERE usage_event_id = ANY($1::uuid[])`,
      [ids],
    );
    return rows[0] ?? { rows: 0, messages: 0, bytes: '0' };
  };
  const stored = (ids: string[], count: number, what: string) =>
    waitFor(async () => ((await billing(ids)).rows >= count ? true : undefined), {
      what,
      timeoutMs: 60000,
    });

  const metrics = async (): Promise<string> =>
    (await app?.inject({ method: 'GET', url: '/metrics' }))?.body ?? '';
  const metric = async (outcome: string): Promise<number> => {
    const line = (await metrics())
      .split('\n')
      .find((l) => l.startsWith(`processor_usage_events_total{outcome="${outcome}"`));
    return Number(line?.split(' ').at(-1) ?? 0);
  };

  it('stores each usage event once across duplicates, a restart mid-stream and a full replay', async () => {
    const first = Array.from({ length: 300 }, (_, i) =>
      usageEvent({ messages: i, bytes: 1000 + i }),
    );
    const second = Array.from({ length: 300 }, () => usageEvent({ action: 'consume', bytes: 7 }));
    const all = [...first, ...second];
    const ids = all.map((e) => e.eventId);

    // The first half, each event sent twice (a retrying producer), in several requests.
    for (let i = 0; i < first.length; i += 50) await sendEvents(first.slice(i, i + 50));
    await sendEvents(first);
    // One event per statement and commit; Postgres cut right after the first row: the
    // processor is stopped mid-stream, with most of the topic neither stored nor committed.
    await start(1);
    await waitFor(async () => ((await billing(ids)).rows > 0 ? true : undefined), {
      what: 'the first stored usage event',
      intervalMs: 10,
    });
    proxy.cut();
    await stop();
    proxy.restore();
    const storedAtStop = (await billing(ids)).rows;
    expect(storedAtStop).toBeLessThan(first.length);
    await sendEvents([...second, ...second.slice(0, 100)]);
    await start();
    await stored(ids, all.length, 'every usage event stored');

    // A crash between insert and offset commit, at its worst: the whole topic redelivered.
    await stop();
    await withAdmin((admin) =>
      admin.resetOffsets({ groupId: usageGroup, topic: usageTopic, earliest: true }),
    );
    await start();
    const redelivered = first.length * 2 + second.length + 100;
    await waitFor(async () => ((await metric('duplicate')) >= redelivered ? true : undefined), {
      what: 'the whole topic to be read again',
      timeoutMs: 60000,
    });

    const expectedMessages = first.reduce((n, e) => n + e.data.messages, 0) + second.length;
    const expectedBytes = first.reduce((n, e) => n + e.data.bytes, 0) + second.length * 7;
    expect(await billing(ids)).toEqual({
      rows: all.length,
      messages: expectedMessages,
      bytes: String(expectedBytes),
    });
    expect(await metric('stored')).toBe(0);
    // Lag of the usage group, measured like the command group's, drains to zero.
    await waitFor(
      async () => {
        const lags = (await metrics())
          .split('\n')
          .filter((l) => l.startsWith(`processor_consumer_lag{topic="${usageTopic}"`));
        return lags.length === 6 && lags.every((l) => l.endsWith(' 0')) ? true : undefined;
      },
      { what: 'the usage group lag to reach zero on all 6 partitions' },
    );
    const { rows } = await sql.query<{ action: string; n: number }>(
      `SELECT action, count(*)::int AS n FROM billing WHERE tenant = $1 GROUP BY action ORDER BY action`,
      [tenant],
    );
    expect(rows).toEqual([
      { action: 'consume', n: second.length },
      { action: 'produce', n: first.length },
    ]);
  });

  it('dead-letters a poison message with the reason and still stores the next event', async () => {
    if (!app) await start();
    const next = usageEvent({ topic: 'after-poison' });
    const wrongType = createEnvelope({
      eventType: 'user.create',
      source: 'gateway',
      data: { userId: randomUUID() },
    });
    // One key, one partition: the good event sits right behind the poison ones.
    await producer.send({
      topic: usageTopic,
      acks: ACKS_ALL,
      messages: [
        { key: 'same', value: 'not json at all' },
        { key: 'same', value: JSON.stringify(wrongType) },
        { key: 'same', value: JSON.stringify(usageEvent({ messages: -5 })) },
        // Well-formed, but Postgres has no year 0: only this row is refused, the rest stored.
        { key: 'same', value: JSON.stringify(usageEvent({ eventTime: '0000-01-01T00:00:00Z' })) },
        { key: 'same', value: JSON.stringify(next) },
      ],
    });
    await stored([next.eventId], 1, 'the event behind the poison messages');
    await waitFor(() => deadLetters.length >= 4, { what: 'four dead letters' });
    expect(deadLetters.map((d) => d.headers[DEAD_LETTER_HEADERS.errorCode])).toEqual([
      'USAGE.NOT_JSON',
      'USAGE.WRONG_EVENT_TYPE',
      'USAGE.INVALID_DATA',
      'USAGE.REJECTED_BY_DATABASE',
    ]);
    expect(deadLetters[0]).toMatchObject({
      value: 'not json at all',
      headers: {
        [DEAD_LETTER_HEADERS.originalTopic]: usageTopic,
        [DEAD_LETTER_HEADERS.error]: expect.stringMatching(/not JSON/),
      },
    });
    expect(deadLetters[2]?.headers[DEAD_LETTER_HEADERS.error]).toMatch(/messages/);
  });

  it('pauses while Postgres is unreachable, reports it, and skips nothing once it is back', async () => {
    if (!app) await start();
    const health = async () => {
      const response = await app?.inject({ method: 'GET', url: '/health/usage' });
      return { code: response?.statusCode, body: response?.json<Record<string, unknown>>() };
    };
    expect((await health()).code).toBe(200);

    proxy.cut();
    const during = Array.from({ length: 40 }, () => usageEvent({ topic: 'during-outage' }));
    await sendEvents(during);
    const down = await waitFor(
      async () => {
        const state = await health();
        return state.code === 503 ? state : undefined;
      },
      { what: '/health/usage to report the paused consumer' },
    );
    expect(down.body).toMatchObject({
      error: { usageConsumer: { status: 'down', state: 'paused' } },
    });
    proxy.restore();

    const ids = during.map((e) => e.eventId);
    await stored(ids, during.length, 'every event sent during the outage');
    await waitFor(async () => ((await health()).code === 200 ? true : undefined), {
      what: '/health/usage to recover',
    });
    expect((await billing(ids)).rows).toBe(during.length);
    // An outage is waited out, never dead-lettered.
    expect(deadLetters).toHaveLength(4);
  });
});
