import type { KafkaMessage } from 'kafkajs';
import { readPaymentEnd } from './payment-phase';

const auditRecord = (correlationId: string | undefined, data: object): KafkaMessage =>
  ({
    key: null,
    value: Buffer.from(JSON.stringify({ eventType: 'pix.audit.log', data })),
    headers: correlationId ? { 'correlation-id': Buffer.from(correlationId) } : {},
    timestamp: '0',
    attributes: 0,
    offset: '0',
  }) as KafkaMessage;

describe("a payment's end on pix.audit.log", () => {
  it('is the transition to settled or rejected, with the rejection code', () => {
    expect(
      readPaymentEnd(
        auditRecord('p1', { what: 'pix.payment', previousState: 'validated', newState: 'settled' }),
      ),
    ).toEqual({ id: 'p1', status: 'settled' });
    expect(
      readPaymentEnd(
        auditRecord('p2', {
          what: 'pix.payment',
          previousState: 'validated',
          newState: 'rejected',
          detail: { rejectionCode: 'INSUFFICIENT_FUNDS' },
        }),
      ),
    ).toEqual({ id: 'p2', status: 'rejected INSUFFICIENT_FUNDS' });
  });

  it('is nothing for the other transitions, account records and records without correlation id', () => {
    expect(
      readPaymentEnd(auditRecord('p1', { what: 'pix.payment', newState: 'validated' })),
    ).toBeUndefined();
    expect(
      readPaymentEnd(auditRecord('p1', { what: 'pix.payment', newState: 'notified' })),
    ).toBeUndefined();
    expect(
      readPaymentEnd(auditRecord('a1', { what: 'account.deposit', newState: '100.00' })),
    ).toBeUndefined();
    expect(
      readPaymentEnd(auditRecord(undefined, { what: 'pix.payment', newState: 'settled' })),
    ).toBeUndefined();
  });
});
