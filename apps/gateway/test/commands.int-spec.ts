import { SCOPES } from '@event-hub/auth';
import { USER_COMMANDS } from '@event-hub/contracts';
import { createTestDatabase, type TestDatabase } from '@event-hub/testing';
import {
  countRecords,
  createGatewayTopics,
  deleteGatewayTopics,
  json,
  readRecords,
  sql,
  TestGateway,
  type GatewayTopics,
} from './support/gateway-harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const USER_ID = '3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60';

interface Accepted {
  correlationId: string;
  status: string;
  statusUrl: string;
}

interface Problem {
  status: number;
  code: string;
  errors?: { field: string; message: string }[];
}

describe('gateway commands against the real Kafka and Postgres', () => {
  let db: TestDatabase;
  let topics: GatewayTopics;
  let gateway: TestGateway;

  beforeAll(async () => {
    [db, topics] = await Promise.all([
      createTestDatabase('gateway_commands'),
      createGatewayTopics('gateway-commands'),
    ]);
    gateway = await TestGateway.start(TestGateway.env(db.url, topics));
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([db?.drop(), topics && deleteGatewayTopics(topics)]);
  });

  /** Asserts a 202 and that exactly one more record reached the command topic. */
  async function expectOneRecordPer(send: () => Promise<Accepted>): Promise<Accepted> {
    const before = await countRecords(topics.commands);
    const accepted = await send();
    expect(await countRecords(topics.commands)).toBe(before + 1);
    return accepted;
  }

  async function accepted(response: Awaited<ReturnType<TestGateway['post']>>): Promise<Accepted> {
    expect(response.statusCode).toBe(202);
    const body = json<Accepted>(response);
    expect(body).toEqual({
      correlationId: expect.stringMatching(UUID),
      status: 'PENDING',
      statusUrl: `/status/${body.correlationId}`,
    });
    expect(response.headers['location']).toBe(body.statusUrl);
    return body;
  }

  it('accepts each command with 202 and produces one keyed envelope with its headers', async () => {
    const user = await expectOneRecordPer(async () =>
      accepted(
        await gateway.post('/users', {
          name: 'Ana Souza',
          email: 'ana@example.com',
          document: '529.982.247-25',
        }),
      ),
    );
    const subscription = await expectOneRecordPer(async () =>
      accepted(
        await gateway.post(`/users/${USER_ID}/subscriptions`, {
          plan: 'premium',
          billingCycle: 'monthly',
          startDate: '2025-01-15',
        }),
      ),
    );
    const payment = await expectOneRecordPer(async () =>
      accepted(
        await gateway.post(`/users/${USER_ID}/payments`, {
          amount: '149.9',
          currency: 'BRL',
          method: 'pix',
          subscriptionId: USER_ID,
        }),
      ),
    );
    const preferences = await expectOneRecordPer(async () =>
      accepted(
        await gateway.put(`/users/${USER_ID}/preferences`, {
          preferences: { theme: 'dark', notifications: { email: true }, tags: ['a'] },
        }),
      ),
    );

    const records = await readRecords(topics.commands);
    const byCorrelation = new Map(records.map((r) => [r.headers['correlation-id'], r]));

    const created = byCorrelation.get(user.correlationId);
    const createdData = created?.value['data'] as { userId: string };
    expect(createdData.userId).toMatch(UUID);
    const caller = await gateway.caller();
    expect(created).toEqual({
      partition: expect.any(Number),
      key: createdData.userId,
      value: {
        eventId: expect.stringMatching(UUID),
        eventType: USER_COMMANDS.createUser,
        source: 'gateway',
        timestamp: expect.any(String),
        // The processor refuses the command after it, so a status nobody answers can resolve.
        deadline: expect.any(String),
        version: '1.0',
        data: {
          userId: createdData.userId,
          name: 'Ana Souza',
          email: 'ana@example.com',
          document: '52998224725',
        },
        // The tenant and client come from the caller's token, never from the body.
        tenantId: caller.tenantId,
        metadata: { correlationId: user.correlationId, clientId: caller.clientId },
      },
      headers: {
        'correlation-id': user.correlationId,
        'event-type': USER_COMMANDS.createUser,
        'event-id': created?.value['eventId'] as string,
        'content-type': 'application/json',
        // The producer span of the command, in the trace of the HTTP request that sent it.
        traceparent: expect.stringMatching(/^00-[\da-f]{32}-[\da-f]{16}-0[01]$/),
      },
    });

    expect(byCorrelation.get(subscription.correlationId)).toMatchObject({
      key: USER_ID,
      value: {
        eventType: USER_COMMANDS.createSubscription,
        data: {
          userId: USER_ID,
          subscriptionId: expect.stringMatching(UUID),
          plan: 'premium',
          billingCycle: 'monthly',
          startDate: '2025-01-15',
        },
      },
    });
    expect(byCorrelation.get(payment.correlationId)).toMatchObject({
      key: USER_ID,
      value: {
        eventType: USER_COMMANDS.recordPayment,
        data: {
          userId: USER_ID,
          paymentId: expect.stringMatching(UUID),
          amount: '149.90',
          currency: 'BRL',
          method: 'pix',
          subscriptionId: USER_ID,
        },
      },
    });
    expect(byCorrelation.get(preferences.correlationId)).toMatchObject({
      key: USER_ID,
      value: {
        eventType: USER_COMMANDS.updatePreferences,
        data: {
          userId: USER_ID,
          preferences: { theme: 'dark', notifications: { email: true }, tags: ['a'] },
        },
      },
    });
    // One user's commands share a key, hence a partition, hence their order.
    const partitions = new Set(
      [subscription, payment, preferences].map(
        (c) => byCorrelation.get(c.correlationId)?.partition,
      ),
    );
    expect(partitions.size).toBe(1);
  });

  it('produces the command in the trace of its HTTP request, named by the traceresponse header', async () => {
    const callerTrace = '0af7651916cd43dd8448eb211c80319c';
    const response = await gateway.put(
      `/users/${USER_ID}/preferences`,
      { preferences: { theme: 'light' } },
      { traceparent: `00-${callerTrace}-b7ad6b7169203331-01` },
    );
    const { correlationId } = await accepted(response);
    // The caller's trace is continued: the request's span is a child of the caller's.
    expect(response.headers['traceresponse']).toMatch(
      new RegExp(`^00-${callerTrace}-[\\da-f]{16}-0[01]$`),
    );
    const record = (await readRecords(topics.commands)).find(
      (r) => r.headers['correlation-id'] === correlationId,
    );
    expect(record?.headers['traceparent']).toMatch(
      new RegExp(`^00-${callerTrace}-[\\da-f]{16}-0[01]$`),
    );
  });

  it('answers 400 naming each bad field and produces nothing', async () => {
    const before = await countRecords(topics.commands);

    const badUser = await gateway.post('/users', {
      name: 'Ana',
      email: 'not-an-email',
      document: '111.111.111-11',
      role: 'admin',
    });
    expect(badUser.statusCode).toBe(400);
    expect(badUser.headers['content-type']).toContain('application/problem+json');
    const problem = json<Problem>(badUser);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.field).sort()).toEqual([
      'body.document',
      'body.email',
      'body.role',
    ]);

    const badPayment = await gateway.post(`/users/${USER_ID}/payments`, {
      amount: '10.999',
      currency: 'BRL',
      method: 'pix',
    });
    expect(json<Problem>(badPayment).errors).toEqual([
      {
        field: 'body.amount',
        message: 'amount must be a positive decimal with at most 2 decimals, such as "149.90"',
      },
    ]);

    const badUserId = await gateway.post('/users/42/subscriptions', {
      plan: 'basic',
      billingCycle: 'monthly',
      startDate: '2025-01-01',
    });
    expect(badUserId.statusCode).toBe(400);
    expect(json<Problem>(badUserId).errors).toEqual([
      { field: 'params.userId', message: 'userId must be a UUID' },
    ]);

    const tooDeep = await gateway.put(`/users/${USER_ID}/preferences`, {
      preferences: { a: { b: { c: { d: { e: 1 } } } } },
    });
    expect(json<Problem>(tooDeep).errors?.[0]?.field).toBe('body.preferences');

    const badKey = await gateway.post(
      '/users',
      { name: 'Ana', email: 'a@b.co', document: '52998224725' },
      { 'idempotency-key': 'k'.repeat(201) },
    );
    expect(badKey.statusCode).toBe(400);
    expect(json<Problem>(badKey).errors).toEqual([
      {
        field: 'headers.idempotency-key',
        message: 'Idempotency-Key must be at most 200 characters',
      },
    ]);

    expect(await countRecords(topics.commands)).toBe(before);
    expect(
      await sql(db.url, 'SELECT 1 FROM idempotency_keys WHERE key = $1', ['k'.repeat(201)]),
    ).toEqual([]);
  });

  it('replays the first answer for the same Idempotency-Key and body, producing once', async () => {
    const body = { name: 'Bia Lima', email: 'bia@example.com', document: '123.456.789-09' };
    const headers = { 'idempotency-key': 'create-bia-1' };
    const first = await expectOneRecordPer(async () =>
      accepted(await gateway.post('/users', body, headers)),
    );

    const before = await countRecords(topics.commands);
    // Same body with keys in another order is the same request.
    const replay = await gateway.post(
      '/users',
      { document: body.document, email: body.email, name: body.name },
      headers,
    );
    expect(await accepted(replay)).toEqual(first);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await countRecords(topics.commands)).toBe(before);
  });

  it('produces once when identical requests with one key arrive together', async () => {
    const before = await countRecords(topics.commands);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        gateway.post(
          `/users/${USER_ID}/payments`,
          { amount: '10.00', currency: 'USD', method: 'boleto' },
          { 'idempotency-key': 'pay-10-once' },
        ),
      ),
    );
    const bodies = await Promise.all(responses.map((r) => accepted(r)));
    expect(new Set(bodies.map((b) => b.correlationId)).size).toBe(1);
    expect(await countRecords(topics.commands)).toBe(before + 1);
  });

  it('answers 409 when an Idempotency-Key comes back with another body or path', async () => {
    const headers = { 'idempotency-key': 'pay-20' };
    await accepted(
      await gateway.post(
        `/users/${USER_ID}/payments`,
        { amount: '20.00', currency: 'BRL', method: 'pix' },
        headers,
      ),
    );
    const before = await countRecords(topics.commands);

    const otherBody = await gateway.post(
      `/users/${USER_ID}/payments`,
      { amount: '21.00', currency: 'BRL', method: 'pix' },
      headers,
    );
    expect(otherBody.statusCode).toBe(409);
    expect(json<Problem>(otherBody).code).toBe('IDEMPOTENCY.KEY_REUSED');

    const otherPath = await gateway.post(
      `/users/${USER_ID}/subscriptions`,
      { plan: 'basic', billingCycle: 'yearly', startDate: '2025-01-01' },
      headers,
    );
    expect(otherPath.statusCode).toBe(409);
    expect(await countRecords(topics.commands)).toBe(before);
  });

  it('keeps Idempotency-Keys per client: another client with the same key gets its own command', async () => {
    const body = { plan: 'premium', billingCycle: 'monthly', startDate: '2025-04-01' };
    const headers = { 'idempotency-key': 'shared-key' };
    const mine = await accepted(
      await gateway.post(`/users/${USER_ID}/subscriptions`, body, headers),
    );
    const other = await gateway.bearer((await gateway.caller()).tenantId, [SCOPES.eventsProduce]);
    const theirs = await accepted(
      await gateway.post(`/users/${USER_ID}/subscriptions`, body, { ...headers, ...other.headers }),
    );
    expect(theirs.correlationId).not.toBe(mine.correlationId);
  });

  it('remembers Idempotency-Keys across instances and restarts, and forgets expired ones', async () => {
    const body = { plan: 'standard', billingCycle: 'quarterly', startDate: '2025-03-01' };
    const headers = { 'idempotency-key': 'sub-standard' };
    const first = await accepted(
      await gateway.post(`/users/${USER_ID}/subscriptions`, body, headers),
    );

    const second = await TestGateway.start(TestGateway.env(db.url, topics));
    try {
      const before = await countRecords(topics.commands);
      expect(
        await accepted(await second.post(`/users/${USER_ID}/subscriptions`, body, headers)),
      ).toEqual(first);
      expect(await countRecords(topics.commands)).toBe(before);

      await sql(
        db.url,
        "UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key LIKE $1",
        [`%:${headers['idempotency-key']}`],
      );
      const afterExpiry = await accepted(
        await second.post(`/users/${USER_ID}/subscriptions`, body, headers),
      );
      expect(afterExpiry.correlationId).not.toBe(first.correlationId);
      expect(await countRecords(topics.commands)).toBe(before + 1);
    } finally {
      await second.close();
    }
  });

  it('counts accepted and rejected commands by type in /metrics', async () => {
    const metrics = (await gateway.get('/metrics')).body;
    expect(metrics).toMatch(
      /gateway_commands_accepted_total\{command="users.create_user",replayed="false",service="gateway"\} \d+/,
    );
    expect(metrics).toMatch(
      /gateway_commands_accepted_total\{command="users.create_user",replayed="true",service="gateway"\} 1/,
    );
    expect(metrics).toMatch(
      /gateway_commands_rejected_total\{command="users.create_user",code="VALIDATION_FAILED",service="gateway"\} 2/,
    );
    expect(metrics).toMatch(
      /gateway_commands_rejected_total\{command="users.record_payment",code="IDEMPOTENCY.KEY_REUSED",service="gateway"\} 1/,
    );
    expect(metrics).toMatch(
      /gateway_produce_ack_seconds_count\{service="gateway",outcome="acked"\} \d+/,
    );
    expect(metrics).toMatch(/gateway_producer_batch_records_count\{service="gateway"\} \d+/);
  });

  it('documents every route with its error shapes at /docs-json', async () => {
    const document = json<{
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    }>(await gateway.get('/docs-json'));
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/users',
        '/users/{userId}/subscriptions',
        '/users/{userId}/payments',
        '/users/{userId}/preferences',
        '/status/{correlationId}',
        '/users/{id}',
      ]),
    );
    expect(Object.keys(document.paths['/users']?.['post']?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '400', '409', '503']),
    );
    expect(
      Object.keys(document.paths['/status/{correlationId}']?.['get']?.responses ?? {}),
    ).toEqual(expect.arrayContaining(['200', '400', '404']));
    // The operator's PIX publisher: both target forms as examples, and its error answers.
    const publish = document.paths['/admin/pix/events']?.['post'] as
      | {
          responses: Record<string, unknown>;
          requestBody: { content: Record<string, { examples: Record<string, unknown> }> };
        }
      | undefined;
    expect(Object.keys(publish?.requestBody.content['application/json']?.examples ?? {})).toEqual([
      'kafka',
      'exchange',
    ]);
    expect(Object.keys(publish?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '400', '401', '403', '503']),
    );
    expect(document.components.schemas).toHaveProperty('ProblemDetailsDto');
    expect((await gateway.get('/docs')).statusCode).toBe(200);
  });
});
