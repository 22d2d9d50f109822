import { SCOPES } from '@event-hub/auth';
import {
  createTestDatabase,
  NODE_DEFAULT_METRICS,
  PROMETHEUS_TEXT,
  seriesValue,
  summarizeScrape,
  type MetricFamilies,
  type TestDatabase,
} from '@event-hub/testing';
import {
  createGatewayTopics,
  deleteGatewayTopics,
  TestGateway,
  type GatewayTopics,
} from './support/gateway-harness';
import { TenantProxyFixture } from './topics/support/tenant-proxy';

/** Every series the gateway exposes, by name and type: dashboards and alert rules rely on them. */
const GATEWAY_METRICS: MetricFamilies = {
  gateway_commands_accepted_total: 'counter',
  gateway_commands_rejected_total: 'counter',
  gateway_produce_ack_seconds: 'histogram',
  gateway_producer_batch_records: 'histogram',
  gateway_producer_batch_seconds: 'histogram',
  gateway_replies_recorded_total: 'counter',
  gateway_replies_skipped_total: 'counter',
  gateway_produce_requests_total: 'counter',
  gateway_produce_records_total: 'counter',
  gateway_produce_bytes_total: 'counter',
  gateway_produce_records_ack_seconds: 'histogram',
  gateway_produce_transaction_requests: 'histogram',
  gateway_produce_transactions_total: 'counter',
  gateway_consume_requests_total: 'counter',
  gateway_consume_records_total: 'counter',
  gateway_consume_bytes_total: 'counter',
  gateway_consume_request_seconds: 'histogram',
  gateway_consume_readers: 'gauge',
  gateway_schema_registrations_total: 'counter',
  gateway_schema_validated_records_total: 'counter',
  gateway_schema_validation_failures_total: 'counter',
  gateway_quota_throttled_requests_total: 'counter',
  gateway_quota_leases_total: 'counter',
  gateway_quota_ledger_fallbacks_total: 'counter',
  auth_tokens_issued_total: 'counter',
  auth_failures_total: 'counter',
  http_request_duration_seconds: 'histogram',
};

describe('gateway: /metrics', () => {
  let db: TestDatabase;
  let topics: GatewayTopics;
  let gateway: TestGateway;

  beforeAll(async () => {
    [db, topics] = await Promise.all([
      createTestDatabase('gateway_metrics'),
      createGatewayTopics('gateway-metrics'),
    ]);
    gateway = await TestGateway.start(TestGateway.env(db.url, topics));
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([db?.drop(), topics && deleteGatewayTopics(topics)]);
  });

  it('serves every gateway series and Node’s default metrics to a scrape without a token', async () => {
    const scrape = await gateway.inject({ method: 'GET', url: '/metrics' });

    expect(summarizeScrape(scrape)).toEqual({
      status: 200,
      contentType: PROMETHEUS_TEXT,
      families: expect.objectContaining({ ...GATEWAY_METRICS, ...NODE_DEFAULT_METRICS }),
      service: 'gateway',
    });
  });
});

describe('gateway: /metrics after a tenant’s traffic', () => {
  let fx: TenantProxyFixture;

  beforeAll(async () => {
    fx = await TenantProxyFixture.start('metrics-traffic');
  });

  afterAll(async () => {
    await fx?.close();
  });

  it('counts records and bytes produced and consumed per tenant, and times each answer by route template and status', async () => {
    const acme = await fx.tenant([SCOPES.topicsAdmin, SCOPES.eventsProduce, SCOPES.eventsConsume]);
    await fx.createTopic(acme, { name: 'metered', partitions: 1 });
    const produced = await fx.gateway.post(
      '/topics/metered/records',
      { records: [{ value: { n: 1 } }, { value: { n: 2 } }, { value: { n: 3 } }] },
      acme.headers,
    );
    expect(produced.statusCode).toBe(200);
    const consumed = await fx.gateway.get(
      '/topics/metered/records?fromOffset=0&partition=0&limit=10',
      acme.headers,
    );
    expect(consumed.statusCode).toBe(200);
    const unauthenticated = await fx.gateway.inject({
      method: 'GET',
      url: '/topics/metered/records?fromOffset=0&partition=0',
    });
    expect(unauthenticated.statusCode).toBe(401);

    const { body } = await fx.gateway.inject({ method: 'GET', url: '/metrics' });
    const tenant = { tenant: acme.tenantId };
    expect({
      produced: seriesValue(body, 'gateway_produce_records_total', tenant),
      producedBytes: (seriesValue(body, 'gateway_produce_bytes_total', tenant) ?? 0) > 0,
      consumed: seriesValue(body, 'gateway_consume_records_total', tenant),
      consumedBytes: (seriesValue(body, 'gateway_consume_bytes_total', tenant) ?? 0) > 0,
      produceAnswers: seriesValue(body, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/topics/:name/records',
        status_code: '200',
      }),
      consumeAnswers: seriesValue(body, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/topics/:name/records',
        status_code: '200',
      }),
      refused: seriesValue(body, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/topics/:name/records',
        status_code: '401',
      }),
    }).toEqual({
      produced: 3,
      producedBytes: true,
      consumed: 3,
      consumedBytes: true,
      produceAnswers: 1,
      consumeAnswers: 1,
      refused: 1,
    });
    // Tenant topics are labelled by tenant; no series carries a client, user or topic path.
    expect(body).not.toContain(acme.clientId);
    expect(body).not.toContain('/topics/metered');
  });
});
