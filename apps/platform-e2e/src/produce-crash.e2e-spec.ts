import { SCOPES } from '@event-hub/auth';
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

interface ProduceRequest {
  key: string;
  records: { key: string; value: { request: string; record: number } }[];
}

/** Steps of the produce path where the gateway is killed (see ProduceCrashPoints). */
const CRASH_POINTS = ['claimed', 'sent', 'committed', 'stored'] as const;
const REQUESTS_PER_CRASH = 24;
const CLIENTS = 8;
/** The gateway dies the n-th time a request reaches the step: requests are in flight around it. */
const CRASH_AT_NTH = 5;

/**
 * Produce with an Idempotency-Key through SIGKILLs of the real gateway at each step of the
 * produce path: after the key is claimed, after the records are sent (transaction open), after
 * the commit (answer not stored), after the answer is stored (not sent). Clients retry every key
 * until answered. Kafka must hold every record exactly once, where the first answer said, and
 * billing must count every request once.
 */
describe('produce Idempotency-Key through gateway crashes', () => {
  const run = uniqueName('e2e-crash');
  const slug = run.replace(/\./g, '-');
  const topics = hubTopics(run);
  let db: TestDatabase;
  let gateway: AppProcess;
  let processor: AppProcess;
  let acme: TenantCaller;

  const startGateway = async (crashAt?: string): Promise<void> => {
    gateway = new AppProcess('gateway', 18210, {
      ...hubGatewayEnv(db.url, run, topics),
      GATEWAY_RETRY_AFTER_SECONDS: '1',
      ...(crashAt ? { GATEWAY_TEST_CRASH_AT: crashAt } : {}),
    }).start();
    await gateway.waitForHealth(200);
  };

  beforeAll(async () => {
    db = await createTestDatabase('e2e_crash');
    await createHubTopics(topics);
    processor = new AppProcess('processor', 18212, hubProcessorEnv(db.url, run, topics)).start();
    await processor.waitForHealth(200);
    await startGateway();
    const adminToken = await tokenFor(gateway.baseUrl, await bootstrapAdmin(db.url));
    acme = await createTenantCaller(gateway.baseUrl, adminToken, `${slug}-acme`, [
      SCOPES.eventsProduce,
      SCOPES.topicsAdmin,
      SCOPES.billingRead,
    ]);
    const created = await callAs(gateway.baseUrl, acme, 'POST', '/topics', {
      name: 'ledger',
      partitions: 3,
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await Promise.all([gateway, processor].map((app) => app?.stop()));
    await deleteTestTopics([...Object.values(topics), `tenant.${acme?.tenantId}.ledger`]);
    await db?.drop();
  });

  it('writes, answers and bills every keyed request exactly once, whatever step the gateway dies at', async () => {
    const requests = CRASH_POINTS.map((point) =>
      Array.from({ length: REQUESTS_PER_CRASH }, (_, i): ProduceRequest => {
        const key = `${point}-${i}`;
        return {
          key,
          records: Array.from({ length: 1 + (i % 5) }, (__, record) => ({
            key: `${key}-${record}`,
            value: { request: key, record },
          })),
        };
      }),
    );
    const firstAnswers = new Map<string, Produced>();

    for (const [phase, point] of CRASH_POINTS.entries()) {
      await gateway.stop();
      await startGateway(`${point}:${CRASH_AT_NTH}`);
      let restarted: Promise<void> | undefined;
      const watcher = waitFor(() => !gateway.running, {
        timeoutMs: 120000,
        intervalMs: 20,
        what: `the gateway to die at ${point}`,
      }).then(() => (restarted = startGateway()));

      const queue = [...(requests[phase] ?? [])];
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          for (let next = queue.shift(); next; next = queue.shift()) {
            firstAnswers.set(next.key, await produceUntilAnswered(next, () => restarted));
          }
        }),
      );
      // Every phase really crashed, and the clients' retries went to the restarted gateway.
      await watcher;
      await restarted;
    }

    // Every key answers the same again, replayed, without writing anything.
    const all = requests.flat();
    for (const request of all) {
      const again = await produce(request);
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotency-replayed')).toBe('true');
      expect(again.body).toEqual(firstAnswers.get(request.key));
    }

    const sent = all.reduce((sum, r) => sum + r.records.length, 0);
    const inKafka = await readCommitted(`tenant.${acme.tenantId}.ledger`, sent);
    const written = new Map<string, number>();
    for (const { id } of inKafka) written.set(id, (written.get(id) ?? 0) + 1);
    expect([...written].filter(([, times]) => times > 1)).toEqual([]);
    expect(inKafka.length).toBe(sent);
    // Each record once, where the first answer to its request said.
    const expected = all.flatMap((request) =>
      request.records.map((record, i) => ({
        id: `${record.value.request}/${record.value.record}`,
        at: firstAnswers.get(request.key)?.records[i],
      })),
    );
    const byId = new Map(inKafka.map((r) => [r.id, r.at]));
    expect(byId.size).toBe(sent);
    for (const { id, at } of expected) expect({ id, at: byId.get(id) }).toEqual({ id, at });

    const billing = async () => {
      const [row] = await queryDatabase<{ requests: string; messages: string }>(
        db.url,
        `SELECT count(*)::text AS requests, coalesce(sum(messages), 0)::text AS messages
           FROM billing WHERE tenant = $1 AND topic = 'ledger' AND action = 'produce'`,
        [acme.tenantId],
      );
      return { requests: Number(row?.requests), messages: Number(row?.messages) };
    };
    const billed = await waitFor(
      async () => {
        const totals = await billing();
        return totals.messages >= sent ? totals : undefined;
      },
      { timeoutMs: 60000, what: 'usage to reach billing' },
    );
    await new Promise((resolve) => setTimeout(resolve, 2000)); // would a duplicate still arrive?
    const final = await billing();
    expect(final).toEqual(billed);
    expect(final).toEqual({ requests: all.length, messages: sent });
    // The invoice charges each request once.
    const month = new Date().toISOString().slice(0, 7);
    const invoice = await callAs<{
      lines: { topic: string; action: string; requests: string; messages: string }[];
    }>(gateway.baseUrl, acme, 'GET', `/billing/invoices/${acme.tenantId}?month=${month}`);
    expect(invoice.status).toBe(200);
    expect(
      invoice.body.lines.find((line) => line.topic === 'ledger' && line.action === 'produce'),
    ).toMatchObject({ requests: String(all.length), messages: String(sent) });
  }, 600000);

  function produce(request: ProduceRequest) {
    return callAs<Produced>(
      gateway.baseUrl,
      acme,
      'POST',
      '/topics/ledger/records',
      { records: request.records },
      { 'idempotency-key': request.key },
    );
  }

  /** A client that retries its key on connection errors, 409 and 503, as the API asks. */
  async function produceUntilAnswered(
    request: ProduceRequest,
    restarted: () => Promise<void> | undefined,
  ): Promise<Produced> {
    const deadline = Date.now() + 180000;
    for (;;) {
      let waitMs = 100;
      try {
        const answer = await produce(request);
        if (answer.status === 200) return answer.body;
        expect([409, 503]).toContain(answer.status);
        waitMs = 1000 * Number(answer.headers.get('retry-after') ?? 1);
      } catch {
        // The gateway died with the request: its outcome is unknown to the client, so retry.
        await restarted();
      }
      if (Date.now() > deadline) throw new Error(`${request.key} never answered`);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  /** Every committed record of the topic, read until `expected` arrived and a while more. */
  async function readCommitted(
    topic: string,
    expected: number,
  ): Promise<{ id: string; at: { partition: number; offset: string } }[]> {
    const consumer = testKafka().consumer({ groupId: uniqueName('e2e.crash.reader') });
    // By position: a consumer may be handed a record twice (a rebalance); a record written twice
    // has two positions.
    const records = new Map<string, { id: string; at: { partition: number; offset: string } }>();
    let lastSeen = Date.now();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const value = JSON.parse(String(message.value)) as { request: string; record: number };
          records.set(`${partition}/${message.offset}`, {
            id: `${value.request}/${value.record}`,
            at: { partition, offset: message.offset },
          });
          lastSeen = Date.now();
        },
      });
      // Duplicates would come after the expected count: keep reading a while past it.
      await waitFor(async () => records.size >= expected && Date.now() - lastSeen > 3000, {
        timeoutMs: 60000,
        intervalMs: 250,
        what: `reading ${topic} to its end`,
      });
      return [...records.values()];
    } finally {
      await consumer.disconnect();
    }
  }
});
