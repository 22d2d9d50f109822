import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Scope } from '@event-hub/auth';
import { createEnvelope, EVENT_HEADERS } from '@event-hub/contracts';
import { createTestTopics } from '@event-hub/testing';
import { monitorOpenApiDocument } from '../src/docs/swagger';
import { MonitorTestbed } from './support/monitor-harness';

interface LogPage {
  total: number;
  items: Record<string, unknown>[];
}

/**
 * Who sees what in GET /logs and /logs/trace: two tenants and an operator against the real
 * Elasticsearch, and the personal data of every indexed document.
 */

const TRACE_A = '4bf92f3577b34da6a3ce929d0e0e4736';
describe('monitor: log search behind tokens, scoped by tenant, without personal data in clear', () => {
  const bed = new MonitorTestbed();
  const suffix = bed.indexPrefix.slice(bed.indexPrefix.lastIndexOf('-') + 1).toLowerCase();
  // Tenant ids of this run only, so their topics match nothing of another suite.
  const tenantA = `ta-${suffix}`;
  const tenantB = `tb-${suffix}`;
  const email = `ana.${suffix}@example.com`;
  const cpf = '529.982.247-25';
  const flowA = randomUUID();
  let app: NestFastifyApplication;
  let platformTopic: string;

  const get = async (
    url: string,
    token?: string,
  ): Promise<{ status: number; body: Record<string, unknown>; contentType: string }> => {
    const response = await app.inject({
      method: 'GET',
      url,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    return {
      status: response.statusCode,
      body: response.json<Record<string, unknown>>(),
      contentType: String(response.headers['content-type']),
    };
  };
  const tenantToken = (tenantId: string, scopes: Scope[] = ['logs:read']): string =>
    bed.token(tenantId, scopes);
  const search = async (token: string, query = ''): Promise<LogPage> => {
    const { status, body } = await get(`/logs?pageSize=100&${query}`, token);
    expect(status).toBe(200);
    return body as unknown as LogPage;
  };

  beforeAll(async () => {
    await bed.setUp();
    const topicA = `tenant.${tenantA}.orders`;
    const topicB = `tenant.${tenantB}.orders`;
    await createTestTopics([topicA, topicB], 1);
    bed.topics.push(topicA, topicB);
    [platformTopic] = (await bed.createTopics(['replies'], 1)) as [string];
    app = await bed.startInProcess({
      MONITOR_TOPIC_PATTERN: `^(${bed.run.replace(/[.]/g, '\\.')}\\.|tenant\\.(${tenantA}|${tenantB})\\.)`,
      JAEGER_UI_URL: 'http://jaeger.test:16686/',
    });

    const headers = {
      [EVENT_HEADERS.correlationId]: flowA,
      [EVENT_HEADERS.traceparent]: `00-${TRACE_A}-00f067aa0ba902b7-01`,
    };
    // Tenant A: three records of its own topic, one naming a customer by e-mail and CPF.
    await bed.produce(topicA, [
      { key: 'o-1', value: `order for ${email}, CPF ${cpf}`, headers },
      { key: 'o-2', value: '{"sku":"A-1"}', headers },
      { key: 'o-3', value: '{"sku":"A-2"}' },
    ]);
    // Tenant B: two records, one claiming to be tenant A's and carrying A's correlation id.
    const forged = createEnvelope({
      eventType: 'orders.placed',
      source: 'b-shop',
      tenantId: tenantA,
      correlationId: flowA,
      data: {},
    });
    await bed.produce(topicB, [
      { key: 'b-1', value: JSON.stringify(forged), headers },
      { key: 'b-2', value: '{"sku":"B-1"}' },
    ]);
    // A platform topic: a reply of A's flow (envelope), a usage record of B (header), and a
    // record of no tenant at all.
    const reply = createEnvelope({
      eventType: 'orders.placed.completed',
      source: 'processor',
      tenantId: tenantA,
      correlationId: flowA,
      data: { contact: email },
    });
    await bed.produce(platformTopic, [
      { key: flowA, value: JSON.stringify(reply), headers },
      { key: 'usage', value: '{"bytes":10}', headers: { [EVENT_HEADERS.tenantId]: tenantB } },
      { key: 'ops', value: '{"note":"no tenant"}' },
    ]);
    await bed.waitForCount(8, 'every record to be indexed');
  });

  afterAll(() => bed.cleanup());

  it('shows each tenant its own topics and the platform records naming it; totals count only those', async () => {
    const a = await search(tenantToken(tenantA));
    expect(a.total).toBe(4);
    expect(new Set(a.items.map((i) => i['tenantId']))).toEqual(new Set([tenantA]));
    expect(a.items.filter((i) => i['topic'] === platformTopic)).toHaveLength(1);

    const b = await search(tenantToken(tenantB));
    expect(b.total).toBe(3);
    expect(new Set(b.items.map((i) => i['tenantId']))).toEqual(new Set([tenantB]));

    // Paging works on the filtered set: the pages of A hold A's four records and nothing else.
    const pages = await Promise.all(
      [1, 2, 3].map(async (page) => {
        const { body } = await get(`/logs?pageSize=2&page=${page}`, tenantToken(tenantA));
        return body as unknown as LogPage;
      }),
    );
    expect(pages.map((p) => [p.total, p.items.length])).toEqual([
      [4, 2],
      [4, 2],
      [4, 0],
    ]);

    // Asking for the other tenant's topic or id just finds nothing.
    expect((await search(tenantToken(tenantA), `topic=tenant.${tenantB}.orders`)).total).toBe(0);
    expect((await search(tenantToken(tenantA), `tenantId=${tenantB}`)).total).toBe(0);
  });

  it('shows operators every record, those of no tenant included; admin claimed by a tenant counts for nothing', async () => {
    const all = await search(bed.operatorToken());
    expect(all.total).toBe(8);
    expect(all.items.filter((i) => i['tenantId'] === undefined)).toHaveLength(1);
    expect((await search(tenantToken(tenantA, ['logs:read', 'admin']))).total).toBe(4);
  });

  it("traces a flow within the caller's records; another tenant's correlation id is 404", async () => {
    const { status, body } = await get(`/logs/trace/${flowA}`, tenantToken(tenantA));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      correlationId: flowA,
      total: 3,
      // The flow's OpenTelemetry trace, from the records' traceparent, linked to Jaeger.
      traces: [{ traceId: TRACE_A, url: `http://jaeger.test:16686/trace/${TRACE_A}` }],
    });
    expect((body['items'] as Record<string, unknown>[]).map((i) => i['tenantId'])).toEqual([
      tenantA,
      tenantA,
      tenantA,
    ]);

    const other = await get(`/logs/trace/${flowA}`, tenantToken(`tc-${suffix}`));
    expect(other.status).toBe(404);
    expect(other.contentType).toContain('application/problem+json');
    expect(other.body).toMatchObject({ status: 404, code: 'LOGS.FLOW_NOT_FOUND' });
    // B holds a record with A's id (its own, forged one) and sees that one only.
    expect((await get(`/logs/trace/${flowA}`, tenantToken(tenantB))).body).toMatchObject({
      total: 1,
    });
    expect((await get(`/logs/trace/${flowA}`, bed.operatorToken())).body).toMatchObject({
      total: 4,
    });
  });

  it('keeps e-mails and CPFs out of every indexed document, yet finds them by exact search', async () => {
    await bed.es.indices.refresh({ index: `${bed.indexPrefix}-*` });
    const { hits } = await bed.es.search({
      index: `${bed.indexPrefix}-*`,
      size: 100,
      query: { match_all: {} },
    });
    expect(hits.hits).toHaveLength(8);
    for (const hit of hits.hits) {
      const source = JSON.stringify(hit._source);
      expect(source).not.toContain(email);
      expect(source).not.toContain(cpf);
      expect(source).not.toContain(cpf.replace(/\D/g, ''));
    }
    const masked = (await search(tenantToken(tenantA), 'q=order')).items[0];
    expect(masked?.['message']).toBe(`order for a**@example.com, CPF ***.982.247-**`);

    expect((await search(tenantToken(tenantA), `q=${encodeURIComponent(email)}`)).total).toBe(2);
    expect(
      (await search(tenantToken(tenantA), `q=${encodeURIComponent(email.toUpperCase())}`)).total,
    ).toBe(2);
    expect((await search(tenantToken(tenantA), `q=${cpf.replace(/\D/g, '')}`)).total).toBe(1);
    expect(
      (await search(tenantToken(tenantA), `q=${encodeURIComponent(`${cpf} order`)}`)).total,
    ).toBe(1);
    expect((await search(tenantToken(tenantB), `q=${encodeURIComponent(email)}`)).total).toBe(0);
  });

  it('answers 401 without a valid token and 403 without logs:read, as problem details', async () => {
    const missing = await get('/logs');
    expect(missing).toMatchObject({ status: 401, body: { code: 'AUTH.MISSING_TOKEN' } });
    expect(missing.contentType).toContain('application/problem+json');
    expect((await get(`/logs/trace/${flowA}`)).status).toBe(401);

    const stranger = new MonitorTestbed();
    const forged = await get('/logs', stranger.token(tenantA, ['logs:read']));
    expect(forged).toMatchObject({ status: 401, body: { code: 'AUTH.INVALID_TOKEN' } });

    const noScope = await get('/logs', tenantToken(tenantA, ['events:consume']));
    expect(noScope).toMatchObject({
      status: 403,
      body: { code: 'AUTH.INSUFFICIENT_SCOPE', missingScopes: ['logs:read'] },
    });
    expect(noScope.contentType).toContain('application/problem+json');
    expect((await get(`/logs/trace/${flowA}`, tenantToken(tenantA, ['billing:read']))).status).toBe(
      403,
    );

    expect((await get('/health')).status).toBe(200);
  });

  it("documents the search routes' security like the gateway's: bearer or client credentials", () => {
    const document = monitorOpenApiDocument(app, { tokenUrl: 'http://gateway:8000/oauth/token' });
    expect(document.components?.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      oauth2: {
        type: 'oauth2',
        flows: { clientCredentials: { tokenUrl: 'http://gateway:8000/oauth/token' } },
      },
    });
    expect(document.paths['/logs']?.get?.security).toEqual(
      expect.arrayContaining([{ oauth2: ['logs:read'] }]),
    );
    expect(document.paths['/health']?.get?.security).toEqual([]);
  });
});
