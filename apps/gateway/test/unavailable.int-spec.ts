import {
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  TcpProxy,
  waitFor,
  withAdmin,
  type TestDatabase,
} from '@event-hub/testing';
import {
  countRecords,
  createGatewayTopics,
  deleteGatewayTopics,
  json,
  sql,
  TestGateway,
  type GatewayTopics,
} from './support/gateway-harness';

const USER_ID = '5b6c7d8e-9f01-4a2b-8c3d-4e5f60718293';
const payment = { amount: '50.00', currency: 'EUR', method: 'debit_card' };

interface Problem {
  status: number;
  code: string;
  reason?: string;
}

/**
 * Kafka not taking writes is simulated by deleting the command topic under a running gateway
 * (the producer keeps retrying, as it would against a stopped broker), so other suites sharing
 * the broker are not disturbed. Stopping the broker itself is the end-to-end suite's job.
 */
describe('gateway when Kafka does not acknowledge', () => {
  let db: TestDatabase;
  let topics: GatewayTopics;
  let gateway: TestGateway;

  beforeAll(async () => {
    [db, topics] = await Promise.all([
      createTestDatabase('gateway_unavailable'),
      createGatewayTopics('gateway-unavailable'),
    ]);
    gateway = await TestGateway.start(
      TestGateway.env(db.url, topics, {
        GATEWAY_PRODUCE_TIMEOUT_MS: '1500',
        GATEWAY_MAX_PENDING_COMMANDS: '2',
        GATEWAY_RETRY_AFTER_SECONDS: '7',
      }),
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([db?.drop(), topics && deleteGatewayTopics(topics)]);
  });

  it('answers 503 with Retry-After, never lets a refused command reach Kafka later, leaves nothing PENDING, and accepts again once Kafka is back', async () => {
    await deleteTestTopics([topics.commands]);
    await waitFor(
      async () => !(await withAdmin((admin) => admin.listTopics())).includes(topics.commands),
      {
        what: 'the command topic to be gone',
      },
    );

    // The producer keeps retrying past the timeout; more commands meanwhile wait in the queue or
    // find it full. Every one of them is refused.
    const answers = await Promise.all([
      gateway.post(`/users/${USER_ID}/payments`, payment),
      gateway.post(
        `/users/${USER_ID}/payments`,
        { ...payment, amount: '51.00' },
        { 'idempotency-key': 'retry-me-51' },
      ),
      gateway.post(
        `/users/${USER_ID}/payments`,
        { ...payment, amount: '52.00' },
        { 'idempotency-key': 'retry-me-52' },
      ),
    ]);
    for (const answer of answers) {
      expect(answer.statusCode).toBe(503);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      const problem = json<Problem>(answer);
      expect(problem).toMatchObject({ status: 503, code: 'COMMAND.NOT_ACCEPTED' });
      expect(['timeout', 'broker_error', 'queue_full']).toContain(problem.reason);
      expect(answer.headers['retry-after']).toBe(problem.reason === 'queue_full' ? '1' : '7');
    }

    // Nothing is remembered: no PENDING row, and the keys are free for the retries.
    expect(await sql(db.url, 'SELECT status FROM command_status')).toEqual([]);
    expect(await sql(db.url, 'SELECT key FROM idempotency_keys')).toEqual([]);

    await waitFor(() => createTestTopics([topics.commands], 3).then(() => true), {
      what: 'the command topic to be recreated',
    });
    // Whatever the producer was still retrying belongs to transactions that were never committed:
    // once Kafka is back, a read_committed reader (the processor) sees none of it.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(await countRecords(topics.commands)).toBe(0);

    const retried = await gateway.post(
      `/users/${USER_ID}/payments`,
      { ...payment, amount: '51.00' },
      { 'idempotency-key': 'retry-me-51' },
    );
    expect(retried.statusCode).toBe(202);
    expect((await gateway.post(`/users/${USER_ID}/payments`, payment)).statusCode).toBe(202);
    expect(await countRecords(topics.commands)).toBe(2);
  });
});

describe('gateway when Postgres is unreachable', () => {
  let db: TestDatabase;
  let topics: GatewayTopics;
  let proxy: TcpProxy;
  let gateway: TestGateway;

  beforeAll(async () => {
    [db, topics] = await Promise.all([
      createTestDatabase('gateway_pg_down'),
      createGatewayTopics('gateway-pg-down'),
    ]);
    const target = new URL(db.url);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).start();
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    gateway = await TestGateway.start(
      TestGateway.env(viaProxy.toString(), topics, { GATEWAY_RETRY_AFTER_SECONDS: '3' }),
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await proxy?.stop();
    await Promise.all([db?.drop(), topics && deleteGatewayTopics(topics)]);
  });

  it('answers 503 without producing while Postgres is cut off, and 202 once it is back', async () => {
    // The caller's client is looked up once while Postgres is there; auth then answers from its
    // cache, so what this test sees is the command store's answer.
    expect((await gateway.get(`/status/${USER_ID}`)).statusCode).toBe(404);
    proxy.cut();
    const refused = await gateway.post(`/users/${USER_ID}/payments`, payment);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('3');
    expect(json<Problem>(refused)).toMatchObject({ code: 'COMMAND.STORE_UNAVAILABLE' });
    expect(await countRecords(topics.commands)).toBe(0);

    proxy.restore();
    await waitFor(
      async () => (await gateway.post(`/users/${USER_ID}/payments`, payment)).statusCode === 202,
      {
        what: 'commands to be accepted again',
      },
    );
    expect(await countRecords(topics.commands)).toBe(1);
  });
});
