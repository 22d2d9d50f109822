import { connect, type GetMessage } from 'amqplib';
import { PIX_EXCHANGE } from '@event-hub/contracts';
import { createTestDatabase, uniqueName, waitFor, type TestDatabase } from '@event-hub/testing';
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
import { queryDatabase } from './support/platform-calls';
import type { TenantCaller } from './support/platform-clients';
import { PrivateRabbitMq } from './support/private-rabbitmq';

const RABBITMQ_PORT = 18700; // and its Erlang ports, 18701–18710
const GATEWAY_PORT = 18720;
const PROCESSOR_PORT = 18721;
const PAYMENTS = 5;

/**
 * PIX notifications across failures (issue 12), with the built apps, real Kafka and Postgres, and a
 * RabbitMQ node of this spec's own (started by services.sh on the spec's ports), so stopping it
 * disturbs no other run. The relay publishes from the transactional outbox `pix_outbox`: a
 * settlement commits its notification row, and RabbitMQ gets it once it takes it.
 *
 * Delivery to RabbitMQ is at least once in general: a processor killed after RabbitMQ confirmed a
 * message and before the row was marked sent publishes it again, with the same message id (the
 * envelope's event id), for consumers to drop. The crashes these specs make happen before the
 * publication, where the outbox gives exactly one message per payment, which they count without
 * deduplicating.
 */
