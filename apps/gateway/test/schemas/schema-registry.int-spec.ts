import { SCOPES } from '@event-hub/auth';
import { uniqueName, withAdmin } from '@event-hub/testing';
import { RecordValueValidator } from '../../src/schemas/record-value-validator';
import { sql, TestGateway, type TestCaller } from '../support/gateway-harness';
import { TenantProxyFixture } from '../topics/support/tenant-proxy';

const orderV1 = {
  type: 'object',
  required: ['orderId'],
  properties: {
    orderId: { type: ['string', 'number'] },
    note: { type: 'string', maxLength: 100 },
  },
};
/** v1 plus an optional property: BACKWARD compatible. */
const orderV2 = {
  ...orderV1,
  properties: { ...orderV1.properties, amount: { type: 'number', minimum: 0 } },
};
/** A required property added and a type narrowed: incompatible with v2. */
const orderV3 = {
  type: 'object',
  required: ['orderId', 'amount'],
  properties: { ...orderV2.properties, orderId: { type: 'string' } },
};

describe('schema registry against the real Postgres (and Kafka for produce)', () => {
  let fx: TenantProxyFixture;
  let second: TestGateway;
  let acme: TestCaller;
  let globex: TestCaller;

  beforeAll(async () => {
    fx = await TenantProxyFixture.start('schemas');
    [acme, globex] = await Promise.all([
      fx.tenant([SCOPES.schemasWrite, SCOPES.topicsAdmin, SCOPES.eventsProduce]),
      fx.tenant([SCOPES.schemasWrite]),
    ]);
    // A second gateway on the same database: registrations must agree across instances.
    second = await TestGateway.start(
      TestGateway.env(fx.db.url, fx.topics, {
        GATEWAY_USAGE_TOPIC: fx.usageTopic,
        GATEWAY_TRANSACTIONAL_ID_PREFIX: uniqueName('it.schemas.tx2'),
        GATEWAY_REPLY_GROUP_ID: uniqueName('it.schemas.replies2'),
      }),
    );
  });

  afterAll(async () => {
    await second?.close();
    await fx?.close();
  });

  const register = (caller: TestCaller, subject: string, schema: unknown, gateway = fx.gateway) =>
    gateway.post(`/schemas/${subject}/versions`, { schema }, caller.headers);
  const get = (caller: TestCaller, url: string) => fx.gateway.get(url, caller.headers);

  it('registers compatible versions, refuses an incompatible one with each reason, and answers an identical one with its version', async () => {
    const v1 = await register(acme, 'orders-value', orderV1);
    expect(v1.statusCode).toBe(201);
    expect(v1.json()).toMatchObject({ subject: 'orders-value', version: 1 });

    const v2 = await register(acme, 'orders-value', orderV2);
    expect(v2.statusCode).toBe(201);
    expect(v2.json()).toMatchObject({ version: 2 });

    const v3 = await register(acme, 'orders-value', orderV3);
    expect(v3.statusCode).toBe(409);
    expect(v3.headers['content-type']).toContain('application/problem+json');
    expect(v3.json()).toMatchObject({
      code: 'SCHEMA.INCOMPATIBLE',
      latestVersion: 2,
      reasons: [
        'required property `amount` added',
        'type of `/properties/orderId` narrowed from [string,number] to string',
      ],
    });

    // Same schema, keys in another order: the canonical form is what counts.
    const reordered = { properties: orderV1.properties, required: ['orderId'], type: 'object' };
    const again = await register(acme, 'orders-value', reordered);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(v1.json());

    expect((await get(acme, '/schemas/orders-value/versions')).json()).toEqual({
      subject: 'orders-value',
      versions: [1, 2],
    });
    const latest = await get(acme, '/schemas/orders-value/versions/latest');
    expect(latest.json()).toMatchObject({ version: 2, schema: orderV2 });
    expect((await get(acme, '/schemas/orders-value/versions/1')).json()).toMatchObject({
      version: 1,
      schema: orderV1,
    });
    expect((await get(acme, '/schemas/orders-value/versions/3')).statusCode).toBe(404);
  });

  it('accepts any change once the subject’s compatibility is NONE', async () => {
    await register(acme, 'loose-value', orderV2);
    const refused = await register(acme, 'loose-value', orderV3);
    expect(refused.statusCode).toBe(409);
    const config = await fx.gateway.put(
      '/schemas/loose-value/config',
      { compatibility: 'NONE' },
      acme.headers,
    );
    expect(config.json()).toEqual({ subject: 'loose-value', compatibility: 'NONE' });
    expect((await register(acme, 'loose-value', orderV3)).statusCode).toBe(201);
  });

  it('ends with one version when two gateways register the same schema at once', async () => {
    const schema = { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } };
    const responses = await Promise.all(
      [fx.gateway, second, fx.gateway, second, fx.gateway, second].map((gateway) =>
        register(acme, 'race-value', schema, gateway),
      ),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((r) => r.json<{ version: number }>().version))).toEqual(
      new Set([1]),
    );
    const rows = await sql(
      fx.db.url,
      'SELECT version FROM schema_versions WHERE tenant_id = $1 AND subject = $2',
      [acme.tenantId, 'race-value'],
    );
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('answers another tenant’s subject 404, as if it did not exist, and keeps namespaces apart', async () => {
    await register(acme, 'secret-value', orderV1);
    for (const url of [
      '/schemas/secret-value/versions',
      '/schemas/secret-value/versions/1',
      '/schemas/secret-value/versions/latest',
    ]) {
      const response = await get(globex, url);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'SCHEMA.SUBJECT_NOT_FOUND' });
    }
    const globexList = (await get(globex, '/schemas')).json<{ subjects: { subject: string }[] }>();
    expect(globexList.subjects.map((s) => s.subject)).not.toContain('secret-value');

    // The same name is globex's own subject, starting at version 1 and free of acme's history.
    const own = await register(globex, 'secret-value', orderV3);
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ version: 1 });
    expect((await get(acme, '/schemas/secret-value/versions')).json()).toMatchObject({
      versions: [1],
    });
  });

  it('refuses invalid schemas (422), malformed subjects (400 to write, 404 to read) and callers without schemas:write (403)', async () => {
    const typo = await register(acme, 'typo-value', { type: 'string', maxLenght: 3 });
    expect(typo.statusCode).toBe(422);
    expect(typo.json()).toMatchObject({ code: 'SCHEMA.INVALID' });
    expect(typo.json<{ problem: string }>().problem).toContain('maxLenght');

    const draft2020 = await register(acme, 'typo-value', {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'string',
    });
    expect(draft2020.statusCode).toBe(422);

    expect((await register(acme, 'bad%20name', orderV1)).statusCode).toBe(400);
    expect((await register(acme, 'ok-name', 'not an object')).statusCode).toBe(400);
    expect((await get(acme, '/schemas/bad%20name/versions')).statusCode).toBe(404);

    const reader = await fx.tenant([SCOPES.eventsConsume]);
    expect((await register(reader, 'orders-value', orderV1)).statusCode).toBe(403);
    // Reads need no scope beyond a valid token.
    expect((await get(reader, '/schemas')).statusCode).toBe(200);
  });

  it('registers the platform’s event schemas at start, once, under the platform tenant', async () => {
    const platform = await fx.gateway.bearer('platform', [SCOPES.eventsConsume]);
    const subjects = (await get(platform, '/schemas')).json<{
      subjects: { subject: string; latestVersion: number }[];
    }>().subjects;
    expect(subjects).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ subject: 'event-envelope', latestVersion: 1 }),
        expect.objectContaining({ subject: 'user_events-value', latestVersion: 1 }),
        expect.objectContaining({ subject: 'response_events-value', latestVersion: 1 }),
        expect.objectContaining({ subject: 'usage_events-value', latestVersion: 1 }),
        expect.objectContaining({ subject: 'users.create_user-data', latestVersion: 1 }),
        expect.objectContaining({ subject: 'usage.recorded-data', latestVersion: 1 }),
        expect.objectContaining({ subject: 'pix.payment.requested-value', latestVersion: 1 }),
        expect.objectContaining({ subject: 'pix.payment.rejected-data', latestVersion: 1 }),
        expect.objectContaining({ subject: 'account_balances-value', latestVersion: 1 }),
      ]),
    );
    // Two gateways started on this database: still one version of each.
    expect(subjects.every((s) => s.latestVersion === 1)).toBe(true);
  });

  it('validates values against the latest stored version, reporting every failing record', async () => {
    const validator = fx.gateway.app.get(RecordValueValidator);
    await register(acme, 'payments-value', {
      type: 'object',
      required: ['amount'],
      properties: { amount: { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$' } },
    });

    const problems = await validator.validate(acme.tenantId, 'payments-value', [
      { amount: '1.00' },
      { amount: 1 },
      {},
      { amount: '2.50' },
    ]);
    expect(problems).toEqual([
      { index: 1, path: '/amount', message: 'must be string' },
      { index: 2, path: '/amount', message: 'is required' },
    ]);

    // Another tenant's values are checked against its own subject, which does not exist.
    const foreign = await validator.validate(globex.tenantId, 'payments-value', [{ a: 1 }, {}]);
    expect(foreign.map((p) => [p.index, p.path])).toEqual([
      [0, ''],
      [1, ''],
    ]);
    expect(foreign[0]?.message).toContain('has no registered version');
  });

  it('validates against a version registered through this instance at once (its cache is forgotten)', async () => {
    const validator = fx.gateway.app.get(RecordValueValidator);
    await register(acme, 'counts-value', { properties: { n: { type: 'integer' } } });
    expect(await validator.validate(acme.tenantId, 'counts-value', [{ n: 1.5 }])).toHaveLength(1);

    await register(acme, 'counts-value', { properties: { n: { type: 'number' } } });
    expect(await validator.validate(acme.tenantId, 'counts-value', [{ n: 1.5 }])).toEqual([]);
  });

  it('rejects a produced batch with a non-conforming value (422 naming the path), writing none of it', async () => {
    await register(acme, 'invoices-value', {
      type: 'object',
      required: ['total'],
      properties: { total: { type: 'number', minimum: 0 } },
    });
    const kafkaTopic = await fx.createTopic(acme, {
      name: 'invoices',
      valueSubject: 'invoices-value',
    });

    const rejected = await fx.gateway.post(
      '/topics/invoices/records',
      { records: [{ value: { total: 10 } }, { value: { total: -1 } }] },
      acme.headers,
    );
    expect(rejected.statusCode).toBe(422);
    expect(rejected.json()).toMatchObject({
      errors: [{ field: 'records[1].value/total', message: 'must be >= 0' }],
    });
    const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(kafkaTopic));
    expect(offsets.map((o) => o.high)).toEqual(offsets.map(() => '0'));

    const accepted = await fx.gateway.post(
      '/topics/invoices/records',
      { records: [{ value: { total: 10 } }] },
      acme.headers,
    );
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ records: [{ offset: expect.any(String) }] });
  });
});
