import { SCOPES } from '@event-hub/auth';
import { readCommitted, type CommittedRecord } from '@event-hub/testing';
import { UsageMeter } from '../../src/usage/usage-meter';
import type { TestCaller } from '../support/gateway-harness';
import { TenantProxyFixture, usageOf } from '../topics/support/tenant-proxy';

interface Produced {
  records: { partition: number; offset: string }[];
}

describe('producing records over HTTP against the real Kafka', () => {
  let fx: TenantProxyFixture;
  let acme: TestCaller;
  let ordersTopic: string;

  beforeAll(async () => {
    fx = await TenantProxyFixture.start('produce', {
      GATEWAY_PRODUCE_MAX_RECORDS: '10',
      GATEWAY_PRODUCE_MAX_RECORD_BYTES: '1024',
      GATEWAY_PRODUCE_MAX_REQUEST_BYTES: '4096',
    });
    acme = await fx.tenant([SCOPES.topicsAdmin, SCOPES.eventsProduce]);
    ordersTopic = await fx.createTopic(acme, { name: 'orders', partitions: 3 });
  });

  afterAll(async () => {
    await fx?.close();
  });

  const produce = (body: unknown, headers: Record<string, string> = {}, topic = 'orders') =>
    fx.gateway.post(`/topics/${topic}/records`, body, { ...acme.headers, ...headers });

  /**
   * Every committed record of the orders topic and acme's usage events produced so far: a marker
   * goes to every partition, and the usage events of one tenant share a partition (keyed by
   * tenant), so once the markers and the markers' usage event are read, everything before is too.
   */
  let markers = 0;
  async function readUpToMarker(): Promise<{
    records: CommittedRecord[];
    usage: CommittedRecord[];
  }> {
    // Each marker is longer than the last, so its usage event's byte count is its own.
    markers += 1;
    const marker = `marker-${'x'.repeat(markers)}`;
    const isMarker = (r: CommittedRecord) =>
      r.topic === ordersTopic
        ? r.value.includes(marker)
        : usageOf(r).data.bytes === markerBytes(marker);
    const response = await produce({
      records: [0, 1, 2].map((partition) => ({ value: { marker }, partition })),
    });
    expect(response.statusCode).toBe(200);
    const seen = await readCommitted(
      [ordersTopic, fx.usageTopic],
      (all) => all.filter(isMarker).length === 4,
    );
    const before = seen.filter((r) => !isMarker(r));
    return {
      records: before.filter((r) => r.topic === ordersTopic),
      usage: before.filter(
        (r) => r.topic === fx.usageTopic && usageOf(r).tenantId === acme.tenantId,
      ),
    };
  }
  const markerBytes = (marker: string) => 3 * JSON.stringify({ marker }).length;

  it('produces one record, answers its partition and offset, and records the producing client', async () => {
    const response = await produce({
      key: 'order-1',
      value: { orderId: 1, total: 10.5 },
      headers: { 'trace-id': 'abc', 'client-id': 'forged' },
    });

    expect(response.statusCode).toBe(200);
    const [position] = response.json<Produced>().records;
    const { records, usage } = await readUpToMarker();
    const record = records.find(
      (r) => r.partition === position?.partition && r.offset === position?.offset,
    );
    expect(record).toMatchObject({
      key: 'order-1',
      value: JSON.stringify({ orderId: 1, total: 10.5 }),
      headers: {
        'trace-id': 'abc',
        'client-id': acme.clientId,
        'tenant-id': acme.tenantId,
        'content-type': 'application/json',
      },
    });
    const metered = usage.map(usageOf).find((u) => u.data.messages === 1);
    expect(metered?.data).toMatchObject({
      tenant: acme.tenantId,
      topic: 'orders',
      clientId: acme.clientId,
      action: 'produce',
      messages: 1,
      // key + JSON value + the client's own header ('client-id' is replaced, not counted)
      bytes:
        'order-1'.length +
        JSON.stringify({ orderId: 1, total: 10.5 }).length +
        'trace-id'.length +
        3,
    });
    expect(metered?.tenantId).toBe(acme.tenantId);
  });

  it('produces a batch all at once and answers each record’s position in request order', async () => {
    const values = Array.from({ length: 6 }, (_, i) => ({ batch: 'b1', i }));
    const response = await produce({
      records: values.map((value, i) => ({ key: `k${i % 2}`, value })),
    });

    expect(response.statusCode).toBe(200);
    const positions = response.json<Produced>().records;
    expect(positions).toHaveLength(6);
    const { records, usage } = await readUpToMarker();
    const at = new Map(records.map((r) => [`${r.partition}/${r.offset}`, r]));
    positions.forEach((p, i) => {
      expect(at.get(`${p.partition}/${p.offset}`)?.value).toBe(JSON.stringify(values[i]));
    });
    // One key, one partition: the two keys' records each stay together and in order.
    expect(new Set(positions.filter((_, i) => i % 2 === 0).map((p) => p.partition)).size).toBe(1);
    expect(usage.map(usageOf).filter((u) => u.data.messages === 6)).toHaveLength(1);
  });

  it('answers 413 naming the limit for too many records, a record too large, or too many bytes', async () => {
    const tooMany = await produce({ records: Array.from({ length: 11 }, () => ({ value: 1 })) });
    const recordTooLarge = await produce({ records: [{ value: 1 }, { value: 'x'.repeat(1100) }] });
    const requestTooLarge = await produce({
      records: Array.from({ length: 5 }, () => ({ value: 'x'.repeat(1000) })),
    });

    const problem = (r: typeof tooMany) => ({ status: r.statusCode, ...r.json() });
    expect(problem(tooMany)).toMatchObject({
      status: 413,
      code: 'PRODUCE.PAYLOAD_TOO_LARGE',
      limit: 'maxRecords',
      max: 10,
    });
    expect(problem(recordTooLarge)).toMatchObject({
      status: 413,
      limit: 'maxRecordBytes',
      field: 'records[1]',
    });
    expect(problem(requestTooLarge)).toMatchObject({
      status: 413,
      limit: 'maxRequestBytes',
      max: 4096,
    });
  });

  it('answers a body beyond the HTTP body limit with a 413 problem, not plain text', async () => {
    const response = await fx.gateway.inject({
      method: 'POST',
      url: '/topics/orders/records',
      headers: { ...acme.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ value: 'x'.repeat(2 * 1024 * 1024) }),
    });

    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 413 });
  });

  it('answers 400 for a partition the topic does not have', async () => {
    const response = await produce({ value: 1, partition: 3 });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'records[0].partition' });
  });

  it('replays the first answer for the same Idempotency-Key and body, producing nothing new', async () => {
    const body = { records: [{ value: { idem: 'once' } }, { value: { idem: 'once' } }] };
    const first = await produce(body, { 'idempotency-key': 'idem-1' });
    const again = await produce(body, { 'idempotency-key': 'idem-1' });
    const other = await produce({ value: 'other' }, { 'idempotency-key': 'idem-1' });

    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(other.statusCode).toBe(409);
    const { records, usage } = await readUpToMarker();
    expect(records.filter((r) => r.value.includes('"idem":"once"'))).toHaveLength(2);
    expect(usage.map(usageOf).filter((u) => u.data.messages === 2)).toHaveLength(1);
  });

  it('meters every one of many concurrent requests exactly once, in shared transactions', async () => {
    const requests = 40;
    const responses = await Promise.all(
      Array.from({ length: requests }, (_, i) =>
        produce({
          records: [{ value: { burst: i } }, { value: { burst: i } }, { value: { burst: i } }],
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(requests).fill(200));
    const positions = responses.flatMap((r) => r.json<Produced>().records);
    expect(new Set(positions.map((p) => `${p.partition}/${p.offset}`)).size).toBe(requests * 3);

    const { records, usage } = await readUpToMarker();
    expect(records.filter((r) => r.value.includes('"burst"'))).toHaveLength(requests * 3);
    // 3 records of {"burst":i}: 33 or 36 bytes (earlier markers also count 3 messages, more bytes).
    const metered = usage.map(usageOf).filter((u) => u.data.messages === 3 && u.data.bytes <= 36);
    // The bytes billed are the bytes of the values sent: {"burst":0..9} 11 bytes, the rest 12.
    expect(metered.reduce((sum, u) => sum + u.data.bytes, 0)).toBe(
      3 * (10 * 11 + (requests - 10) * 12),
    );
    expect(metered).toHaveLength(requests);
    expect(new Set(metered.map((u) => u.eventId)).size).toBe(requests);
  });

  it('meters consumption with one acknowledged usage event per call (for the consume feature)', async () => {
    await fx.gateway.app.get(UsageMeter).meterConsumption({
      tenant: acme.tenantId,
      topic: 'orders',
      clientId: 'ehc_consumer',
      messages: 7,
      bytes: 700,
      eventTime: '2026-11-23T12:00:00.000Z',
    });

    const { usage } = await readUpToMarker();
    expect(usage.map(usageOf).filter((u) => u.data.action === 'consume')).toEqual([
      expect.objectContaining({
        tenantId: acme.tenantId,
        data: {
          tenant: acme.tenantId,
          topic: 'orders',
          clientId: 'ehc_consumer',
          action: 'consume',
          messages: 7,
          bytes: 700,
          eventTime: '2026-11-23T12:00:00.000Z',
        },
      }),
    ]);
  });

  it('counts requests and records and measures the time to commit on /metrics', async () => {
    const metrics = (await fx.gateway.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/gateway_produce_requests_total\{outcome="produced"[^}]*\} \d+/);
    expect(metrics).toMatch(/gateway_produce_requests_total\{outcome="PRODUCE.PAYLOAD_TOO_LARGE"/);
    expect(metrics).toMatch(/gateway_produce_records_total\{[^}]*\} \d+/);
    expect(metrics).toMatch(/gateway_produce_records_ack_seconds_bucket\{[^}]*outcome="committed"/);
    expect(metrics).toMatch(/gateway_produce_transactions_total\{outcome="committed"/);
  });

  it('validates every value against the bound schema subject: one bad record is a 422 naming its path, and nothing of the batch is written', async () => {
    const registrar = await fx.gateway.bearer(acme.tenantId, [SCOPES.schemasWrite], 'schemas');
    const registered = await fx.gateway.post(
      '/schemas/payments-value/versions',
      {
        schema: {
          type: 'object',
          required: ['amount'],
          properties: { amount: { type: 'number' } },
        },
      },
      registrar.headers,
    );
    expect(registered.statusCode).toBeLessThan(300);
    const paymentsTopic = await fx.createTopic(acme, {
      name: 'payments',
      partitions: 1,
      valueSubject: 'payments-value',
    });

    const refused = await produce(
      { records: [{ value: { amount: 1 } }, { value: { amount: 'ten' } }, { value: {} }] },
      {},
      'payments',
    );
    const accepted = await produce({ value: { amount: 2 } }, {}, 'payments');

    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'PRODUCE.SCHEMA_VIOLATION',
      subject: 'payments-value',
    });
    expect(refused.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual([
      'records[1].value/amount',
      'records[2].value/amount', // required and missing
    ]);
    expect(accepted.statusCode).toBe(200);
    const seen = await readCommitted([paymentsTopic], (all) =>
      all.some((r) => r.value.includes('2')),
    );
    expect(seen.map((r) => r.value)).toEqual([JSON.stringify({ amount: 2 })]);
  });

  it('answers 429 with Retry-After beyond the tenant’s produce rate, writing nothing of that request', async () => {
    const slow = await fx.tenant([SCOPES.topicsAdmin, SCOPES.eventsProduce], {
      produceRecordsPerSecond: 5,
    });
    await fx.createTopic(slow, { name: 'slow', partitions: 1 });
    const send = (tag: string) =>
      fx.gateway.post(
        '/topics/slow/records',
        { records: Array.from({ length: 4 }, () => ({ value: tag })) },
        slow.headers,
      );

    const first = await send('within');
    const second = await send('beyond');

    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    const marker = await fx.gateway.post(
      '/topics/slow/records',
      { value: 'marker' },
      { ...slow.headers },
    );
    // The marker may itself be throttled; what matters is that "beyond" never reached Kafka.
    const seen = await readCommitted([`tenant.${slow.tenantId}.slow`], (all) =>
      marker.statusCode === 200
        ? all.some((r) => r.value === '"marker"')
        : all.filter((r) => r.value === '"within"').length === 4,
    );
    expect(seen.filter((r) => r.value === '"beyond"')).toEqual([]);
  });

  it('requires the events:produce scope', async () => {
    const admin = await fx.gateway.bearer(acme.tenantId, [SCOPES.topicsAdmin], 'admin-only');
    const response = await fx.gateway.post('/topics/orders/records', { value: 1 }, admin.headers);
    expect(response.statusCode).toBe(403);
  });
});
