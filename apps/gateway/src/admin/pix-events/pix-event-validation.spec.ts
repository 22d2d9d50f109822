import { createEnvelope } from '@event-hub/contracts';
import { eventTypeOf, PixEventValidator, targetOf } from './pix-event-validation';

const paymentId = '7d7e6a1c-3b0e-4c6b-9a51-1f1f3f7f0a11';
const accountId = '0e4c2b9f-50b8-4c35-8e2b-3f0c1f4c9a77';

const settled = (data: Record<string, unknown> = {}) =>
  createEnvelope({
    eventType: 'pix.payment.settled',
    source: 'operator',
    tenantId: 'acme',
    correlationId: paymentId,
    data: {
      paymentId,
      endToEndId: 'E12345678202612061530AbCdEfGhIjK',
      payerAccountId: accountId,
      receiverAccountId: paymentId,
      amount: '150.00',
      state: 'settled',
      ...data,
    },
  });

describe('the target of an operator PIX event', () => {
  it('is a stage topic, or the exchange with a routing key', () => {
    expect(targetOf({ kafkaTopic: 'pix.audit.log' })).toEqual({
      kind: 'kafka',
      topic: 'pix.audit.log',
    });
    const exchange = targetOf({ exchange: 'pix', routingKey: 'pix.payment.rejected' });
    expect(exchange).toEqual({
      kind: 'rabbitmq',
      exchange: 'pix',
      routingKey: 'pix.payment.rejected',
    });
    expect(eventTypeOf({ kind: 'kafka', topic: 'pix.audit.log' })).toBe('pix.audit.log');
    expect(
      eventTypeOf({ kind: 'rabbitmq', exchange: 'pix', routingKey: 'pix.payment.rejected' }),
    ).toBe('pix.payment.rejected');
  });

  it('names what is missing or mixed', () => {
    expect(targetOf({})).toEqual([expect.objectContaining({ field: 'body.target' })]);
    expect(
      targetOf({ kafkaTopic: 'pix.payment.settled', routingKey: 'pix.payment.settled' }),
    ).toEqual([expect.objectContaining({ field: 'body.target' })]);
    expect(targetOf({ exchange: 'pix' })).toEqual([
      { field: 'body.target.routingKey', message: 'routingKey is required with the exchange' },
    ]);
    expect(targetOf({ routingKey: 'pix.payment.settled' })).toEqual([
      expect.objectContaining({ field: 'body.target.exchange' }),
    ]);
  });
});

describe('an operator PIX event', () => {
  const validator = new PixEventValidator();

  it('passes when it matches its event type’s schema', () => {
    const event = settled();
    expect(validator.check('pix.payment.settled', event)).toBe(event);
  });

  it('is refused naming each bad field under body.event', () => {
    expect(validator.check('pix.payment.settled', settled({ amount: 150 }))).toEqual([
      { field: 'body.event.data.amount', message: 'amount must be string' },
    ]);
    const { tenantId: _t, ...noTenant } = settled();
    expect(validator.check('pix.payment.settled', noTenant)).toEqual([
      { field: 'body.event.tenantId', message: 'tenantId is required' },
    ]);
    expect(validator.check('pix.payment.settled', settled({ colour: 'red' }))).toEqual([
      {
        field: 'body.event.data.colour',
        message: 'colour is not allowed (additionalProperties is false)',
      },
    ]);
  });

  it('spells out the allowed event type when it is another one', () => {
    expect(validator.check('pix.payment.validated', settled())).toEqual(
      expect.arrayContaining([
        {
          field: 'body.event.eventType',
          message: 'eventType must be one of: pix.payment.validated',
        },
      ]),
    );
  });
});
