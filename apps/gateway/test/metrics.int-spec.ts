import {
  createTestDatabase,
  NODE_DEFAULT_METRICS,
  PROMETHEUS_TEXT,
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
