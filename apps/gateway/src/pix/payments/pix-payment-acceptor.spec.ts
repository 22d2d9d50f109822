import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { KafkaProducer } from '@event-hub/kafka';
import { ProblemException } from '@event-hub/service-runtime';
import type { ProducerBatch, RecordMetadata } from 'kafkajs';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { IdempotencyKeyReusedError } from '../../shared/http-errors';
import { END_TO_END_ID } from '../end-to-end-id';
import { PixPaymentAcceptor, type PaymentToAccept } from './pix-payment-acceptor';
import { PixPaymentNotAcceptedError, PixPaymentStoreUnavailableError } from './pix-payment.errors';
import type {
  PaymentRequestToRemember,
  PixPaymentRequests,
  RememberedRequest,
} from './pix-payment-requests';

const payer = '0e4c2b9f-50b8-4c35-8e2b-3f0c1f4c9a77';

const config = {
  get: (name: keyof GatewayEnvironment) =>
    ({ PIX_TOPIC_PREFIX: 'run1.', PIX_ISPB: '12345678' })[name as string],
} as unknown as ConfigService<GatewayEnvironment, true>;

/** The payment requests table: answers what the test says and remembers what it was asked. */
function fakeRequests(answer: (request: PaymentRequestToRemember) => RememberedRequest) {
  const asked: PaymentRequestToRemember[] = [];
  const requests = {
    remember: async (request: PaymentRequestToRemember) => {
      asked.push(request);
      return answer(request);
    },
  } as unknown as PixPaymentRequests;
  return { requests, asked };
}

/** Kafka: each batch the coalescing producer sends is held until the test settles it. */
function fakeKafka() {
  const batches: { batch: ProducerBatch; ack: () => void; fail: () => void }[] = [];
  const kafka = {
    producer: {
      sendBatch: (batch: ProducerBatch) =>
        new Promise<RecordMetadata[]>((resolve, reject) => {
          batches.push({
            batch,
            ack: () => resolve([]),
            fail: () => reject(new Error('NOT_ENOUGH_REPLICAS')),
          });
        }),
    },
  } as unknown as KafkaProducer;
  return { kafka, batches };
}

const payment = (overrides: Partial<PaymentToAccept> = {}): PaymentToAccept => ({
  origin: { tenantId: 'acme', clientId: 'client-1' },
  idempotencyKey: 'key-1',
  claim: { key: 'key-1', requestHash: 'h1' },
  payerAccountId: payer,
  receiverKey: { type: 'EMAIL', value: 'bruno@example.com' },
  amount: '10.00',
  description: null,
  ...overrides,
});

