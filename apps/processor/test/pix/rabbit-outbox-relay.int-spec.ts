import { TOPICS } from '@event-hub/contracts';
import { waitFor } from '@event-hub/testing';
import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { PIX_EXCHANGE } from '@event-hub/contracts';
import { RabbitChannel } from '@event-hub/rabbitmq';
import { RabbitOutboxRelay } from '../../src/pix/notification/rabbit-outbox-relay';
import { PixFixtures } from './support/pix-fixtures';

const RABBITMQ_URL = process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
// Nothing listens there (a port of this suite's range): RabbitMQ is "down".
const UNREACHABLE_URL = 'amqp://guest:guest@127.0.0.1:18419';
const options = { batchSize: 100, initialBackoffMs: 60_000, maxBackoffMs: 600_000 };

describe('RabbitMQ notification relay against the real Postgres and RabbitMQ', () => {
  let fx: PixFixtures;
  let reader: ChannelModel;
  let channel: RabbitChannel;
  const received: ConsumeMessage[] = [];

  beforeAll(async () => {
    fx = await PixFixtures.create('pixnotify');
    channel = new RabbitChannel(RABBITMQ_URL, [PIX_EXCHANGE]);
    reader = await connect(RABBITMQ_URL);
    const ch = await reader.createChannel();
    await ch.assertExchange(PIX_EXCHANGE, 'topic', { durable: true });
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(queue, PIX_EXCHANGE, 'pix.#');
    await ch.consume(queue, (message) => message && received.push(message), { noAck: true });
  });

  afterAll(async () => {
    await channel?.close();
    await reader?.close();
    await fx?.close();
  });

  const paymentState = async (id: string): Promise<string> =>
    (await fx.source.query('SELECT state FROM pix_payments WHERE id = $1', [id]))[0].state;

  it('publishes settled and rejected payments persistently with their stage as routing key, then records the payment notified and pix.notification.sent', async () => {
    const payer = await fx.openAccount('10.00');
    const receiver = await fx.openAccount();
    const settled = await fx.validatedPayment(payer, receiver, '6.00');
    const rejected = await fx.validatedPayment(payer, receiver, '6.00');
    await fx.settle(settled);
    await fx.settle(rejected);

    expect(await new RabbitOutboxRelay(fx.source, channel, options).publishPending()).toEqual({
      published: 2,
    });

    const mine = await waitFor(
      () => {
        const found = received.filter((m) =>
          [settled, rejected].includes(m.properties.correlationId as string),
        );
        return found.length === 2 && found;
      },
      { what: 'both notifications on the queue bound with pix.#' },
    );
    expect(mine.map((m) => [m.properties.correlationId, m.fields.routingKey])).toEqual([
      [settled, 'pix.payment.settled'],
      [rejected, 'pix.payment.rejected'],
    ]);
    expect(mine.every((m) => m.properties.deliveryMode === 2)).toBe(true);
    expect(JSON.parse(mine[1].content.toString()).data).toMatchObject({
      state: 'rejected',
      rejectionCode: 'INSUFFICIENT_FUNDS',
    });
    expect(await paymentState(settled)).toBe('notified');
    expect(await paymentState(rejected)).toBe('notified');
    const sent: unknown[] = await fx.source.query(
      `SELECT 1 FROM pix_outbox_records WHERE topic = $1 AND message_key = ANY($2::text[])`,
      [TOPICS.pixNotificationSent, [settled, rejected]],
    );
    expect(sent).toHaveLength(2);
  });

  it('keeps a notification pending with a backoff while RabbitMQ is unreachable, and sends it once it is back', async () => {
    const payer = await fx.openAccount('10.00');
    const payment = await fx.validatedPayment(payer, await fx.openAccount(), '1.00');
    await fx.settle(payment);

    const down = new RabbitChannel(UNREACHABLE_URL, [PIX_EXCHANGE]);
    const round = await new RabbitOutboxRelay(fx.source, down, options).publishPending();

    expect(round).toMatchObject({ failed: 1 });
    const [row] = await fx.source.query(
      `SELECT attempts, sent_at, last_error IS NOT NULL AS has_error,
              next_attempt_at > now() + interval '50 seconds' AS backed_off
       FROM pix_outbox WHERE destination = 'rabbitmq' AND message_key = $1`,
      [payment],
    );
    expect(row).toEqual({ attempts: 1, sent_at: null, has_error: true, backed_off: true });
    expect(await paymentState(payment)).toBe('settled');

    // The backoff elapsed: the broker is reachable again and the notification goes out.
    await fx.source.query(
      `UPDATE pix_outbox SET next_attempt_at = now() WHERE destination = 'rabbitmq' AND message_key = $1`,
      [payment],
    );
    expect(await new RabbitOutboxRelay(fx.source, channel, options).publishPending()).toEqual({
      published: 1,
    });
    await waitFor(() => received.some((m) => m.properties.correlationId === payment), {
      what: 'the retried notification',
    });
    expect(await paymentState(payment)).toBe('notified');
  });
});
