import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { createEnvelope } from '../envelope/event-envelope';
import { TOPICS } from '../topics/topic-catalog';
import {
  PIX_EVENT_DATA_SCHEMAS,
  PIX_EVENT_TYPES,
  PIX_STAGE_TOPICS,
  pixEventSchema,
  type PixEventType,
} from './pix-event-schemas';
import { PIX_ROUTING_KEYS } from './pix-notifications';

const compile = (schema: object) => addFormats(new Ajv({ strict: true })).compile(schema);
const paymentId = '7d7e6a1c-3b0e-4c6b-9a51-1f1f3f7f0a11';
const accountId = '0e4c2b9f-50b8-4c35-8e2b-3f0c1f4c9a77';
const endToEndId = 'E12345678202612061530AbCdEfGhIjK';

const event = (eventType: PixEventType, data: object) =>
  createEnvelope({
    eventType,
    source: 'processor',
    tenantId: 'acme',
    correlationId: paymentId,
    data,
  });

const settled = {
  paymentId,
  endToEndId,
  payerAccountId: accountId,
  receiverAccountId: paymentId,
  amount: '150.00',
  state: 'settled',
};

describe('PIX event schemas', () => {
  it('cover the five stage topics and the rejection notification, each a strict draft-07 schema', () => {
    expect(PIX_STAGE_TOPICS).toEqual([
      'pix.payment.requested',
      'pix.payment.validated',
      'pix.payment.settled',
      'pix.notification.sent',
      'pix.audit.log',
    ]);
    expect([...PIX_EVENT_TYPES].sort()).toEqual(
      [...PIX_STAGE_TOPICS, PIX_ROUTING_KEYS.rejected].sort(),
    );
    for (const type of PIX_EVENT_TYPES) expect(() => compile(pixEventSchema(type))).not.toThrow();
  });

  it('accept each event in the shape the gateway and the processor write it', () => {
    const examples: [PixEventType, object][] = [
      [
        TOPICS.pixPaymentRequested,
        {
          paymentId,
          endToEndId,
          clientId: 'bank-app',
          idempotencyKey: 'k-1',
          payerAccountId: accountId,
          receiverKey: { type: 'EMAIL', value: 'ana@example.com' },
          amount: '150.00',
          description: null,
        },
      ],
      [TOPICS.pixPaymentSettled, settled],
      [
        PIX_ROUTING_KEYS.rejected,
        {
          paymentId,
          endToEndId,
          payerAccountId: accountId,
          amount: '9.5',
          state: 'rejected',
          rejectionCode: 'INSUFFICIENT_FUNDS',
        },
      ],
      [
        TOPICS.pixNotificationSent,
        { paymentId, routingKey: PIX_ROUTING_KEYS.settled, exchange: 'pix' },
      ],
      [
        TOPICS.pixAuditLog,
        {
          what: 'account.adjustment',
          subjectId: accountId,
          tenantId: 'acme',
          previousState: '10.00',
          newState: '0.00',
          actor: 'admin',
          detail: { reason: 'fix' },
          at: new Date().toISOString(),
        },
      ],
    ];
    for (const [type, data] of examples) {
      const validate = compile(pixEventSchema(type));
      expect({ type, valid: validate(event(type, data)), errors: validate.errors }).toEqual({
        type,
        valid: true,
        errors: null,
      });
    }
  });

  it('refuse money as a JSON number, an unknown field, another event type and a missing tenant', () => {
    const validate = compile(pixEventSchema(TOPICS.pixPaymentSettled));
    expect(validate(event(TOPICS.pixPaymentSettled, { ...settled, amount: 150 }))).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/data/amount');
    expect(validate(event(TOPICS.pixPaymentSettled, { ...settled, extra: 1 }))).toBe(false);
    expect(validate(event(TOPICS.pixPaymentValidated, settled))).toBe(false);
    const { tenantId: _tenant, ...withoutTenant } = event(TOPICS.pixPaymentSettled, settled);
    expect(validate(withoutTenant)).toBe(false);
    expect(validate.errors?.[0]?.params).toEqual({ missingProperty: 'tenantId' });
  });

  it('describe only data: the envelope comes from the platform envelope schema', () => {
    expect(PIX_EVENT_DATA_SCHEMAS[TOPICS.pixPaymentValidated]).not.toHaveProperty('$id');
    expect(pixEventSchema(TOPICS.pixAuditLog)['properties']).toHaveProperty('metadata');
  });
});
