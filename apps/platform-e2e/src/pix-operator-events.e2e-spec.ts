import { randomUUID } from 'node:crypto';
import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { SCOPES } from '@event-hub/auth';
import { createEnvelope, PIX_EXCHANGE, PIX_STAGE_TOPICS } from '@event-hub/contracts';
import {
  bootstrapAdmin,
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  readCommitted,
  TcpProxy,
  uniqueName,
  waitFor,
  type TestDatabase,
} from '@event-hub/testing';
import { AppProcess } from './support/app-process';
import { createHubTopics, hubGatewayEnv, hubTopics } from './support/hub-apps';
import { callAs } from './support/platform-calls';
import { createTenantCaller, tokenFor, type TenantCaller } from './support/platform-clients';

const GATEWAY_PORT = 18600;
const RABBITMQ_PROXY_PORT = 18601;
const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';

/** RABBITMQ_URL with its host and port replaced by the proxy's. */
function throughProxy(url: string, port: number): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  return proxied.toString();
}

interface Published {
  eventId: string;
  eventType: string;
  tenantId: string;
  topic?: string;
  partition?: number;
  offset?: string;
  exchange?: string;
  routingKey?: string;
}

interface Problem {
  status: number;
  code: string;
  errors?: { field: string; message: string }[];
}

/**
 * The operator's PIX publisher (issue 12: seed 002's demo APIs kept as a tool) through the built
 * gateway, real Kafka and RabbitMQ: an admin publishes a schema-valid event to a PIX topic (read
 * back from Kafka) or to the `pix` exchange (received on a queue bound to it); anything else is
 * refused. The topics are the run's own (PIX_TOPIC_PREFIX); the exchange is the shared `pix`, so
 * the queue may also get other processes' notifications and this suite picks its own by event id.
 */