describe('PIX notifications across a processor crash and a RabbitMQ outage', () => {
  const run = uniqueName('e2e-pix-rabbit');
  const names = pixRunNames(run);
  const queue = `${run}.notifications`;
  const rabbit = new PrivateRabbitMq(RABBITMQ_PORT);
  const payer = pixAccountFixture('payer');
  const receiver = pixAccountFixture('receiver');
  /** Every message taken off the queue bound with `pix.#`, over the whole spec. */
  const received: GetMessage[] = [];
  let db: TestDatabase;
  let gateway: AppProcess;
  let processor: AppProcess;
  let caller: TenantCaller;

  const sql = <T>(text: string, params: unknown[] = []) => queryDatabase<T>(db.url, text, params);

  const startProcessor = () =>
    new AppProcess('processor', PROCESSOR_PORT, {
      ...pixProcessorEnv(db.url, names, rabbit.url),
      // Short retries, so the outage ends in seconds rather than after a 30 s backoff.
      PIX_NOTIFY_BACKOFF_MS: '200',
      PIX_NOTIFY_MAX_BACKOFF_MS: '1000',
    }).start();

  /** Sends `PAYMENTS` payments of 1.00 and returns their ids. */
  async function payMany(label: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < PAYMENTS; i += 1) {
      const { status, body } = await requestPayment(
        gateway.baseUrl,
        caller,
        { payer, receiver, amount: '1.00' },
        `${run}-${label}-${i}`,
        label,
      );
      expect(status).toBe(202);
      ids.push(body.paymentId);
    }
    return ids;
  }

  const statesOf = async (ids: string[]) =>
    (
      await sql<{ state: string }>('SELECT state FROM pix_payments WHERE id = ANY($1::uuid[])', [
        ids,
      ])
    ).map((r) => r.state);

  const waitForStates = (ids: string[], state: string) =>
    waitFor(
      async () => {
        const states = await statesOf(ids);
        return states.length === ids.length && states.every((s) => s === state) ? true : undefined;
      },
      { timeoutMs: 90000, intervalMs: 250, what: `${ids.length} payments to be ${state}` },
    );

  /** Settled, and each notification still in the outbox after RabbitMQ refused it at least once. */
  const waitForRefusedNotifications = (ids: string[]) =>
    waitFor(
      async () => {
        const waiting = await sql<{ message_key: string }>(
          `SELECT message_key FROM pix_outbox WHERE destination = 'rabbitmq' AND sent_at IS NULL
             AND attempts >= 1 AND message_key = ANY($1::text[])`,
          [ids],
        );
        return waiting.length === ids.length ? true : undefined;
      },
      { timeoutMs: 90000, intervalMs: 250, what: 'the notifications to wait in the outbox' },
    );

  /** Takes every message now on the queue (a fresh connection: the node may have restarted). */
  async function drainQueue(): Promise<void> {
    const connection = await connect(rabbit.url);
    try {
      const channel = await connection.createChannel();
      for (;;) {
        const message = await channel.get(queue, { noAck: true });
        if (message === false) break;
        received.push(message);
      }
    } finally {
      await connection.close();
    }
  }

  /** The messages received per payment, after a pause that would let a late duplicate arrive. */
  async function messagesPerPayment(ids: string[]): Promise<Record<string, string[]>> {
    await drainQueue();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await drainQueue();
    return Object.fromEntries(
      ids.map((id) => [
        id,
        received
          .filter((m) => m.properties.correlationId === id)
          .map((m) => `${m.fields.routingKey} ${String(m.properties.messageId)}`),
      ]),
    );
  }

  const notificationSentEvents = async (ids: string[]) =>
    Object.fromEntries(
      (
        await sql<{ message_key: string; count: string }>(
          `SELECT message_key, count(*) FROM pix_outbox_records
           WHERE topic = 'pix.notification.sent' AND message_key = ANY($1::text[]) GROUP BY 1`,
          [ids],
        )
      ).map((r) => [r.message_key, Number(r.count)]),
    );

  const exactlyOnePerPayment = (ids: string[], perPayment: Record<string, string[]>) => {
    expect(Object.values(perPayment).map((messages) => messages.length)).toEqual(ids.map(() => 1));
    for (const [, messages] of Object.entries(perPayment)) {
      expect(messages[0]).toMatch(/^pix\.payment\.settled \S+$/);
    }
  };

  async function rabbitFailures(): Promise<number> {
    const text = await (await fetch(`${processor.baseUrl}/metrics`)).text();
    const line =
      /^processor_pix_outbox_publish_failures_total\{[^}]*destination="rabbitmq"[^}]*\} (\d+)/m.exec(
        text,
      );
    return Number(line?.[1] ?? 0);
  }

  beforeAll(async () => {
    await rabbit.up();
    const connection = await connect(rabbit.url);
    const channel = await connection.createChannel();
    // Durable, so the queue and its persistent messages outlive the node's stop_app.
    await channel.assertExchange(PIX_EXCHANGE, 'topic', { durable: true });
    await channel.assertQueue(queue, { durable: true });
    await channel.bindQueue(queue, PIX_EXCHANGE, 'pix.#');
    await connection.close();

    db = await createTestDatabase('e2e_pix_rabbit');
    await createPixRunTopics(names);
    processor = startProcessor();
    await processor.waitForHealth(200, 180000);
    gateway = new AppProcess('gateway', GATEWAY_PORT, pixGatewayEnv(db.url, names)).start();
    await gateway.waitForHealth(200, 180000);
    ({ caller } = await pixTenant(gateway.baseUrl, db.url, run));
    await openPixAccount(db.url, caller.tenantId, payer, '1000.00');
    await openPixAccount(db.url, caller.tenantId, receiver, '0.00');
  });

  afterAll(async () => {
    await Promise.all([gateway, processor].map((app) => app?.stop()));
    // Stops this spec's node and deletes its data; the machine's RabbitMQ is never involved.
    await rabbit.reset();
    await deletePixRunTopics(names);
    await db?.drop();
  });

  it('notifies each payment exactly once when the processor is SIGKILLed between settlement and notification', async () => {
    // RabbitMQ refuses the relay, so every settled payment's notification stays in the outbox:
    // the processor dies with settlements committed and nothing published.
    await rabbit.stopApp();
    let ids: string[];
    try {
      ids = await payMany('crash');
      await waitForStates(ids, 'settled');
      await waitForRefusedNotifications(ids);
      await processor.stop('SIGKILL');
    } finally {
      await rabbit.startApp();
    }

    processor = startProcessor();
    await processor.waitForHealth(200, 180000);
    await waitForStates(ids, 'notified');

    exactlyOnePerPayment(ids, await messagesPerPayment(ids));
    expect(await notificationSentEvents(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
  });

  it('loses no notification while RabbitMQ is stopped: reported on /health and counted as retries, delivered once it is back', async () => {
    const failuresBefore = await rabbitFailures();
    await rabbit.stopApp();
    let ids: string[];
    try {
      ids = await payMany('outage');
      await waitForStates(ids, 'settled');
      await waitForRefusedNotifications(ids);
      const report = await processor.waitForHealth(503);
      expect(report.error?.['pixNotifications']?.status).toBe('down');
      // Notifications waiting is not a reason to take the processor out of service.
      expect((await processor.health('/health/ready')).status).toBe(200);
      expect(await rabbitFailures()).toBeGreaterThanOrEqual(failuresBefore + PAYMENTS);
    } finally {
      await rabbit.startApp();
    }
    expect(await rabbit.answers()).toBe(true);

    await waitForStates(ids, 'notified');
    await processor.waitForHealth(200);
    exactlyOnePerPayment(ids, await messagesPerPayment(ids));
    expect(await notificationSentEvents(ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
  });
});
