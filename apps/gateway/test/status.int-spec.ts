import { USER_COMMANDS } from '@event-hub/contracts';
import {
  createTestDatabase,
  testKafka,
  uniqueName,
  waitFor,
  type TestDatabase,
} from '@event-hub/testing';
import {
  createGatewayTopics,
  deleteGatewayTopics,
  json,
  publishReply,
  TestGateway,
  type GatewayTopics,
} from './support/gateway-harness';

const USER_ID = '7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

interface Status {
  correlationId: string;
  status: string;
  command: string | null;
  result?: Record<string, unknown>;
  error?: { code: string; message: string };
  acceptedAt: string;
  completedAt?: string;
}

const run = uniqueName('it.status');
const instance = (name: string) => ({ GATEWAY_TRANSACTIONAL_ID_PREFIX: `${run}-${name}` });

describe('command status against the real Kafka and Postgres', () => {
  let db: TestDatabase;
  let topics: GatewayTopics;
  let first: TestGateway;
  let second: TestGateway;

  beforeAll(async () => {
    [db, topics] = await Promise.all([
      createTestDatabase('gateway_status'),
      createGatewayTopics('gateway-status'),
    ]);
    // Two instances on one database and one reply group, as behind a load balancer.
    // Two instances of one deployment: each has transactional ids of its own, or they would
    // fence each other's command producers.
    first = await TestGateway.start(TestGateway.env(db.url, topics, instance('first')));
    second = await TestGateway.start(TestGateway.env(db.url, topics, instance('second')));
  });

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await Promise.all([db?.drop(), topics && deleteGatewayTopics(topics)]);
  });

  async function acceptPayment(via: TestGateway, amount: string): Promise<string> {
    const response = await via.post(`/users/${USER_ID}/payments`, {
      amount,
      currency: 'BRL',
      method: 'pix',
    });
    expect(response.statusCode).toBe(202);
    return json<{ correlationId: string }>(response).correlationId;
  }

  const statusOf = async (via: TestGateway, correlationId: string): Promise<Status> =>
    json<Status>(await via.get(`/status/${correlationId}`));

  it('reports an accepted command PENDING on every instance', async () => {
    const correlationId = await acceptPayment(first, '10.00');

    for (const gateway of [first, second]) {
      const status = await statusOf(gateway, correlationId);
      expect(status).toEqual({
        correlationId,
        status: 'PENDING',
        command: USER_COMMANDS.recordPayment,
        acceptedAt: expect.any(String),
      });
    }
  });

  it('reports COMPLETED with the result once the processor replied, on both instances', async () => {
    const correlationId = await acceptPayment(first, '11.00');
    await publishReply(topics.replies, correlationId, {
      status: 'COMPLETED',
      command: USER_COMMANDS.recordPayment,
      result: { paymentId: 'p-1', amount: '11.00' },
    });

    const completed = await waitFor(
      async () => {
        const status = await statusOf(second, correlationId);
        return status.status === 'COMPLETED' && status;
      },
      { what: 'the reply to be recorded' },
    );
    expect(completed).toEqual({
      correlationId,
      status: 'COMPLETED',
      command: USER_COMMANDS.recordPayment,
      result: { paymentId: 'p-1', amount: '11.00' },
      acceptedAt: expect.any(String),
      completedAt: expect.any(String),
    });
    expect(await statusOf(first, correlationId)).toEqual(completed);
  });

  it('reports FAILED with the code and message of a business-rule failure', async () => {
    const correlationId = await acceptPayment(second, '12.00');
    await publishReply(topics.replies, correlationId, {
      status: 'FAILED',
      command: USER_COMMANDS.recordPayment,
      error: { code: 'USER.NOT_FOUND', message: 'No user with this id' },
    });

    const failed = await waitFor(
      async () => {
        const status = await statusOf(first, correlationId);
        return status.status === 'FAILED' && status;
      },
      { what: 'the failure to be recorded' },
    );
    expect(failed).toMatchObject({
      error: { code: 'USER.NOT_FOUND', message: 'No user with this id' },
    });
    expect(failed).not.toHaveProperty('result');
  });

  it('records a reply for a command it never saw, for the tenant the reply names', async () => {
    const correlationId = 'c3d4e5f6-0718-4293-a4b5-c6d7e8f90a1b';
    await publishReply(
      topics.replies,
      correlationId,
      { status: 'COMPLETED', command: USER_COMMANDS.updatePreferences, result: {} },
      (await first.caller()).tenantId,
    );
    const recorded = await waitFor(
      async () => {
        const response = await first.get(`/status/${correlationId}`);
        return response.statusCode === 200 && json<Status>(response);
      },
      { what: 'the orphan reply to be recorded' },
    );
    expect(recorded).toMatchObject({
      status: 'COMPLETED',
      command: USER_COMMANDS.updatePreferences,
    });
  });

  it('keeps reporting the outcome after a restart', async () => {
    const correlationId = await acceptPayment(first, '13.00');
    await publishReply(topics.replies, correlationId, {
      status: 'COMPLETED',
      command: USER_COMMANDS.recordPayment,
      result: { paymentId: 'p-3' },
    });
    await waitFor(async () => (await statusOf(first, correlationId)).status === 'COMPLETED', {
      what: 'the reply to be recorded',
    });

    await first.close();
    first = await TestGateway.start(TestGateway.env(db.url, topics, instance('first')));
    expect(await statusOf(first, correlationId)).toMatchObject({
      status: 'COMPLETED',
      result: { paymentId: 'p-3' },
    });
  });

  it('answers 404 for an id never accepted and 400 for one that is not a UUID', async () => {
    const unknown = await second.get('/status/00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(json(unknown)).toMatchObject({ code: 'STATUS.NOT_FOUND', status: 404 });

    const malformed = await second.get('/status/not-a-uuid');
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed)).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'params.correlationId', message: 'correlationId must be a UUID' }],
    });
  });

  it('skips a record on the reply topic that is not a reply and keeps recording the next ones', async () => {
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({ topic: topics.replies, messages: [{ key: 'junk', value: 'not json' }] });
    await producer.disconnect();

    const correlationId = await acceptPayment(second, '14.00');
    await publishReply(topics.replies, correlationId, {
      status: 'COMPLETED',
      command: USER_COMMANDS.recordPayment,
      result: {},
    });
    await waitFor(async () => (await statusOf(second, correlationId)).status === 'COMPLETED', {
      what: 'the reply after the junk record to be recorded',
    });
    // Whichever instance owns the junk record's partition counts it, maybe after the other one
    // recorded the reply (partitions are handled independently). Both instances run in this
    // process and share its default registry, so either one's /metrics shows their total.
    const skipped = async () =>
      Number(
        /gateway_replies_skipped_total\{service="gateway"\} (\d+)/.exec(
          (await first.get('/metrics')).body,
        )?.[1] ?? 0,
      );
    await waitFor(async () => (await skipped()) >= 1, { what: 'the junk record to be skipped' });
    expect(await skipped()).toBe(1);
  });
});
