import { randomBytes, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createEnvelope, EVENT_HEADERS } from '@event-hub/contracts';
import { createTestTopics, waitFor } from '@event-hub/testing';
import { monitorOpenApiDocument } from '../src/docs/swagger';
import { MonitorTestbed } from './support/monitor-harness';

interface LogPage {
  page: number;
  pageSize: number;
  total: number;
  items: Record<string, unknown>[];
}

describe('monitor: every topic into Elasticsearch, searchable over HTTP', () => {
  const bed = new MonitorTestbed();
  let app: NestFastifyApplication;
  let envelopes: string;
  let plain: string;
  let binary: string;

  const get = async <T>(url: string): Promise<{ status: number; body: T }> => {
    const response = await app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${bed.operatorToken()}` },
    });
    return { status: response.statusCode, body: response.json<T>() };
  };

  const search = async (query: string): Promise<LogPage> => {
    const { status, body } = await get<LogPage>(`/logs?${query}`);
    expect(status).toBe(200);
    return body;
  };

  beforeAll(async () => {
    await bed.setUp();
    [envelopes, plain, binary] = await bed.createTopics(['envelopes', 'plain', 'binary']);
    app = await bed.startInProcess();
  });

  afterAll(() => bed.cleanup());

  it('indexes an envelope, plain JSON and binary records, each searchable through GET /logs', async () => {
    const envelope = createEnvelope({
      eventType: 'users.create_user',
      source: 'gateway',
      tenantId: 'acme',
      data: { name: 'Ana Souza', email: 'ana@example.com', plan: 'pro' },
    });
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x80]), randomBytes(32)]);
    await bed.produce(envelopes as string, [
      {
        key: 'user-1',
        value: JSON.stringify(envelope),
        headers: { [EVENT_HEADERS.correlationId]: envelope.metadata.correlationId },
      },
    ]);
    await bed.produce(plain as string, [
      { key: null, value: JSON.stringify({ sku: 'A-1', qty: 3, tags: ['x', 'y'] }) },
      { key: 'k', value: JSON.stringify([1, 2, 3]) },
      { key: 'text', value: 'plain text, not JSON' },
      { key: 'tombstone', value: null },
    ]);
    await bed.produce(binary as string, [{ key: Buffer.from([0xc3, 0x28]), value: bytes }]);

    await bed.waitForCount(6, 'every record to be indexed');

    const [fromEnvelope] = (await search(`topic=${envelopes}`)).items;
    expect(fromEnvelope).toMatchObject({
      topic: envelopes,
      format: 'envelope',
      eventId: envelope.eventId,
      eventType: 'users.create_user',
      source: 'gateway',
      tenantId: 'acme',
      correlationId: envelope.metadata.correlationId,
      version: '1.0',
      key: 'user-1',
      // The e-mail is stored masked (log-access.int-spec.ts covers personal data in full).
      payload: { ...envelope.data, email: 'a**@example.com' },
      parseError: false,
    });
    expect(await search('q=ana@example.com&tenantId=acme')).toMatchObject({ total: 1 });
    expect(await search('eventType=users.create_user&topic=' + envelopes)).toMatchObject({
      total: 1,
    });

    const plainPage = await search(`topic=${plain}`);
    expect(plainPage.total).toBe(4);
    const byKey = Object.fromEntries(
      plainPage.items.map((item) => [String(item['key'] ?? ''), item]),
    );
    expect(byKey['']).toMatchObject({
      format: 'json',
      payload: { sku: 'A-1', qty: 3, tags: ['x', 'y'] },
    });
    expect(byKey['k']).toMatchObject({ format: 'json', payload: { value: [1, 2, 3] } });
    expect(byKey['text']).toMatchObject({
      format: 'text',
      message: 'plain text, not JSON',
      parseError: true,
    });
    expect(byKey['tombstone']).toMatchObject({ format: 'empty', valueBytes: 0 });
    expect(await search(`topic=${plain}&q=${encodeURIComponent('"not JSON"')}`)).toMatchObject({
      total: 1,
    });

    const [fromBinary] = (await search(`topic=${binary}`)).items;
    expect(fromBinary).toMatchObject({
      format: 'binary',
      rawBase64: bytes.toString('base64'),
      key: Buffer.from([0xc3, 0x28]).toString('base64'),
      keyEncoding: 'base64',
      parseError: true,
    });
    expect(String(fromBinary?.['parseErrorReason'])).toContain('not UTF-8');
  });

  it('names the daily index from the record timestamp, so a replay lands where the first write did', async () => {
    const threeDaysAgo = Date.UTC(2024, 1, 29, 23, 59, 59, 500);
    await bed.produce(plain as string, [
      { key: 'old', value: '{"old":true}', timestamp: String(threeDaysAgo) },
    ]);

    await waitFor(async () => (await search(`topic=${plain}&q=old`)).total === 1, {
      what: 'the old record',
    });
    const [item] = (await search(`topic=${plain}&from=2024-02-29&to=2024-02-29T23:59:59.999Z`))
      .items;
    expect(item).toMatchObject({
      index: `${bed.indexPrefix}-2024.02.29`,
      '@timestamp': '2024-02-29T23:59:59.500Z',
    });
  });

  it('sends a document Elasticsearch rejects to the dead-letter index with the reason, and the partition keeps moving', async () => {
    const [rejects] = await bed.createTopics(['rejects'], 1);
    // A flattened field refuses objects nested deeper than its depth limit (20).
    let deep: Record<string, unknown> = { leaf: 'bottom' };
    for (let i = 0; i < 25; i++) deep = { [`level${i}`]: deep };
    await bed.produce(rejects as string, [
      { key: 'before', value: '{"n":1}' },
      { key: 'deep', value: JSON.stringify(deep) },
      { key: 'after', value: '{"n":2}' },
    ]);

    await waitFor(async () => (await search(`topic=${rejects}`)).total === 3, {
      what: 'all three records (one as a dead letter)',
    });
    const page = await search(`topic=${rejects}`);
    const deadLetter = page.items.find((item) => item['key'] === 'deep');
    expect(deadLetter).toMatchObject({
      index: `${bed.indexPrefix}-deadletter`,
      id: `${rejects}-0-1`,
      format: 'json',
      deadLetter: { type: 'document_parsing_exception', index: expect.stringMatching(/^it-logs-/) },
    });
    expect(deadLetter).not.toHaveProperty('payload');
    expect(String((deadLetter?.['deadLetter'] as { reason: string }).reason)).toContain('depth');
    expect(deadLetter?.['message']).toContain('bottom');
    expect(page.items.find((item) => item['key'] === 'after')).toMatchObject({
      format: 'json',
      payload: { n: 2 },
    });
    // The partition moved past the rejected record: everything is committed.
    await waitFor(() => bed.committedEverything([rejects as string]), {
      what: 'the group to commit past the rejected record',
    });
  });

  it('follows one flow across topics in time order with GET /logs/trace/:correlationId', async () => {
    const [commands, replies] = await bed.createTopics(['commands', 'replies']);
    const correlationId = randomUUID();
    const command = createEnvelope({
      eventType: 'users.create_user',
      source: 'gateway',
      correlationId,
      data: { name: 'Bia' },
      timestamp: new Date(Date.now() - 2000),
    });
    const reply = createEnvelope({
      eventType: 'users.create_user.completed',
      source: 'processor',
      correlationId,
      causationId: command.eventId,
      data: { status: 'COMPLETED' },
    });
    const headers = { [EVENT_HEADERS.correlationId]: correlationId };
    // Produced in reverse order, with record timestamps in flow order.
    await bed.produce(replies as string, [
      { key: correlationId, value: JSON.stringify(reply), headers, timestamp: String(Date.now()) },
    ]);
    await bed.produce(commands as string, [
      {
        key: 'user-9',
        value: JSON.stringify(command),
        headers,
        timestamp: String(Date.now() - 1000),
      },
      { key: 'user-9', value: JSON.stringify({ unrelated: true }) },
    ]);
    // A plain JSON record of another producer that only carries the header joins the flow too.
    await bed.produce(replies as string, [
      { key: 'audit', value: '{"audit":"seen"}', headers, timestamp: String(Date.now() + 1000) },
    ]);

    const trace = await waitFor(
      async () => {
        const { body } = await get<{ total: number; items: Record<string, unknown>[] }>(
          `/logs/trace/${correlationId}`,
        );
        return body.total === 3 ? body : undefined;
      },
      { what: 'the three records of the flow' },
    );
    expect(trace.items.map((i) => [i['topic'], i['eventType'] ?? null])).toEqual([
      [commands, 'users.create_user'],
      [replies, 'users.create_user.completed'],
      [replies, null],
    ]);
    expect(trace.items[1]).toMatchObject({ causationId: command.eventId, correlationId });
    expect(trace).toMatchObject({ correlationId, truncated: false });
    expect(await search(`correlationId=${correlationId}`)).toMatchObject({ total: 3 });
  });

  it('picks up a topic created after the monitor started', async () => {
    const late = bed.topic('late');
    await createTestTopics([late], 1);
    bed.topics.push(late);
    await bed.produce(late, [{ key: 'late', value: '{"late":true}' }]);

    await waitFor(async () => (await search(`topic=${late}`)).total === 1, {
      timeoutMs: 30000,
      what: 'the new topic to be discovered and indexed',
    });
  });

  it('answers 400 problem details naming each bad search parameter', async () => {
    const cases: [string, string][] = [
      ['pageSize=101', 'query.pageSize'],
      ['page=0', 'query.page'],
      ['page=200&pageSize=100', 'query.page'],
      ['from=yesterday', 'query.from'],
      ['from=2025-02-30T00:00:00Z', 'query.from'],
      ['from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z', 'query.to'],
      ['pageSize=abc', 'query.pageSize'],
      ['color=blue', 'query.color'],
    ];
    for (const [query, field] of cases) {
      const response = await app.inject({
        method: 'GET',
        url: `/logs?${query}`,
        headers: { authorization: `Bearer ${bed.operatorToken()}` },
      });
      expect({ query, status: response.statusCode }).toEqual({ query, status: 400 });
      expect(response.headers['content-type']).toContain('application/problem+json');
      const fields = response.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
      expect({ query, fields }).toEqual({ query, fields: expect.arrayContaining([field]) });
    }
    expect((await get('/logs?page=100&pageSize=100')).status).toBe(200);
  });

  it('pages newest first', async () => {
    const [paged] = await bed.createTopics(['paged'], 1);
    const base = Date.now() - 60000;
    await bed.produce(
      paged as string,
      Array.from({ length: 5 }, (_, i) => ({
        key: `m${i}`,
        value: `{"i":${i}}`,
        timestamp: String(base + i * 1000),
      })),
    );
    await waitFor(async () => (await search(`topic=${paged}`)).total === 5, {
      what: 'five records',
    });

    const first = await search(`topic=${paged}&pageSize=2&page=1`);
    const third = await search(`topic=${paged}&pageSize=2&page=3`);
    expect(first.items.map((i) => i['key'])).toEqual(['m4', 'm3']);
    expect(third.items.map((i) => i['key'])).toEqual(['m0']);
    expect(third).toMatchObject({ page: 3, pageSize: 2, total: 5 });
  });

  it('reports its state on /health and its counters on /metrics, and documents its API', async () => {
    const health = await get<{ status: string; details: Record<string, Record<string, unknown>> }>(
      '/health',
    );
    expect(health.status).toBe(200);
    expect(health.body.details['monitor']).toMatchObject({
      status: 'up',
      mode: 'direct',
      elasticsearchWritable: true,
      paused: false,
      fallback: { bytes: 0, files: 0 },
    });
    expect(health.body.details['elasticsearch']).toMatchObject({ status: 'up' });

    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      /monitor_documents_total\{path="direct",outcome="created",service="monitor"\} \d+/,
    );
    expect(metrics).toMatch(/monitor_mode\{mode="direct",service="monitor"\} 1/);
    expect(metrics).toContain('monitor_rejected_documents_total{type="document_parsing_exception"');
    expect(metrics).toContain('monitor_consumer_lag_records');

    const openApi = monitorOpenApiDocument(app);
    expect(Object.keys(openApi.paths)).toEqual(
      expect.arrayContaining(['/logs', '/logs/trace/{correlationId}', '/health']),
    );
  });
});