/** Resolves once every pending timer and promise of the coalescing producer has run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('PixPaymentAcceptor', () => {
  it('answers a new key only once Kafka acknowledged its request, with the ids it remembered', async () => {
    const { requests, asked } = fakeRequests(() => ({ kind: 'new' }));
    const { kafka, batches } = fakeKafka();
    const acceptor = new PixPaymentAcceptor(requests, kafka, config);

    let answered = false;
    const accepted = acceptor.accept(payment()).then((ids) => {
      answered = true;
      return ids;
    });
    await settle();
    expect(batches).toHaveLength(1);
    expect(answered).toBe(false);
    batches[0]?.ack();

    const ids = await accepted;
    expect(ids).toEqual({
      paymentId: asked[0]?.paymentId,
      endToEndId: asked[0]?.endToEndId,
      replayed: false,
    });
    expect(ids.endToEndId).toMatch(END_TO_END_ID);
    const [topic] = batches[0]?.batch.topicMessages ?? [];
    expect(topic?.topic).toBe('run1.pix.payment.requested');
    expect(topic?.messages[0]?.key).toBe(payer);
    expect(String(topic?.messages[0]?.headers?.['correlation-id'] ?? '')).toBe(ids.paymentId);
    const envelope = JSON.parse(String(topic?.messages[0]?.value)) as Record<string, unknown>;
    expect(envelope).toMatchObject({
      eventType: 'pix.payment.requested',
      tenantId: 'acme',
      metadata: { correlationId: ids.paymentId },
      data: { paymentId: ids.paymentId, idempotencyKey: 'key-1', amount: '10.00' },
    });
  });

  it('sends the requests of concurrent payments in one batch, each answered by it', async () => {
    const { requests } = fakeRequests(() => ({ kind: 'new' }));
    const { kafka, batches } = fakeKafka();
    const acceptor = new PixPaymentAcceptor(requests, kafka, config);

    const answers = Promise.all(
      ['a', 'b', 'c'].map((key) => acceptor.accept(payment({ idempotencyKey: key }))),
    );
    await settle();
    expect(batches.map((b) => b.batch.topicMessages?.[0]?.messages.length)).toEqual([3]);
    batches[0]?.ack();
    expect(new Set((await answers).map((a) => a.paymentId)).size).toBe(3);
  });

  it('answers a known key with its first request’s ids and produces that request again', async () => {
    const first = {
      kind: 'known',
      requestHash: 'h1',
      paymentId: 'p-1',
      endToEndId: 'E-1',
    } as const;
    const { requests } = fakeRequests(() => first);
    const { kafka, batches } = fakeKafka();
    const acceptor = new PixPaymentAcceptor(requests, kafka, config);

    const accepted = acceptor.accept(payment());
    await settle();
    batches[0]?.ack();
    expect(await accepted).toEqual({ paymentId: 'p-1', endToEndId: 'E-1', replayed: true });
  });

  it('refuses a known key with another body (409) and an unknown payer (400), producing nothing', async () => {
    const { kafka, batches } = fakeKafka();
    const reused = new PixPaymentAcceptor(
      fakeRequests(() => ({ kind: 'known', requestHash: 'other', paymentId: 'p', endToEndId: 'E' }))
        .requests,
      kafka,
      config,
    );
    await expect(reused.accept(payment())).rejects.toBeInstanceOf(IdempotencyKeyReusedError);

    const stranger = new PixPaymentAcceptor(
      fakeRequests(() => ({ kind: 'unknown-payer' })).requests,
      kafka,
      config,
    );
    const refused = await stranger.accept(payment()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProblemException);
    expect((refused as ProblemException).problem).toMatchObject({
      status: 400,
      errors: [{ field: 'body.payerAccountId' }],
    });
    await settle();
    expect(batches).toHaveLength(0);
  });

  it('checks the receiver key and the amount before touching the table', async () => {
    const { requests, asked } = fakeRequests(() => ({ kind: 'new' }));
    const acceptor = new PixPaymentAcceptor(requests, fakeKafka().kafka, config);

    const badKey = await acceptor
      .accept(payment({ receiverKey: { type: 'EMAIL', value: 'not-an-email' } }))
      .catch((error: unknown) => error);
    expect((badKey as ProblemException).problem).toMatchObject({
      errors: [{ field: 'body.receiverKey.value' }],
    });
    const zero = await acceptor
      .accept(payment({ amount: '0.00' }))
      .catch((error: unknown) => error);
    expect((zero as ProblemException).problem).toMatchObject({
      errors: [{ field: 'body.amount' }],
    });
    expect(asked).toHaveLength(0);
  });

  it('answers 503 naming the payment when Kafka did not acknowledge its batch', async () => {
    const { requests, asked } = fakeRequests(() => ({ kind: 'new' }));
    const { kafka, batches } = fakeKafka();
    const acceptor = new PixPaymentAcceptor(requests, kafka, config);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    const accepted = acceptor.accept(payment()).catch((error: unknown) => error);
    await settle();
    batches[0]?.fail();
    const error = await accepted;
    expect(error).toBeInstanceOf(PixPaymentNotAcceptedError);
    expect((error as PixPaymentNotAcceptedError).extensions['paymentId']).toBe(asked[0]?.paymentId);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('answers 503 producing nothing when Postgres cannot be reached, and lets a statement bug through', async () => {
    const unreachable = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    const { kafka, batches } = fakeKafka();
    const down = new PixPaymentAcceptor(
      { remember: () => Promise.reject(unreachable) } as unknown as PixPaymentRequests,
      kafka,
      config,
    );
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    const outage = await down.accept(payment()).catch((error: unknown) => error);
    expect(outage).toBeInstanceOf(PixPaymentStoreUnavailableError);
    expect((outage as PixPaymentStoreUnavailableError).status).toBe(503);

    const bug = new Error('column "payer" does not exist');
    const broken = new PixPaymentAcceptor(
      { remember: () => Promise.reject(bug) } as unknown as PixPaymentRequests,
      kafka,
      config,
    );
    await expect(broken.accept(payment())).rejects.toBe(bug);
    await settle();
    expect(batches).toHaveLength(0);
    warn.mockRestore();
  });
});
