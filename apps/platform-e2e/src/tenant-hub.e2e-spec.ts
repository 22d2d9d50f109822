import { SCOPES, type Scope } from '@event-hub/auth';
import {
  bootstrapAdmin,
  createTestDatabase,
  deleteTestTopics,
  testKafka,
  uniqueName,
  waitFor,
  type TestDatabase,
} from '@event-hub/testing';
import { AppProcess } from './support/app-process';
import { createHubTopics, hubGatewayEnv, hubProcessorEnv, hubTopics } from './support/hub-apps';
import { callAs, queryDatabase } from './support/platform-calls';
import { createTenantCaller, tokenFor, type TenantCaller } from './support/platform-clients';

interface Produced {
  records: { partition: number; offset: string }[];
}

interface Consumed {
  records: { partition: number; offset: string; key: string | null; value: unknown }[];
}

interface UsageTotals {
  messages: string;
  bytes: string;
  cost: { amount: string };
}

interface UsageReport {
  groups: (UsageTotals & { group: { topic?: string } })[];
}

interface Invoice {
  lines: (UsageTotals & { topic: string; action: string })[];
}

/** Millionths of a real (what the seed's prices are exact in) → reais, rounded half-up to centavos. */
function centavos(millionths: bigint): string {
  const cents = (millionths + 5000n) / 10000n;
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

const TENANT_SCOPES: Scope[] = [
  SCOPES.eventsProduce,
  SCOPES.eventsConsume,
  SCOPES.topicsAdmin,
  SCOPES.schemasWrite,
  SCOPES.billingRead,
];

/**
 * The tenant event hub through the built apps: tenants, their topics, produce and consume over
 * HTTP, schemas, quotas, and usage metered into billing by the processor, exactly once.
 */
describe('multi-tenant event hub end to end', () => {
  const run = uniqueName('e2e-hub');
  const slug = run.replace(/\./g, '-');
  const topics = hubTopics(run);
  let db: TestDatabase;
  let gateway: AppProcess;
  let processor: AppProcess;
  let adminToken: string;
  let acme: TenantCaller;
  let globex: TenantCaller;

  const gatewayEnv = () => hubGatewayEnv(db.url, run, topics);
  const startGateway = async (): Promise<void> => {
    gateway = new AppProcess('gateway', 18120, gatewayEnv()).start();
    await gateway.waitForHealth(200);
  };

  const call = <T = unknown>(
    as: TenantCaller,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => callAs<T>(gateway.baseUrl, as, method, path, body, headers);

  async function createTopic(as: TenantCaller, name: string, extra: object = {}): Promise<void> {
    const created = await call(as, 'POST', '/topics', { name, partitions: 3, ...extra });
    expect({ status: created.status, body: created.body }).toMatchObject({ status: 201 });
  }

  const query = <T>(sql: string, params: unknown[] = []) => queryDatabase<T>(db.url, sql, params);

  beforeAll(async () => {
    db = await createTestDatabase('e2e_hub');
    await createHubTopics(topics);
    processor = new AppProcess('processor', 18122, hubProcessorEnv(db.url, run, topics)).start();
    await processor.waitForHealth(200);
    await startGateway();
    adminToken = await tokenFor(gateway.baseUrl, await bootstrapAdmin(db.url));
    [acme, globex] = await Promise.all([
      createTenantCaller(gateway.baseUrl, adminToken, `${slug}-acme`, TENANT_SCOPES),
      createTenantCaller(gateway.baseUrl, adminToken, `${slug}-globex`, TENANT_SCOPES),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway, processor].map((app) => app?.stop()));
    const tenantTopics = await query<{ physical_name: string }>(
      'SELECT physical_name FROM tenant_topics',
    ).catch(() => []);
    await deleteTestTopics([...Object.values(topics), ...tenantTopics.map((t) => t.physical_name)]);
    await db?.drop();
  });

  it("gives each tenant its own topics and records, and answers 404 for the other's", async () => {
    await createTopic(acme, 'orders');
    await createTopic(globex, 'orders');
    await createTopic(acme, 'acme-only');

    const mine = await call<Produced>(acme, 'POST', '/topics/orders/records', {
      records: [
        { key: 'o-1', value: { order: 1 } },
        { key: 'o-2', value: { order: 2 } },
      ],
    });
    expect(mine.status).toBe(200);
    expect(mine.body.records).toHaveLength(2);
    const theirs = await call<Produced>(globex, 'POST', '/topics/orders/records', {
      key: 'g-1',
      value: { order: 'globex' },
    });
    expect(theirs.status).toBe(200);

    const acmeRead = await call<Consumed>(acme, 'GET', '/topics/orders/records?fromOffset=0');
    expect(acmeRead.status).toBe(200);
    expect(acmeRead.body.records.map((r) => r.value)).toEqual(
      expect.arrayContaining([{ order: 1 }, { order: 2 }]),
    );
    expect(acmeRead.body.records).toHaveLength(2);
    const globexRead = await call<Consumed>(globex, 'GET', '/topics/orders/records?fromOffset=0');
    expect(globexRead.body.records.map((r) => r.value)).toEqual([{ order: 'globex' }]);

    for (const [method, path] of [
      ['GET', '/topics/acme-only'],
      ['GET', '/topics/acme-only/records?fromOffset=0'],
      ['POST', '/topics/acme-only/records'],
      ['DELETE', '/topics/acme-only'],
      ['GET', '/topics/user_events/records?fromOffset=0'],
      ['GET', '/topics/__consumer_offsets'],
    ] as const) {
      const answer = await call(globex, method, path, method === 'POST' ? { value: 1 } : undefined);
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
    }
    const listed = await call<{ name: string }[] | { items: { name: string }[] }>(
      globex,
      'GET',
      '/topics',
    );
    expect(JSON.stringify(listed.body)).not.toContain('acme-only');
  });

  it('rejects a whole batch with 422 naming the failing path when a value breaks the bound schema', async () => {
    const schema = {
      type: 'object',
      required: ['amount'],
      properties: { amount: { type: 'number', minimum: 0 } },
    };
    const registered = await call(acme, 'POST', '/schemas/payments-value/versions', { schema });
    // 201 for the new version; 200 when a retried run finds the identical version registered.
    expect({
      status: registered.status === 200 ? 201 : registered.status,
      body: registered.body,
    }).toMatchObject({ status: 201 });
    await createTopic(acme, 'payments', { valueSubject: 'payments-value' });

    const refused = await call<{ errors?: { field: string }[] }>(
      acme,
      'POST',
      '/topics/payments/records',
      { records: [{ value: { amount: 10 } }, { value: { amount: -1 } }] },
    );
    expect({ status: refused.status, body: JSON.stringify(refused.body) }).toEqual({
      status: 422,
      body: expect.stringContaining('records[1].value/amount'),
    });
    const empty = await call<Consumed>(acme, 'GET', '/topics/payments/records?fromOffset=0');
    expect({ status: empty.status, body: empty.body }).toEqual({
      status: 200,
      body: expect.objectContaining({ records: [] }),
    });

    const accepted = await call(acme, 'POST', '/topics/payments/records', {
      value: { amount: 10 },
    });
    expect({ status: accepted.status, body: accepted.body }).toMatchObject({ status: 200 });
  });

  it('throttles a tenant beyond its produce quota with 429 and Retry-After', async () => {
    const slow = await createTenantCaller(
      gateway.baseUrl,
      adminToken,
      `${slug}-slow`,
      TENANT_SCOPES,
      {
        produceRecordsPerSecond: 5,
      },
    );
    await createTopic(slow, 'events');
    const batch = { records: Array.from({ length: 5 }, (_, i) => ({ value: { i } })) };
    expect((await call(slow, 'POST', '/topics/events/records', batch)).status).toBe(200);
    const throttled = await call(slow, 'POST', '/topics/events/records', batch);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('meters 1,000 concurrent produce requests exactly once through a gateway crash and client retries', async () => {
    await createTopic(acme, 'metered');
    const requests = Array.from({ length: 1000 }, (_, i) => ({
      key: `req-${i}`,
      records: Array.from({ length: 1 + (i % 4) }, (_, j) => ({
        key: `k-${i}-${j}`,
        value: { request: i, record: j, pad: 'x'.repeat(i % 50) },
      })),
    }));
    let answered = 0;
    let crashed: Promise<void> | undefined;

    // Each client retries with its Idempotency-Key until it gets an answer, as a client should.
    async function send(request: (typeof requests)[number]): Promise<void> {
      for (let attempt = 0; ; attempt += 1) {
        try {
          const answer = await call(
            acme,
            'POST',
            '/topics/metered/records',
            { records: request.records },
            { 'idempotency-key': request.key },
          );
          if (answer.status === 200) break;
          expect([429, 503]).toContain(answer.status);
        } catch {
          // The connection died with the gateway: the outcome is unknown, so retry.
        }
        if (crashed) await crashed;
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      }
      answered += 1;
      if (answered === 300 && !crashed) {
        // Mid-stream, the gateway dies with transactions in flight; it comes back as itself.
        crashed = gateway.stop('SIGKILL').then(startGateway);
      }
    }

    const queue = [...requests];
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await send(next);
      }),
    );
    await crashed;
    // Some clients retry after a success whose answer they lost: the key answers the same.
    await Promise.all(requests.slice(0, 50).map((r) => send(r)));

    const inKafka = await readCommitted(`tenant.${acme.tenantId}.metered`);
    const billed = await waitFor(
      async () => {
        const [row] = await query<{ messages: string; bytes: string }>(
          `SELECT coalesce(sum(messages), 0)::text AS messages, coalesce(sum(bytes), 0)::text AS bytes
           FROM billing WHERE tenant = $1 AND topic = 'metered' AND action = 'produce'`,
          [acme.tenantId],
        );
        if (Number(row?.messages) >= inKafka.messages) return row;
        // Thrown rather than returned, so a timeout says how far billing got.
        throw new Error(
          `billing holds ${row?.messages} of the ${inKafka.messages} messages in Kafka`,
        );
      },
      { timeoutMs: 60000, what: 'usage to be aggregated into billing' },
    );
    const expectedRecords = requests.reduce((sum, r) => sum + r.records.length, 0);
    expect(inKafka.messages).toBeGreaterThanOrEqual(expectedRecords);
    expect({ messages: Number(billed?.messages), bytes: Number(billed?.bytes) }).toEqual(inKafka);

    // The same figures through the reports, priced exactly: R$0.005 per message, R$0.00001 per byte.
    const now = new Date();
    const from = new Date(now.getTime() - 3600_000).toISOString();
    const to = new Date(now.getTime() + 60_000).toISOString();
    const usage = await call<UsageReport>(
      acme,
      'GET',
      `/billing/usage?from=${from}&to=${to}&groupBy=topic`,
    );
    expect(usage.status).toBe(200);
    const metered = usage.body.groups.find((g) => g.group.topic === 'metered');
    expect(metered).toMatchObject({
      messages: String(inKafka.messages),
      bytes: String(inKafka.bytes),
    });
    const month = now.toISOString().slice(0, 7);
    const invoice = await call<Invoice>(
      acme,
      'GET',
      `/billing/invoices/${acme.tenantId}?month=${month}`,
    );
    expect(invoice.status).toBe(200);
    const line = invoice.body.lines.find((l) => l.topic === 'metered' && l.action === 'produce');
    expect(line?.cost.amount).toBe(
      centavos(BigInt(inKafka.messages) * 5000n + BigInt(inKafka.bytes) * 10n),
    );
    const strangers = await call(
      globex,
      'GET',
      `/billing/invoices/${acme.tenantId}?month=${month}`,
    );
    expect(strangers.status).toBe(404);
  });

  /** Every committed record of a topic, read by a fresh read_committed consumer. */
  async function readCommitted(topic: string): Promise<{ messages: number; bytes: number }> {
    const consumer = testKafka().consumer({ groupId: uniqueName('e2e.hub.reader') });
    let messages = 0;
    let bytes = 0;
    let lastSeen = Date.now();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          messages += 1;
          bytes += (message.value?.length ?? 0) + (message.key?.length ?? 0);
          lastSeen = Date.now();
        },
      });
      // Transaction markers take offsets too, so "caught up" is: nothing new for a while.
      await waitFor(async () => messages > 0 && Date.now() - lastSeen > 3000, {
        timeoutMs: 60000,
        intervalMs: 250,
        what: `reading ${topic} to its end`,
      });
      return { messages, bytes };
    } finally {
      await consumer.disconnect();
    }
  }
});
