import {
  bootstrapAdmin,
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  devServices,
  randomCpf,
  uniqueName,
  waitFor,
  withAdmin,
  type TestDatabase,
} from '@event-hub/testing';
import { SCOPES } from '@event-hub/auth';
import { AppProcess } from './support/app-process';
import {
  pipelineGatewayEnv,
  pipelineProcessorEnv,
  pipelineTopics,
  querySql,
} from './support/command-pipeline';
import { createTenantCaller, tokenFor, type TenantCaller } from './support/platform-clients';

interface Accepted {
  correlationId: string;
  status: string;
  statusUrl: string;
}

interface Status {
  correlationId: string;
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  command: string;
  result?: Record<string, unknown>;
  error?: { code: string; message: string };
}

/**
 * The command pipeline through the built apps: gateway → user_events → processor → Postgres →
 * response_events → GET /status, with two gateways behind "one load balancer", a processor that
 * crashes mid-stream, and a broker that goes away.
 */
describe('command pipeline end to end', () => {
  const run = uniqueName('e2e-commands');
  const topics = pipelineTopics(run);
  let db: TestDatabase;
  let gatewayA: AppProcess;
  let gatewayB: AppProcess;
  let processor: AppProcess;
  let emails = 0;
  /** The tenant's client the suite acts as, and a second tenant that must see none of it. */
  let caller: TenantCaller;
  let stranger: TenantCaller;

  const processorEnv = () => pipelineProcessorEnv(db.url, run, topics);
  const gatewayEnv = () => pipelineGatewayEnv(db.url, run, topics);

  async function post(gateway: AppProcess, path: string, body: unknown, method = 'POST') {
    const response = await fetch(`${gateway.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...caller.headers },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as unknown,
    };
  }

  async function accept(
    gateway: AppProcess,
    path: string,
    body: unknown,
    method = 'POST',
  ): Promise<Accepted> {
    const response = await post(gateway, path, body, method);
    // The whole answer in the assertion, so a rejection shows its problem details.
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 202 });
    return response.body as Accepted;
  }

  const read = (gateway: AppProcess, path: string, as = caller) =>
    fetch(`${gateway.baseUrl}${path}`, { headers: as.headers });

  async function statusOf(gateway: AppProcess, correlationId: string): Promise<Status> {
    const response = await read(gateway, `/status/${correlationId}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Status;
  }

  function finalStatus(
    correlationId: string,
    gateway = gatewayA,
    timeoutMs = 60000,
  ): Promise<Status> {
    return waitFor(
      async () => {
        const status = await statusOf(gateway, correlationId);
        return status.status === 'PENDING' ? undefined : status;
      },
      { timeoutMs, intervalMs: 100, what: `command ${correlationId} to finish` },
    );
  }

  function newUser() {
    emails += 1;
    return {
      name: `E2E User ${emails}`,
      email: `${run}-${emails}@example.com`,
      document: randomCpf(),
    };
  }

  const query = <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    querySql<T>(db.url, sql, params);

  async function commandTopicEnd(): Promise<number> {
    const offsets = await withAdmin((admin) => admin.fetchTopicOffsets(topics.commands));
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  }

  beforeAll(async () => {
    db = await createTestDatabase('e2e_commands');
    await createTestTopics([topics.commands, topics.replies], 6);
    await createTestTopics([topics.dlq], 1);
    // The processor owns the schema: let it migrate before the gateways query it.
    processor = new AppProcess('processor', 18112, processorEnv()).start();
    await processor.waitForHealth(200);
    gatewayA = new AppProcess('gateway', 18110, gatewayEnv()).start();
    gatewayB = new AppProcess('gateway', 18111, gatewayEnv()).start();
    await Promise.all([gatewayA.waitForHealth(200), gatewayB.waitForHealth(200)]);
    // As an operator starts: the first admin client from the CLI, tenants through the admin API.
    const adminToken = await tokenFor(gatewayA.baseUrl, await bootstrapAdmin(db.url));
    const scopes = [SCOPES.eventsProduce, SCOPES.eventsConsume];
    [caller, stranger] = await Promise.all([
      createTenantCaller(gatewayA.baseUrl, adminToken, `${run.replace(/\./g, '-')}-a`, scopes),
      createTenantCaller(gatewayA.baseUrl, adminToken, `${run.replace(/\./g, '-')}-b`, scopes),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gatewayA, gatewayB, processor].map((app) => app?.stop()));
    await deleteTestTopics(Object.values(topics));
    await db?.drop();
  });

  it('accepts each command and reports it COMPLETED, with the rows in Postgres', async () => {
    const user = newUser();
    const created = await accept(gatewayA, '/users', user);
    expect(created).toMatchObject({
      status: 'PENDING',
      statusUrl: `/status/${created.correlationId}`,
    });
    const createdStatus = await finalStatus(created.correlationId);
    expect(createdStatus).toMatchObject({ status: 'COMPLETED', command: 'users.create_user' });
    const userId = String(createdStatus.result?.['userId']);

    const subscription = await finalStatus(
      (
        await accept(gatewayA, `/users/${userId}/subscriptions`, {
          plan: 'premium',
          billingCycle: 'monthly',
          startDate: '2026-12-01',
        })
      ).correlationId,
    );
    expect(subscription.status).toBe('COMPLETED');
    const subscriptionId = String(subscription.result?.['subscriptionId']);

    const payment = await finalStatus(
      (
        await accept(gatewayA, `/users/${userId}/payments`, {
          amount: '149.90',
          currency: 'BRL',
          method: 'pix',
          subscriptionId,
        })
      ).correlationId,
    );
    expect(payment.status).toBe('COMPLETED');

    const preferences = await finalStatus(
      (
        await accept(
          gatewayA,
          `/users/${userId}/preferences`,
          { preferences: { theme: 'dark', language: 'pt-BR' } },
          'PUT',
        )
      ).correlationId,
    );
    expect(preferences.status).toBe('COMPLETED');

    const [row] = await query<{ email: string; amount: string; settings: unknown }>(
      `SELECT u.email, p.amount, pr.settings FROM users u
         JOIN payments p ON p.user_id = u.id JOIN preferences pr ON pr.user_id = u.id WHERE u.id = $1`,
      [userId],
    );
    expect(row).toEqual({
      email: user.email,
      amount: '149.90',
      settings: { theme: 'dark', language: 'pt-BR' },
    });

    const found = await read(gatewayB, `/users/${userId}`);
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({
      id: userId,
      email: user.email,
      subscriptions: [{ id: subscriptionId, plan: 'premium', status: 'active' }],
      payments: [{ amount: '149.90', currency: 'BRL' }],
    });
  });

  it('reports business-rule failures as FAILED with their code', async () => {
    const user = newUser();
    const first = await finalStatus((await accept(gatewayA, '/users', user)).correlationId);
    const userId = String(first.result?.['userId']);

    const duplicate = await finalStatus(
      (await accept(gatewayA, '/users', { ...newUser(), email: user.email.toUpperCase() }))
        .correlationId,
    );
    expect(duplicate).toMatchObject({ status: 'FAILED', error: { code: 'USER.EMAIL_TAKEN' } });

    const unknownUser = '00000000-0000-4000-8000-000000000000';
    const orphanPayment = await finalStatus(
      (
        await accept(gatewayA, `/users/${unknownUser}/payments`, {
          amount: '10.00',
          currency: 'BRL',
          method: 'pix',
        })
      ).correlationId,
    );
    expect(orphanPayment).toMatchObject({ status: 'FAILED', error: { code: 'USER.NOT_FOUND' } });

    const plan = { plan: 'basic', billingCycle: 'yearly', startDate: '2026-12-01' };
    expect(
      (
        await finalStatus(
          (await accept(gatewayA, `/users/${userId}/subscriptions`, plan)).correlationId,
        )
      ).status,
    ).toBe('COMPLETED');
    const second = await finalStatus(
      (await accept(gatewayA, `/users/${userId}/subscriptions`, plan)).correlationId,
    );
    expect(second).toMatchObject({
      status: 'FAILED',
      error: { code: 'SUBSCRIPTION.ALREADY_ACTIVE' },
    });
  });

  it('rejects invalid commands with 400 naming each field, and produces nothing', async () => {
    const before = await commandTopicEnd();

    const response = await post(gatewayA, '/users', {
      name: '',
      email: 'not-an-email',
      document: '111.111.111-11',
      role: 'admin',
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const fields = ((response.body as { errors: { field: string }[] }).errors ?? []).map(
      (e) => e.field,
    );
    expect(new Set(fields)).toEqual(
      new Set(['body.name', 'body.email', 'body.document', 'body.role']),
    );
    expect(await commandTopicEnd()).toBe(before);
  });

  it('answers status for every command from either gateway instance', async () => {
    const accepted = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        accept(i % 2 === 0 ? gatewayA : gatewayB, '/users', newUser()),
      ),
    );
    for (const { correlationId } of accepted) {
      const [a, b] = await Promise.all([
        finalStatus(correlationId, gatewayA),
        finalStatus(correlationId, gatewayB),
      ]);
      expect(a).toEqual(b);
      expect(a.status).toBe('COMPLETED');
    }
    const unknown = await read(gatewayB, '/status/6f1c1b2e-9d4a-4c55-8e3e-0b7a2f5d9c10');
    expect(unknown.status).toBe(404);
    expect((await read(gatewayB, '/status/not-a-uuid')).status).toBe(400);
  });

  it('shows another tenant neither the commands nor the users, and refuses requests without a token', async () => {
    const user = newUser();
    const created = await accept(gatewayA, '/users', user);
    const status = await finalStatus(created.correlationId);
    const userId = (status.result as { userId: string }).userId;

    expect((await read(gatewayB, `/status/${created.correlationId}`, stranger)).status).toBe(404);
    expect((await read(gatewayB, `/users/${userId}`, stranger)).status).toBe(404);
    const strangersPayment = await fetch(`${gatewayA.baseUrl}/users/${userId}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...stranger.headers },
      body: JSON.stringify({ amount: '10.00', currency: 'BRL', method: 'pix' }),
    });
    expect(strangersPayment.status).toBe(202);
    const { correlationId } = (await strangersPayment.json()) as Accepted;
    const outcome = await waitFor(
      async () => {
        const response = await read(gatewayA, `/status/${correlationId}`, stranger);
        const body = (await response.json()) as Status;
        return body.status === 'PENDING' ? undefined : body;
      },
      { what: "the stranger's payment to finish" },
    );
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'USER.NOT_FOUND' } });

    const anonymous = await fetch(`${gatewayA.baseUrl}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newUser()),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('finishes every accepted command exactly once when the processor crashes mid-stream', async () => {
    const users = Array.from({ length: 300 }, () => newUser());
    // Every tenth user reuses an earlier email, so some commands must end FAILED, not COMPLETED.
    for (let i = 10; i < users.length; i += 10)
      users[i] = { ...newUser(), email: users[i - 5]?.email ?? '' };

    const sending = Promise.all(users.map((user) => accept(gatewayA, '/users', user)));
    await waitFor(
      async () => {
        const [{ count }] = await query<{ count: string }>('SELECT count(*) FROM processed_events');
        return Number(count) >= 30;
      },
      { what: 'the processor to be mid-stream' },
    );
    await processor.stop('SIGKILL');
    const accepted = await sending;

    processor = new AppProcess('processor', 18112, processorEnv()).start();
    await processor.waitForHealth(200);
    const statuses = await Promise.all(
      accepted.map(({ correlationId }) => finalStatus(correlationId, gatewayA, 120000)),
    );

    const completed = statuses.filter((s) => s.status === 'COMPLETED').length;
    const failed = statuses.filter((s) => s.status === 'FAILED');
    expect(completed + failed.length).toBe(users.length);
    expect(failed.every((s) => s.error?.code === 'USER.EMAIL_TAKEN')).toBe(true);
    const emailsSent = users.map((u) => u.email);
    const [{ count: rows }] = await query<{ count: string }>(
      'SELECT count(*) FROM users WHERE email = ANY($1)',
      [emailsSent],
    );
    expect(Number(rows)).toBe(completed);
    expect(Number(rows)).toBe(new Set(emailsSent).size);
  });

  it('answers 503 with Retry-After while the broker is stopped, and 202 once it is back', async () => {
    await devServices.stop('kafka');
    try {
      const refused = await post(gatewayA, '/users', newUser());
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await devServices.start('kafka');
    }
    await gatewayA.waitForHealth(200);
    const accepted = await waitFor(
      async () => {
        const response = await post(gatewayA, '/users', newUser());
        return response.status === 202 ? (response.body as Accepted) : undefined;
      },
      { timeoutMs: 60000, intervalMs: 1000, what: 'the gateway to accept commands again' },
    );
    expect((await finalStatus(accepted.correlationId, gatewayA, 120000)).status).toBe('COMPLETED');
  });
});
