import { SCOPES } from '@event-hub/auth';
import { createTopicsAndWaitForLeaders } from '@event-hub/kafka';
import { withAdmin } from '@event-hub/testing';
import { ConfigResourceTypes } from 'kafkajs';
import { sql, type TestCaller } from '../support/gateway-harness';
import { kafkaTopicExists, TenantProxyFixture } from './support/tenant-proxy';

describe('tenant topics against the real Kafka and Postgres', () => {
  let fx: TenantProxyFixture;
  let acme: TestCaller;
  let globex: TestCaller;

  beforeAll(async () => {
    fx = await TenantProxyFixture.start('topics');
    [acme, globex] = await Promise.all([
      fx.tenant([SCOPES.topicsAdmin, SCOPES.eventsProduce]),
      fx.tenant([SCOPES.topicsAdmin, SCOPES.eventsProduce]),
    ]);
  });

  afterAll(async () => {
    await fx?.close();
  });

  const get = (caller: TestCaller, url: string) => fx.gateway.get(url, caller.headers);

  it('lets two tenants create a topic of the same name, each in its own namespace', async () => {
    const [acmeTopic, globexTopic] = await Promise.all([
      fx.createTopic(acme, { name: 'orders', partitions: 2, retentionMs: 3600000 }),
      fx.createTopic(globex, { name: 'orders' }),
    ]);

    expect(acmeTopic).toBe(`tenant.${acme.tenantId}.orders`);
    expect(globexTopic).toBe(`tenant.${globex.tenantId}.orders`);
    const metadata = await withAdmin((admin) =>
      admin.fetchTopicMetadata({ topics: [acmeTopic, globexTopic] }),
    );
    expect(metadata.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(
      [
        [acmeTopic, 2],
        [globexTopic, 3],
      ].sort(),
    );
    const acmeView = (await get(acme, '/topics/orders')).json();
    expect(acmeView).toMatchObject({
      name: 'orders',
      partitions: 2,
      retentionMs: 3600000,
      cleanupPolicy: 'delete',
      valueSubject: null,
    });
  });

  it('lists only the caller’s own topics', async () => {
    await fx.createTopic(acme, { name: 'acme.only' });
    const acmeList = (await get(acme, '/topics')).json<{ topics: { name: string }[] }>();
    const globexList = (await get(globex, '/topics')).json<{ topics: { name: string }[] }>();

    expect(acmeList.topics.map((t) => t.name)).toEqual(['acme.only', 'orders']);
    expect(globexList.topics.map((t) => t.name)).toEqual(['orders']);
  });

  it.each([
    ['another tenant’s topic', 'acme.only'],
    ['an internal topic', '__consumer_offsets'],
    ['a platform topic', 'user_events'],
    ['a malformed name', 'Bad_Name'],
    ['a path trick', '..%2Fuser_events'],
  ])('answers 404 for %s, as if it did not exist', async (_, name) => {
    for (const [method, payload] of [
      ['GET', undefined],
      ['DELETE', undefined],
      ['PUT', { retentionMs: 60000 }],
      ['POST', { value: { x: 1 } }],
    ] as const) {
      const url = method === 'POST' ? `/topics/${name}/records` : `/topics/${name}`;
      const response = await fx.gateway.inject({
        method,
        url,
        headers: globex.headers,
        ...(payload ? { payload } : {}),
      });
      expect({ method, status: response.statusCode, code: response.json().code }).toEqual({
        method,
        status: 404,
        code: 'TOPIC.NOT_FOUND',
      });
    }
  });

  it('refuses a malformed name on creation, naming the field', async () => {
    const response = await fx.gateway.post('/topics', { name: 'Orders_2024' }, acme.headers);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'body.name' })]);
  });

  it('answers 409 for a name the tenant already has', async () => {
    const response = await fx.gateway.post('/topics', { name: 'orders' }, acme.headers);
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('TOPIC.ALREADY_EXISTS');
  });

  it('enforces the tenant’s limits with a 422 naming the field and the limit', async () => {
    const small = await fx.tenant([SCOPES.topicsAdmin], {
      maxTopics: 1,
      maxPartitionsPerTopic: 2,
      maxRetentionMs: 120000,
    });
    const tooMany = await fx.gateway.post('/topics', { name: 'a', partitions: 3 }, small.headers);
    const tooLong = await fx.gateway.post(
      '/topics',
      { name: 'a', retentionMs: 120001 },
      small.headers,
    );
    await fx.createTopic(small, { name: 'a', partitions: 2 });
    const oneTooMany = await fx.gateway.post('/topics', { name: 'b' }, small.headers);
    const retention = await fx.gateway.inject({
      method: 'PUT',
      url: '/topics/a',
      headers: small.headers,
      payload: { retentionMs: 999999999 },
    });

    const problem = (r: typeof tooMany) => ({ status: r.statusCode, ...r.json() });
    expect(problem(tooMany)).toMatchObject({
      status: 422,
      field: 'partitions',
      limit: 'maxPartitionsPerTopic',
      max: 2,
    });
    expect(problem(tooLong)).toMatchObject({
      status: 422,
      field: 'retentionMs',
      limit: 'maxRetentionMs',
      max: 120000,
    });
    expect(problem(oneTooMany)).toMatchObject({ status: 422, limit: 'maxTopics', max: 1 });
    expect(problem(retention)).toMatchObject({ status: 422, field: 'retentionMs' });
    // Defaults respect the limits too: 2 partitions, retention = maxRetentionMs.
    expect((await get(small, '/topics/a')).json()).toMatchObject({
      partitions: 2,
      retentionMs: 120000,
    });
  });

  it('binds a value schema subject and changes retention in Kafka and in the answer', async () => {
    const kafkaTopic = await fx.createTopic(acme, {
      name: 'configurable',
      cleanupPolicy: 'compact,delete',
    });
    const response = await fx.gateway.inject({
      method: 'PUT',
      url: '/topics/configurable',
      headers: acme.headers,
      payload: { retentionMs: 7200000, valueSubject: 'orders-value' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ retentionMs: 7200000, valueSubject: 'orders-value' });

    expect(await topicConfig(kafkaTopic)).toMatchObject({
      'retention.ms': '7200000',
      'cleanup.policy': 'compact,delete',
    });

    const unbound = await fx.gateway.inject({
      method: 'PUT',
      url: '/topics/configurable',
      headers: acme.headers,
      payload: { valueSubject: null },
    });
    expect(unbound.json()).toMatchObject({ retentionMs: 7200000, valueSubject: null });
  });

  it('deletes the Kafka topic and the row; the name can be created again, empty', async () => {
    const kafkaTopic = await fx.createTopic(acme, { name: 'short-lived' });
    const deleted = await fx.gateway.inject({
      method: 'DELETE',
      url: '/topics/short-lived',
      headers: acme.headers,
    });

    expect(deleted.statusCode).toBe(204);
    expect((await get(acme, '/topics/short-lived')).statusCode).toBe(404);
    expect(await kafkaTopicExists(kafkaTopic)).toBe(false);
    await fx.createTopic(acme, { name: 'short-lived' });
    expect((await get(acme, '/topics/short-lived')).statusCode).toBe(200);
  });

  it('completes a creation a crash interrupted: the retried POST adopts the half-made topic', async () => {
    // A crash after the row was claimed and the Kafka topic created, before the row turned READY.
    const kafkaTopic = `tenant.${acme.tenantId}.half-made`;
    fx.track(kafkaTopic);
    await sql(
      fx.db.url,
      `INSERT INTO tenant_topics (tenant_id, name, physical_name, partitions, retention_ms, cleanup_policy, status)
       VALUES ($1, 'half-made', $2, 1, 60000, 'delete', 'CREATING')`,
      [acme.tenantId, kafkaTopic],
    );
    await withAdmin((admin) =>
      createTopicsAndWaitForLeaders(admin, [
        { topic: kafkaTopic, numPartitions: 1, replicationFactor: 1 },
      ]),
    );
    expect((await get(acme, '/topics/half-made')).statusCode).toBe(404);

    const retried = await fx.gateway.post(
      '/topics',
      { name: 'half-made', partitions: 1, retentionMs: 600000 },
      acme.headers,
    );

    expect(retried.statusCode).toBe(201);
    expect(retried.json()).toMatchObject({ name: 'half-made', partitions: 1, retentionMs: 600000 });
    // The adopted topic was given the settings of the retried request.
    expect(await topicConfig(kafkaTopic)).toMatchObject({ 'retention.ms': '600000' });
  });

  it('documents the topic and produce routes with their error answers in the OpenAPI document', async () => {
    const document = (await fx.gateway.inject({ method: 'GET', url: '/docs-json' })).json<{
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>();
    const statuses = (path: string, method: string) =>
      Object.keys(document.paths[path]?.[method]?.responses ?? {});

    // 401 and 403 come from the auth decorators on every protected route.
    for (const [path, method, expected] of [
      ['/topics', 'post', ['201', '400', '409', '422', '503']],
      ['/topics', 'get', ['200']],
      ['/topics/{name}', 'get', ['200', '404']],
      ['/topics/{name}', 'put', ['200', '404', '422', '503']],
      ['/topics/{name}', 'delete', ['204', '404', '503']],
      ['/topics/{name}/records', 'post', ['200', '400', '404', '409', '413', '422', '429', '503']],
    ] as const) {
      expect({ path, method, statuses: statuses(path, method) }).toEqual({
        path,
        method,
        statuses: expect.arrayContaining([...expected]),
      });
    }
  });

  it('requires the topics:admin scope', async () => {
    const producer = await fx.tenant([SCOPES.eventsProduce]);
    const response = await fx.gateway.get('/topics', producer.headers);
    expect(response.statusCode).toBe(403);
  });
});

async function topicConfig(topic: string): Promise<Record<string, string>> {
  const configs = await withAdmin((admin) =>
    admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    }),
  );
  return Object.fromEntries(
    (configs.resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]),
  );
}
