import { randomUUID } from 'node:crypto';
import { SCOPES } from '@event-hub/auth';
import {
  BILLING_DATA_ENTITIES,
  BILLING_DATA_MIGRATIONS,
  BillingEntity,
} from '@event-hub/billing-data';
import type { UsageAction } from '@event-hub/contracts';
import { createTestDatabase, uniqueTenantId, type TestDatabase } from '@event-hub/testing';
import { DataSource } from 'typeorm';
import {
  createGatewayTopics,
  deleteGatewayTopics,
  json,
  TestGateway,
  type GatewayTopics,
  type TestCaller,
} from '../support/gateway-harness';

interface Row {
  tenant: string;
  topic: string;
  client: string;
  action: UsageAction;
  messages: number;
  bytes: string;
  at: string;
}

describe('billing reports against the real Postgres', () => {
  const acme = uniqueTenantId('acme');
  const globex = uniqueTenantId('globex');
  let db: TestDatabase;
  let topics: GatewayTopics;
  let processor: DataSource;
  let gateway: TestGateway;
  let acmeReader: TestCaller;
  let globexReader: TestCaller;
  let admin: TestCaller;

  const rows: Row[] = [];
  const usage = (row: Omit<Row, 'client'> & { client?: string }) =>
    rows.push({ client: 'ehc_acme_1', ...row });

  beforeAll(async () => {
    [db, topics] = await Promise.all([
      createTestDatabase('gateway_billing'),
      createGatewayTopics('gateway-billing'),
    ]);
    // The processor owns `billing` and migrates it; here the test plays the processor.
    processor = await new DataSource({
      type: 'postgres',
      url: db.url,
      entities: BILLING_DATA_ENTITIES,
      migrations: BILLING_DATA_MIGRATIONS,
      migrationsTableName: 'processor_migrations',
    }).initialize();
    await processor.runMigrations();
    gateway = await TestGateway.start(TestGateway.env(db.url, topics));
    [acmeReader, globexReader, admin] = await Promise.all([
      gateway.bearer(acme, [SCOPES.billingRead]),
      gateway.bearer(globex, [SCOPES.billingRead]),
      gateway.bearer('platform', [SCOPES.billingRead, SCOPES.admin]),
    ]);

    // November 2026, acme: orders produced and consumed by one client, payments by another.
    usage({
      tenant: acme,
      topic: 'orders',
      action: 'produce',
      messages: 3,
      bytes: '1234',
      at: '2026-11-01T00:00:00Z',
    });
    usage({
      tenant: acme,
      topic: 'orders',
      action: 'consume',
      messages: 2,
      bytes: '1000',
      at: '2026-11-10T12:00:00Z',
    });
    usage({
      tenant: acme,
      topic: 'payments',
      action: 'produce',
      messages: 1,
      bytes: '0',
      at: '2026-11-30T23:59:59.999Z',
      client: 'ehc_acme_2',
    });
    // Just outside November on either side.
    usage({
      tenant: acme,
      topic: 'orders',
      action: 'produce',
      messages: 100,
      bytes: '100',
      at: '2026-10-31T23:59:59.999Z',
    });
    usage({
      tenant: acme,
      topic: 'orders',
      action: 'produce',
      messages: 100,
      bytes: '100',
      at: '2026-12-01T00:00:00Z',
    });
    // globex, same topic name: another tenant's topic.
    usage({
      tenant: globex,
      topic: 'orders',
      action: 'produce',
      messages: 10,
      bytes: '500',
      at: '2026-11-15T08:00:00Z',
      client: 'ehc_globex_1',
    });
    // January 2025, acme: more bytes than a JavaScript number holds exactly (2^53 + 1).
    usage({
      tenant: acme,
      topic: 'archive',
      action: 'produce',
      messages: 1,
      bytes: '9007199254740993',
      at: '2025-01-15T00:00:00Z',
    });

    await processor.getRepository(BillingEntity).insert(
      rows.map((r) => ({
        tenant: r.tenant,
        topic: r.topic,
        clientId: r.client,
        action: r.action,
        messages: r.messages,
        bytes: r.bytes,
        eventTime: new Date(r.at),
        usageEventId: randomUUID(),
      })),
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await processor?.destroy();
    await Promise.all([db?.drop(), topics && deleteGatewayTopics(topics)]);
  });

  const get = (url: string, caller: TestCaller) => gateway.get(url, caller.headers);
  const november = 'from=2026-11-01&to=2026-12-01';

  it('sums a tenant’s usage per topic in [from, to), priced exactly and rounded once', async () => {
    const response = await get(`/billing/usage?${november}&groupBy=topic`, acmeReader);
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      groupBy: 'topic',
      tenant: acme,
      prices: {
        perMessage: '0.005',
        perByte: '0.00001',
        currency: 'BRL',
        rounding: expect.stringContaining('half-up'),
      },
      groups: [
        {
          group: { tenant: acme, topic: 'orders' },
          requests: '2',
          messages: '5',
          bytes: '2234',
          cost: { messages: '0.025', bytes: '0.02234', total: '0.04734', amount: '0.05' },
        },
        {
          group: { tenant: acme, topic: 'payments' },
          requests: '1',
          messages: '1',
          bytes: '0',
          cost: { messages: '0.005', bytes: '0', total: '0.005', amount: '0.01' },
        },
      ],
      // 0.05 + 0.01 rounded apart would be 0.06: the total is rounded once, from 0.05234.
      total: {
        requests: '3',
        messages: '6',
        bytes: '2234',
        cost: { messages: '0.03', bytes: '0.02234', total: '0.05234', amount: '0.05' },
      },
    });
  });

  it('groups by action, by client and by tenant', async () => {
    const byAction = json(await get(`/billing/usage?${november}&groupBy=action`, acmeReader));
    expect(byAction['groups']).toEqual([
      expect.objectContaining({ group: { action: 'consume' }, messages: '2', bytes: '1000' }),
      expect.objectContaining({ group: { action: 'produce' }, messages: '4', bytes: '1234' }),
    ]);
    const byClient = json(await get(`/billing/usage?${november}&groupBy=client`, acmeReader));
    expect(byClient['groups']).toEqual([
      expect.objectContaining({ group: { tenant: acme, client: 'ehc_acme_1' }, requests: '2' }),
      expect.objectContaining({ group: { tenant: acme, client: 'ehc_acme_2' }, requests: '1' }),
    ]);
    const byTenant = json(await get(`/billing/usage?${november}`, acmeReader));
    expect(byTenant).toMatchObject({
      groupBy: 'tenant',
      groups: [{ group: { tenant: acme }, messages: '6' }],
    });
  });

  it('keeps tenants apart: each sees only its own rows, and naming another is a 404', async () => {
    const own = json(await get(`/billing/usage?${november}&groupBy=topic`, globexReader));
    expect(own['groups']).toEqual([
      expect.objectContaining({ group: { tenant: globex, topic: 'orders' }, messages: '10' }),
    ]);
    const other = await get(`/billing/usage?${november}&tenant=${globex}`, acmeReader);
    expect(other.statusCode).toBe(404);
    expect(json(other)).toMatchObject({ code: 'BILLING.TENANT_NOT_FOUND' });

    const invoice = await get(`/billing/invoices/${acme}?month=2026-11`, globexReader);
    expect(invoice.statusCode).toBe(404);
    expect(json(invoice)).toMatchObject({ code: 'BILLING.TENANT_NOT_FOUND' });
  });

  it('lets the platform admin see every tenant, or filter one', async () => {
    const all = json(await get(`/billing/usage?${november}`, admin));
    expect(all).toMatchObject({ tenant: null });
    expect(all['groups']).toEqual(
      [acme, globex].sort().map((tenant) => expect.objectContaining({ group: { tenant } })),
    );
    expect(all['total']).toMatchObject({ requests: '4', messages: '16', bytes: '2734' });

    const one = json(await get(`/billing/usage?${november}&tenant=${globex}`, admin));
    expect(one).toMatchObject({ tenant: globex, total: { messages: '10' } });

    const invoice = await get(`/billing/invoices/${acme}?month=2026-11`, admin);
    expect(invoice.statusCode).toBe(200);
    expect(json(invoice)).toMatchObject({ tenant: acme, total: { cost: { amount: '0.05' } } });
    const unknown = await get(`/billing/invoices/${uniqueTenantId('nobody')}?month=2026-11`, admin);
    expect(unknown.statusCode).toBe(404);
  });

  it('invoices a calendar month in UTC: lines per topic and action and the exact total', async () => {
    const response = await get(`/billing/invoices/${acme}?month=2026-11`, acmeReader);
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual({
      tenant: acme,
      month: '2026-11',
      period: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
      prices: expect.objectContaining({ perMessage: '0.005', perByte: '0.00001' }),
      lines: [
        {
          topic: 'orders',
          action: 'consume',
          requests: '1',
          messages: '2',
          bytes: '1000',
          cost: { messages: '0.01', bytes: '0.01', total: '0.02', amount: '0.02' },
        },
        {
          topic: 'orders',
          action: 'produce',
          requests: '1',
          messages: '3',
          bytes: '1234',
          cost: { messages: '0.015', bytes: '0.01234', total: '0.02734', amount: '0.03' },
        },
        {
          topic: 'payments',
          action: 'produce',
          requests: '1',
          messages: '1',
          bytes: '0',
          cost: { messages: '0.005', bytes: '0', total: '0.005', amount: '0.01' },
        },
      ],
      total: {
        requests: '3',
        messages: '6',
        bytes: '2234',
        cost: { messages: '0.03', bytes: '0.02234', total: '0.05234', amount: '0.05' },
      },
    });
  });

  it('stays exact beyond 2^53 bytes', async () => {
    const invoice = json(await get(`/billing/invoices/${acme}?month=2025-01`, acmeReader));
    expect(invoice['total']).toEqual({
      requests: '1',
      messages: '1',
      bytes: '9007199254740993',
      cost: {
        messages: '0.005',
        bytes: '90071992547.40993',
        total: '90071992547.41493',
        amount: '90071992547.41',
      },
    });
  });

  it('invoices an empty month as zero', async () => {
    const invoice = json(await get(`/billing/invoices/${acme}?month=2024-02`, acmeReader));
    expect(invoice).toMatchObject({
      lines: [],
      total: { requests: '0', messages: '0', bytes: '0', cost: { total: '0', amount: '0.00' } },
    });
  });

  it('answers 400 naming the bad parameter, and 403 without billing:read', async () => {
    const backwards = await get('/billing/usage?from=2026-12-01&to=2026-11-01', acmeReader);
    expect(backwards.statusCode).toBe(400);
    expect(json(backwards)).toMatchObject({
      errors: [{ field: 'query.to', message: expect.stringMatching(/later than from/) }],
    });
    const badMonth = await get(`/billing/invoices/${acme}?month=2026-13`, acmeReader);
    expect(badMonth.statusCode).toBe(400);
    expect(json(badMonth)).toMatchObject({ errors: [{ field: 'query.month' }] });

    const producer = await gateway.bearer(acme, [SCOPES.eventsProduce], 'producer');
    const forbidden = await get(`/billing/usage?${november}`, producer);
    expect(forbidden.statusCode).toBe(403);
    const anonymous = await gateway.inject({ method: 'GET', url: `/billing/usage?${november}` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('documents both routes in Swagger with their scope, answers and error shapes', async () => {
    const document = json<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(
      await gateway.inject({ method: 'GET', url: '/docs-json' }),
    );
    for (const path of ['/billing/usage', '/billing/invoices/{tenant}']) {
      const operation = document.paths[path]?.['get'];
      expect(operation).toMatchObject({ tags: ['billing'] });
      expect(Object.keys(operation?.['responses'] as object).sort()).toEqual([
        '200',
        '400',
        '401',
        '403',
        '404',
      ]);
    }
  });
});
