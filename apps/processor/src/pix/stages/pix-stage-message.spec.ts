import type { KafkaMessage } from 'kafkajs';
import { PoisonRecord, parseRequested, parseValidated } from './pix-stage-message';

const PAYMENT = '0b8f8a7e-3c2d-4b55-9d8e-6f1a2b3c4d5e';
const PAYER = '3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60';

function record(value: unknown): KafkaMessage {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return {
    key: null,
    value: Buffer.from(text),
    offset: '0',
    timestamp: '0',
    attributes: 0,
    headers: {},
  };
}

function requested(data: Record<string, unknown> = {}, correlationId = PAYMENT) {
  return {
    eventId: 'e',
    eventType: 'pix.payment.requested',
    source: 'gateway',
    timestamp: new Date().toISOString(),
    version: '1.0',
    tenantId: 'acme',
    metadata: { correlationId },
    data: {
      paymentId: PAYMENT,
      endToEndId: 'E12345678202612061405aB3dE5fG7hJ',
      clientId: 'client-1',
      idempotencyKey: 'key-1',
      payerAccountId: PAYER,
      receiverKey: { type: 'EMAIL', value: 'bruno@example.com' },
      amount: '150.00',
      description: 'Dinner',
      ...data,
    },
  };
}

function poisonCode(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    return error instanceof PoisonRecord ? error.code : 'not poison';
  }
}

describe('PIX stage records', () => {
  it('reads a payment request as the gateway produces it', () => {
    expect(parseRequested(record(requested()))).toEqual({
      paymentId: PAYMENT,
      tenantId: 'acme',
      endToEndId: 'E12345678202612061405aB3dE5fG7hJ',
      clientId: 'client-1',
      idempotencyKey: 'key-1',
      payerAccountId: PAYER,
      receiverKey: { type: 'EMAIL', value: 'bruno@example.com' },
      amount: '150.00',
      description: 'Dinner',
    });
  });

  it('calls a record no retry can handle poison, with a bounded reason', () => {
    expect(poisonCode(() => parseRequested(record('{not json')))).toBe('INVALID_JSON');
    expect(poisonCode(() => parseRequested(record({ hello: 'world' })))).toBe('INVALID_ENVELOPE');
    expect(poisonCode(() => parseRequested(record(requested({ amount: 150 }))))).toBe(
      'INVALID_PAYMENT',
    );
    expect(
      poisonCode(() =>
        parseRequested(record(requested({ receiverKey: { type: 'IBAN', value: 'x' } }))),
      ),
    ).toBe('INVALID_PAYMENT');
    // The correlation id is the payment id: anything else is not a request of ours.
    expect(poisonCode(() => parseRequested(record(requested({}, PAYER))))).toBe('INVALID_PAYMENT');
  });

  it('reads the payment id of a validated payment and refuses a record of another type', () => {
    const validated = { ...requested(), eventType: 'pix.payment.validated' };
    expect(parseValidated(record(validated))).toBe(PAYMENT);
    expect(poisonCode(() => parseValidated(record(requested())))).toBe('INVALID_ENVELOPE');
  });
});
