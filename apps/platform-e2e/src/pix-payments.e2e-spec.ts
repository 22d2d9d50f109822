import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { SCOPES } from '@event-hub/auth';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
  PIX_EVENT_TYPES,
  PIX_STAGE_TOPICS,
  pixEventSchema,
  type PixEventType,
} from '@event-hub/contracts';
import {
  createTestDatabase,
  readCommitted,
  uniqueName,
  waitFor,
  type TestDatabase,
} from '@event-hub/testing';
import { AppProcess } from './support/app-process';
import {
  createPixRunTopics,
  deletePixRunTopics,
  openPixAccount,
  pixAccountFixture,
  pixGatewayEnv,
  pixProcessorEnv,
  pixRunNames,
  pixTenant,
  requestPayment,
} from './support/pix-fixtures';
import { callAs, queryDatabase } from './support/platform-calls';
import { createTenantCaller, type TenantCaller } from './support/platform-clients';

const GATEWAY_PORT = 18580;
const PROCESSOR_PORT = 18581;
const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

interface PaymentView {
  id: string;
  state: string;
  rejectionCode: string | null;
  timeline: { stage: string; at: string; detail: string | null }[];
}

/**
 * A PIX payment through the built apps, real Kafka, Postgres and RabbitMQ (issue 12): the gateway
 * takes the request, the processor's stages validate, settle and notify, and the notification is
 * on RabbitMQ's `pix` exchange. Accounts are fixtures written straight into the processor's tables
 * (the accounts routes are another change).
 */