describe('Operator PIX events end to end', () => {
  const run = uniqueName('e2e-pixop');
  const topics = hubTopics(run);
  const prefix = `${run}.`;
  const pixTopics = PIX_STAGE_TOPICS.map((name) => `${prefix}${name}`);
  let db: TestDatabase;
  let gateway: AppProcess;
  let admin: TenantCaller;
  let tenant: TenantCaller;
  let rabbit: ChannelModel;
  // The gateway reaches RabbitMQ through a proxy the suite can cut: RabbitMQ "down" for it alone.
  let rabbitProxy: TcpProxy;
  const received: ConsumeMessage[] = [];

  /** An event of the type, for a new payment; `data` completes or overrides the payment ids. */
  const pixEvent = (eventType: string, tenantId: string, data: Record<string, unknown>) => {
    const paymentId = randomUUID();
    return createEnvelope({
      eventType,
      source: 'e2e-operator',
      tenantId,
      correlationId: paymentId,
      data: {
        paymentId,
        endToEndId: 'E12345678202612061530AbCdEfGhIjK',
        payerAccountId: randomUUID(),
        ...data,
      },
    });
  };
  const settledEvent = (tenantId: string, data: Record<string, unknown> = {}) =>
    pixEvent('pix.payment.settled', tenantId, {
      receiverAccountId: randomUUID(),
      amount: '150.00',
      state: 'settled',
      ...data,
    });
  const rejectedEvent = (tenantId: string) =>
    pixEvent('pix.payment.rejected', tenantId, {
      amount: '10.00',
      state: 'rejected',
      rejectionCode: 'LIMIT_NIGHT',
    });

  /** What every 202 repeats of the event it published. */
  const identityOf = (event: { eventId: string; eventType: string; tenantId?: string }) => ({
    eventId: event.eventId,
    eventType: event.eventType,
    tenantId: event.tenantId,
  });

  const publish = <T = Published>(as: TenantCaller, body: unknown) =>
    callAs<T>(gateway.baseUrl, as, 'POST', '/admin/pix/events', body);

  beforeAll(async () => {
    db = await createTestDatabase('e2e_pixop');
    await createHubTopics(topics);
    await createTestTopics(pixTopics, 3);
    const broker = new URL(RABBITMQ_URL);
    rabbitProxy = await new TcpProxy(broker.hostname, Number(broker.port || 5672)).start(
      RABBITMQ_PROXY_PORT,
    );
    gateway = new AppProcess('gateway', GATEWAY_PORT, {
      ...hubGatewayEnv(db.url, run, topics),
      PIX_TOPIC_PREFIX: prefix,
      RABBITMQ_URL: throughProxy(RABBITMQ_URL, RABBITMQ_PROXY_PORT),
    }).start();
    await gateway.waitForHealth(200, 180000);
    const adminCredentials = await bootstrapAdmin(db.url);
    const adminToken = await tokenFor(gateway.baseUrl, adminCredentials);
    admin = {
      ...adminCredentials,
      tenantId: 'platform',
      token: adminToken,
      headers: { authorization: `Bearer ${adminToken}` },
    };
    tenant = await createTenantCaller(gateway.baseUrl, adminToken, run.replace(/\./g, '-'), [
      SCOPES.eventsProduce,
      SCOPES.eventsConsume,
    ]);

    rabbit = await connect(RABBITMQ_URL);
    const channel = await rabbit.createChannel();
    await channel.assertExchange(PIX_EXCHANGE, 'topic', { durable: true });
    const { queue } = await channel.assertQueue(`${run}.operator`, {
      exclusive: true,
      autoDelete: true,
    });
    await channel.bindQueue(queue, PIX_EXCHANGE, 'pix.payment.*');
    await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
  });

  afterAll(async () => {
    await rabbit?.close().catch(() => undefined);
    await gateway?.stop();
    await rabbitProxy?.stop();
    await deleteTestTopics([...Object.values(topics), ...pixTopics]);
    await db?.drop();
  });

  it('publishes an admin’s event to a PIX topic as it was given, read back at the offset it answered', async () => {
    const event = settledEvent(tenant.tenantId);
    const answer = await publish(admin, {
      target: { kafkaTopic: 'pix.payment.settled' },
      event,
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      ...identityOf(event),
      topic: `${prefix}pix.payment.settled`,
      partition: expect.any(Number),
      offset: expect.stringMatching(/^\d+$/),
    });
    const records = await readCommitted(
      [`${prefix}pix.payment.settled`],
      (read) => read.length > 0,
    );
    expect(records).toHaveLength(1);
    const [record] = records;
    expect({ partition: record?.partition, offset: record?.offset }).toEqual({
      partition: answer.body.partition,
      offset: answer.body.offset,
    });
    expect(JSON.parse(record?.value ?? '')).toEqual(event);
    expect(record?.key).toBe(event.data.paymentId);
    expect(record?.headers).toEqual(
      expect.objectContaining({
        'event-id': event.eventId,
        'event-type': 'pix.payment.settled',
        'correlation-id': event.metadata.correlationId,
        'tenant-id': tenant.tenantId,
      }),
    );
  });

  it('publishes an admin’s event to the pix exchange with its routing key, once RabbitMQ confirmed it', async () => {
    const event = settledEvent(tenant.tenantId);
    const answer = await publish(admin, {
      target: { exchange: 'pix', routingKey: 'pix.payment.settled' },
      event,
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      ...identityOf(event),
      exchange: 'pix',
      routingKey: 'pix.payment.settled',
    });
    const message = await waitFor(
      async () => received.find((m) => m.properties.messageId === event.eventId),
      { timeoutMs: 15000, intervalMs: 100, what: 'the message on the bound queue' },
    );
    expect(message.fields.routingKey).toBe('pix.payment.settled');
    expect(message.properties.deliveryMode).toBe(2);
    expect(JSON.parse(message.content.toString('utf8'))).toEqual(event);
  });

  it('answers 503 naming RabbitMQ while it cannot be reached, and publishes again once it can', async () => {
    rabbitProxy.cut();
    const refused = await publish<Problem & { broker: string }>(admin, {
      target: { exchange: 'pix', routingKey: 'pix.payment.rejected' },
      event: rejectedEvent(tenant.tenantId),
    });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'PIX.EVENT_NOT_PUBLISHED', broker: 'RabbitMQ' });
    expect(refused.headers.get('retry-after')).toBe('1');

    rabbitProxy.restore();
    const event = rejectedEvent(tenant.tenantId);
    const accepted = await publish(admin, {
      target: { exchange: 'pix', routingKey: 'pix.payment.rejected' },
      event,
    });
    expect(accepted.status).toBe(202);
    const message = await waitFor(
      async () => received.find((m) => m.properties.messageId === event.eventId),
      { timeoutMs: 15000, intervalMs: 100, what: 'the message published after RabbitMQ came back' },
    );
    expect(message.fields.routingKey).toBe('pix.payment.rejected');
  });

  it('refuses a caller without the admin scope with 403', async () => {
    const answer = await publish<Problem>(tenant, {
      target: { kafkaTopic: 'pix.payment.settled' },
      event: settledEvent(tenant.tenantId),
    });
    expect(answer.status).toBe(403);
  });

  it('refuses an event that does not match its schema, naming the field', async () => {
    const answer = await publish<Problem>(admin, {
      target: { exchange: 'pix', routingKey: 'pix.payment.settled' },
      event: settledEvent(tenant.tenantId, { amount: 150 }),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { field: 'body.event.data.amount', message: 'amount must be string' },
    ]);
    const unknownTenant = await publish<Problem>(admin, {
      target: { kafkaTopic: 'pix.payment.settled' },
      event: settledEvent('no-such-tenant'),
    });
    expect(unknownTenant.status).toBe(400);
    expect(unknownTenant.body.errors?.map((e) => e.field)).toEqual(['body.event.tenantId']);
  });

  it('refuses a topic or routing key outside the PIX catalog, naming it', async () => {
    const event = settledEvent(tenant.tenantId);
    const topic = await publish<Problem>(admin, { target: { kafkaTopic: 'user_events' }, event });
    expect(topic.status).toBe(400);
    expect(topic.body.errors?.map((e) => e.field)).toEqual(['body.target.kafkaTopic']);
    const key = await publish<Problem>(admin, {
      target: { exchange: 'pix', routingKey: 'pix.payment.validated' },
      event,
    });
    expect(key.status).toBe(400);
    expect(key.body.errors?.map((e) => e.field)).toEqual(['body.target.routingKey']);
  });
});