describe('PIX payments end to end', () => {
  const run = uniqueName('e2e-pix');
  const names = pixRunNames(run);
  let db: TestDatabase;
  let gateway: AppProcess;
  let processor: AppProcess;
  let caller: TenantCaller;
  let adminToken: string;
  let rabbit: ChannelModel;
  const notifications: ConsumeMessage[] = [];
  const payer = pixAccountFixture('payer');
  const receiver = pixAccountFixture('receiver');

  const sql = <T>(text: string, params: unknown[] = []) => queryDatabase<T>(db.url, text, params);

  const pay = (key: string, amount: string) =>
    requestPayment(gateway.baseUrl, caller, { payer, receiver, amount }, key);

  const finalState = (paymentId: string, states: string[]) =>
    waitFor(
      async () => {
        const { status, body } = await callAs<PaymentView>(
          gateway.baseUrl,
          caller,
          'GET',
          `/pix/payments/${paymentId}`,
        );
        return status === 200 && states.includes(body.state) ? body : undefined;
      },
      {
        timeoutMs: 60000,
        intervalMs: 250,
        what: `payment ${paymentId} to reach ${states.join('/')}`,
      },
    );

  const balances = async () =>
    new Map(
      (
        await sql<{ id: string; balance: string }>(
          'SELECT id, balance FROM accounts WHERE id = ANY($1::uuid[])',
          [[payer.account, receiver.account]],
        )
      ).map((r) => [r.id, r.balance]),
    );

  beforeAll(async () => {
    db = await createTestDatabase('e2e_pix');
    await createPixRunTopics(names);
    processor = new AppProcess(
      'processor',
      PROCESSOR_PORT,
      pixProcessorEnv(db.url, names, RABBITMQ_URL),
    ).start();
    await processor.waitForHealth(200, 180000);
    gateway = new AppProcess('gateway', GATEWAY_PORT, {
      ...pixGatewayEnv(db.url, names),
      PIX_ISPB: '12345678',
    }).start();
    await gateway.waitForHealth(200, 180000);
    ({ adminToken, caller } = await pixTenant(gateway.baseUrl, db.url, run));
    await openPixAccount(db.url, caller.tenantId, payer, '200.00');
    await openPixAccount(db.url, caller.tenantId, receiver, '0.00');

    rabbit = await connect(RABBITMQ_URL);
    const channel = await rabbit.createChannel();
    await channel.assertExchange('pix', 'topic', { durable: true });
    const { queue } = await channel.assertQueue(`${run}.notifications`, {
      exclusive: true,
      autoDelete: true,
    });
    await channel.bindQueue(queue, 'pix', 'pix.#');
    await channel.consume(queue, (message) => message && notifications.push(message), {
      noAck: true,
    });
  });

  afterAll(async () => {
    await rabbit?.close().catch(() => undefined);
    await Promise.all([gateway, processor].map((app) => app?.stop()));
    await deletePixRunTopics(names);
    await db?.drop();
  });

  const notificationsOf = (paymentId: string) =>
    notifications.filter((m) => m.properties.correlationId === paymentId);

  it('requests, validates, settles and notifies a payment, with its message on the pix exchange', async () => {
    const answer = await pay(`${run}-first`, '150.00');
    expect(answer.status).toBe(202);
    expect(answer.body.endToEndId).toMatch(/^E12345678\d{12}[A-Za-z0-9]{11}$/);
    expect(answer.body.statusUrl).toBe(`/pix/payments/${answer.body.paymentId}`);

    const payment = await finalState(answer.body.paymentId, ['notified', 'rejected']);
    expect(payment.state).toBe('notified');
    expect(payment.timeline.map((t) => t.stage)).toEqual([
      'requested',
      'validated',
      'settled',
      'notified',
    ]);
    const messages = await waitFor(
      async () => {
        const found = notificationsOf(answer.body.paymentId);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 30000, intervalMs: 100, what: 'the RabbitMQ notification' },
    );
    expect(messages.map((m) => m.fields.routingKey)).toEqual(['pix.payment.settled']);
    const body = JSON.parse(messages[0]?.content.toString() ?? '{}') as {
      data: { paymentId: string; amount: string; state: string };
    };
    expect(body.data).toMatchObject({
      paymentId: answer.body.paymentId,
      amount: '150.00',
      state: 'settled',
    });
    expect(messages[0]?.properties.deliveryMode).toBe(2);
    // One trace from the HTTP request through every stage and the outbox to the AMQP message.
    const requestTrace = answer.headers.get('traceresponse')?.split('-')[1];
    expect(requestTrace).toMatch(/^[\da-f]{32}$/);
    const messageHeaders = (messages[0]?.properties.headers ?? {}) as Record<string, unknown>;
    expect(String(messageHeaders['traceparent']).split('-')[1]).toBe(requestTrace);
    expect(await balances()).toEqual(
      new Map([
        [payer.account, '50.00'],
        [receiver.account, '150.00'],
      ]),
    );
  });

  it('rejects a payment the payer cannot cover with INSUFFICIENT_FUNDS and notifies the rejection', async () => {
    const answer = await pay(`${run}-too-much`, '100.00');
    expect(answer.status).toBe(202);
    const payment = await finalState(answer.body.paymentId, ['notified', 'rejected']);
    expect(payment.rejectionCode).toBe('INSUFFICIENT_FUNDS');
    expect(payment.timeline.map((t) => [t.stage, t.detail])).toEqual(
      expect.arrayContaining([['rejected', 'INSUFFICIENT_FUNDS']]),
    );
    await waitFor(async () => notificationsOf(answer.body.paymentId).length > 0 || undefined, {
      timeoutMs: 30000,
      intervalMs: 100,
      what: 'the rejection notification',
    });
    expect(notificationsOf(answer.body.paymentId).map((m) => m.fields.routingKey)).toEqual([
      'pix.payment.rejected',
    ]);
    expect((await balances()).get(payer.account)).toBe('50.00');
  });

  it('answers the same Idempotency-Key twice with the same 202 and settles the payment once', async () => {
    const key = `${run}-twice`;
    const first = await pay(key, '10.00');
    const second = await pay(key, '10.00');
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    await finalState(first.body.paymentId, ['notified']);

    const entries = await sql<{ count: string }>(
      'SELECT count(*) FROM account_entries WHERE payment_id = $1',
      [first.body.paymentId],
    );
    expect(entries[0]?.count).toBe('2');
    const rows = await sql<{ count: string }>(
      'SELECT count(*) FROM pix_payments WHERE tenant_id = $1 AND idempotency_key = $2',
      [caller.tenantId, key],
    );
    expect(rows[0]?.count).toBe('1');
    expect(await balances()).toEqual(
      new Map([
        [payer.account, '40.00'],
        [receiver.account, '160.00'],
      ]),
    );
  });

  it('refuses a payment without Idempotency-Key or with a bad amount, naming the field, and hides payments of other tenants', async () => {
    const noKey = await callAs<{ errors: { field: string }[] }>(
      gateway.baseUrl,
      caller,
      'POST',
      '/pix/payments',
      {
        payerAccountId: payer.account,
        receiverKey: { type: 'EMAIL', value: receiver.email },
        amount: '1.00',
      },
    );
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors.map((e) => e.field)).toEqual(['headers.idempotency-key']);
    const badAmount = await pay(`${run}-bad`, '1.999');
    expect(badAmount.status).toBe(400);
    expect(
      (badAmount.body as unknown as { errors: { field: string }[] }).errors.map((e) => e.field),
    ).toEqual(['body.amount']);

    const [someone] = await sql<{ id: string }>('SELECT id FROM pix_payments LIMIT 1');
    const other = await createTenantCaller(
      gateway.baseUrl,
      adminToken,
      `${run.replace(/\./g, '-')}-other`,
      [SCOPES.eventsProduce],
    );
    const foreign = await callAs(gateway.baseUrl, other, 'GET', `/pix/payments/${someone?.id}`);
    expect(foreign.status).toBe(404);
    const statement = await callAs<{ items: { id: string; direction: string }[] }>(
      gateway.baseUrl,
      caller,
      'GET',
      `/pix/payments?account=${receiver.account}`,
    );
    expect(statement.status).toBe(200);
    // The two settled payments and the one rejected at settlement (its receiver was resolved).
    expect(statement.body.items.map((i) => i.direction)).toEqual(['credit', 'credit', 'credit']);
  });

  it('puts on the PIX topics and the exchange only events that match their JSON Schemas', async () => {
    const ajv = addFormats(new Ajv({ allErrors: true, strict: true }));
    const validators = new Map(PIX_EVENT_TYPES.map((t) => [t, ajv.compile(pixEventSchema(t))]));
    const problemsOf = (eventType: string, value: string): string[] => {
      const validate = validators.get(eventType as PixEventType);
      if (!validate) return [`${eventType} is not a PIX event type`];
      return validate(JSON.parse(value))
        ? []
        : (validate.errors ?? []).map((e) => `${eventType}${e.instancePath} ${e.message}`);
    };
    const { prefix } = names;
    const stageTopics = PIX_STAGE_TOPICS.map((name) => `${prefix}${name}`);
    // Three payments: three requested and validated, two settled, three notified, and the audit
    // entries of those twelve transitions (rejected instead of settled once).
    const atLeast: Record<string, number> = {
      'pix.payment.requested': 3,
      'pix.payment.validated': 3,
      'pix.payment.settled': 2,
      'pix.notification.sent': 3,
      'pix.audit.log': 12,
    };
    const records = await readCommitted(
      stageTopics,
      (read) =>
        Object.entries(atLeast).every(
          ([topic, count]) => read.filter((r) => r.topic === `${prefix}${topic}`).length >= count,
        ),
      60000,
    );
    const seen = new Set(records.map((r) => r.topic.slice(prefix.length)));
    expect([...seen].sort()).toEqual([...PIX_STAGE_TOPICS].sort());
    expect(records.flatMap((r) => problemsOf(r.topic.slice(prefix.length), r.value))).toEqual([]);
    // The exchange is shared: only the notifications of this run's payments are its own.
    const paymentIds = new Set(
      records
        .filter((r) => r.topic === `${prefix}pix.payment.requested`)
        .map((r) => (JSON.parse(r.value) as { data: { paymentId: string } }).data.paymentId),
    );
    const ours = notifications.filter((m) => paymentIds.has(String(m.properties.correlationId)));
    expect(ours).toHaveLength(3);
    expect(
      ours.flatMap((m) => problemsOf(m.fields.routingKey, m.content.toString('utf8'))),
    ).toEqual([]);
  });
});
